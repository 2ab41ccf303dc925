"""Organization life: the records part's services (each call one transaction; the policy is asked first).

* `flag_four_first`: a "四先" contribution of a member (kind, date, what they did), linked to a piece of the
  member's own work found by `selectors.member_work` (a demand they claimed, a micro-item they promised, a wish
  they claimed, a topic they proposed); a link to someone else's work is a field error on "work".
* `record_appraisals` / `record_appraisal` / `import_appraisals`: the democratic appraisal result of a member for a
  year: one per member and year (the DB constraint); a second entry of the same member and year, concurrent or
  not, updates the one row under a row lock.
* `save_mobile`, `add_contact`: a mobile member's record (home organization on or off the platform, whereabouts:
  personal data, left on) and their contact log (a contact is never dated in the future).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.errors import Forbidden, NotFound, NothingChanged, ValidationFailed
from gongzhi.core.workflow import SYSTEM, check_actor, pk_of, user_of
from gongzhi.orglife.models import (
    Appraisal,
    AppraisalResult,
    ContactChannel,
    FourFirst,
    FourFirstKind,
    MeetingKind,
    MobileContact,
    MobileMember,
)
from gongzhi.orglife.models import Meeting as OrgMeeting
from gongzhi.orglife.policies import records as policies
from gongzhi.registry.models import PartyMember, PartyOrg

DESCRIPTION_MAX, NOTE_MAX, WHEREABOUTS_MAX, CONTACT_NOTE_MAX, HOME_NAME_MAX = 300, 200, 200, 300, 120


def _refuse() -> Forbidden:
    return Forbidden(_("You do not have permission to do this."))


def _member(actor, member) -> PartyMember:
    """The member (locked) as the actor may record for them: NotFound outside their view, Forbidden without the
    right to record."""
    found = PartyMember.objects.select_for_update().select_related("organization__region").filter(
        pk=pk_of(member)).first()
    if found is None:
        raise NotFound(_("Not found."))
    if actor is not SYSTEM:
        from gongzhi.orglife.selectors.records import members_for

        if not members_for(actor).filter(pk=found.pk).exists():
            raise NotFound(_("Not found."))
    if not policies.may_record(actor, found):
        raise _refuse()
    return found


def _past_date(value, field: str) -> date:
    if value is None:
        raise ValidationFailed.on(field, _("Give the date."))
    if value > timezone.localdate():
        raise ValidationFailed.on(field, _("The date cannot be in the future."))
    return value


def _text(value, limit: int) -> str:
    return (value or "").strip()[:limit]


# --- 四先 -----------------------------------------------------------------------------------------------------------

@transaction.atomic
def flag_four_first(member, *, actor, kind: str, occurred_on: date, description: str,
                    work_type_id: int | None = None, work_id: int | None = None) -> FourFirst:
    """Flag a contribution of `member` as one of the "四先", linked (optionally) to their own work."""
    check_actor(actor)
    from gongzhi.orglife.selectors.records import find_work

    m = _member(actor, member)
    errors: dict[str, list[str]] = {}
    if kind not in FourFirstKind.values:
        errors["kind"] = [_("Choose one of the four.")]
    try:
        _past_date(occurred_on, "occurred_on")
    except ValidationFailed as e:
        errors["occurred_on"] = [e.message]
    text = _text(description, DESCRIPTION_MAX)
    if not text:
        errors["description"] = [_("Say what they did.")]
    if (work_type_id or work_id) and find_work(m, work_type_id, work_id) is None:
        errors["work"] = [_("Link to work of this member: a demand they claimed, a micro-item, a wish or a "
                            "topic of theirs.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], field_errors=errors)
    return FourFirst.objects.create(
        member=m, kind=kind, occurred_on=occurred_on, description=text, work_type_id=work_type_id or None,
        work_id=work_id or None, recorded_by=user_of(actor))


# --- appraisals -----------------------------------------------------------------------------------------------

def _check_result(result: str, field: str = "result") -> None:
    if result not in AppraisalResult.values:
        raise ValidationFailed.on(field, _("Choose a result."))


def _check_year(year) -> int:
    this = timezone.localdate().year
    if not isinstance(year, int) or year < 1949 or year > this:
        raise ValidationFailed.on("year", _("Give a year up to this one."))
    return year


def _check_meeting(meeting, org_id: int, year: int):
    if meeting is None:
        return None
    found = OrgMeeting.objects.filter(pk=pk_of(meeting), org_id=org_id, kind=MeetingKind.APPRAISAL,
                                      held_on__year=year).first()
    if found is None:
        raise ValidationFailed.on("meeting", _("Choose a democratic appraisal meeting of this organization "
                                               "in that year."))
    return found


def _upsert(m: PartyMember, year: int, *, actor, result: str, note: str, meeting) -> tuple[Appraisal, bool]:
    """Write the one row of (member, year) under a row lock; a concurrent first entry loses the insert to the
    constraint and updates the winner's row instead. Returns (row, changed)."""
    values = {"result": result, "note": note, "meeting": meeting, "recorded_by": user_of(actor)}
    row = Appraisal.objects.select_for_update().filter(member=m, year=year).first()
    if row is None:
        try:
            with transaction.atomic():
                return Appraisal.objects.create(member=m, year=year, **values), True
        except IntegrityError:
            row = Appraisal.objects.select_for_update().get(member=m, year=year)
    if (row.result, row.note, row.meeting_id) == (result, note, pk_of(meeting) if meeting else None):
        return row, False
    for k, v in values.items():
        setattr(row, k, v)
    row.save()
    return row, True


@transaction.atomic
def record_appraisal(member, *, actor, year: int, result: str, note: str = "", meeting=None) -> Appraisal:
    """The result of `member` for `year` (recorded, or corrected: one row per member and year)."""
    check_actor(actor)
    m = _member(actor, member)
    year = _check_year(year)
    _check_result(result)
    row, changed = _upsert(m, year, actor=actor, result=result, note=_text(note, NOTE_MAX),
                           meeting=_check_meeting(meeting, m.organization_id, year))
    if not changed:
        raise NothingChanged(_("Nothing changed."))
    return row


@transaction.atomic
def record_appraisals(org, *, actor, year: int, results: Mapping[int, tuple[str, str]], meeting=None) -> int:
    """The results of the organization's members for `year` from its sheet: {member pk: (result, note)}; a
    blank result leaves the member unrecorded. Answers how many rows changed."""
    check_actor(actor)
    o = PartyOrg.objects.select_related("region").filter(pk=pk_of(org)).first()
    if o is None:
        raise NotFound(_("Not found."))
    if not policies.may_record_org(actor, o):
        raise _refuse()
    year = _check_year(year)
    meeting = _check_meeting(meeting, o.pk, year)
    members = {m.pk: m for m in PartyMember.objects.select_for_update().filter(organization=o, pk__in=list(results))}
    errors: dict[str, list[str]] = {}
    for pk, (result, _note) in results.items():
        if pk not in members:
            errors[f"result_{pk}"] = [_("Not a member of this organization.")]
        elif result and result not in AppraisalResult.values:
            errors[f"result_{pk}"] = [_("Choose a result.")]
    if errors:
        raise ValidationFailed(_("Check the results."), field_errors=errors)
    changed = 0
    for pk, (result, note) in results.items():
        if result:
            changed += _upsert(members[pk], year, actor=actor, result=result, note=_text(note, NOTE_MAX),
                               meeting=meeting)[1]
    return changed


@transaction.atomic
def import_appraisals(rows: Iterable[dict], *, actor) -> int:
    """Rows checked by the Excel importer: {member, year, result, note}; all or nothing."""
    check_actor(actor)
    changed = 0
    for row in rows:
        m = _member(actor, row["member"])
        year = _check_year(row["year"])
        _check_result(row["result"])
        changed += _upsert(m, year, actor=actor, result=row["result"], note=_text(row.get("note"), NOTE_MAX),
                           meeting=None)[1]
    return changed


# --- mobile members -----------------------------------------------------------------------------------------------

@transaction.atomic
def save_mobile(member, *, actor, home_org=None, home_org_name: str = "", whereabouts: str = "",
                left_on: date | None = None, active: bool = True) -> MobileMember:
    """Record (or update) where a mobile member is: their home organization (a PartyOrg, or the name of one off
    the platform), whereabouts, the day they left."""
    check_actor(actor)
    m = _member(actor, member)
    if not m.is_mobile:
        raise ValidationFailed.on("member", _("This member is not marked as a mobile member in the registry."))
    name = _text(home_org_name, HOME_NAME_MAX)
    if home_org is not None and name:
        raise ValidationFailed.on("home_org_name", _("Give the home organization on the platform or a name "
                                                     "outside it, not both."))
    if left_on is not None:
        _past_date(left_on, "left_on")
    values = {"home_org": home_org, "home_org_name": name, "whereabouts": _text(whereabouts, WHEREABOUTS_MAX),
              "left_on": left_on, "active": bool(active)}
    row = MobileMember.objects.select_for_update().filter(member=m).first()
    if row is None:
        try:
            with transaction.atomic():
                return MobileMember.objects.create(member=m, **values)
        except IntegrityError:
            row = MobileMember.objects.select_for_update().get(member=m)
    if all(getattr(row, k) == v for k, v in values.items()):
        raise NothingChanged(_("Nothing changed."))
    for k, v in values.items():
        setattr(row, k, v)
    row.save()
    return row


@transaction.atomic
def add_contact(member, *, actor, contacted_on: date, channel: str = ContactChannel.PHONE,
                note: str = "") -> MobileContact:
    """One contact with a mobile member (their MobileMember row is made if there is none yet)."""
    check_actor(actor)
    m = _member(actor, member)
    if not m.is_mobile:
        raise ValidationFailed.on("member", _("This member is not marked as a mobile member in the registry."))
    errors: dict[str, list[str]] = {}
    try:
        _past_date(contacted_on, "contacted_on")
    except ValidationFailed as e:
        errors["contacted_on"] = [e.message]
    if channel not in ContactChannel.values:
        errors["channel"] = [_("Choose a channel.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], field_errors=errors)
    mobile = MobileMember.objects.filter(member=m).first()
    if mobile is None:
        try:
            with transaction.atomic():
                mobile = MobileMember.objects.create(member=m)
        except IntegrityError:
            mobile = MobileMember.objects.get(member=m)
    return MobileContact.objects.create(mobile=mobile, contacted_on=contacted_on, channel=channel,
                                        note=_text(note, CONTACT_NOTE_MAX), recorded_by=user_of(actor))


# --- volume (the demo) ----------------------------------------------------------------------------------------------

@transaction.atomic
def bulk_add_records(*, appraisals: Iterable[Appraisal] = (), mobiles: Iterable[MobileMember] = (),
                     contacts: Iterable[MobileContact] = ()) -> None:
    """Write many checked rows at once (the demo's volume): appraisals and mobile rows already recorded are left
    as they are (one per member and year; one per member)."""
    Appraisal.objects.bulk_create(list(appraisals), ignore_conflicts=True)
    MobileMember.objects.bulk_create(list(mobiles), ignore_conflicts=True)
    MobileContact.objects.bulk_create(list(contacts))
