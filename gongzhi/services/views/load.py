"""Pages of the load part (thin: selectors and services do the work): the station-load page (filters, the table
per place and day, the summary, top items and places, the monthly chart; printable; Excel), the health cabins of
the places in scope, a place's cabin with the month's tallies per indicator and the day's entry form, and the
tallies' Excel export, template and all-or-nothing import."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.accounts.scope import require_capability
from gongzhi.core.errors import ValidationFailed
from gongzhi.core.excel import CellError
from gongzhi.core.excel.views import xlsx_response
from gongzhi.core.forms import call_service, labelled
from gongzhi.core.views import paginate
from gongzhi.services import excel_load
from gongzhi.services.forms_load import TallyForm, TallyImportForm
from gongzhi.services.models import HealthIndicator
from gongzhi.services.policies import load as policies
from gongzhi.services.selectors import load as selectors
from gongzhi.services.services import load as services

T = "services/load/"
PER_PAGE = 50


def _filters(request):
    require_capability(request.user, policies.VIEW)
    place = selectors.place_param(request.user, request.GET)
    day_from, day_to = selectors.period(request.GET)
    return place, day_from, day_to


@login_required
def load_index(request):
    place, day_from, day_to = _filters(request)
    rows = selectors.place_day_load(request.user, place, day_from=day_from, day_to=day_to)
    page = paginate(request, rows, PER_PAGE)
    selectors.add_top_items(request.user, page.object_list)
    summary = selectors.street_summary(request.user, day_from=day_from, day_to=day_to, place=place)
    return render(request, T + "index.html", {
        "page": page, "summary": summary, "chart": selectors.month_chart(summary), "place": place,
        "places": selectors.places_for(request.user).order_by("kind", "code"), "day_from": day_from,
        "day_to": day_to, "query": request.GET.urlencode(),
    })


@login_required
def load_export(request):
    place, day_from, day_to = _filters(request)
    rows = selectors.add_top_items(request.user, selectors.place_day_load(request.user, place, day_from=day_from,
                                                                          day_to=day_to))
    summary = selectors.street_summary(request.user, day_from=day_from, day_to=day_to, place=place)
    return xlsx_response(excel_load.load_workbook(rows, summary), excel_load.load_file_name(day_from, day_to))


@login_required
def load_cabins(request):
    require_capability(request.user, policies.VIEW)
    month = selectors.month_of(request.GET)
    return render(request, T + "cabins.html", {
        "page": paginate(request, selectors.cabin_places(request.user, month)), "month": month,
        "may_import": policies.may_record_tallies(request.user),
    })


def _cabin(request, pk, form=None, status=200):
    require_capability(request.user, policies.VIEW)
    place = selectors.place(request.user, pk)
    month = selectors.month_of(request.GET)
    year_start = (month.replace(day=1) - timedelta(days=330)).replace(day=1)
    may_record = policies.may_record_tallies(request.user, place)
    if form is None and may_record:
        form = TallyForm()
    return render(request, T + "cabin.html", {
        "place": place, "month": month, "days": selectors.tally_days(request.user, place, month),
        "by_month": selectors.tallies_by_month(request.user, place, day_from=year_start,
                                               day_to=selectors.month_end(month)),
        "indicators": HealthIndicator.choices, "form": form if may_record else None,
        "previous": (month - timedelta(days=1)).strftime("%Y-%m"),
        "next": (selectors.month_end(month) + timedelta(days=1)).strftime("%Y-%m"),
    }, status=status)


@login_required
def load_cabin(request, pk):
    return _cabin(request, pk)


@require_POST
@login_required
def load_cabin_record(request, pk):
    require_capability(request.user, policies.ACCEPT)
    place = selectors.place(request.user, pk, policies.ACCEPT)
    form = TallyForm(request.POST)
    if form.is_valid():
        day = form.cleaned_data["day"]
        if call_service(form, services.record_tallies, place, actor=request.user, day=day,
                        counts=form.counts()) is not None:
            messages.success(request, _("Tallies recorded."))
            return redirect(reverse("services:load_cabin", args=[place.pk]) + f"?month={day:%Y-%m}")
    return _cabin(request, pk, form=form, status=422)


@login_required
def load_cabin_export(request, pk):
    require_capability(request.user, policies.VIEW)
    place = selectors.place(request.user, pk)
    if request.GET.get("month"):
        month = selectors.month_of(request.GET)
        day_from, day_to, what = month, selectors.month_end(month), month.strftime("%Y-%m")
    else:
        day_from, day_to = selectors.period(request.GET)
        what = f"{day_from.isoformat()}至{day_to.isoformat()}"
    rows = selectors.tallies(request.user, place, day_from=day_from, day_to=day_to).select_related("place")
    return xlsx_response(excel_load.tallies_workbook(rows), excel_load.tallies_file_name(place, what))


@login_required
def load_tallies_template(request):
    require_capability(request.user, policies.ACCEPT)
    return xlsx_response(excel_load.tallies_template(), "健康小屋自检人次-导入模板.xlsx")


@login_required
def load_tallies_import(request):
    require_capability(request.user, policies.ACCEPT)
    form = TallyImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                rows, numbers = excel_load.read_tallies(form.cleaned_data["file"])
                result = services.import_tallies(rows, actor=request.user, numbers=numbers)
            except CellError as e:
                form.add_error("file", str(e))
            except ValidationFailed as e:
                form.add_error(None, e.message)
                for row, problems in e.field_errors.items():
                    form.add_error(None, labelled(row, _("; ").join(problems)))
            else:
                messages.success(request, _("Imported: %(created)s new, %(updated)s corrected, %(unchanged)s "
                                            "unchanged.") % result)
                return redirect("services:load_cabins")
    return render(request, T + "import.html", {"form": form}, status=status)


urlpatterns = [
    path("load/", load_index, name="load_index"),
    path("load/export/", load_export, name="load_export"),
    path("load/cabins/", load_cabins, name="load_cabins"),
    path("load/cabins/import/", load_tallies_import, name="load_tallies_import"),
    path("load/cabins/template/", load_tallies_template, name="load_tallies_template"),
    path("load/cabins/<int:pk>/", load_cabin, name="load_cabin"),
    path("load/cabins/<int:pk>/record/", load_cabin_record, name="load_cabin_record"),
    path("load/cabins/<int:pk>/export/", load_cabin_export, name="load_cabin_export"),
]
