"""Organization life: the coverage part's services (coverage data: a 联合党委 taking a two-new unit in, a 党建指导员
assigned to one, and their ends; the Excel import of instructor assignments). One transaction per call; the
unit's row is locked so that two overlapping terms cannot be recorded side by side. Who may do what is
`gongzhi.orglife.policies.coverage`; the coverage rule itself is `gongzhi.orglife.selectors.coverage`."""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.errors import Forbidden, NotFound, ValidationFailed
from gongzhi.core.workflow import SYSTEM, check_actor, pk_of, user_of
from gongzhi.orglife.models import InstructorAssignment, JointCoverage
from gongzhi.orglife.policies import coverage as policies
from gongzhi.registry.models import MemberUnit, PartyMember, PartyOrg, PartyOrgKind

PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8}|\d{7,8})$")
NAME_MAX = InstructorAssignment._meta.get_field("instructor").max_length


def clean_phone(phone: str | None, field: str = "phone") -> str:
    """A mobile or landline number without blanks; a field error when it is not one."""
    value = re.sub(r"\s", "", phone or "")
    if value and not PHONE.match(value):
        raise ValidationFailed.on(field, _("Enter a valid mobile or landline number."))
    return value


def _errors(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), field_errors=errors)


def _add(errors: dict, field: str, message: str) -> None:
    errors.setdefault(field, []).append(str(message))


def _dates(errors: dict, start, end, start_field: str, end_field: str) -> None:
    today = timezone.localdate()
    if start is None:
        _add(errors, start_field, _("Give the date."))
    elif start > today:
        _add(errors, start_field, _("The date cannot be in the future."))
    if end is not None:
        if end > today:
            _add(errors, end_field, _("The date cannot be in the future."))
        elif start is not None and end < start:
            _add(errors, end_field, _("The end cannot be before the start."))


def _locked_unit(actor, unit) -> MemberUnit:
    """The unit, locked, when the actor manages it; a field error otherwise (a unit outside the actor's scope is
    reported like a missing one)."""
    found = _unit(actor, unit)
    return MemberUnit.objects.select_for_update().select_related("region").get(pk=found.pk)


def _overlap(start: dt.date, end: dt.date | None, start_field: str, end_field: str) -> Q:
    """Rows whose term [start_field, end_field] overlaps [start, end] (an open end runs on)."""
    q = Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": start})
    if end is not None:
        q &= Q(**{f"{start_field}__lte": end})
    return q


def _save(obj, actor, reason: str):
    obj._history_user = user_of(actor)
    obj._change_reason = reason
    obj.save()
    return obj


# --- joint coverage -------------------------------------------------------------------------------------------------

@transaction.atomic
def cover_by_joint_committee(unit, *, actor, joint_org, since: dt.date, until: dt.date | None = None) -> JointCoverage:
    """Record that the 联合党委 `joint_org` takes the two-new `unit` in from `since` (until `until`). Refused with
    field errors: a unit the actor does not manage or that is not two-new, an organization that is not a 联合党委
    of the actor's scope, a unit with its own party organization by `since`, a term overlapping another joint
    coverage of the unit, dates in the future or in the wrong order."""
    check_actor(actor)
    policies.require_manage(actor)
    errors: dict[str, list[str]] = {}
    _dates(errors, since, until, "since", "until")
    org = PartyOrg.objects.select_related("region").filter(pk=pk_of(joint_org)).first() \
        if joint_org not in (None, "") and str(pk_of(joint_org)).isdigit() else None
    if org is None or not policies.manages_org(actor, org):
        _add(errors, "joint_org", _("Choose a joint party committee you manage."))
    elif org.kind != PartyOrgKind.JOINT_COMMITTEE:
        _add(errors, "joint_org", _("Only a joint party committee (联合党委) takes units in."))
    _errors(errors)
    u = _locked_unit(actor, unit)
    own = PartyOrg.objects.filter(Q(founded_on__isnull=True) | Q(founded_on__lte=since), member_unit=u)
    if own.exists():
        _add(errors, "unit", _("This unit has its own party organization: it needs no joint committee."))
    if org is not None and org.member_unit_id == u.pk:
        _add(errors, "joint_org", _("A unit cannot be taken in by its own organization."))
    if JointCoverage.objects.filter(_overlap(since, until, "since", "until"), unit=u).exists():
        _add(errors, "since", _("A joint committee already covers this unit in that time."))
    _errors(errors)
    return _save(JointCoverage(unit=u, joint_org=org, since=since, until=until), actor, "covered")


def _editable(actor, model, row):
    """The row, locked, when the actor manages its unit: NotFound outside what they see, Forbidden otherwise."""
    from gongzhi.orglife.selectors.coverage import instructors_for, joint_coverage_for

    policies.require_manage(actor)
    base = model.objects.select_related("unit__region") if actor is SYSTEM else (
        instructors_for(actor) if model is InstructorAssignment else joint_coverage_for(actor))
    pk = pk_of(row)
    found = base.select_for_update(of=("self",)).filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise NotFound(_("Not found."))
    if not policies.manages_unit(actor, found.unit):
        raise Forbidden(_("You do not have permission to do this."))
    return found


@transaction.atomic
def end_joint_coverage(coverage, *, actor, until: dt.date | None = None) -> JointCoverage:
    """End a running joint coverage on `until` (today by default; not before its start, not in the future)."""
    check_actor(actor)
    row = _editable(actor, JointCoverage, coverage)
    if row.until is not None:
        raise ValidationFailed.on("until", _("This coverage has already ended."))
    until = until or timezone.localdate()
    errors: dict[str, list[str]] = {}
    _dates(errors, row.since, until, "since", "until")
    _errors(errors)
    row.until = until
    return _save(row, actor, "ended")


# --- instructors ----------------------------------------------------------------------------------------------------

def check_instructor(unit, *, actor, instructor: str = "", member=None, phone: str = "",
                     assigned_on: dt.date | None = None, ended_on: dt.date | None = None,
                     lock: bool = False) -> tuple[dict[str, list[str]], dict]:
    """The field errors of an instructor's assignment and its cleaned values (unit, instructor, instructor_member,
    phone, assigned_on, ended_on): the one check of the form, the API and the Excel import."""
    errors: dict[str, list[str]] = {}
    _dates(errors, assigned_on, ended_on, "assigned_on", "ended_on")
    person = None
    if member not in (None, ""):
        from gongzhi.orglife.selectors.coverage import members_for

        person = PartyMember.objects.filter(pk=pk_of(member)).first() if str(pk_of(member)).isdigit() else None
        if person is None or (actor is not SYSTEM and not members_for(actor).filter(pk=person.pk).exists()):
            _add(errors, "member", _("Choose a party member of your scope."))
            person = None
    name = (instructor or "").strip()[:NAME_MAX] or (person.name if person else "")
    if not name:
        _add(errors, "instructor", _("Give the instructor's name or choose a party member."))
    number = ""
    try:
        number = clean_phone(phone)
    except ValidationFailed as e:
        errors.update(e.field_errors)
    u = None
    try:
        u = _locked_unit(actor, unit) if lock else _unit(actor, unit)
    except ValidationFailed as e:
        errors.update(e.field_errors)
    if u is not None and assigned_on is not None and not errors.get("ended_on") and InstructorAssignment.objects.filter(
            _overlap(assigned_on, ended_on, "assigned_on", "ended_on"), unit=u).exists():
        _add(errors, "assigned_on", _("An instructor is already assigned to this unit in that time: end that term "
                                      "first."))
    return errors, {"unit": u, "instructor": name, "instructor_member": person, "phone": number,
                    "assigned_on": assigned_on, "ended_on": ended_on}


def _unit(actor, unit) -> MemberUnit:
    found = MemberUnit.objects.select_related("region").filter(pk=pk_of(unit)).first() \
        if unit not in (None, "") and str(pk_of(unit)).isdigit() else None
    if found is None or not policies.manages_unit(actor, found):
        raise ValidationFailed.on("unit", _("Choose a two-new unit you manage."))
    if not found.is_two_new:
        raise ValidationFailed.on("unit", _("Only two-new firms and social organizations are covered."))
    return found


@transaction.atomic
def assign_instructor(unit, *, actor, instructor: str = "", member=None, phone: str = "",
                      assigned_on: dt.date | None = None, ended_on: dt.date | None = None) -> InstructorAssignment:
    """Assign a 党建指导员 to the two-new `unit`: by name (`instructor`) or as a party member of the actor's scope
    (`member`; their name when no name is given), with a phone; from `assigned_on` (not in the future) until
    `ended_on` (not before it). One instructor's term at a time per unit (the unit's row is locked)."""
    check_actor(actor)
    policies.require_manage(actor)
    errors, values = check_instructor(unit, actor=actor, instructor=instructor, member=member, phone=phone,
                                      assigned_on=assigned_on, ended_on=ended_on, lock=True)
    _errors(errors)
    return _save(InstructorAssignment(**values), actor, "assigned")


@transaction.atomic
def end_instructor(assignment, *, actor, ended_on: dt.date | None = None) -> InstructorAssignment:
    """End an instructor's running term on `ended_on` (today by default; not before its start nor in the future)."""
    check_actor(actor)
    row = _editable(actor, InstructorAssignment, assignment)
    if row.ended_on is not None:
        raise ValidationFailed.on("ended_on", _("This term has already ended."))
    ended_on = ended_on or timezone.localdate()
    errors: dict[str, list[str]] = {}
    _dates(errors, row.assigned_on, ended_on, "assigned_on", "ended_on")
    _errors(errors)
    row.ended_on = ended_on
    return _save(row, actor, "ended")


@transaction.atomic
def correct_instructor(assignment, *, actor, instructor: str | None = None,
                       phone: str | None = None) -> InstructorAssignment:
    """Put an assignment's instructor name or phone right (None: unchanged)."""
    check_actor(actor)
    row = _editable(actor, InstructorAssignment, assignment)
    name = row.instructor if instructor is None else (instructor or "").strip()[:NAME_MAX]
    if not name:
        raise ValidationFailed.on("instructor", _("Give the instructor's name or choose a party member."))
    number = row.phone if phone is None else clean_phone(phone)
    if (name, number) == (row.instructor, row.phone):
        return row
    row.instructor, row.phone = name, number
    return _save(row, actor, "corrected")


@transaction.atomic
def import_instructors(rows, *, actor) -> None:
    """The rows of a checked instructors file (gongzhi.orglife.excel_coverage), in one transaction: a new row
    assigns an instructor, an existing one corrects its name or phone and, with an end date, ends the term, each through the checks above (any
    refusal undoes the whole file)."""
    for obj, _m2m in rows:
        if obj.pk is None:
            assign_instructor(obj.unit_id, actor=actor, instructor=obj.instructor, member=obj.instructor_member_id,
                              phone=obj.phone, assigned_on=obj.assigned_on, ended_on=obj.ended_on)
        else:
            correct_instructor(obj.pk, actor=actor, instructor=obj.instructor, phone=obj.phone)
            if getattr(obj, "import_end", None) is not None:
                end_instructor(obj.pk, actor=actor, ended_on=obj.import_end)


@transaction.atomic
def bulk_record(joints: list[JointCoverage], assignments: list[InstructorAssignment], *, actor) -> None:
    """Write many coverage rows at once (the demo street, a migration from an earlier register), each with one
    history row; the rows are checked as the forms check them (dates in order and not in the future, 联合党委 only,
    two-new units only)."""
    from simple_history.utils import bulk_create_with_history

    check_actor(actor)
    policies.require_manage(actor)
    today = timezone.localdate()
    for j in joints:
        if j.joint_org.kind != PartyOrgKind.JOINT_COMMITTEE or not j.unit.is_two_new:
            raise ValidationFailed.on("joint_org", _("Only a joint party committee (联合党委) takes units in."))
        if j.since > today or (j.until is not None and not j.since <= j.until <= today):
            raise ValidationFailed.on("until", _("The end cannot be before the start."))
    for a in assignments:
        a.phone = clean_phone(a.phone)
        if not a.unit.is_two_new:
            raise ValidationFailed.on("unit", _("Only two-new firms and social organizations are covered."))
        if a.assigned_on > today or (a.ended_on is not None and not a.assigned_on <= a.ended_on <= today):
            raise ValidationFailed.on("ended_on", _("The end cannot be before the start."))
    bulk_create_with_history(joints, JointCoverage, default_user=user_of(actor), default_change_reason="imported")
    bulk_create_with_history(assignments, InstructorAssignment, default_user=user_of(actor),
                             default_change_reason="imported")
