"""Triage pages: the triage queue, duplicate suggestions (an htmx fragment on the demand page), hot issues,
the yearly top-10 concerns with a monthly trend chart, and plotly.min.js served from the installed package."""

from __future__ import annotations

from importlib.resources import files

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import has_capability, require_capability
from gongzhi.core.errors import DomainError, Forbidden, NotFound
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


def _duplicates(request, pk, message="", error=""):
    demand, rows = selectors.duplicate_suggestions(request.user, pk)
    return render(request, "triage/_duplicates.html", {
        "demand": demand, "rows": rows, "message": message, "error": error,
        "can_merge": policies.can(request.user, demand, "merge"),
    })


@login_required
@require_GET
def demand_duplicates(request, pk):
    """Duplicate suggestions for one demand (an htmx fragment); out of scope answers 404 like a missing one."""
    return _duplicates(request, pk)


@login_required
@require_POST
def merge_duplicate(request, pk, into):
    """Merge the demand into the suggested duplicate; answers the refreshed fragment with a message."""
    _require(request.user, "queue")
    try:
        merged = services.merge_into(pk, into, request.user)
    except NotFound:
        raise
    except DomainError as exc:
        return _duplicates(request, pk, error=exc.message)
    message = _("Merged into %(code)s.") % {"code": merged.merged_into.tracking_code}
    if not request.htmx:
        messages.success(request, message)
        return redirect("demands:detail", pk)
    return _duplicates(request, pk, message=message)


@login_required
def hot_issues(request):
    require_capability(request.user, C.VIEW_DEMANDS)
    days = _int(request.GET.get("days"), 90)
    days = days if days in selectors.PERIODS else 90
    node = selectors.region_node(request.user, request.GET.get("region"))
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
    node = selectors.region_node(request.user, request.GET.get("region"))
    result = selectors.concerns(request.user, node, year) if node else None
    return render(request, "triage/top_concerns.html", {
        "result": result, "node": node, "year": year, "years": years,
        "regions": selectors.regions_for(request.user),
        "plotly_version": _plotly_version(),
    })


def _plotly_version() -> str:
    try:
        import plotly

        return plotly.__version__
    except ImportError:  # pragma: no cover
        return ""


@require_GET
def plotly_js(request):
    """plotly.min.js from the installed plotly package (no CDN), cached for a year (the URL names the version)."""
    path = files("plotly") / "package_data" / "plotly.min.js"
    if not path.is_file():  # pragma: no cover
        raise Http404
    response = FileResponse(path.open("rb"), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
