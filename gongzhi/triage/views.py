"""Triage pages: the triage queue, duplicate suggestions (an htmx fragment on the demand page), hot issues,
the yearly top-10 concerns with a monthly trend chart (SVG drawn on the server)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import has_capability, require_capability
from gongzhi.core.errors import DomainError, Forbidden, NotFound, int_param
from gongzhi.triage import policies, selectors, services

C = Capability


def _require(user, action: str) -> None:
    if not policies.can(user, None, action):
        raise Forbidden(_("You do not have permission to do this."))


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@login_required
def queue(request):
    _require(request.user, "queue")
    show = "auto" if request.GET.get("show") == "auto" else "waiting"
    page = Paginator(selectors.triage_queue(request.user, show), selectors.QUEUE_LIMIT).get_page(
        request.GET.get("page"))
    choices: dict[int, list] = {}  # the taxonomy of each responsible region, computed once per page
    rows = []
    for d in page:
        if d.region_id not in choices:
            choices[d.region_id] = services.allowed_categories(d)
        rows.append({"demand": d, "c": getattr(d, "classification", None), "categories": choices[d.region_id]})
    return render(request, "triage/queue.html", {
        "rows": rows, "page": page, "show": show, "models": selectors.queue_models(request.user),
        "threshold": services.threshold(),
    })


@login_required
@require_POST
def decide(request, pk):
    _require(request.user, "queue")
    category = request.POST.get("category")
    try:
        row = services.decide(pk, request.user, category)
    except NotFound:
        raise
    except DomainError as exc:
        if not request.htmx:
            messages.error(request, exc.message)
            return redirect("triage:queue")
        return render(request, "triage/_decided.html", {"error": exc.message, "pk": pk}, status=200)
    if not request.htmx:
        messages.success(request, _("Category saved."))
        return redirect("triage:queue")
    return render(request, "triage/_decided.html", {"c": row, "demand": row.demand})


def _duplicates(request, pk):
    demand, rows = selectors.duplicate_suggestions(request.user, pk)
    return render(request, "triage/_duplicates.html", {
        "demand": demand, "rows": rows, "can_merge": policies.can(request.user, demand, "merge"),
    })


@login_required
@require_GET
def demand_duplicates(request, pk):
    """Duplicate suggestions for one demand (an htmx fragment); out of scope answers 404 like a missing one. Its
    "merge into this" buttons lead to the demand page's merge, which asks for confirmation first."""
    return _duplicates(request, pk)


@login_required
def hot_issues(request):
    require_capability(request.user, C.VIEW_DEMANDS)
    days = _int(request.GET.get("days"), 90)
    days = days if days in selectors.PERIODS else 90
    node = selectors.region_node(request.user, int_param(request.GET, "region"))
    rows = selectors.hot_issues(request.user, node, days) if node else []
    return render(request, "triage/hot_issues.html", {
        "rows": rows, "node": node, "days": days, "periods": selectors.PERIODS,
        "regions": selectors.regions_for(request.user),
        # A hot issue can be put on the two-way matching need list (双向认领) by those who manage it.
        "can_raise_need": has_capability(request.user, C.MANAGE_MATCHING),
    })


@login_required
def top_concerns(request):
    _require(request.user, "insights")
    years = selectors.concern_years(request.user)
    year = _int(request.GET.get("year"), timezone.localdate().year)
    if year not in years:
        year = years[0]
    node = selectors.region_node(request.user, int_param(request.GET, "region"))
    result = selectors.concerns(request.user, node, year) if node else None
    return render(request, "triage/top_concerns.html", {
        "result": result, "node": node, "year": year, "years": years,
        "regions": selectors.regions_for(request.user),
    })

