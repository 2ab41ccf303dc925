"""Pages of the offers part (thin: forms in, services and selectors out): the service places in scope, a place's
page (its offers by category, working plan, booking rules and roster), the forms that edit them (services.manage)
and the staff calendar of a place's week (printable)."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from gongzhi.accounts.scope import require_capability
from gongzhi.core.errors import BadParameter, NotFound
from gongzhi.core.forms import call_service
from gongzhi.core.views import paginate
from gongzhi.registry.models import ServicePlaceKind
from gongzhi.services import forms_offers as forms
from gongzhi.services.models import Offer
from gongzhi.services.policies import offers as policies
from gongzhi.services.selectors import offers as selectors
from gongzhi.services.services import offers as services

T = "services/offers/"


def _form_page(request, form, title: str, place, template: str = "form.html", extra: dict | None = None):
    return render(request, f"{T}{template}", {"form": form, "title": title, "place": place,
                                               "back": reverse("services:offers_place", args=[place.pk]),
                                               **(extra or {})}, status=422 if form.errors else 200)


def _saved(request, place, message: str = ""):
    messages.success(request, message or _("Saved."))
    return redirect("services:offers_place", place.pk)


@login_required
def places(request):
    qs = selectors.places_for(request.user, request.GET)
    page = paginate(request, qs)
    hours = selectors.hours_by_place(list(page.object_list))
    for p in page:
        p.hours = hours.get(p.pk, "")
    context = {"page": page,
               "q": request.GET.get("q", ""), "kind": request.GET.get("kind", ""),
               "kinds": ServicePlaceKind.choices}
    template = f"{T}_places_table.html" if request.htmx else f"{T}places.html"
    return render(request, template, context)


@login_required
def place_detail(request, pk):
    place = selectors.place(request.user, pk)
    q = (request.GET.get("q") or "").strip()
    plans = selectors.plans_of(place)
    return render(request, f"{T}place.html", {
        "place": place, "offers": selectors.offers_of(place, q), "q": q,
        "offered": selectors.offers_of(place).count(),
        "plan_rows": [(WEEKDAYS[d], plans.get(d)) for d in range(7)],
        "hours": selectors.hours_summary(plans), "rules": selectors.rules_of(place),
        "roster": [(WEEKDAYS[d], [x for x in selectors.roster_of(place) if x.weekday == d]) for d in range(7)],
        "can_manage": policies.may_manage(request.user, place) if request.user.is_authenticated else False,
    })


@login_required
def items_edit(request, pk):
    place = selectors.managed_place(request.user, pk)
    items = list(selectors.visible_items(place))
    offered_ids = selectors.offered_item_ids(place)
    offered = {i.code for i in items if i.pk in offered_ids}
    form = forms.OfferedItemsForm(request.POST or None, items=items, initial={"items": sorted(offered)})
    if request.method == "POST" and form.is_valid():
        done = call_service(form, services.set_offered_items, place, actor=request.user,
                            items=form.cleaned_data["items"])
        if done:
            return _saved(request, place, _("%(offered)s items offered, %(withdrawn)s withdrawn.") % {
                "offered": done[0], "withdrawn": done[1]})
    chosen = set(form["items"].value() or [])
    groups: dict = {}
    for i in items:
        groups.setdefault(i.category, []).append((i, i.code in chosen))
    return _form_page(request, form, _("Items offered at %(place)s") % {"place": place}, place, "items_form.html",
                      {"groups": list(groups.items())})


@login_required
def offer_edit(request, pk):
    require_capability(request.user, policies.MANAGE)
    offer = Offer.objects.select_related("place__region", "item").filter(pk=pk).first()
    if offer is None:
        raise NotFound(_("Not found."))
    place = selectors.managed_place(request.user, offer.place_id)
    form = forms.OfferForm(request.POST or None, initial={"capacity": offer.capacity, "note": offer.note})
    if request.method == "POST" and form.is_valid():
        if call_service(form, services.update_offer, offer, actor=request.user, **form.cleaned_data):
            return _saved(request, place)
    return _form_page(request, form, _("%(item)s at %(place)s") % {"item": offer.item, "place": place}, place)


@login_required
def plan_edit(request, pk):
    place = selectors.managed_place(request.user, pk)
    form = forms.WorkingPlanForm(request.POST or None, plans=selectors.plans_of(place))
    if request.method == "POST" and form.is_valid():
        if call_service(form, services.set_working_plan, place, actor=request.user, days=form.days()) is not None:
            return _saved(request, place)
    return _form_page(request, form, _("Working plan of %(place)s") % {"place": place}, place, "plan_form.html")


@login_required
def rules_edit(request, pk):
    place = selectors.managed_place(request.user, pk)
    rules = selectors.rules_of(place)
    form = forms.BookingRulesForm(request.POST or None, initial={
        name: getattr(rules, name) for name in services.RULE_LIMITS})
    if request.method == "POST" and form.is_valid():
        if call_service(form, services.set_booking_rules, place, actor=request.user, **form.cleaned_data):
            return _saved(request, place)
    return _form_page(request, form, _("Booking rules of %(place)s") % {"place": place}, place)


@login_required
def roster_edit(request, pk):
    place = selectors.managed_place(request.user, pk)
    current = list(selectors.roster_of(place))
    candidates = list(selectors.duty_candidates(place))
    candidates += [d.user for d in current if d.user not in candidates]
    form = forms.RosterForm(request.POST or None, candidates=candidates,
                            initial={"duties": [f"{d.user_id}-{d.weekday}" for d in current]})
    if request.method == "POST" and form.is_valid():
        if call_service(form, services.set_duty_roster, place, actor=request.user, duties=form.pairs()) is not None:
            return _saved(request, place)
    return _form_page(request, form, _("Duty roster of %(place)s") % {"place": place}, place, "roster_form.html",
                      {"weekdays": [WEEKDAYS[d] for d in range(7)]})


def _week_param(request) -> date:
    raw = (request.GET.get("week") or "").strip()
    if not raw:
        return timezone.localdate()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise BadParameter("week") from None


@login_required
def calendar(request, pk):
    place = selectors.place(request.user, pk)
    monday = selectors.monday_of(_week_param(request))
    days = selectors.week(place, monday)
    times = sorted({timezone.localtime(s.starts_at).time() for d in days for s in d.slots})
    grid = [(t, [next((s for s in d.slots if timezone.localtime(s.starts_at).time() == t), None) for d in days])
            for t in times]
    return render(request, f"{T}calendar.html", {
        "place": place, "days": days, "grid": grid, "monday": monday, "sunday": monday + timedelta(days=6),
        "previous": monday - timedelta(days=7), "next": monday + timedelta(days=7),
        "rules": selectors.rules_of(place), "today": timezone.localdate(),
    })


urlpatterns = [
    path("offers/", places, name="offers_places"),
    path("offers/<int:pk>/", place_detail, name="offers_place"),
    path("offers/<int:pk>/items/", items_edit, name="offers_items"),
    path("offers/<int:pk>/plan/", plan_edit, name="offers_plan"),
    path("offers/<int:pk>/rules/", rules_edit, name="offers_rules"),
    path("offers/<int:pk>/roster/", roster_edit, name="offers_roster"),
    path("offers/<int:pk>/calendar/", calendar, name="offers_calendar"),
    path("offers/offer/<int:pk>/", offer_edit, name="offers_offer"),
]
