"""Masking of personal data where it is not needed (lists, exports for non-privileged users)."""


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    digits = phone.strip()
    if len(digits) <= 4:
        return "*" * len(digits)
    if len(digits) >= 11:
        return digits[:3] + "****" + digits[-4:]
    return "*" * (len(digits) - 4) + digits[-4:]


def mask_id_number(value: str | None) -> str:
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_name(name: str | None) -> str:
    if not name:
        return ""
    return name[0] + "*" * (len(name) - 1) if len(name) > 1 else name
