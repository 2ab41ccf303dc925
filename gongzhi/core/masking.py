"""The one masking policy for personal data (phones, ID numbers, home addresses, private persons' names).

Screens, exports and the audit ask `personal_data_visible(user, obj, own=..., revealed=...)` and mask with `mask`,
so a page and the export of the same list never disagree. The rule: personal data is masked by default, for
everyone. The object's own side (`own`, decided by the app: e.g. a resource's provider sees its own contact phone)
sees it in full; a holder of `VIEW_PERSONAL_DATA` (`may_see_personal_data`) sees it in full only after revealing
it: asking for it with a reason, which is recorded (`revealed`, see gongzhi.core.reveal and its
`{% reveal_button %}` / the export button). The JSON API answers integrations, which give no reason: it asks
`may_see_personal_data` alone. The caller has already made sure the user may see the object.
"""

from __future__ import annotations

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import has_capability


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


def mask_address(value: str | None) -> str:
    return "***" if value else ""


MASKS = {"phone": mask_phone, "id_number": mask_id_number, "name": mask_name, "address": mask_address}


def kind_of(field_name: str) -> str:
    """The kind of personal data a field holds, from its name (``leader_phone`` → ``phone``)."""
    if field_name in MASKS:
        return field_name
    return "phone" if "phone" in field_name else "name" if field_name.endswith("name") else "address"


def mask(kind: str, value):
    """``value`` masked as personal data of ``kind`` (phone, id_number, name, address); blanks stay blank."""
    return MASKS[kind](str(value)) if value else value


def may_see_personal_data(user, obj=None, *, own: bool = False) -> bool:
    """Whether ``user`` may see the personal data of ``obj`` (or of a list, without ``obj``) unmasked at all: the
    object's own side, or a holder of `VIEW_PERSONAL_DATA` (who may then reveal it, see the module docstring)."""
    return own or has_capability(user, Capability.VIEW_PERSONAL_DATA)


def personal_data_visible(user, obj=None, *, own: bool = False, revealed: bool = False) -> bool:
    """Whether ``user`` sees the personal data of ``obj`` (or of a list) unmasked now: the own side always; whoever
    else may see it only when ``revealed`` (an audited reveal covers it); everyone else never."""
    return own or (revealed and may_see_personal_data(user, obj))


def shown(user, kind: str, value, obj=None, *, own: bool = False, revealed: bool = False):
    """``value`` as ``user`` sees it now: in full or masked."""
    return value if personal_data_visible(user, obj, own=own, revealed=revealed) else mask(kind, value)


# --- the one policy: who sees personal data, and which fields hold it -----------------------------------------------
# Screens, history tables and the audit page ask these two questions rather than deciding for themselves.


def personal_fields(model) -> tuple[str, ...]:
    """The fields of `model` (or of its instances, or of its historical model) that hold personal data. Each model
    declares them once as `personal_fields`."""
    model = getattr(model, "instance_type", model)  # a historical model names the model it records
    return tuple(getattr(model, "personal_fields", ()))


def mask_value(name: str, value) -> str:
    """`value` of the personal field `name`, masked the way its kind is masked everywhere."""
    return mask(kind_of(name), value)
