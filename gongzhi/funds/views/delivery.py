"""Funds pages of the delivery part: the delivery list of the user's scope, a delivery page per granted proposal
(milestones, progress, spending per budget line with receipts, photos, the closing review; its forms shown by
policy; print-friendly), the forms' posts, and the public results page of a residential area (H5, no account)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.core.errors import Forbidden, int_param
from gongzhi.core.forms import call_service
from gongzhi.core.views import attempt, paginate
from gongzhi.funds import forms_delivery as forms
from gongzhi.funds.policies import delivery as policies
from gongzhi.funds.selectors import delivery as selectors
from gongzhi.funds.services import delivery as services
from gongzhi.funds.workflow import ProposalState


@login_required
def delivery_list(request):
    if not selectors.may_list(request.user):
        raise Forbidden()
    qs = selectors.delivery_list(request.user, request.GET)
    return render(request, "funds/delivery/list.html", {
        "page": paginate(request, qs), "areas": selectors.areas_for(request.user),
        "years": selectors.years_for(selectors.proposals_for(request.user)),
        "states": [(s, ProposalState(s).label) for s in (ProposalState.GRANTED, ProposalState.DELIVERING,
                                                         ProposalState.COMPLETED)],
        "filters": {k: request.GET.get(k, "") for k in ("year", "area", "state", "late", "unreceipted", "q")},
    })


def _detail(request, pk, status: int = 200, **bound):
    proposal = selectors.proposal(request.user, pk)
    lines = selectors.budget(proposal)
    can = {a: policies.can(request.user, proposal, a) for a in policies.ACTIONS}
    today = timezone.localdate()
    context = {
        "obj": proposal, "lines": lines, "summary": selectors.summary(proposal), "can": can,
        "milestones": list(proposal.milestones.all()), "today": today, "photos": selectors.photos(proposal),
        "grant_date": selectors.grant_date(proposal), "transitions": selectors.log(proposal),
        "milestone_form": bound.get("milestone_form") or forms.MilestoneForm(),
        "spending_form": bound.get("spending_form") or forms.SpendingForm(lines=lines, initial={"spent_on": today}),
        "progress_form": bound.get("progress_form") or forms.ProgressForm(initial={
            "progress": proposal.progress, "beneficiaries_reached": proposal.beneficiaries_reached}),
        "photo_form": bound.get("photo_form") or forms.PhotoForm(),
        "receipt_form": forms.ReceiptForm(), "receipt_errors": bound.get("receipt_errors"),
        "complete_form": bound.get("complete_form") or (forms.CompleteForm(
            meetings=selectors.review_meetings(proposal)) if can[policies.COMPLETE] else None),
        "public_url": _public_url(proposal),
    }
    return render(request, "funds/delivery/detail.html", context, status=status)


def _public_url(proposal) -> str:
    region = proposal.call.fund.region
    if region.kind != "residential_area":
        return ""
    year = proposal.call.fund.year or proposal.created_at.year
    return f"{reverse('funds:delivery_h5_area', args=[region.pk])}?year={year}"


@login_required
def delivery_detail(request, pk):
    return _detail(request, pk)


def _posted(request, pk, form_name: str, form, service, *args, done: str, values):
    """Run the service with the form's input; its refusals go back onto the form (the page again, 422)."""
    if form.is_valid() and call_service(form, service, *args, actor=request.user, **values(form.cleaned_data)) \
            is not None:
        messages.success(request, done)
        return redirect("funds:delivery_detail", pk)
    return _detail(request, pk, status=422, **{form_name: form})


@require_POST
@login_required
def milestone_add(request, pk):
    form = forms.MilestoneForm(request.POST)
    return _posted(request, pk, "milestone_form", form, services.add_milestone, pk, done=_("Milestone added."),
                   values=lambda d: d)


@require_POST
@login_required
def milestone_edit(request, pk):
    milestone = selectors.milestone(request.user, pk)
    form = forms.MilestoneForm(request.POST)
    return _posted(request, milestone.proposal_id, "milestone_form", form, services.edit_milestone, milestone,
                   done=_("Milestone saved."), values=lambda d: d)


@require_POST
@login_required
def milestone_done(request, pk):
    milestone = selectors.milestone(request.user, pk)
    attempt(request, services.mark_milestone_done, milestone, actor=request.user, done=_("Milestone done."))
    return redirect("funds:delivery_detail", milestone.proposal_id)


@require_POST
@login_required
def spending_add(request, pk):
    proposal = selectors.proposal(request.user, pk)
    form = forms.SpendingForm(request.POST, request.FILES, lines=selectors.budget(proposal))
    return _posted(request, pk, "spending_form", form, services.record_spending, pk, done=_("Spending recorded."),
                   values=lambda d: d)


@require_POST
@login_required
def receipt_add(request, pk):
    row = selectors.spending(request.user, pk)
    form = forms.ReceiptForm(request.POST, request.FILES)
    if form.is_valid() and call_service(form, services.add_receipt, row, actor=request.user,
                                        receipt=form.cleaned_data["receipt"]) is not None:
        messages.success(request, _("Receipt scan added."))
        return redirect("funds:delivery_detail", row.proposal_id)
    return _detail(request, row.proposal_id, status=422, receipt_errors=(row.pk, form.errors))


@require_POST
@login_required
def progress_set(request, pk):
    form = forms.ProgressForm(request.POST)
    return _posted(request, pk, "progress_form", form, services.set_progress, pk, done=_("Progress saved."),
                   values=lambda d: {"percent": d["progress"], "beneficiaries_reached": d["beneficiaries_reached"]})


@require_POST
@login_required
def photo_add(request, pk):
    form = forms.PhotoForm(request.POST, request.FILES)
    return _posted(request, pk, "photo_form", form, services.add_photo, pk, done=_("Photo added."),
                   values=lambda d: d)


@require_POST
@login_required
def complete(request, pk):
    proposal = selectors.proposal(request.user, pk)
    form = forms.CompleteForm(request.POST, meetings=selectors.review_meetings(proposal))
    return _posted(request, pk, "complete_form", form, services.complete_proposal, pk,
                   done=_("The project is completed; the unspent rest went back to the fund."), values=lambda d: d)


# --- the public results page (H5) ------------------------------------------------------------------------

def h5_area(request, pk):
    """A residential area's funded projects of a year, for its residents (no account): what was funded, what was
    spent, how far along, before and after photos, the completion. No contact, no person's name."""
    area = selectors.public_area(pk)
    years = selectors.public_years(area)
    year = int_param(request.GET, "year", minimum=1900, maximum=9999) or (years[0] if years else None)
    projects = selectors.public_results(area, year)
    return render(request, "funds/delivery/h5_area.html", {
        "area": area, "years": years, "year": year, "projects": projects,
        "total_granted": sum((p.granted for p in projects), Decimal("0.00")),
        "total_spent": sum((p.spent for p in projects), Decimal("0.00")),
    })


urlpatterns = [
    path("delivery/", delivery_list, name="delivery_list"),
    path("delivery/<int:pk>/", delivery_detail, name="delivery_detail"),
    path("delivery/<int:pk>/milestones/", milestone_add, name="delivery_milestone_add"),
    path("delivery/milestones/<int:pk>/edit/", milestone_edit, name="delivery_milestone_edit"),
    path("delivery/milestones/<int:pk>/done/", milestone_done, name="delivery_milestone_done"),
    path("delivery/<int:pk>/spending/", spending_add, name="delivery_spending_add"),
    path("delivery/spending/<int:pk>/receipt/", receipt_add, name="delivery_receipt_add"),
    path("delivery/<int:pk>/progress/", progress_set, name="delivery_progress"),
    path("delivery/<int:pk>/photos/", photo_add, name="delivery_photo_add"),
    path("delivery/<int:pk>/complete/", complete, name="delivery_complete"),
    path("delivery/h5/areas/<int:pk>/", h5_area, name="delivery_h5_area"),
]
