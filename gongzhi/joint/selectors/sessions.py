"""Reads of the sessions part, always within the user's scope (gongzhi.accounts.scope): platforms, sessions with
their agenda, attendance and decisions, the month calendar, the decisions of the user's unit (a district
department's), what may go on an agenda, and the workbench cards."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.scope import access, has_capability, scope_for, scoped
from gongzhi.core.errors import Forbidden, int_param
from gongzhi.core.workbench import card
from gongzhi.demands.models import Demand
from gongzhi.joint.models import AgendaItem, Attendance, Decision, Platform, Session
from gongzhi.joint.policies import sessions as policies
from gongzhi.joint.services import sessions as services
from gongzhi.joint.workflow import DECISION_OPEN_STATES, DecisionState, SessionState
from gongzhi.registry.models import PartyOrg, Region, RegionKind

VIEW = policies.VIEW


def may_list(user) -> bool:
    return has_capability(user, VIEW)


def require_view(user) -> None:
    if not may_list(user):
        raise Forbidden()


def platforms_for(user):
    return scoped(user, Platform.objects.filter(is_active=True).select_related("region"), VIEW)


def managed_platforms(user):
    return scoped(user, Platform.objects.filter(is_active=True).select_related("region"), policies.MANAGE)


def default_platform_for(user, demand=None) -> Platform | None:
    """The platform a referral goes to unless chosen: the demand's sub-district's own joint meeting."""
    qs = platforms_for(user)
    if demand is not None:
        own = [p for p in qs if demand.region.path.startswith(p.region.path)]
        own.sort(key=lambda p: (p.kind != "joint_meeting", -len(p.region.path), p.pk))
        return own[0] if own else None
    return qs.first()


def sessions_for(user):
    return scoped(user, Session.objects.select_related("platform__region"), VIEW)


def filter_sessions(qs, params):
    q = (params.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(place__icontains=q) | Q(minutes__icontains=q))
    platform = int_param(params, "platform")
    if platform:
        qs = qs.filter(platform_id=platform)
    state = params.get("state") or ""
    if state in SessionState.values:
        qs = qs.filter(state=state)
    year = int_param(params, "year", minimum=1900, maximum=9999)
    if year:
        qs = qs.filter(starts_at__year=year)
    return qs


def session_list(user, params):
    return filter_sessions(sessions_for(user), params).annotate(
        n_items=Count("agenda_items", distinct=True), n_decisions=Count("decisions", distinct=True)).order_by(
        "-starts_at", "-pk")


def session(user, pk) -> Session:
    return access(user, Session.objects.select_related("platform__region", "convened_by"), VIEW, pk=pk)


def agenda(session_obj):
    return list(session_obj.agenda_items.select_related("demand", "need", "resource", "project")
                .prefetch_related("decisions"))


def attendance(session_obj):
    return list(session_obj.attendances.select_related("member_unit", "party_org", "area"))


def decisions_of(session_obj):
    return list(session_obj.decisions.select_related("owner_unit", "agenda_item__demand").order_by("deadline", "pk"))


def session_log(session_obj):
    return list(session_obj.transitions.select_related("actor"))


def waiting_items(user, platform):
    """Items referred to the platform that wait for its next session."""
    return scoped(user, AgendaItem.objects.filter(platform=platform, session__isnull=True), VIEW).select_related(
        "demand")


# --- the month calendar ------------------------------------------------------------------------------------

@dataclass
class Day:
    day: date | None
    sessions: list


def month_of(params) -> tuple[int, int]:
    today = timezone.localdate()
    year = int_param(params, "year", today.year, minimum=1900, maximum=9999)
    month = int_param(params, "month", today.month, minimum=1, maximum=12)
    return year, month


def calendar_weeks(user, year: int, month: int, params=None) -> list[list[Day]]:
    """The month as weeks (Monday first) of days with the sessions on each."""
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(first, time.min), tz)
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min), tz)
    qs = filter_sessions(sessions_for(user), {k: v for k, v in (params or {}).items() if k in ("platform", "state", "q")})
    by_day: dict[date, list] = {}
    for s in qs.filter(starts_at__gte=start, starts_at__lt=end).order_by("starts_at", "pk"):
        by_day.setdefault(timezone.localtime(s.starts_at).date(), []).append(s)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append([Day(d if d.month == month else None, by_day.get(d, []) if d.month == month else [])
                      for d in week])
    return weeks


def neighbour_months(year: int, month: int) -> tuple[tuple[int, int], tuple[int, int]]:
    before = (year - 1, 12) if month == 1 else (year, month - 1)
    after = (year + 1, 1) if month == 12 else (year, month + 1)
    return before, after


# --- decisions ---------------------------------------------------------------------------------------------

def decisions_for(user):
    return scoped(user, Decision.objects.select_related("session__platform__region", "owner_unit",
                                                        "agenda_item__demand"), VIEW)


def filter_decisions(qs, params):
    q = (params.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(text__icontains=q) | Q(owner_unit__name__icontains=q) | Q(outcome__icontains=q))
    state = params.get("state") or ""
    if state in DecisionState.values:
        qs = qs.filter(state=state)
    elif state == "open":
        qs = qs.filter(state__in=DECISION_OPEN_STATES)
    if params.get("due"):
        qs = qs.filter(state__in=DECISION_OPEN_STATES, deadline__lte=timezone.localdate())
    session_id = int_param(params, "session")
    if session_id:
        qs = qs.filter(session_id=session_id)
    unit = int_param(params, "unit")
    if unit:
        qs = qs.filter(owner_unit_id=unit)
    return qs


def decision(user, pk) -> Decision:
    return access(user, Decision.objects.select_related("session__platform__region", "owner_unit",
                                                        "agenda_item__demand"), VIEW, pk=pk)


def decision_log(decision_obj):
    return list(decision_obj.transitions.select_related("actor"))


def my_unit_ids(user) -> frozenset[int]:
    return scope_for(user, VIEW).unit_ids


def my_unit_decisions(user):
    """The decisions owned by the user's units (a district department's staff), newest deadline last."""
    return Decision.objects.filter(owner_unit_id__in=my_unit_ids(user)).select_related(
        "session__platform", "owner_unit", "agenda_item__demand").order_by("deadline", "pk")


def my_unit_demands(user):
    """The demands the user's units were handed by a joint meeting's decision."""
    return Demand.objects.filter(handling_unit_id__in=my_unit_ids(user)).select_related("handling_unit").order_by(
        "-updated_at", "-pk")


# --- choices for the forms --------------------------------------------------------------------------------

def agenda_choices(session_obj) -> dict[str, list]:
    platform = session_obj.platform
    taken = set(session_obj.agenda_items.values_list("need_id", "resource_id", "project_id"))
    needs = {t[0] for t in taken if t[0]}
    resources = {t[1] for t in taken if t[1]}
    projects = {t[2] for t in taken if t[2]}
    return {
        "need": list(services.agenda_needs(platform).exclude(pk__in=needs).order_by("-urgency", "pk")[:200]),
        "resource": list(services.agenda_resources(platform).exclude(pk__in=resources).distinct().order_by("pk")[:200]),
        "project": list(services.agenda_projects(platform).exclude(pk__in=projects).order_by("pk")[:200]),
    }


def owner_unit_choices(session_obj):
    return list(services.owner_units(session_obj.platform).order_by("kind", "name")[:500])


def sign_in_choices(session_obj) -> dict[str, list]:
    platform = session_obj.platform
    path = platform.region.path
    signed = attendance(session_obj)
    units = {a.member_unit_id for a in signed}
    orgs = {a.party_org_id for a in signed}
    areas = {a.area_id for a in signed}
    members = list(platform.members.filter(left_on__isnull=True).select_related("member_unit", "party_org", "area"))
    unit_rows = [m.member_unit for m in members if m.member_unit_id and m.member_unit_id not in units]
    if not members:  # no roster yet: the owner units of its region
        unit_rows = [u for u in owner_unit_choices(session_obj) if u.pk not in units]
    org_rows = [m.party_org for m in members if m.party_org_id and m.party_org_id not in orgs] or list(
        PartyOrg.objects.filter(region__path__startswith=path).exclude(pk__in=orgs).order_by("name")[:200])
    area_rows = [m.area for m in members if m.area_id and m.area_id not in areas] or list(
        Region.objects.filter(path__startswith=path, kind=RegionKind.RESIDENTIAL_AREA).exclude(pk__in=areas)
        .order_by("name"))
    return {"member_unit": unit_rows, "party_org": org_rows, "area": area_rows}


# --- workbench cards ---------------------------------------------------------------------------------------

def decisions_due_card(user, today: date | None = None) -> dict | None:
    """Open decisions I own (my unit's, or of sessions I convened) falling due within a few days or past due."""
    if not may_list(user):
        return None
    today = today or timezone.localdate()
    units = my_unit_ids(user)
    mine = Q(owner_unit_id__in=units) | Q(session__convened_by=user)
    qs = (decisions_for(user).filter(mine, state__in=DECISION_OPEN_STATES,
                                     deadline__lte=today + timedelta(days=services.DUE_DAYS_AHEAD))
          .order_by("deadline", "pk"))
    if not units and not Session.objects.filter(convened_by=user).exists():
        return None
    built = card(qs, f"{reverse('joint:sessions_decisions')}?state=open&mine=1",
                 lambda d: {"text": f"{d.deadline:%m-%d} {d.owner_unit.name[:16]} · {d.text[:30]}",
                            "url": reverse("joint:sessions_decision", args=[d.pk])}, urgent=True)
    return built | {"note": _("Decisions of joint meetings you own that are due.")}


def next_agenda_card(user) -> dict | None:
    """The next planned session in the user's scope, with its agenda."""
    if not may_list(user):
        return None
    upcoming = sessions_for(user).filter(state=SessionState.PLANNED, starts_at__gte=timezone.now()).order_by(
        "starts_at", "pk").first()
    if upcoming is None:
        return None
    items = list(upcoming.agenda_items.all()[:5])
    url = reverse("joint:sessions_detail", args=[upcoming.pk])
    return {"count": upcoming.agenda_items.count(), "url": url,
            "items": [{"text": i.title[:40], "url": f"{url}#agenda-{i.pk}"} for i in items],
            "note": f"{upcoming.title} · {timezone.localtime(upcoming.starts_at):%Y-%m-%d %H:%M} · {upcoming.place}",
            "links": [{"text": _("All sessions"), "url": reverse("joint:sessions_list")}]}


def attendance_rows(user):
    return scoped(user, Attendance.objects.all(), VIEW)
