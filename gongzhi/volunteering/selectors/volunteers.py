"""Reading volunteers and their hours ledger, always within the user's scope (`volunteering.view` over the
volunteer's region; a unit's liaison sees the unit's staff volunteers): the register with its search and filters,
a volunteer's page with their ledger, and the party work links the organization-life module reads
(`hours_of_member`, `volunteer_of_member`). A volunteer's hours are always the plain sum of their ledger rows."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from gongzhi.accounts.scope import scoped
from gongzhi.core import crypto
from gongzhi.core.errors import Forbidden, NotFound, int_param
from gongzhi.core.workflow import pk_of
from gongzhi.registry.models import MemberUnit, PartyMember, Region, RegionKind, VolunteerTeam
from gongzhi.volunteering.models import HoursEntry, Volunteer
from gongzhi.volunteering.policies import volunteers as policies

VIEW, MANAGE = policies.VIEW, policies.MANAGE
QUARTER = Decimal("0.01")
SEARCH_MAX = 40
LINKS = ("member", "account", "unit", "none")


def _hours(total) -> Decimal:
    return Decimal(str(total or 0)).quantize(QUARTER)


def volunteers_for(user) -> QuerySet:
    """The volunteers the user sees."""
    return Volunteer.objects.filter(policies.visible_q(user, Volunteer)).select_related(
        "region", "party_member", "user", "member_unit")


def with_totals(qs: QuerySet) -> QuerySet:
    """`qs` with each volunteer's hours (`total`): the sum of their ledger rows."""
    return qs.annotate(total=Coalesce(Sum("hours__hours"), Value(Decimal(0)),
                                      output_field=DecimalField(max_digits=9, decimal_places=2)))


def volunteer(user, pk) -> Volunteer:
    """A volunteer the user sees: Forbidden without the right at all, NotFound outside the scope."""
    if not policies.sees_any(user):
        raise Forbidden(_forbidden())
    found = volunteers_for(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise NotFound(_not_found())
    return found


def _forbidden() -> str:
    from django.utils.translation import gettext

    return gettext("You do not have permission to do this.")


def _not_found() -> str:
    from django.utils.translation import gettext

    return gettext("Not found.")


def volunteer_detail(user, pk) -> Volunteer:
    """A volunteer with their teams, their ledger rows (oldest first) and their total."""
    found = volunteer(user, pk)
    found.team_list = list(found.teams.select_related("region").order_by("name"))
    found.skill_list = split_skills(found.skills)
    found.ledger = ledger_rows(found)
    found.total = sum((r.hours for r in found.ledger), Decimal(0)).quantize(QUARTER)
    return found


def split_skills(skills: str) -> list[str]:
    from gongzhi.volunteering.services.volunteers import split_skills as split

    return split(skills)


def filter_volunteers(qs: QuerySet, params: Mapping) -> QuerySet:
    """?q= (a name, or a full mobile number: matched by its keyed hash) ?team= ?skill= ?link=member|account|unit|none
    ?active=1|0 ?region="""
    if q := (params.get("q") or "").strip()[:SEARCH_MAX]:
        digits = q.replace(" ", "").replace("-", "")
        by_phone = Q(phone_hash=crypto.lookup_hash(digits)) if digits.isdigit() and len(digits) == 11 else Q()
        qs = qs.filter(Q(name__icontains=q) | by_phone) if by_phone else qs.filter(name__icontains=q)
    if team := int_param(params, "team"):
        qs = qs.filter(teams__id=team)
    if skill := (params.get("skill") or "").strip()[:SEARCH_MAX]:
        qs = qs.filter(skills__icontains=skill)
    link = (params.get("link") or "").strip()
    if link == "member":
        qs = qs.filter(party_member__isnull=False)
    elif link == "account":
        qs = qs.filter(user__isnull=False)
    elif link == "unit":
        qs = qs.filter(member_unit__isnull=False)
    elif link == "none":
        qs = qs.filter(party_member__isnull=True, user__isnull=True, member_unit__isnull=True)
    active = (params.get("active") or "").strip()
    if active in ("1", "0"):
        qs = qs.filter(active=active == "1")
    if region := int_param(params, "region"):
        qs = qs.filter(region_id=region)
    return qs


def volunteer_rows(user, params: Mapping) -> QuerySet:
    """The register as a list page, the API and the export show it."""
    return filter_volunteers(volunteers_for(user), params).order_by("name", "pk")


def teams_for(user) -> QuerySet:
    """The volunteer teams the user sees (the filters and forms offer them)."""
    return scoped(user, VolunteerTeam.objects.select_related("region"), VIEW).order_by("name")


def regions_to_register(user) -> QuerySet:
    """The sub-districts and residential areas where the user registers volunteers."""
    return scoped(user, Region, MANAGE).filter(kind__in=(RegionKind.SUBDISTRICT, RegionKind.RESIDENTIAL_AREA,
                                                          RegionKind.GRID)).order_by("path")


def members_to_link(user) -> QuerySet:
    return scoped(user, PartyMember.objects.select_related("organization"), MANAGE).order_by("name", "pk")


def units_to_link(user) -> QuerySet:
    return scoped(user, MemberUnit, MANAGE).order_by("code")


# --- the ledger --------------------------------------------------------------------------------------------------

def ledger_rows(volunteer) -> list[HoursEntry]:
    """The volunteer's ledger rows, oldest first, with their activity and who recorded them."""
    return list(HoursEntry.objects.filter(volunteer_id=pk_of(volunteer)).select_related(
        "activity", "recorded_by").order_by("served_on", "recorded_at", "id"))


def total_hours(volunteer) -> Decimal:
    """A volunteer's hours: the plain sum of their ledger rows (never a stored figure)."""
    return _hours(HoursEntry.objects.filter(volunteer_id=pk_of(volunteer)).aggregate(t=Sum("hours"))["t"])


def hours_on(volunteer, day: date) -> Decimal:
    """The volunteer's hours on `day` (at most 24)."""
    return _hours(HoursEntry.objects.filter(volunteer_id=pk_of(volunteer), served_on=day).aggregate(
        t=Sum("hours"))["t"])


def day_totals(volunteer) -> dict[date, Decimal]:
    """The volunteer's hours per day that has rows."""
    rows = HoursEntry.objects.filter(volunteer_id=pk_of(volunteer)).values("served_on").annotate(
        t=Sum("hours")).order_by("served_on")
    return {r["served_on"]: _hours(r["t"]) for r in rows}


# --- party work links (the organization-life module) -------------------------------------------------------------

def volunteer_of_member(member) -> Volunteer | None:
    """The Volunteer linked to the party member, if any."""
    return Volunteer.objects.filter(party_member_id=pk_of(member)).first()


def hours_of_member(member, *, year: int | None = None) -> Decimal:
    """A party member's volunteer hours (the sum of their ledger rows), in `year` or in all."""
    qs = HoursEntry.objects.filter(volunteer__party_member_id=pk_of(member))
    if year is not None:
        qs = qs.filter(served_on__year=year)
    return _hours(qs.aggregate(t=Sum("hours"))["t"])


def service_in_area(member, area, *, year: int | None = None) -> QuerySet:
    """A party member's community service in `area` (在职党员报到: the residential area they registered at): the
    rows of their hours ledger from activities held in that area, in `year` if given, oldest first."""
    if area is None:
        return HoursEntry.objects.none()
    qs = HoursEntry.objects.filter(volunteer__party_member_id=pk_of(member), activity__region__path__startswith=area.path)
    if year is not None:
        qs = qs.filter(served_on__year=year)
    return qs.select_related("activity").order_by("served_on", "pk")


def hours_of_members(members, start: date, end: date) -> Decimal:
    """The party members' volunteer hours served from `start` to `end` (the sum of their ledger rows; `members`
    a queryset or ids of PartyMember)."""
    qs = HoursEntry.objects.filter(volunteer__party_member__in=members, served_on__gte=start, served_on__lte=end)
    return _hours(qs.aggregate(t=Sum("hours"))["t"])
