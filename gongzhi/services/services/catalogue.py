"""Writes of the service catalogue: items with their materials checklist (created, edited, the checklist replaced,
deactivated and activated again), categories, and the bulk import the Excel list and the demo share.

Every call validates its input and raises ValidationFailed with field errors (messages through gettext); the
policies (gongzhi.services.policies.catalogue) decide who may write: ``services.manage``, within its scope for an
item owned by a region.

Materials are given as a list of ``{"name", "required", "note"}`` (or of names), or as text: one per line (or
separated by ；), an optional one ending in （可选） or * (`parse_materials`).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from gongzhi.core.errors import Forbidden, ValidationFailed
from gongzhi.core.workflow import user_of
from gongzhi.registry.models import Region
from gongzhi.services.models import ServiceCategory, ServiceItem, ServiceLevel, ServiceMaterial
from gongzhi.services.policies import catalogue as policies

ITEM_FIELDS = ("code", "name", "category", "level", "region", "description", "legal_basis", "time_limit_days", "fee",
               "remote", "bookable", "for_residents", "for_office_workers", "for_building_stations", "keywords",
               "position", "active")
FLAGS = ("remote", "bookable", "for_residents", "for_office_workers", "for_building_stations", "active")
AUDIENCE_FLAGS = ("for_residents", "for_office_workers", "for_building_stations")
# the kind of region that owns an item of each level (a city-wide item has none)
LEVEL_KIND = {ServiceLevel.CITY: None, ServiceLevel.DISTRICT: "district", ServiceLevel.SUBDISTRICT: "subdistrict",
              ServiceLevel.AREA: "residential_area"}
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")
MAX_TIME_LIMIT = 365
MAX_FEE = Decimal("99999999.99")
MAX_POSITION = 2147483647
MAX_MATERIALS = 30
OPTIONAL_MARKS = ("（可选）", "(可选)", "（选填）", "(选填)", "(optional)", "*", "＊")


def parse_materials(text: str) -> list[dict]:
    """One material a line (or between ；/;): 身份证 / 户口簿（可选） / 照片* — the last two optional."""
    found = []
    for part in re.split(r"[\n\r；;]+", text or ""):
        name, required = part.strip(), True
        for mark in OPTIONAL_MARKS:
            if name.lower().endswith(mark):
                name, required = name[: -len(mark)].strip(), False
                break
        if name:
            found.append({"name": name, "required": required, "note": ""})
    return found


def _materials(raw) -> tuple[list[dict], list[str]]:
    """The checklist as clean rows, and the errors."""
    rows = parse_materials(raw) if isinstance(raw, str) else [
        {"name": m, "required": True, "note": ""} if isinstance(m, str) else dict(m) for m in raw or ()]
    clean, errors, seen = [], [], set()
    for m in rows:
        name, note = str(m.get("name") or "").strip(), str(m.get("note") or "").strip()
        if not name:
            errors.append(_("A material needs a name."))
        elif len(name) > 120:
            errors.append(_("A material's name may have at most 120 characters."))
        elif len(note) > 200:
            errors.append(_("A material's note may have at most 200 characters."))
        elif name in seen:
            errors.append(_("The material %(name)s is listed twice.") % {"name": name})
        else:
            seen.add(name)
            clean.append({"name": name, "required": bool(m.get("required", True)), "note": note})
    if len(clean) > MAX_MATERIALS:
        errors.append(_("List at most %(n)s materials.") % {"n": MAX_MATERIALS})
    return clean, errors


def _text(values: dict, errors: dict, name: str, limit: int | None, *, required: bool = False) -> None:
    value = str(values.get(name) or "").strip()
    if required and not value:
        errors.setdefault(name, []).append(_("This field is required."))
    elif limit and len(value) > limit:
        errors.setdefault(name, []).append(_("At most %(n)s characters.") % {"n": limit})
    values[name] = value


def _int(values: dict, errors: dict, name: str, hi: int) -> None:
    try:
        value = int(values.get(name) or 0)
        if isinstance(values.get(name), bool) or not 0 <= value <= hi:
            raise ValueError
    except (TypeError, ValueError):
        errors.setdefault(name, []).append(_("Enter a whole number from 0 to %(n)s.") % {"n": hi})
        return
    values[name] = value


def _fee(values: dict, errors: dict) -> None:
    try:
        fee = Decimal(str(values.get("fee") if values.get("fee") not in (None, "") else "0").strip())
        if not fee.is_finite() or not Decimal("0") <= fee <= MAX_FEE or fee != fee.quantize(Decimal("0.01")):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors.setdefault("fee", []).append(_("Enter an amount in yuan from 0, with at most two decimals."))
        return
    values["fee"] = fee.quantize(Decimal("0.01"))


def _category(value):
    if isinstance(value, ServiceCategory):
        return value
    try:
        return ServiceCategory.objects.get(pk=int(value))
    except (ServiceCategory.DoesNotExist, TypeError, ValueError, OverflowError):
        return None


def _region(value):
    if value in (None, "") or isinstance(value, Region):
        return value or None
    try:
        return Region.objects.get(pk=int(value))
    except (Region.DoesNotExist, TypeError, ValueError, OverflowError):
        return False


def clean_item(values: dict, *, actor, item: ServiceItem | None = None, taken: set[str] | None = None) -> dict:
    """The item's values checked and normalized (`item`'s own for those not given); ValidationFailed with field
    errors otherwise. `taken`: the codes in use (read from the database when not given)."""
    unknown = set(values) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    current = {f: getattr(item, f) for f in ITEM_FIELDS} if item else {
        "level": ServiceLevel.CITY, "region": None, "time_limit_days": 0, "fee": Decimal("0"), "remote": False,
        "bookable": False, "for_residents": True, "for_office_workers": False, "for_building_stations": False,
        "position": 0, "active": True, "description": "", "legal_basis": "", "keywords": "", "code": "",
        "name": "", "category": None}
    values = {**current, **values}
    errors: dict[str, list[str]] = {}
    _text(values, errors, "code", 40, required=True)
    if "code" not in errors:
        if not CODE_RE.match(values["code"]):
            errors["code"] = [_("Use letters, digits, '-' and '_' only.")]
        elif values["code"] != (item.code if item else None):
            in_use = (values["code"] in taken) if taken is not None else ServiceItem.objects.filter(
                code=values["code"]).exclude(pk=getattr(item, "pk", None)).exists()
            if in_use:
                errors["code"] = [_("This code is already in use.")]
    _text(values, errors, "name", 120, required=True)
    for name in ("description", "legal_basis"):
        _text(values, errors, name, 4000)
    _text(values, errors, "keywords", 200)
    values["category"] = _category(values["category"])
    if values["category"] is None:
        errors["category"] = [_("Choose a category.")]
    if values["level"] not in ServiceLevel.values:
        errors["level"] = [_("Choose a level.")]
    region = values["region"] = _region(values["region"])
    if region is False:
        errors["region"] = [_("Not found.")]
    elif "level" not in errors:
        kind = LEVEL_KIND[values["level"]]
        if kind is None and region is not None:
            errors["region"] = [_("A city-wide item belongs to no region: leave it empty.")]
        elif kind is not None and (region is None or region.kind != kind):
            errors["region"] = [_("An item of this level belongs to a region of the same level.")]
        elif not policies.may_place(actor, region) and (item is None or region != item.region):
            errors["region"] = [_("The region is outside your scope.")]
    _int(values, errors, "time_limit_days", MAX_TIME_LIMIT)
    _int(values, errors, "position", MAX_POSITION)
    _fee(values, errors)
    for flag in FLAGS:
        values[flag] = bool(values[flag])
    if not any(values[f] for f in AUDIENCE_FLAGS):
        errors["for_residents"] = [_("Choose at least one audience.")]
    if errors:
        raise ValidationFailed(_("Check the item's details."), field_errors=errors)
    return values


def clean_materials(raw) -> list[dict]:
    clean, errors = _materials(raw)
    if errors:
        raise ValidationFailed(_("Check the materials."), field_errors={"materials": errors})
    return clean


def _require_manager(actor) -> None:
    if not policies.manages_catalogue(actor):
        raise Forbidden(_("You do not have permission to do this."))


def _save(obj, actor, reason: str) -> None:
    obj._history_user = user_of(actor)
    obj._change_reason = reason
    obj.save()


def _material_rows(item, materials: list[dict], start: int = 0) -> list[ServiceMaterial]:
    return [ServiceMaterial(item=item, name=m["name"], required=m["required"], note=m["note"], position=i)
            for i, m in enumerate(materials, start=start)]


def _replace_materials(item, materials: list[dict], actor) -> bool:
    """Replace the checklist when it differs; whether it did."""
    now = [(m.name, m.required, m.note) for m in item.materials.order_by("position", "pk")]
    if now == [(m["name"], m["required"], m["note"]) for m in materials]:
        return False
    for old in item.materials.all():
        old._history_user = user_of(actor)
        old.delete()
    bulk_create_with_history(_material_rows(item, materials), ServiceMaterial, default_user=user_of(actor),
                             default_change_reason="materials")
    return True


@transaction.atomic
def create_item(*, actor, materials=(), **values) -> ServiceItem:
    """A new item of the catalogue with its checklist."""
    _require_manager(actor)
    checked, errors = {}, {}
    try:
        checked = clean_item(values, actor=actor)
    except ValidationFailed as e:
        errors.update(e.field_errors)
    try:
        materials = clean_materials(materials)
    except ValidationFailed as e:
        errors.update(e.field_errors)
    if errors:
        raise ValidationFailed(_("Check the item's details."), field_errors=errors)
    item = ServiceItem(**checked)
    _save(item, actor, "create")
    bulk_create_with_history(_material_rows(item, materials), ServiceMaterial, default_user=user_of(actor),
                             default_change_reason="create")
    return item


@transaction.atomic
def update_item(item: ServiceItem, *, actor, materials=None, **values) -> ServiceItem:
    """Change the item's details (those given) and, when `materials` is given, replace its checklist. Nothing is
    written when nothing changes."""
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    if not policies.manages(actor, item):
        raise Forbidden(_("You do not have permission to do this."))
    checked, errors = {}, {}
    try:
        checked = clean_item(values, actor=actor, item=item)
    except ValidationFailed as e:
        errors.update(e.field_errors)
    if materials is not None:
        try:
            materials = clean_materials(materials)
        except ValidationFailed as e:
            errors.update(e.field_errors)
    if errors:
        raise ValidationFailed(_("Check the item's details."), field_errors=errors)
    changed = {k: v for k, v in checked.items() if getattr(item, k) != v}
    if changed:
        for k, v in changed.items():
            setattr(item, k, v)
        _save(item, actor, "update")
    if materials is not None:
        _replace_materials(item, materials, actor)
    return item


def deactivate_item(item: ServiceItem, *, actor) -> ServiceItem:
    """Take the item out of the public catalogue (cases and appointments already made keep it)."""
    return update_item(item, actor=actor, active=False)


def activate_item(item: ServiceItem, *, actor) -> ServiceItem:
    return update_item(item, actor=actor, active=True)


def _clean_category(values: dict, category: ServiceCategory | None) -> dict:
    values = dict(values)
    errors: dict[str, list[str]] = {}
    _text(values, errors, "code", 40, required=True)
    if "code" not in errors:
        if not CODE_RE.match(values["code"]):
            errors["code"] = [_("Use letters, digits, '-' and '_' only.")]
        elif ServiceCategory.objects.filter(code=values["code"]).exclude(pk=getattr(category, "pk", None)).exists():
            errors["code"] = [_("This code is already in use.")]
    _text(values, errors, "name", 60, required=True)
    if "name" not in errors and ServiceCategory.objects.filter(name=values["name"]).exclude(
            pk=getattr(category, "pk", None)).exists():
        errors["name"] = [_("A category of this name exists already.")]
    _int(values, errors, "position", 32767)
    if errors:
        raise ValidationFailed(_("Check the category."), field_errors=errors)
    return values


@transaction.atomic
def create_category(*, actor, code: str, name: str, position: int = 0) -> ServiceCategory:
    _require_manager(actor)
    values = _clean_category({"code": code, "name": name, "position": position}, None)
    category = ServiceCategory(**values)
    _save(category, actor, "create")
    return category


@transaction.atomic
def update_category(category: ServiceCategory, *, actor, code: str, name: str, position: int = 0) -> ServiceCategory:
    _require_manager(actor)
    category = ServiceCategory.objects.select_for_update().get(pk=category.pk)
    values = _clean_category({"code": code, "name": name, "position": position}, category)
    if any(getattr(category, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(category, k, v)
        _save(category, actor, "update")
    return category


@transaction.atomic
def import_items(rows, *, actor) -> dict[str, int]:
    """Create and update items in one go, all or nothing (the Excel list's rows, the demo's catalogue): each row
    is the values `create_item` takes, with ``item`` (the existing item it updates, or None) and ``materials``
    (None: an existing item's checklist unchanged). Every row is validated first; a ValidationFailed names the
    row (``row <n>: field``, n counting from 1) and nothing is written. New items are written in bulk."""
    _require_manager(actor)
    rows = [dict(r) for r in rows]
    taken = set(ServiceItem.objects.values_list("code", flat=True))
    errors: dict[str, list[str]] = {}
    plans = []
    for n, row in enumerate(rows, start=1):
        item, materials = row.pop("item", None), row.pop("materials", None)
        if item is not None:
            taken.discard(item.code)
        row_errors = {}
        try:
            if item is not None and not policies.manages(actor, item):
                raise ValidationFailed(_("You do not have permission to do this."),
                                       field_errors={"code": [_("The item is outside your scope.")]})
            values = clean_item(row, actor=actor, item=item, taken=taken)
        except ValidationFailed as e:
            row_errors.update(e.field_errors)
            values = None
        if materials is not None:
            clean, problems = _materials(materials)
            if problems:
                row_errors["materials"] = problems
            materials = clean
        if item is not None and values is not None:
            taken.add(item.code)
        if values is not None:
            taken.add(values["code"])
        for field, messages in row_errors.items():
            errors[f"row {n}: {field}"] = messages
        plans.append((item, values, materials))
    if errors:
        raise ValidationFailed(_("Nothing was imported: check the rows."), field_errors=errors)
    created = updated = 0
    new = [(ServiceItem(**values), materials or []) for item, values, materials in plans if item is None]
    if new:
        made = bulk_create_with_history([obj for obj, _m in new], ServiceItem, batch_size=500,
                                        default_user=user_of(actor), default_change_reason="import")
        by_code = {obj.code: obj for obj in made} if all(o.pk for o in made) else {
            o.code: o for o in ServiceItem.objects.filter(code__in=[o.code for o, _m in new])}
        lines = [line for obj, materials in new for line in _material_rows(by_code[obj.code], materials)]
        bulk_create_with_history(lines, ServiceMaterial, batch_size=1000, default_user=user_of(actor),
                                 default_change_reason="import")
        created = len(new)
    for item, values, materials in plans:
        if item is None:
            continue
        item = ServiceItem.objects.select_for_update().get(pk=item.pk)
        changed = {k: v for k, v in values.items() if getattr(item, k) != v}
        if changed:
            for k, v in changed.items():
                setattr(item, k, v)
            _save(item, actor, "import")
        if (materials is not None and _replace_materials(item, materials, actor)) or changed:
            updated += 1
    return {"created": created, "updated": updated, "unchanged": len(plans) - created - updated}
