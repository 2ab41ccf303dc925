"""Pages of the catalogue part (thin: forms in, services and selectors out).

Staff (login, ``services.view`` to read, ``services.manage`` to write): the catalogue with search and filters, an
item's print-friendly page (materials, legal basis, time limit, fee), the item form with its materials checklist,
deactivating and activating an item, the categories and their form.

Residents (public H5 pages, no account): the catalogue a sub-district serves, searchable by keyword, category and
audience, and an item's page with its checklist, time limit, fee, whether it can be booked and handled remotely.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.accounts.scope import require_capability
from gongzhi.core.errors import Forbidden, int_param
from gongzhi.core.forms import call_service
from gongzhi.core.views import attempt, paginate
from gongzhi.services import forms_catalogue as forms
from gongzhi.services.models import ServiceLevel
from gongzhi.services.policies import catalogue as policies
from gongzhi.services.selectors import catalogue as selectors
from gongzhi.services.services import catalogue as services

VIEW, MANAGE = policies.VIEW, policies.MANAGE


def _audiences():
    return [("residents", _("Residents")), ("office_workers", _("Office workers")),
            ("buildings", _("Building stations"))]


# --- Staff ---------------------------------------------------------------------------------------------------------

@login_required
def item_list(request):
    require_capability(request.user, VIEW)
    qs = selectors.items_for(request.user, **selectors.filters(request.GET))
    context = {"page": paginate(request, qs), "categories": selectors.categories(), "levels": ServiceLevel.choices,
               "audiences": _audiences(), "regions": selectors.regions_for(request.user),
               "can_add": policies.manages_catalogue(request.user)}
    template = "services/catalogue/_table.html" if request.htmx else "services/catalogue/list.html"
    return render(request, template, context)


@login_required
def item_detail(request, pk):
    require_capability(request.user, VIEW)
    item = selectors.get_item(request.user, pk)
    return render(request, "services/catalogue/detail.html", {
        "item": item, "materials": list(item.materials.all()), "can_edit": policies.manages(request.user, item),
        "h5_url": reverse("services:catalogue_h5_item", args=[item.pk]) if item.active else "",
        "booking_url": selectors.booking_url(item) if item.active and item.bookable else ""})


def _item_form(request, item=None):
    form = forms.ItemForm(request.POST or None, user=request.user, item=item)
    if request.method == "POST" and form.is_valid():
        if item is None:
            made = call_service(form, services.create_item, actor=request.user, **form.service_kwargs())
        else:
            made = call_service(form, services.update_item, item, actor=request.user, **form.service_kwargs())
        if made is not None:
            messages.success(request, _("Saved."))
            return redirect("services:catalogue_detail", made.pk)
    return render(request, "services/catalogue/form.html", {"form": form, "obj": item},
                  status=422 if form.errors else 200)


@login_required
def item_create(request):
    require_capability(request.user, MANAGE)
    return _item_form(request)


@login_required
def item_edit(request, pk):
    require_capability(request.user, VIEW)
    item = selectors.get_item(request.user, pk)
    if not policies.manages(request.user, item):
        raise Forbidden(_("You do not have permission to do this."))
    return _item_form(request, item)


@require_POST
@login_required
def item_active(request, pk):
    """Deactivate (?active=0) or activate again (?active=1) an item."""
    require_capability(request.user, VIEW)
    item = selectors.get_item(request.user, pk)
    if request.POST.get("active") == "1":
        attempt(request, services.activate_item, item, actor=request.user, done=_("The item is active again."))
    else:
        attempt(request, services.deactivate_item, item, actor=request.user,
                done=_("The item is out of the public catalogue."))
    return redirect("services:catalogue_detail", item.pk)


@login_required
def category_list(request):
    require_capability(request.user, VIEW)
    return render(request, "services/catalogue/categories.html", {
        "categories": selectors.categories(), "counts": selectors.category_counts(request.user),
        "can_edit": policies.manages_catalogue(request.user)})


def _category_form(request, category=None):
    if not policies.manages_catalogue(request.user):
        raise Forbidden(_("You do not have permission to do this."))
    initial = {"code": category.code, "name": category.name, "position": category.position} if category else None
    form = forms.CategoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if category is None:
            made = call_service(form, services.create_category, actor=request.user, **form.cleaned_data)
        else:
            made = call_service(form, services.update_category, category, actor=request.user, **form.cleaned_data)
        if made is not None:
            messages.success(request, _("Saved."))
            return redirect("services:catalogue_categories")
    return render(request, "services/catalogue/category_form.html", {"form": form, "obj": category},
                  status=422 if form.errors else 200)


@login_required
def category_create(request):
    return _category_form(request)


@login_required
def category_edit(request, pk):
    require_capability(request.user, MANAGE)
    return _category_form(request, selectors.get_category(pk))


# --- Residents (public H5) -----------------------------------------------------------------------------------------

def h5_catalogue(request):
    region = selectors.region_of(request.GET.get("region"))
    category = int_param(request.GET, "category")
    audience = request.GET.get("audience") or None
    if audience not in dict(_audiences()):
        audience = None
    qs = selectors.items_for(None, region=region, q=(request.GET.get("q") or "")[:100], category=category,
                             audience=audience)
    return render(request, "services/catalogue/h5/catalogue.html", {
        "page": paginate(request, qs), "region": region, "categories": selectors.categories(),
        "category": category, "audience": audience, "audiences": _audiences()})


def h5_item(request, pk):
    item = selectors.get_item(None, pk)
    return render(request, "services/catalogue/h5/item.html", {
        "item": item, "materials": list(item.materials.all()),
        "booking_url": selectors.booking_url(item) if item.bookable else "",
        "region": item.region})


urlpatterns = [
    path("catalogue/", item_list, name="catalogue_list"),
    path("catalogue/new/", item_create, name="catalogue_create"),
    path("catalogue/<int:pk>/", item_detail, name="catalogue_detail"),
    path("catalogue/<int:pk>/edit/", item_edit, name="catalogue_edit"),
    path("catalogue/<int:pk>/active/", item_active, name="catalogue_active"),
    path("catalogue/categories/", category_list, name="catalogue_categories"),
    path("catalogue/categories/new/", category_create, name="catalogue_category_create"),
    path("catalogue/categories/<int:pk>/edit/", category_edit, name="catalogue_category_edit"),
    path("h5/catalogue/", h5_catalogue, name="catalogue_h5"),
    path("h5/catalogue/<int:pk>/", h5_item, name="catalogue_h5_item"),
]
