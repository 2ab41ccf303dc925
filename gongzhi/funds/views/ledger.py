"""Pages of the ledger part (thin: forms in, services and selectors out): the funds with their balances, a fund's
ledger with its running balance (filtered, paginated, printable), opening a fund, allocations, donations, charity
events with their lots, the donations list and the yearly summary with its Excel export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.accounts.scope import require_capability
from gongzhi.core.errors import int_param
from gongzhi.core.excel.views import xlsx_response
from gongzhi.core.forms import call_service
from gongzhi.core.masking import personal_data_visible
from gongzhi.core.views import attempt, paginate
from gongzhi.funds import excel_ledger
from gongzhi.funds.forms_ledger import DonationForm, EntryForm, EventForm, FundForm, LotForm, SellForm
from gongzhi.funds.models import DonorKind, EntryKind, FundKind
from gongzhi.funds.policies import ledger as policies
from gongzhi.funds.selectors import ledger as selectors
from gongzhi.funds.services import donations as services

T = "funds/ledger/"


def _list(request, template: str, partial: str, context: dict):
    """A list page; an htmx request (the live filter form) gets only the results partial."""
    return render(request, T + (partial if request.htmx else template), context)


@login_required
def ledger_funds(request):
    qs = selectors.fund_list(request.user, request.GET)
    return _list(request, "funds.html", "_funds_table.html", {
        "page": paginate(request, qs), "kinds": FundKind.choices, "years": selectors.years_for(request.user),
        "can_open": policies.may_open_funds(request.user),
    })


@login_required
def ledger_fund_open(request):
    require_capability(request.user, policies.LEDGER)
    form = FundForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        fund = call_service(form, services.open_fund, actor=request.user, name=d["name"], kind=d["kind"],
                            region=d["region"], year=d["year"], parent=d["parent"], purpose=d["purpose"])
        if fund is not None:
            messages.success(request, _("Fund opened."))
            return redirect("funds:ledger_fund", fund.pk)
    return render(request, T + "form.html", {"form": form, "title": _("Open a fund"), "fund": None},
                  status=422 if form.errors else 200)


def _fund_context(request, fund, params) -> dict:
    return {"fund": fund, "totals": selectors.fund_totals(fund), "keeps": policies.keeps_ledger(request.user, fund),
            "entry_kinds": EntryKind.choices, "events": fund.charity_events.all(),
            "special_funds": selectors.funds_for(request.user).filter(parent=fund)}


@login_required
def ledger_fund(request, pk):
    require_capability(request.user, policies.VIEW)
    fund = selectors.fund(request.user, pk)
    qs = selectors.fund_ledger(request.user, fund, request.GET)
    context = _fund_context(request, fund, request.GET) | {"page": paginate(request, qs)}
    return _list(request, "fund_detail.html", "_ledger_table.html", context)


@login_required
def ledger_fund_print(request, pk):
    """The whole ledger of a fund on one printable page (filters apply), with lines to sign."""
    require_capability(request.user, policies.VIEW)
    fund = selectors.fund(request.user, pk)
    return render(request, T + "fund_print.html", _fund_context(request, fund, request.GET) | {
        "entries": selectors.fund_ledger(request.user, fund, request.GET), "today": timezone.localdate()})


def _money_form(request, pk, form_class, call, done: str, title: str, form_kwargs=None, to=None):
    """A form page on one fund for a keeper of its ledger; the service's field errors come back on the form."""
    require_capability(request.user, policies.LEDGER)
    fund = selectors.fund(request.user, pk)
    form = form_class(request.POST or None, **(form_kwargs(fund) if form_kwargs else {}))
    if request.method == "POST" and form.is_valid():
        result = call_service(form, call, fund, actor=request.user, **form.cleaned_data)
        if result is not None:
            messages.success(request, done)
            return redirect(*(to(result) if to else ("funds:ledger_fund", fund.pk)))
    return render(request, T + "form.html", {"form": form, "title": title, "fund": fund},
                  status=422 if form.errors else 200)


@login_required
def ledger_allocate(request, pk):
    return _money_form(request, pk, EntryForm, services.allocate, _("Allocation booked."),
                       _("Allocation from the sub-district budget"))


@login_required
def ledger_donate(request, pk):
    return _money_form(request, pk, DonationForm, services.record_donation, _("Donation recorded."),
                       _("Record a donation"), form_kwargs=lambda fund: {"user": request.user, "fund": fund})


@require_POST
@login_required
def ledger_fund_close(request, pk):
    attempt(request, services.close_fund, pk, actor=request.user, done=_("Fund closed."))
    return redirect("funds:ledger_fund", pk)


@login_required
def ledger_event_new(request, pk):
    return _money_form(request, pk, EventForm, services.create_charity_event, _("Charity event created."),
                       _("New charity event"), to=lambda event: ("funds:ledger_event", event.pk))


@login_required
def ledger_event(request, pk, lot_form=None, sell_forms=None, status=200):
    require_capability(request.user, policies.VIEW)
    event = selectors.event(request.user, pk)
    lots, total = selectors.event_lots(event)
    keeps = policies.keeps_ledger(request.user, event.fund)
    sell_forms = sell_forms or {}
    rows = [{"lot": lot, "buyer": lot.buyer_label(masked=not personal_data_visible(request.user, lot)),
             "sell": sell_forms.get(lot.pk) or (SellForm(user=request.user, prefix=f"sell-{lot.pk}")
                                                if keeps and not lot.sold else None)} for lot in lots]
    return render(request, T + "event_detail.html", {
        "event": event, "rows": rows, "total": total, "sold": sum(1 for x in lots if x.sold), "keeps": keeps,
        "lot_form": lot_form or (LotForm() if keeps else None),
        "donations": event.donations.filter(lot__isnull=True).select_related("donor_unit"),
    }, status=status)


@require_POST
@login_required
def ledger_lot_add(request, pk):
    form = LotForm(request.POST)
    if form.is_valid() and call_service(form, services.add_lot, pk, actor=request.user,
                                        **form.cleaned_data) is not None:
        messages.success(request, _("Lot added."))
        return redirect("funds:ledger_event", pk)
    return ledger_event(request, pk, lot_form=form, status=422)


@require_POST
@login_required
def ledger_lot_sell(request, pk):
    lot = selectors.lot(request.user, pk)
    form = SellForm(request.POST, user=request.user, prefix=f"sell-{pk}")
    if form.is_valid() and call_service(form, services.sell_lot, pk, actor=request.user,
                                        **form.cleaned_data) is not None:
        messages.success(request, _("Lot sold: its price is booked as a donation."))
        return redirect(reverse("funds:ledger_event", args=[lot.event_id]) + f"#lot-{pk}")
    return ledger_event(request, lot.event_id, sell_forms={lot.pk: form}, status=422)


@login_required
def ledger_donations(request):
    qs = selectors.donation_list(request.user, request.GET)
    visible = personal_data_visible(request.user)
    page = paginate(request, qs)
    for d in page:
        d.donor_shown = d.donor_label(masked=not visible)
    return _list(request, "donations.html", "_donations_table.html", {
        "page": page, "donor_kinds": DonorKind.choices,
        "funds": selectors.funds_for(request.user).order_by("name"),
    })


def _year(request) -> int:
    return int_param(request.GET, "year", timezone.localdate().year, minimum=2000, maximum=2100)


@login_required
def ledger_report(request):
    year = _year(request)
    return render(request, T + "report.html", {
        "year": year, "rows": selectors.yearly_summary(request.user, year),
        "years": selectors.summary_years(request.user),
    })


@login_required
def ledger_report_export(request):
    year = _year(request)
    rows = selectors.yearly_summary(request.user, year)
    return xlsx_response(excel_ledger.summary_workbook(rows, year), excel_ledger.summary_file_name(year))


urlpatterns = [
    path("ledger/funds/", ledger_funds, name="ledger_funds"),
    path("ledger/funds/new/", ledger_fund_open, name="ledger_fund_open"),
    path("ledger/funds/<int:pk>/", ledger_fund, name="ledger_fund"),
    path("ledger/funds/<int:pk>/print/", ledger_fund_print, name="ledger_fund_print"),
    path("ledger/funds/<int:pk>/allocate/", ledger_allocate, name="ledger_allocate"),
    path("ledger/funds/<int:pk>/donate/", ledger_donate, name="ledger_donate"),
    path("ledger/funds/<int:pk>/close/", ledger_fund_close, name="ledger_fund_close"),
    path("ledger/funds/<int:pk>/events/new/", ledger_event_new, name="ledger_event_new"),
    path("ledger/events/<int:pk>/", ledger_event, name="ledger_event"),
    path("ledger/events/<int:pk>/lots/", ledger_lot_add, name="ledger_lot_add"),
    path("ledger/lots/<int:pk>/sell/", ledger_lot_sell, name="ledger_lot_sell"),
    path("ledger/donations/", ledger_donations, name="ledger_donations"),
    path("ledger/reports/", ledger_report, name="ledger_report"),
    path("ledger/reports/export/", ledger_report_export, name="ledger_report_export"),
]
