"""Writes to the registry. Each verb runs in one transaction and is audited by simple-history
(`_history_user` is set explicitly so calls outside a request are attributed too).

Every caller (pages, the JSON API, scripts) passes plain field data to `save` / `create` / `update`; the forms of
`gongzhi.registry.forms` validate it inside the service.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import ProtectedError
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from gongzhi.accounts.scope import access
from gongzhi.core import crypto
from gongzhi.core.errors import Conflict, Forbidden, NothingChanged, ValidationFailed
from gongzhi.core.workflow import SYSTEM, user_of
from gongzhi.registry import policies
from gongzhi.registry.forms import FORMS
from gongzhi.registry.models import Household

EDIT = policies.EDIT
IMPORT_REASON = "Excel import"
OUTSIDE = gettext_lazy("You may only create or change records inside your own area.")


def _refuse(actor, subject, action: str) -> None:
    if not policies.can(actor, subject, action):
        raise Forbidden(_("You do not have permission to do this."))


def _form_errors(form) -> dict[str, list[str]]:
    return {field: [str(m) for m in messages] for field, messages in form.errors.items()}


def save(key: str, *, actor, data, pk=None):
    """Create (no `pk`) or change a registry object of kind `key` (e.g. "memberunit") from plain field data,
    validated by the kind's form; refused (and rolled back) when the result lies outside the actor's edit scope."""
    form_class = FORMS[key]
    _refuse(actor, form_class._meta.model, "create" if pk is None else "edit")
    instance = access(actor, form_class._meta.model, EDIT, pk=pk) if pk is not None else None
    form = form_class(data=data, instance=instance, user=actor)
    if not form.is_valid():
        raise ValidationFailed(_("Please correct the errors below."), field_errors=_form_errors(form))
    if instance is not None and not form.has_changed():
        raise NothingChanged()  # an edit that changes nothing writes nothing (no audit row)
    with transaction.atomic():
        obj = form.save(commit=False)
        obj._history_user = actor
        obj.save()
        form.save_m2m()
        if not policies.can(actor, obj, "edit"):  # raising rolls the write back
            raise ValidationFailed(str(OUTSIDE), field_errors={"__all__": [str(OUTSIDE)]})
    return obj


def create(key: str, *, actor, data):
    """Create a registry object of kind `key` from plain field data."""
    return save(key, actor=actor, data=data)


def update(key: str, pk, *, actor, data: dict):
    """Change the given fields of an object inside the actor's edit scope (other fields stay as they are)."""
    _refuse(actor, FORMS[key]._meta.model, "edit")
    obj = access(actor, FORMS[key]._meta.model, EDIT, pk=pk)
    current = model_to_dict(obj, fields=FORMS[key]._meta.fields)
    current = {k: ([x.pk for x in v] if isinstance(v, list) else v) for k, v in current.items()}
    current = {k: v for k, v in current.items() if v is not None}
    return save(key, actor=actor, data={**current, **data}, pk=obj.pk)


def delete(key: str, pk, *, actor) -> None:
    """Delete an object inside the actor's edit scope; refused while other records still depend on it."""
    _refuse(actor, FORMS[key]._meta.model, "delete")
    obj = access(actor, FORMS[key]._meta.model, EDIT, pk=pk)
    obj._history_user = actor
    try:
        with transaction.atomic():
            obj.delete()
    except ProtectedError as e:
        blockers = sorted({f"{o._meta.verbose_name} “{o}”" for o in list(e.protected_objects)[:5]})
        raise Conflict(
            _("“%(obj)s” cannot be deleted while these records depend on it: %(list)s")
            % {"obj": obj, "list": ", ".join(blockers)}
        )


@transaction.atomic
def import_rows(rows, *, actor, reason: str = IMPORT_REASON) -> None:
    """Write the rows of a checked Excel import (``(obj, {m2m field: targets})``, see gongzhi.core.excel), all in
    one transaction; the engine has already checked every row against the actor's import scope."""
    for obj, m2m in rows:
        _refuse(actor, type(obj), "import")
        obj._history_user = actor
        obj._change_reason = reason
        obj.save()
        for name, targets in m2m.items():
            getattr(obj, name).set(targets)


def _import_links(objs, links: dict | None) -> None:
    for name, targets in (links or {}).items():
        for obj, these in zip(objs, targets, strict=True):
            if these:
                getattr(obj, name).set(these)


def _refuse_outside_scope(actor, model, objs) -> None:
    """Raise (rolling the import back) unless every record lies in the actor's edit scope."""
    if actor is SYSTEM:  # edits everything (see policies): no need to ask the database
        return
    pks = {o.pk for o in objs}
    if policies.editable(actor, model).filter(pk__in=pks).count() != len(pks):
        raise ValidationFailed(str(OUTSIDE))


@transaction.atomic
def import_records(objs: list, *, actor, reason: str = IMPORT_REASON, links: dict | None = None) -> list:
    """Add many new records of one model at once (the demo street, a migration from an earlier system): bulk
    inserts with one history row each, attributed to the actor (a model with its own `save`, such as a region's
    path, is saved one by one), then the many-to-many `links` ({field: [targets of each record]}). Refused unless
    every record lies in the actor's edit scope."""
    if not objs:
        return []
    model = type(objs[0])
    _refuse(actor, model, "import")
    if "save" in vars(model):  # its own save() keeps something up to date (a region's path): no bulk insert
        for obj in objs:
            obj._history_user, obj._change_reason = user_of(actor), reason
            obj.save()
    else:
        objs = bulk_create_with_history(objs, model, default_user=user_of(actor), default_change_reason=reason)
    _import_links(objs, links)
    _refuse_outside_scope(actor, model, objs)
    return objs


@transaction.atomic
def import_changes(objs: list, fields: list[str], *, actor, reason: str = IMPORT_REASON,
                   links: dict | None = None) -> None:
    """Write the given `fields` (and many-to-many `links`, as in `import_records`) of many existing records of one
    model at once, with one history row each; refused unless every record lies in the actor's edit scope."""
    if not objs:
        return
    model = type(objs[0])
    _refuse(actor, model, "import")
    _refuse_outside_scope(actor, model, objs)
    if fields:
        bulk_update_with_history(objs, model, fields, default_user=user_of(actor), default_change_reason=reason)
    _import_links(objs, links)


def _verbs(key: str, name: str):
    """Named verbs for one kind, e.g. create_member_unit(data, actor=…) / update_member_unit(pk, data, actor=…)."""

    def create_(data, *, actor):
        return create(key, actor=actor, data=data)

    def update_(pk, data, *, actor):
        return update(key, pk, actor=actor, data=data)

    def delete_(pk, *, actor):
        return delete(key, pk, actor=actor)

    for verb, f in (("create", create_), ("update", update_), ("delete", delete_)):
        f.__name__ = f.__qualname__ = f"{verb}_{name}"
    return create_, update_, delete_


create_region, update_region, delete_region = _verbs("region", "region")
create_building, update_building, delete_building = _verbs("building", "building")
create_member_unit, update_member_unit, delete_member_unit = _verbs("memberunit", "member_unit")
create_party_org, update_party_org, delete_party_org = _verbs("partyorg", "party_org")
create_party_member, update_party_member, delete_party_member = _verbs("partymember", "party_member")
create_liaison, update_liaison, delete_liaison = _verbs("liaison", "liaison")
create_professional_team, update_professional_team, delete_professional_team = _verbs(
    "professionalteam", "professional_team"
)
create_volunteer_team, update_volunteer_team, delete_volunteer_team = _verbs("volunteerteam", "volunteer_team")
create_service_place, update_service_place, delete_service_place = _verbs("serviceplace", "service_place")
create_estate, update_estate, delete_estate = _verbs("estate", "estate")
create_household, update_household, delete_household = _verbs("household", "household")


# --- households: imports and the phone a household proves on H5 ---------------------------------------------

VERIFIED_REASON = "phone verified by SMS"
PHONE_NOT_ON_FILE = gettext_lazy(
    "We cannot confirm this number here. If your household should have it on file, ask your residents' committee.")


@transaction.atomic
def import_households(rows, *, actor, reason: str = IMPORT_REASON) -> None:
    """Write checked household rows like `import_rows`; a household whose contact phone the file changes is no
    longer verified (the new number has not been proven by SMS)."""
    rows = list(rows)
    stored = dict(Household.objects.filter(pk__in=[o.pk for o, _m in rows if o.pk])
                  .values_list("pk", "phone_hash"))
    for obj, _m2m in rows:
        if obj.pk and obj.phone_verified_at and stored.get(obj.pk) not in crypto.lookup_hashes(obj.phone or "-"):
            obj.phone_verified_at = None
    import_rows(rows, actor=actor, reason=reason)


def households_with_phone(phone: str):
    """The households whose contact phone is `phone` (found through its lookup hash)."""
    hashes = crypto.lookup_hashes(phone)
    return Household.objects.filter(phone_hash__in=hashes) if hashes else Household.objects.none()


def send_household_phone_code(phone: str, *, now=None) -> str:
    """Send an SMS code to a contact phone on file for some household (`demands.services.send_phone_code`, with its
    rate limits) and return the token to keep until the code comes back. A number on no household's file is
    refused with a message that names no household and sends nothing."""
    from gongzhi.demands.services import send_phone_code

    phone = (phone or "").replace(" ", "").strip()
    if phone and not households_with_phone(phone).exists():
        raise ValidationFailed(str(PHONE_NOT_ON_FILE), field_errors={"phone": [str(PHONE_NOT_ON_FILE)]})
    return send_phone_code(phone, now=now)


@transaction.atomic
def verify_household_phone(token: str, code: str, *, now=None) -> int:
    """Check the SMS code (`demands.services.check_phone_code`) and mark the contact phone of every household that
    has it on file as proven now (the household itself acts: no user is recorded); returns how many households
    that was. The code's own errors (wrong, expired, too many tries) come back as ValidationFailed."""
    from gongzhi.demands.services import check_phone_code

    phone = check_phone_code(token, code, now=now)
    now = now or timezone.now()
    households = list(households_with_phone(phone).select_for_update())
    if not households:  # the number left the file between the SMS and the code
        raise ValidationFailed(str(PHONE_NOT_ON_FILE), field_errors={"code": [str(PHONE_NOT_ON_FILE)]})
    for h in households:
        h.phone_verified_at = now
    bulk_update_with_history(households, Household, ["phone_verified_at"], default_user=None,
                             default_change_reason=VERIFIED_REASON)
    return len(households)
