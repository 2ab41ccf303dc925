"""Pages of the agreements part (thin: forms in, services and selectors out).

Co-building agreements: the list (state, party unit, search), a new agreement, an agreement's page (print-friendly)
with its parties, work memo, commitments and the KPI progress drawn as bars against the pro-rated targets, the
reports, the renewal chain and the timeline; adding a commitment to a draft; signing, expiring, cancelling;
reporting a month's progress; renewing. 众筹共建 projects: the list, a new project, a project's page with its
totals per kind against the goal and its pledges, and recording a pledge.

Readers: ``joint.view`` over the sub-district, or a party unit's liaison (`policies.view_scope`); writers:
``joint.manage`` over it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.core.errors import Forbidden
from gongzhi.core.forms import call_service
from gongzhi.core.views import attempt, paginate
from gongzhi.joint import forms_agreements as forms
from gongzhi.joint.policies import agreements as policies
from gongzhi.joint.selectors import agreements as selectors
from gongzhi.joint.services import agreements as services
from gongzhi.joint.workflow_agreements import AGREEMENT_FLOW, AgreementAction

T = "joint/agreements/"


def _readers_only(user) -> None:
    if not policies.sees_any(user):
        raise Forbidden(_("You do not have permission to do this."))


def _managers_only(user) -> None:
    if not policies.manages_any(user):
        raise Forbidden(_("You do not have permission to do this."))


def _managed(user, pk):
    """The agreement, for a page that changes it: 403 without the right, 404 out of scope."""
    _readers_only(user)
    agreement = selectors.agreement(user, pk)
    if not policies.manages(user, agreement):
        raise Forbidden(_("You do not have permission to do this."))
    return agreement


def _form_page(request, template: str, context: dict):
    form = context["form"]
    return render(request, T + template, context, status=422 if form.errors else 200)


# --- Agreements ------------------------------------------------------------------------------------------------

@login_required
def agreement_list(request):
    _readers_only(request.user)
    qs = selectors.filter_agreements(selectors.agreements_for(request.user), request.GET)
    context = {"page": paginate(request, qs), "states": AGREEMENT_FLOW.states.choices,
               "units": selectors.party_units(request.user), "can_add": policies.manages_any(request.user)}
    return render(request, T + ("_table.html" if request.htmx else "list.html"), context)


def _agreement_form(request, data=None):
    user = request.user
    return forms.AgreementForm(data, regions=selectors.subdistricts_to_manage(user),
                               units=selectors.units_to_choose(user), orgs=selectors.orgs_to_choose(user),
                               platforms=selectors.platforms_to_choose(user))


@login_required
def agreement_create(request):
    _managers_only(request.user)
    form = _agreement_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = call_service(form, services.create_agreement, data["region"], actor=request.user,
                            title=data["title"], code=data["code"], party_org=data["party_org"],
                            units=list(data["units"]), platform=data["platform"], starts_on=data["starts_on"],
                            ends_on=data["ends_on"], memo=data["memo"])
        if made is not None:
            messages.success(request, _("The agreement is drawn up. Add its commitments, then sign it."))
            return redirect("joint:agreements_detail", made.pk)
    return _form_page(request, "form.html", {"form": form, "heading": _("New co-building agreement")})


def _detail_context(request, agreement) -> dict:
    items = selectors.commitments(agreement)
    actions = policies.actions(request.user, agreement)
    return {"agreement": agreement, "commitments": items, "progress": selectors.progress(agreement, items),
            "reports": selectors.reports(agreement), "chain": selectors.chain(agreement),
            "log": selectors.log(agreement), "actions": actions,
            "steps": [(a, AGREEMENT_FLOW.action_label(a)) for a in actions
                      if a in (AgreementAction.SIGN, AgreementAction.EXPIRE, AgreementAction.CANCEL)]}


@login_required
def agreement_detail(request, pk):
    _readers_only(request.user)
    agreement = selectors.agreement(request.user, pk)
    return render(request, T + "detail.html", _detail_context(request, agreement))


@login_required
def agreement_print(request, pk):
    _readers_only(request.user)
    agreement = selectors.agreement(request.user, pk)
    return render(request, T + "print.html", _detail_context(request, agreement) | {"printing": True})


@require_POST
@login_required
def agreement_transition(request, pk):
    agreement = _managed(request.user, pk)
    form = forms.TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the form."))
    else:
        attempt(request, services.transition_agreement, agreement, form.cleaned_data["action"], actor=request.user,
                note=form.cleaned_data["note"], done=_("Done."))
    return redirect("joint:agreements_detail", agreement.pk)


@login_required
def commitment_add(request, pk):
    agreement = _managed(request.user, pk)
    if not policies.can(request.user, agreement, "edit"):
        messages.info(request, _("Commitments are set while the agreement is a draft."))
        return redirect("joint:agreements_detail", agreement.pk)
    units = agreement.units.order_by("name")
    form = forms.CommitmentForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        if call_service(form, services.add_commitment, agreement, actor=request.user, **form.cleaned_data):
            messages.success(request, _("Saved."))
            return redirect("joint:agreements_detail", agreement.pk)
    return _form_page(request, "form.html", {"form": form, "agreement": agreement, "heading": _("Add a commitment")})


@login_required
def agreement_report(request, pk):
    agreement = _managed(request.user, pk)
    if not policies.can(request.user, agreement, "report"):
        messages.info(request, _("Progress is reported on an agreement in force."))
        return redirect("joint:agreements_detail", agreement.pk)
    form = forms.ReportForm(request.POST or None, commitments=selectors.commitments(agreement))
    if request.method == "POST" and form.is_valid():
        if call_service(form, services.record_report, agreement, actor=request.user,
                        period=form.cleaned_data["period"], values=form.values(), note=form.cleaned_data["note"]):
            messages.success(request, _("The report is recorded."))
            return redirect("joint:agreements_detail", agreement.pk)
    return _form_page(request, "form.html", {"form": form, "agreement": agreement,
                                             "heading": _("Report progress")})


@login_required
def agreement_renew(request, pk):
    agreement = _managed(request.user, pk)
    if not policies.can(request.user, agreement, AgreementAction.RENEW):
        messages.info(request, _("Only an agreement in force or expired, not renewed yet, can be renewed."))
        return redirect("joint:agreements_detail", agreement.pk)
    form = forms.RenewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = call_service(form, services.renew_agreement, agreement, actor=request.user, **form.cleaned_data)
        if made is not None:
            messages.success(request, _("Renewed: the next agreement is a draft with the same commitments."))
            return redirect("joint:agreements_detail", made.pk)
    return _form_page(request, "form.html", {"form": form, "agreement": agreement,
                                             "heading": _("Renew the agreement")})


# --- 众筹共建 projects ---------------------------------------------------------------------------------------------

@login_required
def project_list(request):
    _readers_only(request.user)
    qs = selectors.filter_projects(selectors.projects_for(request.user), request.GET)
    page = paginate(request, qs)
    for p in page:
        p.totals = selectors.totals(p)
    context = {"page": page, "units": selectors.pledging_units(request.user),
               "can_add": policies.manages_any(request.user)}
    return render(request, T + ("_projects_table.html" if request.htmx else "projects.html"), context)


@login_required
def project_create(request):
    _managers_only(request.user)
    form = forms.ProjectForm(request.POST or None, regions=selectors.subdistricts_to_manage(request.user),
                             platforms=selectors.platforms_to_choose(request.user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        made = call_service(form, services.create_project, data.pop("region"), actor=request.user, **data)
        if made is not None:
            messages.success(request, _("The project is open for pledges."))
            return redirect("joint:agreements_project_detail", made.pk)
    return _form_page(request, "form.html", {"form": form, "heading": _("New crowd-funded project")})


def _pledge_form(request, data=None):
    return forms.PledgeForm(data, units=selectors.units_to_choose(request.user))


@login_required
def project_detail(request, pk, form=None):
    _readers_only(request.user)
    project = selectors.project(request.user, pk)
    can_pledge = policies.can(request.user, project, "pledge")
    context = {"project": project, "totals": selectors.totals(project), "pledges": selectors.pledges(project),
               "form": (form or _pledge_form(request)) if can_pledge else None}
    return render(request, T + "project_detail.html", context, status=422 if form is not None else 200)


@require_POST
@login_required
def project_pledge(request, pk):
    _readers_only(request.user)
    project = selectors.project(request.user, pk)
    if not policies.can(request.user, project, "pledge"):
        raise Forbidden(_("You do not have permission to do this."))
    form = _pledge_form(request, request.POST)
    if form.is_valid() and call_service(form, services.pledge, project, actor=request.user, **form.cleaned_data):
        messages.success(request, _("The pledge is recorded."))
        return redirect("joint:agreements_project_detail", project.pk)
    return project_detail(request, project.pk, form=form)


urlpatterns = [
    path("agreements/", agreement_list, name="agreements_list"),
    path("agreements/new/", agreement_create, name="agreements_create"),
    path("agreements/<int:pk>/", agreement_detail, name="agreements_detail"),
    path("agreements/<int:pk>/print/", agreement_print, name="agreements_print"),
    path("agreements/<int:pk>/transition/", agreement_transition, name="agreements_transition"),
    path("agreements/<int:pk>/commitments/new/", commitment_add, name="agreements_commitment_add"),
    path("agreements/<int:pk>/report/", agreement_report, name="agreements_report"),
    path("agreements/<int:pk>/renew/", agreement_renew, name="agreements_renew"),
    path("agreements/projects/", project_list, name="agreements_projects"),
    path("agreements/projects/new/", project_create, name="agreements_project_create"),
    path("agreements/projects/<int:pk>/", project_detail, name="agreements_project_detail"),
    path("agreements/projects/<int:pk>/pledge/", project_pledge, name="agreements_pledge"),
]
