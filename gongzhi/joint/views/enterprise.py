"""Pages of the enterprise part (thin: forms in, services and selectors out): the liaison visits (list with
filters and search, a new visit, a print-friendly visit page with its follow-up steps and the one-step demand),
and the coverage check of key office buildings with its Excel export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_POST

from gongzhi.accounts.scope import require_capability
from gongzhi.core.errors import Forbidden, int_param
from gongzhi.core.excel.views import xlsx_response
from gongzhi.core.forms import call_service
from gongzhi.core.views import attempt, paginate
from gongzhi.joint import excel_enterprise as excel
from gongzhi.joint import forms_enterprise as forms
from gongzhi.joint.policies import enterprise as policies
from gongzhi.joint.selectors import enterprise as selectors
from gongzhi.joint.services import enterprise as services
from gongzhi.joint.workflow_enterprise import VISIT_FLOW, VisitAction, VisitState

VIEW, VISIT = policies.VIEW, policies.VISIT


@login_required
def visit_list(request):
    qs = selectors.filter_visits(selectors.visits_for(request.user), request.GET)
    context = {"page": paginate(request, qs), "states": VisitState.choices,
               "liaisons": selectors.liaisons_for(request.user, VIEW), "can_add": policies.may_record(request.user)}
    template = "joint/enterprise/_table_visits.html" if request.htmx else "joint/enterprise/list.html"
    return render(request, template, context)


def _visit_form(request, data=None, initial=None):
    return forms.VisitForm(data, initial=initial, units=selectors.units_to_visit(request.user),
                           liaisons=selectors.liaisons_for(request.user))


@login_required
def visit_create(request):
    require_capability(request.user, VISIT)
    initial = {"visited_on": timezone.localdate(), "member_unit": int_param(request.GET, "member_unit")}
    form = _visit_form(request, request.POST or None, initial=initial if request.method == "GET" else None)
    if request.method == "POST" and form.is_valid():
        visit = call_service(form, services.record_visit, actor=request.user, **form.service_kwargs(),
                             aliases={"member_unit_id": "member_unit", "liaison_id": "liaison"})
        if visit is not None:
            messages.success(request, _("The visit is recorded."))
            return redirect("joint:enterprise_visit_detail", visit.pk)
    return render(request, "joint/enterprise/form.html", {"form": form}, status=422 if form.errors else 200)


def _detail(request, visit, demand_form=None, status=200):
    actions = policies.actions(request.user, visit)
    unit = visit.member_unit
    return render(request, "joint/enterprise/detail.html", {
        "visit": visit, "log": selectors.log(visit), "demands": visit.demands.order_by("-created_at"),
        "steps": [(a, VISIT_FLOW.action_label(a)) for a in actions if a != VisitAction.RAISE_DEMAND],
        "can_raise": VisitAction.RAISE_DEMAND in actions,
        "demand_form": demand_form or forms.RaiseDemandForm(initial={
            "title": (visit.needs_found.splitlines() or [""])[0][:120],
            "description": visit.needs_found}),
        "unit_has_phone": bool(unit.contact_phone),
    }, status=status)


@login_required
def visit_detail(request, pk):
    return _detail(request, selectors.visit(request.user, pk))


@require_POST
@login_required
def visit_step(request, pk):
    visit = selectors.visit(request.user, pk)
    form = forms.VisitStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the form."))
    else:
        attempt(request, services.transition_visit, visit, form.cleaned_data["action"], actor=request.user,
                note=form.cleaned_data["note"], done=_("Done."))
    return redirect("joint:enterprise_visit_detail", visit.pk)


@require_POST
@login_required
def visit_raise_demand(request, pk):
    visit = selectors.visit(request.user, pk)
    if not policies.may_follow_up(request.user, visit):
        raise Forbidden(_("You do not have permission to do this."))
    form = forms.RaiseDemandForm(request.POST)
    if form.is_valid():
        demand = call_service(form, services.raise_demand, visit, actor=request.user, **form.cleaned_data,
                              aliases={"submitter_phone": "contact_phone", "member_unit": None})
        if demand is not None:
            messages.success(request, _("Demand %(code)s is submitted for the firm.") % {"code": demand.tracking_code})
            return redirect("joint:enterprise_visit_detail", visit.pk)
    return _detail(request, visit, demand_form=form, status=422)


@login_required
def coverage(request):
    return render(request, "joint/enterprise/coverage.html", {"data": selectors.coverage(request.user),
                                                              "can_add": policies.may_record(request.user)})


@login_required
def coverage_export(request):
    with override("zh-hans"):
        data = selectors.coverage(request.user)
    return xlsx_response(excel.coverage_workbook(data), f"楼宇联络员配备-{timezone.localdate().isoformat()}.xlsx")


urlpatterns = [
    path("enterprise/visits/", visit_list, name="enterprise_visit_list"),
    path("enterprise/visits/new/", visit_create, name="enterprise_visit_create"),
    path("enterprise/visits/<int:pk>/", visit_detail, name="enterprise_visit_detail"),
    path("enterprise/visits/<int:pk>/step/", visit_step, name="enterprise_visit_step"),
    path("enterprise/visits/<int:pk>/demand/", visit_raise_demand, name="enterprise_visit_demand"),
    path("enterprise/coverage/", coverage, name="enterprise_coverage"),
    path("enterprise/coverage/export/", coverage_export, name="enterprise_coverage_export"),
]
