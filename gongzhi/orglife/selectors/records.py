"""Organization life: the records part's selectors (reads, scoped by the user).

A member's yearly record (`yearly_record`) is gathered from the other apps' own reads (demands, deliberation,
volunteering: each app's `…_of_member` / `…_by_member` selectors) and this app's attendance, studies, "四先" and
appraisals. `member_work` lists the member's own work a "四先" may link to: the one rule of what counts as theirs.
Mobile members carry their last contact (`last_contact`) and the days since; the workbench card counts those with
no contact in `NO_CONTACT_DAYS`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.scope import has_capability, scoped
from gongzhi.core.errors import Forbidden, NotFound, int_param
from gongzhi.core.workbench import card
from gongzhi.orglife.models import (
    Appraisal,
    Attendance,
    AttendanceStatus,
    FourFirst,
    MeetingKind,
    MobileContact,
    MobileMember,
    StudyRecord,
)
from gongzhi.orglife.models import Meeting as OrgMeeting
from gongzhi.orglife.policies import records as policies
from gongzhi.registry.models import PartyMember, PartyOrg

VIEW, RECORD = policies.VIEW, policies.RECORD
SEARCH_MAX = 40
NO_CONTACT_DAYS = 90
MIN_YEAR, MAX_YEAR = 1, 9999
RECORD_YEARS = (1949, 2999)  # the years a record may hold anything


def _forbidden() -> Forbidden:
    return Forbidden(_("You do not have permission to do this."))


def _not_found() -> NotFound:
    return NotFound(_("Not found."))


def this_year() -> int:
    return timezone.localdate().year


def year_param(params: Mapping, default: int | None = None) -> int:
    """?year= as a year (1–9999), else `default` (this year)."""
    value = int_param(params, "year", minimum=MIN_YEAR, maximum=MAX_YEAR)
    return value or default or this_year()


# --- members --------------------------------------------------------------------------------------------------

def members_for(user, capability: str = VIEW) -> QuerySet:
    """The party members the user sees with `capability` (their organization's region, or the area they
    registered at)."""
    return scoped(user, PartyMember.objects.select_related("organization__region", "registered_area", "user"),
                  capability)


def member(user, pk, capability: str = VIEW) -> PartyMember:
    """A member the user sees: Forbidden without the right at all, NotFound outside the scope."""
    if not has_capability(user, capability):
        raise _forbidden()
    found = members_for(user, capability).filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise _not_found()
    return found


def own_member(user) -> PartyMember | None:
    """The party member linked to the user's account, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return PartyMember.objects.select_related("organization__region", "registered_area").filter(user=user).first()


def orgs_for(user, capability: str = VIEW) -> QuerySet:
    return scoped(user, PartyOrg.objects.select_related("region"), capability).order_by("code", "pk")


def org(user, pk, capability: str = VIEW) -> PartyOrg:
    if not has_capability(user, capability):
        raise _forbidden()
    found = orgs_for(user, capability).filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise _not_found()
    return found


def filter_members(qs: QuerySet, params: Mapping) -> QuerySet:
    """?q= (a name) ?org= ?mobile=1"""
    if q := (params.get("q") or "").strip()[:SEARCH_MAX]:
        qs = qs.filter(name__icontains=q)
    if org_id := int_param(params, "org"):
        qs = qs.filter(organization_id=org_id)
    if (params.get("mobile") or "") == "1":
        qs = qs.filter(is_mobile=True)
    return qs


def member_rows(user, params: Mapping) -> QuerySet:
    return filter_members(members_for(user), params).order_by("organization__code", "name", "pk")


# --- the member's own work (what a "四先" may link to) ---------------------------------------------------------

@dataclass(frozen=True)
class Work:
    """One piece of a member's work in another app: its content type, id, what it is, its title and its page."""

    type_id: int
    id: int
    kind: str
    title: str
    url: str
    on: date | None = None

    @property
    def key(self) -> str:
        return f"{self.type_id}:{self.id}"


def work_url(obj) -> str:
    """The page of a piece of work (the link on the record and on a "四先")."""
    label = obj._meta.label_lower
    if label == "demands.demand":
        return reverse("demands:detail", args=[obj.pk])
    if label == "deliberation.microitem":
        return reverse("deliberation:grid_topic_detail", args=[obj.grid_topic_id])
    if label == "volunteering.wish":
        return reverse("volunteering:wish_detail", args=[obj.pk])
    if label == "deliberation.topic":
        return reverse("deliberation:topic_detail", args=[obj.pk])
    return ""


def _work(obj, kind: str, title: str, on) -> Work:
    on = timezone.localdate(on) if hasattr(on, "tzinfo") and getattr(on, "tzinfo", None) else on
    return Work(ContentType.objects.get_for_model(type(obj)).pk, obj.pk, kind, title, work_url(obj), on)


def claimed_demands(m, year: int | None = None) -> list:
    from gongzhi.demands.selectors import demands_claimed_by_member

    return list(demands_claimed_by_member(m, year=year))


def claimed_micro_items(m, year: int | None = None) -> list:
    from gongzhi.deliberation.selectors.grid import micro_items_claimed_by_member

    return list(micro_items_claimed_by_member(m, year=year))


def claimed_wishes(m, year: int | None = None) -> list:
    from gongzhi.volunteering.selectors.wishes import wishes_claimed_by_member

    return list(wishes_claimed_by_member(m, year=year))


def proposed_topics(m, year: int | None = None) -> list:
    from gongzhi.deliberation.selectors.topics import topics_proposed_by_member

    return list(topics_proposed_by_member(m, year=year))


def member_work(m, year: int | None = None) -> list[Work]:
    """The member's own work a "四先" may link to: the demands they claimed, the micro-items they promised, the
    wishes they claimed and the deliberation topics they proposed (in `year`, or all)."""
    works = [_work(d, _("Demand"), d.title, d.created_at) for d in claimed_demands(m, year)]
    works += [_work(i, _("Grid micro-item"), i.title, i.claimed_at) for i in claimed_micro_items(m, year)]
    works += [_work(w, _("Micro-wish"), w.title, w.claimed_at) for w in claimed_wishes(m, year)]
    works += [_work(t, _("Deliberation topic"), t.title, t.created_at) for t in proposed_topics(m, year)]
    return works


def find_work(m, type_id: int | None, work_id: int | None) -> Work | None:
    """The member's own work with that content type and id, or None (not theirs, or not a kind of work)."""
    if not type_id or not work_id:
        return None
    return next((w for w in member_work(m) if w.type_id == type_id and w.id == work_id), None)


# --- the yearly record --------------------------------------------------------------------------------------------

@dataclass
class YearlyRecord:
    member: PartyMember
    year: int
    demands: list = field(default_factory=list)
    micro_items: list = field(default_factory=list)
    wishes: list = field(default_factory=list)
    attendance: list = field(default_factory=list)
    attendance_counts: dict = field(default_factory=dict)
    volunteer_hours: Decimal = Decimal("0.00")
    council_seats: list = field(default_factory=list)
    committee_seats: list = field(default_factory=list)
    topics: list = field(default_factory=list)
    pairings: list = field(default_factory=list)
    registered_area: object = None
    registered_on: date | None = None
    service_rows: list = field(default_factory=list)
    service_hours: Decimal = Decimal("0.00")
    studies: list = field(default_factory=list)
    study_hours: Decimal = Decimal("0.0")
    four_firsts: list = field(default_factory=list)
    appraisal: Appraisal | None = None
    mobile: MobileMember | None = None


def attendance_of(m, year: int) -> list[Attendance]:
    return list(Attendance.objects.filter(member=m, meeting__held_on__year=year).select_related(
        "meeting__org").order_by("meeting__held_on", "meeting_id"))


def four_firsts_of(m, year: int | None = None) -> list[FourFirst]:
    qs = FourFirst.objects.filter(member=m).select_related("work_type", "recorded_by")
    if year is not None:
        qs = qs.filter(occurred_on__year=year)
    rows = list(qs.order_by("occurred_on", "pk"))
    for row in rows:
        attach_work(row)
    return rows


def attach_work(row: FourFirst) -> None:
    """The linked work's title and page on the row (`work_title`, `work_url`); blank when none or gone."""
    row.work_title, row.work_url = "", ""
    if row.work_type_id and row.work_id:
        obj = row.work
        if obj is not None:
            row.work_title, row.work_url = str(obj), work_url(obj)


def yearly_record(m: PartyMember, year: int) -> YearlyRecord:
    """Everything the member did in `year`, read through each app's own selectors."""
    from gongzhi.deliberation.selectors.councils import committee_seats_of_member, seats_of_member
    from gongzhi.volunteering.selectors.pairings import pairings_of_member
    from gongzhi.volunteering.selectors.volunteers import hours_of_member, service_in_area

    r = YearlyRecord(member=m, year=year, registered_area=m.registered_area, registered_on=m.registered_on,
                     attendance_counts=dict.fromkeys(AttendanceStatus.values, 0))
    r.mobile = MobileMember.objects.filter(member=m).first()
    if not RECORD_YEARS[0] <= year <= RECORD_YEARS[1]:
        return r  # a year the platform holds nothing of (and its dates could not be converted between time zones)
    r.demands = claimed_demands(m, year)
    for d in r.demands:
        d.url = work_url(d)
    r.micro_items = claimed_micro_items(m, year)
    for i in r.micro_items:
        i.url = work_url(i)
    r.wishes = claimed_wishes(m, year)
    for w in r.wishes:
        w.url = work_url(w)
    r.attendance = attendance_of(m, year)
    r.attendance_counts = {s: sum(1 for a in r.attendance if a.status == s) for s in AttendanceStatus.values}
    r.volunteer_hours = hours_of_member(m, year=year)
    r.council_seats = list(seats_of_member(m))
    r.committee_seats = list(committee_seats_of_member(m))
    r.topics = proposed_topics(m, year)
    for t in r.topics:
        t.url = work_url(t)
    r.pairings = pairings_of_member(m)
    r.registered_area, r.registered_on = m.registered_area, m.registered_on
    r.service_rows = list(service_in_area(m, m.registered_area, year=year))
    r.service_hours = sum((row.hours for row in r.service_rows), Decimal("0.00"))
    r.studies = list(StudyRecord.objects.filter(member=m, studied_on__year=year).order_by("studied_on", "pk"))
    r.study_hours = sum((s.hours for s in r.studies), Decimal("0.0"))
    r.four_firsts = four_firsts_of(m, year)
    r.appraisal = Appraisal.objects.filter(member=m, year=year).select_related("meeting").first()
    r.mobile = MobileMember.objects.filter(member=m).first()
    return r


def record_years(m: PartyMember) -> list[int]:
    """The years offered by the year switch: from the member's joining (at most ten back) to this year."""
    now = this_year()
    first = max(m.joined_on.year if m.joined_on else now - 4, now - 9)
    return list(range(now, first - 1, -1))


# --- 四先 -----------------------------------------------------------------------------------------------------------

def four_firsts_for(user) -> QuerySet:
    return scoped(user, FourFirst.objects.select_related("member__organization", "work_type", "recorded_by"), VIEW)


def four_first_rows(user, params: Mapping) -> QuerySet:
    """?org= ?kind= ?year= ?q= (a member's name)"""
    if not has_capability(user, VIEW):
        raise _forbidden()
    qs = four_firsts_for(user)
    if org_id := int_param(params, "org"):
        qs = qs.filter(member__organization_id=org_id)
    if (kind := params.get("kind") or "") in FourFirst._meta.get_field("kind").flatchoices and kind:
        qs = qs.filter(kind=kind)
    if year := int_param(params, "year", minimum=MIN_YEAR, maximum=MAX_YEAR):
        qs = qs.filter(occurred_on__year=year)
    if q := (params.get("q") or "").strip()[:SEARCH_MAX]:
        qs = qs.filter(member__name__icontains=q)
    return qs.order_by("-occurred_on", "-pk")


# --- appraisals -----------------------------------------------------------------------------------------------

def appraisals_for(user, capability: str = VIEW) -> QuerySet:
    return scoped(user, Appraisal.objects.select_related("member__organization", "meeting"), capability)


def appraisal_rows(user, params: Mapping) -> QuerySet:
    """?org= ?year= ?result="""
    qs = appraisals_for(user)
    if org_id := int_param(params, "org"):
        qs = qs.filter(member__organization_id=org_id)
    if year := int_param(params, "year", minimum=MIN_YEAR, maximum=MAX_YEAR):
        qs = qs.filter(year=year)
    if result := (params.get("result") or "").strip():
        qs = qs.filter(result=result[:30])
    return qs.order_by("-year", "member__organization__code", "member__name", "pk")


def appraisal_sheet(o: PartyOrg, year: int) -> list[PartyMember]:
    """The organization's members, each with their result of `year` (`appraisal`, or None)."""
    members = list(PartyMember.objects.filter(organization=o).order_by("name", "pk"))
    found = {a.member_id: a for a in Appraisal.objects.filter(member__organization=o, year=year)}
    for m in members:
        m.appraisal = found.get(m.pk)
    return members


def appraisal_meetings(o: PartyOrg, year: int) -> QuerySet:
    """The organization's 民主评议党员 meetings of `year` (an appraisal may be linked to one)."""
    return OrgMeeting.objects.filter(org=o, kind=MeetingKind.APPRAISAL, held_on__year=year).order_by("held_on")


# --- mobile members -----------------------------------------------------------------------------------------------

def mobile_members_for(user, capability: str = VIEW) -> QuerySet:
    """The mobile members (PartyMember.is_mobile) the user sees, each with their MobileMember row
    (`orglife_mobile`, may be missing) and last contact (`last_contact`)."""
    return members_for(user, capability).filter(is_mobile=True).select_related(
        "orglife_mobile__home_org").annotate(last_contact=Max("orglife_mobile__contacts__contacted_on"))


def days_since(day: date | None, today: date | None = None) -> int | None:
    return ((today or timezone.localdate()) - day).days if day else None


def with_days_since(rows, today: date | None = None) -> list:
    """The mobile members `rows`, each with their MobileMember row (`mobile`, or None) and `days_since` their
    last contact."""
    rows = list(rows)
    for m in rows:
        m.mobile = mobile_of(m)
        m.days_since = days_since(m.last_contact, today)
    return rows


def mobile_of(m: PartyMember) -> MobileMember | None:
    """The member's MobileMember row, or None before one is recorded."""
    try:
        return m.orglife_mobile
    except MobileMember.DoesNotExist:
        return None


def mobile_rows(user, params: Mapping) -> QuerySet:
    """?q= ?org= ?stale=1 (no contact in NO_CONTACT_DAYS)"""
    qs = filter_members(mobile_members_for(user), params)
    if (params.get("stale") or "") == "1":
        qs = qs.filter(no_contact_q())
    return qs.order_by("organization__code", "name", "pk")


def no_contact_q(today: date | None = None) -> Q:
    since = (today or timezone.localdate()) - timedelta(days=NO_CONTACT_DAYS)
    return Q(last_contact__isnull=True) | Q(last_contact__lt=since)


def mobile_member(user, pk, capability: str = VIEW) -> PartyMember:
    """A mobile member the user sees, with their MobileMember row (`mobile`, None before one is recorded) and
    their contact log (`contacts`)."""
    if not has_capability(user, capability):
        raise _forbidden()
    found = mobile_members_for(user, capability).filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise _not_found()
    with_days_since([found])
    found.contacts = list(found.mobile.contacts.select_related("recorded_by").order_by(
        "-contacted_on", "-pk")) if found.mobile else []
    return found


def mobile_export_rows(user, params: Mapping) -> QuerySet:
    """The mobile members' rows of the Excel export (MobileMember rows in scope)."""
    qs = scoped(user, MobileMember.objects.select_related("member__organization", "home_org"), VIEW).annotate(
        last_contact=Max("contacts__contacted_on"))
    if q := (params.get("q") or "").strip()[:SEARCH_MAX]:
        qs = qs.filter(member__name__icontains=q)
    if org_id := int_param(params, "org"):
        qs = qs.filter(member__organization_id=org_id)
    return qs.order_by("member__organization__code", "member__name", "pk")


def contact_rows(mobile: MobileMember) -> QuerySet:
    return MobileContact.objects.filter(mobile=mobile).order_by("-contacted_on", "-pk")


def no_contact_card(user) -> dict | None:
    """Staff: the mobile members in scope with no contact in the last NO_CONTACT_DAYS days."""
    if not has_capability(user, RECORD):
        return None
    qs = mobile_members_for(user, RECORD).filter(no_contact_q()).order_by("last_contact", "name", "pk")
    url = reverse("orglife:records_mobile") + "?stale=1"

    def item(m) -> dict:
        since = (_("last contact %(day)s") % {"day": m.last_contact.isoformat()} if m.last_contact
                 else _("never contacted"))
        return {"text": f"{m.name} · {since}", "url": reverse("orglife:records_mobile_detail", args=[m.pk])}

    return card(qs, url, item, urgent=True)
