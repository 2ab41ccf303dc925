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


# --- the one policy: who sees personal data, and which fields hold it -----------------------------------------------
# Screens, history tables and the audit page ask these two questions rather than deciding for themselves.


def shows_personal(user) -> bool:
    """May this viewer see personal data (phones, ID numbers, home addresses, names of residents) unmasked?"""
    from gongzhi.accounts.roles import Capability
    from gongzhi.accounts.scope import has_capability

    return has_capability(user, Capability.VIEW_PERSONAL_DATA)


def personal_fields(model) -> tuple[str, ...]:
    """The fields of `model` (or of its instances, or of its historical model) that hold personal data. Each model
    declares them once as `personal_fields`."""
    model = getattr(model, "instance_type", model)  # a historical model names the model it records
    return tuple(getattr(model, "personal_fields", ()))


def mask_value(name: str, value) -> str:
    """`value` of the personal field `name`, masked the way its kind is masked everywhere."""
    if not value:
        return value
    text = str(value)
    if name == "id_number":
        return mask_id_number(text)
    if "phone" in name:
        return mask_phone(text)
    if name == "name" or name.endswith("_name"):
        return mask_name(text)
    return "***"
