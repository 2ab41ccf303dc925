"""Reading one-window cases, always within the user's scope (`services.view` over the case's place): the case list
with its filters, the back office's queue, forwarded cases past their time limit (a workbench card), a case's
page, the places and items of the "accept a case" form, and the two measures of the issue: "只跑一次" (the share
of done cases finished in one visit) and the share done within the item's time limit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.scope import access, has_capability, require_capability, scope_for, scoped
from gongzhi.core.errors import BadParameter, int_param
from gongzhi.core.workbench import card
from gongzhi.demands.calendar import DbOverrides, working_days_between
from gongzhi.registry.models import ServicePlace
from gongzhi.services.models import Case, Duty, ServiceItem
from gongzhi.services.policies import cases as policies
from gongzhi.services.workflow import CASE_OPEN_STATES, CaseState

VIEW, ACCEPT, BACK_OFFICE = policies.VIEW, policies.ACCEPT, policies.BACK_OFFICE
# still with the back office (一网通办): what its queue and the overdue card count
WITH_BACK_OFFICE = (CaseState.FORWARDED, CaseState.PROCESSING)
SEARCH_MAX = 60


def cases_for(user) -> QuerySet:
    return scoped(user, Case, VIEW).select_related("place__region", "item", "opened_by")


def case(user, pk) -> Case:
    """A case in the user's scope: Forbidden without `services.view` at all, NotFound outside the scope."""
    require_capability(user, VIEW)
    return access(user, cases_for(user), VIEW, pk=pk)


def case_detail(user, pk) -> Case:
    """A case with its materials, timeline and remote sessions (NotFound outside the user's scope)."""
    found = case(user, pk)
    found.material_rows = list(found.materials.select_related("material").order_by("material__position",
                                                                                      "material_id"))
    found.missing = [r.material for r in found.material_rows if not r.provided and r.material.required]
    found.log = list(found.transitions.select_related("actor").order_by("created_at", "id"))
    found.sessions = list(found.remote_sessions.select_related("staff").order_by("started_at", "id"))
    return found


def _date_param(params: Mapping, name: str) -> date | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise BadParameter(name) from None


def _start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def overdue_q(today: date | None = None) -> Q:
    """Open cases past their due date."""
    today = today or timezone.localdate()
    return Q(state__in=sorted(CASE_OPEN_STATES - {CaseState.INCOMPLETE}), due_on__lt=today)


def filter_cases(qs: QuerySet, params: Mapping) -> QuerySet:
    """?place= ?state= ?item= ?overdue=1 ?since= ?until= (the day opened) ?q= (case number or applicant)."""
    if place := int_param(params, "place"):
        qs = qs.filter(place_id=place)
    if (state := (params.get("state") or "").strip()) and state in CaseState.values:
        qs = qs.filter(state=state)
    if item := int_param(params, "item"):
        qs = qs.filter(item_id=item)
    if (params.get("overdue") or "") in ("1", "true", "on"):
        qs = qs.filter(overdue_q())
    if since := _date_param(params, "since"):
        qs = qs.filter(created_at__gte=_start(since))
    if until := _date_param(params, "until"):
        qs = qs.filter(created_at__lt=_start(until + timedelta(days=1)))
    if q := (params.get("q") or "").strip()[:SEARCH_MAX]:
        qs = qs.filter(Q(code__icontains=q) | Q(applicant_name__icontains=q))
    return qs


def back_office_queue(user) -> QuerySet:
    """Forwarded cases and those the back office is handling, in the user's back-office scope, oldest first."""
    return (scoped(user, Case, BACK_OFFICE).filter(state__in=WITH_BACK_OFFICE)
            .select_related("place__region", "item").order_by("forwarded_at", "created_at", "pk"))


def overdue_forwarded(user) -> QuerySet:
    """Cases still with the back office past their due date, in the user's scope, the longest overdue first."""
    return (cases_for(user).filter(state__in=WITH_BACK_OFFICE, due_on__lt=timezone.localdate())
            .order_by("due_on", "pk"))


def overdue_forwarded_card(user):
    """Workbench: forwarded cases past their time limit (the back office and station staff)."""
    if not (has_capability(user, BACK_OFFICE) or has_capability(user, policies.ACCEPT)):
        return None
    qs = overdue_forwarded(user)
    url = reverse("services:cases_list") + "?overdue=1"
    return card(qs, url, lambda c: {
        "text": f"{c.code} · {c.item.name} · {c.place.name}",
        "url": reverse("services:cases_detail", args=[c.pk]),
        "value": _("due %(date)s") % {"date": c.due_on.isoformat()}}, urgent=True)


# --- the "accept a case" form ------------------------------------------------------------------------------------

def cases_places(user) -> QuerySet:
    """The places the user sees cases of (the list's filter)."""
    return scoped(user, ServicePlace, VIEW).order_by("kind", "code")


def counter_places(user) -> QuerySet:
    """The places whose counter the user works (services.accept in scope), the user's own (on the duty roster)
    first."""
    return scoped(user, ServicePlace, ACCEPT).select_related("region").order_by("kind", "code")


def my_place_ids(user) -> set[int]:
    return set(Duty.objects.filter(user=user).values_list("place_id", flat=True)) if user.is_authenticated else set()


def counter_place(user, pk) -> ServicePlace:
    return access(user, ServicePlace.objects.select_related("region"), ACCEPT, pk=pk)


def acceptable_items(user, q: str = "") -> QuerySet:
    """Every active item of the catalogue the worker sees: the city-wide items and the own items of their scope
    (全岗通: any worker accepts any of them at any station), searched by name, code or keywords."""
    from gongzhi.services.selectors.catalogue import items_for

    qs = items_for(user, active=True).select_related("category").order_by("category__position", "position", "code")
    if q := (q or "").strip()[:SEARCH_MAX]:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(keywords__icontains=q))
    return qs


def item_checklist(user, pk) -> ServiceItem | None:
    return acceptable_items(user).filter(pk=pk).prefetch_related("materials").first() if pk else None


# --- measures ----------------------------------------------------------------------------------------------------

def _rows(cases) -> list:
    if isinstance(cases, QuerySet):
        return list(cases.filter(state=CaseState.DONE).select_related("item").only(
            "visits", "state", "accepted_at", "closed_at", "item__time_limit_days"))
    return [c for c in cases if c.state == CaseState.DONE]


def one_visit_share(cases: Iterable[Case] | QuerySet) -> float | None:
    """只跑一次: the share of done cases finished with one visit to the counter (None when none is done)."""
    if isinstance(cases, QuerySet):
        done = cases.filter(state=CaseState.DONE)
        total = done.count()
        return done.filter(visits=1).count() / total if total else None
    done = [c for c in cases if c.state == CaseState.DONE]
    return sum(1 for c in done if c.visits == 1) / len(done) if done else None


def on_time(case: Case, overrides=None) -> bool | None:
    """Whether a done case was closed within its item's time limit: the working days from the day of acceptance
    to the day of closing, against the limit (None for a case not done)."""
    if case.state != CaseState.DONE or case.accepted_at is None or case.closed_at is None:
        return None
    days = working_days_between(timezone.localdate(case.accepted_at), timezone.localdate(case.closed_at),
                                overrides if overrides is not None else DbOverrides())
    return days <= case.item.time_limit_days


def on_time_share(cases: Iterable[Case] | QuerySet) -> float | None:
    """The share of done cases closed within their item's time limit (None when none is done)."""
    overrides = DbOverrides()
    judged = [v for v in (on_time(c, overrides) for c in _rows(cases)) if v is not None]
    return sum(judged) / len(judged) if judged else None


def state_counts(qs: QuerySet) -> dict[str, int]:
    from django.db.models import Count

    return dict(qs.order_by().values_list("state").annotate(n=Count("pk")))


def in_back_office_scope(user) -> bool:
    return not scope_for(user, BACK_OFFICE).is_empty
