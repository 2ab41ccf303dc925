"""Reads of the platforms part, always scoped by the user (gongzhi.accounts.scope): platforms with their members,
the 1+11+103+X roster counted from the data, professional committees, and party posts (current and past) with
the composition of joint party committees (联合党委)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import access, require_capability, scoped
from gongzhi.core.errors import int_param
from gongzhi.joint.models import (
    MemberRole,
    PartyPost,
    Platform,
    PlatformKind,
    PlatformLevel,
    PlatformMember,
    PostKind,
    ProfessionalCommittee,
    ProfessionalCommitteeMember,
)
from gongzhi.registry.models import MemberUnit, PartyMember, PartyOrg, PartyOrgKind, Region, RegionKind

VIEW, MANAGE = Capability.VIEW_JOINT, Capability.MANAGE_JOINT
MEMBER_KINDS = ("unit", "org", "area")
TERM_FILTERS = ("current", "past", "all")


def _current(qs: QuerySet, params, end: str = "left_on") -> QuerySet:
    """`?term=current` (the default), `past` or `all`. A member is gone from the day it left (`left_on`); a post's
    term includes its last day (`ends_on`)."""
    term = params.get("term") or "current"
    today = timezone.localdate()
    after = "gte" if end == "ends_on" else "gt"
    open_q = Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__{after}": today})
    if term == "past":
        return qs.exclude(open_q)
    if term == "all":
        return qs
    return qs.filter(open_q)


# --- platforms ------------------------------------------------------------------------------------------------

def platforms_for(user, params=None, capability: str = VIEW) -> QuerySet:
    """The platforms the user sees, filtered by `level`, `kind` and a search `q` (name, brand, region)."""
    require_capability(user, capability)
    params = params or {}
    today = timezone.localdate()
    live = Q(members__left_on__isnull=True) | Q(members__left_on__gt=today)
    qs = scoped(user, Platform.objects.select_related("region", "parent"), capability).annotate(
        member_count=Count("members", filter=live, distinct=True),
        committee_count=Count("committees", filter=Q(committees__is_active=True), distinct=True)).order_by(
        "level", "region__path", "name", "id")
    if (level := params.get("level")) in PlatformLevel.values:
        qs = qs.filter(level=level)
    if (kind := params.get("kind")) in PlatformKind.values:
        qs = qs.filter(kind=kind)
    if q := (params.get("q") or "").strip():
        qs = qs.filter(Q(name__icontains=q) | Q(brand__icontains=q) | Q(region__name__icontains=q))
    return qs


def platform(user, pk, capability: str = VIEW) -> Platform:
    return access(user, Platform.objects.select_related("region", "parent", "convener_unit", "convener_org"),
                  capability, pk=pk)


def district_platforms_for(user) -> QuerySet:
    """District platforms a sub-district platform may hang from (any the user sees; the service checks the region)."""
    return scoped(user, Platform, VIEW).filter(level=PlatformLevel.DISTRICT)


def regions_for(user) -> QuerySet:
    """The districts and sub-districts the user manages (where they may set up a platform)."""
    return scoped(user, Region, MANAGE).filter(kind__in=(RegionKind.DISTRICT, RegionKind.SUBDISTRICT))


# --- members --------------------------------------------------------------------------------------------------

def _member_filters(qs: QuerySet, params) -> QuerySet:
    kind = params.get("kind")
    if kind == "unit":
        qs = qs.filter(Q(member_unit__isnull=False) | Q(party_org__isnull=False))
    elif kind == "org":
        qs = qs.filter(party_org__isnull=False)
    elif kind == "area":
        qs = qs.filter(area__isnull=False)
    if (role := params.get("role")) in MemberRole.values:
        qs = qs.filter(role=role)
    if q := (params.get("q") or "").strip():
        qs = qs.filter(Q(member_unit__name__icontains=q) | Q(party_org__name__icontains=q)
                       | Q(area__name__icontains=q) | Q(member_unit__code__icontains=q))
    return _current(qs, params)


def members_of(platform_: Platform, params=None) -> QuerySet:
    """A platform's members: `kind` (unit: member units and party organizations; org; area), `role`, `term`
    (current by default, past, all), `q`."""
    qs = PlatformMember.objects.filter(platform=platform_).select_related("member_unit", "party_org", "area")
    return _member_filters(qs, params or {}).order_by("role", "area__code", "member_unit__code", "party_org__code",
                                                      "id")


def member(user, pk, capability: str = VIEW) -> PlatformMember:
    return access(user, PlatformMember.objects.select_related("platform__region", "member_unit", "party_org", "area"),
                  capability, pk=pk)


def member_rows(user, params) -> QuerySet:
    """The members of every platform the user sees (one platform with `?platform=`) with the page's filters (every
    term unless `?term=` says), for the Excel export."""
    qs = PlatformMember.objects.filter(platform__in=platforms_for(user).values("pk")).select_related(
        "platform", "member_unit", "party_org", "area")
    if (pk := int_param(params, "platform")) is not None:
        qs = qs.filter(platform_id=pk)
    params = {k: params.get(k) for k in ("kind", "role", "q")} | {"term": params.get("term") or "all"}
    return _member_filters(qs, params).order_by("platform_id", "role", "id")


@dataclass(frozen=True)
class Roster:
    """The "1+N+M+K" of a platform, counted from its current members and active committees: conveners, residential
    areas, units (member units and party organizations in the member role), professional committees."""

    conveners: int
    areas: int
    units: int
    committees: int

    @property
    def formula(self) -> str:
        return f"{self.conveners}+{self.areas}+{self.units}+{self.committees}"


def roster(platform_: Platform) -> Roster:
    live = members_of(platform_, {"term": "current"})
    counts = live.aggregate(
        conveners=Count("pk", filter=Q(role=MemberRole.CONVENER)),
        areas=Count("pk", filter=Q(role=MemberRole.MEMBER, area__isnull=False)),
        units=Count("pk", filter=Q(role=MemberRole.MEMBER, area__isnull=True)))
    committees = ProfessionalCommittee.objects.filter(platform=platform_, is_active=True).count()
    return Roster(counts["conveners"], counts["areas"], counts["units"], committees)


# --- professional committees ----------------------------------------------------------------------------------

def committees_of(platform_: Platform) -> QuerySet:
    today = timezone.localdate()
    return ProfessionalCommittee.objects.filter(platform=platform_).annotate(
        member_count=Count("members", filter=Q(members__left_on__isnull=True) | Q(members__left_on__gt=today)))


def committee(user, pk, capability: str = VIEW) -> ProfessionalCommittee:
    return access(user, ProfessionalCommittee.objects.select_related("platform__region"), capability, pk=pk)


def committee_members(committee_: ProfessionalCommittee, params=None) -> QuerySet:
    qs = ProfessionalCommitteeMember.objects.filter(committee=committee_).select_related(
        "member_unit", "party_org", "person_unit")
    return _current(qs, params or {"term": "all"})


def committee_member(user, pk, capability: str = VIEW) -> ProfessionalCommitteeMember:
    return access(user, ProfessionalCommitteeMember.objects.select_related("committee__platform__region"),
                  capability, pk=pk)


# --- posts ----------------------------------------------------------------------------------------------------

POST_ORDER = Case(*(When(kind=k, then=Value(i)) for i, k in enumerate(PostKind.values)), output_field=IntegerField())


def _posts() -> QuerySet:
    """Posts with what their pages show, secretaries first."""
    return PartyPost.objects.select_related("org__region", "party_member__organization__member_unit",
                                            "unit").annotate(rank=POST_ORDER).order_by("org_id", "rank",
                                                                                       "-starts_on", "id")


def posts_for(user, params=None) -> QuerySet:
    """Party posts the user sees: `org` (an organization), `org_kind`, `kind` (the post), `term` (current by
    default, past, all), `part_time` ("1"), `q` (holder, organization, unit)."""
    require_capability(user, VIEW)
    params = params or {}
    qs = scoped(user, _posts(), VIEW)
    if (org := int_param(params, "org")) is not None:
        qs = qs.filter(org_id=org)
    if (org_kind := params.get("org_kind")) in PartyOrgKind.values:
        qs = qs.filter(org__kind=org_kind)
    if (kind := params.get("kind")) in PostKind.values:
        qs = qs.filter(kind=kind)
    if params.get("part_time") == "1":
        qs = qs.filter(is_part_time=True)
    if q := (params.get("q") or "").strip():
        qs = qs.filter(Q(person_name__icontains=q) | Q(party_member__name__icontains=q) | Q(org__name__icontains=q)
                       | Q(unit__name__icontains=q))
    return _current(qs, params, end="ends_on").order_by("org__code", "rank", "-starts_on", "id")


def post(user, pk, capability: str = VIEW) -> PartyPost:
    return access(user, _posts(), capability, pk=pk)


def org(user, pk, capability: str = VIEW) -> PartyOrg:
    require_capability(user, capability)
    return access(user, PartyOrg.objects.select_related("region", "member_unit", "parent"), capability, pk=pk)


def orgs_for(user, capability: str = MANAGE) -> QuerySet:
    return scoped(user, PartyOrg.objects.select_related("region"), capability)


def posts_of(org_: PartyOrg) -> dict:
    """An organization's posts: `current` (secretary first) and `past` (the history of holders, latest first)."""
    today = timezone.localdate()
    rows = list(_posts().filter(org=org_))
    order = {k: i for i, k in enumerate(PostKind.values)}
    current = sorted((p for p in rows if p.is_current(today)), key=lambda p: (order[p.kind], p.starts_on, p.pk))
    upcoming = [p for p in rows if p.starts_on > today]
    past = sorted((p for p in rows if p.ends_on is not None and p.ends_on < today),
                  key=lambda p: (p.ends_on, p.pk), reverse=True)
    return {"current": current, "past": past, "upcoming": upcoming}


def joint_committees_for(user, params=None) -> list[PartyOrg]:
    """The joint party committees (联合党委) the user sees, each with its current posts (`current_posts`)."""
    require_capability(user, VIEW)
    params = params or {}
    today = timezone.localdate()
    live = _posts().filter(starts_on__lte=today).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    qs = scoped(user, PartyOrg.objects.filter(kind=PartyOrgKind.JOINT_COMMITTEE).select_related("region"), VIEW)
    if q := (params.get("q") or "").strip():
        qs = qs.filter(name__icontains=q)
    return qs.prefetch_related(Prefetch("joint_posts", queryset=live, to_attr="current_posts")).order_by("code")


def units_for(user) -> QuerySet:
    return scoped(user, MemberUnit, Capability.VIEW_REGISTRY)


def party_members_for(user) -> QuerySet:
    return scoped(user, PartyMember.objects.select_related("organization"), Capability.VIEW_REGISTRY)
