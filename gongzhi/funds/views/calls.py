"""Pages of the calls part (thin: forms in, services and selectors out).

Staff (login, ``funds.view`` to read, ``funds.manage`` to act): the call list, a call's page with its phase bar,
its proposals and totals against the budget; creating and editing a call; entering a proposal with its budget
lines; a proposal's page (print-friendly) with the review, decline, vote, decision and grant forms the policy
allows (and the record of a co-signature given on paper), and its timeline.

Residents (public H5 pages, no account, nothing personal): an area's calls, a call with its proposals, a proposal
with its co-signing households; submitting a proposal and co-signing one once a phone is proven with an SMS code
(the deliberation app's H5 verify page, whose proof in the session these pages share).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.accounts.scope import require_capability
from gongzhi.core.errors import Conflict, DomainError, Forbidden, NothingChanged, ValidationFailed, int_param
from gongzhi.core.forms import apply_error, call_service, error_text
from gongzhi.core.masking import mask_name, personal_data_visible
from gongzhi.core.views import attempt, paginate
from gongzhi.core.workflow import SUBMITTER
from gongzhi.deliberation.views.votes import proven_phone
from gongzhi.funds import forms_calls as forms
from gongzhi.funds.models import ProposalOrigin
from gongzhi.funds.policies import calls as policies
from gongzhi.funds.selectors import calls as selectors
from gongzhi.funds.services import calls as services
from gongzhi.funds.workflow import CALL_FLOW, FUNDED_STATES, PROPOSAL_FLOW, CallAction, CallState

VIEW, MANAGE = policies.VIEW, policies.MANAGE
PHASES = [s for s in CallState.values if s != CallState.CANCELLED]


def verify_url(back: str) -> str:
    """The deliberation app's H5 page proving a phone by SMS code, coming back to `back` (the proof is shared)."""
    return reverse("deliberation:votes_h5_verify") + "?" + urlencode({"next": back})


def _phase_bar(call) -> list[dict]:
    here = PHASES.index(call.state) if call.state in PHASES else -1
    return [{"state": s, "label": CALL_FLOW.state_label(s), "done": i < here, "current": i == here}
            for i, s in enumerate(PHASES)]


# --- Calls (staff) -------------------------------------------------------------------------------------------------

@login_required
def call_list(request):
    require_capability(request.user, VIEW)
    qs = selectors.filter_calls(selectors.calls_for(request.user), request.GET)
    context = {"page": paginate(request, qs), "states": CALL_FLOW.states.choices,
               "years": selectors.years(request.user),
               "funds": selectors.calls_for(request.user).values_list("fund_id", "fund__name").distinct()
               .order_by("-fund__year", "fund__name"),
               "can_add": policies.manages_any(request.user)}
    template = "funds/calls/_table_calls.html" if request.htmx else "funds/calls/list.html"
    return render(request, template, context)


@login_required
def call_create(request):
    require_capability(request.user, MANAGE)
    funds = selectors.funds_for_new_call(request.user)
    initial = {"fund": int_param(request.GET, "fund")} if request.method == "GET" else None
    form = forms.CallForm(request.POST or None, funds=funds, initial=initial)
    if request.method == "POST" and form.is_valid():
        call = None
        try:
            call = services.create_call(form.cleaned_data["fund"], actor=request.user, **form.service_kwargs())
        except (ValidationFailed, Conflict) as e:
            apply_error(form, e)
        if call is not None:
            messages.success(request, _("The call is announced. Open it for proposals when it is ready."))
            return redirect("funds:calls_detail", call.pk)
    return render(request, "funds/calls/form.html", {"form": form}, status=422 if form.errors else 200)


@login_required
def call_edit(request, pk):
    call = selectors.call(request.user, pk)
    if not policies.manages(request.user, call):
        raise Forbidden(_("You do not have permission to do this."))
    if call.state not in policies.EDITABLE_PHASES:
        messages.info(request, _("A call can be changed only until its intake closes."))
        return redirect("funds:calls_detail", call.pk)
    initial = {name: getattr(call, name) for name in services.CALL_FIELDS} | {"fund": call.fund_id}
    form = forms.CallForm(request.POST or None, funds=selectors.funds_for_new_call(request.user), editing=True,
                          initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_call(call, actor=request.user, **form.service_kwargs())
        except NothingChanged as e:
            messages.info(request, e.message)
            return redirect("funds:calls_detail", call.pk)
        except (ValidationFailed, Conflict) as e:
            apply_error(form, e)
        else:
            messages.success(request, _("Saved."))
            return redirect("funds:calls_detail", call.pk)
    return render(request, "funds/calls/form.html", {"form": form, "obj": call}, status=422 if form.errors else 200)


@login_required
def call_detail(request, pk):
    call = selectors.call(request.user, pk)
    qs = selectors.filter_proposals(call.proposals.select_related("volunteer_team", "vote"),
                                    {"state": request.GET.get("state", ""), "q": request.GET.get("q", "")})
    actions = policies.actions(request.user, call)
    phase_actions = [(a, CALL_FLOW.action_label(a)) for a in actions if a in CallAction.values]
    blocked = [(CALL_FLOW.action_label(a), reason) for a in CALL_FLOW.actions_from(call.state)
               if a != CallAction.CANCEL and policies.manages(request.user, call)
               and (reason := policies.why_not_phase(call, a))]
    return render(request, "funds/calls/detail.html", {
        "call": call, "phases": _phase_bar(call), "totals": selectors.totals(call),
        "counts": selectors.state_counts(call), "page": paginate(request, qs.order_by("created_at", "pk")),
        "states": PROPOSAL_FLOW.states.choices, "actions": phase_actions, "blocked": blocked,
        "can_edit": "edit" in actions, "can_propose": "propose" in actions, "log": selectors.call_log(call),
        "h5_url": reverse("funds:calls_h5_call", args=[call.pk]) if call.state in selectors.PUBLIC_CALL_STATES
        else "",
    })


@require_POST
@login_required
def call_transition(request, pk):
    call = selectors.call(request.user, pk)
    form = forms.CallTransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the form."))
    else:
        attempt(request, services.transition_call, call, form.cleaned_data["action"], actor=request.user,
                note=form.cleaned_data["note"], done=_("Done."))
    return redirect("funds:calls_detail", call.pk)


# --- Proposals (staff) ---------------------------------------------------------------------------------------------

def _apply(form, formset, error: DomainError) -> None:
    """A service's refusal on the page: errors on the budget lines above the lines' table, the rest on the form."""
    lines = error.field_errors.get("lines")
    rest = {k: v for k, v in error.field_errors.items() if k != "lines"}
    if lines:
        formset._non_form_errors = formset.error_class(list(formset.non_form_errors()) + lines,
                                                       error_class="nonform")
        if rest:
            apply_error(form, ValidationFailed(error.message, field_errors=rest))
    else:
        apply_error(form, error)


@login_required
def proposal_create(request, pk):
    call = selectors.call(request.user, pk)
    if not policies.manages(request.user, call):
        raise Forbidden(_("You do not have permission to do this."))
    if not policies.can(request.user, call, "propose"):
        messages.info(request, _("This call does not accept proposals now."))
        return redirect("funds:calls_detail", call.pk)
    post = request.POST if request.method == "POST" else None
    form = forms.ProposalForm(post, call=call, user=request.user,
                              initial={"origin": ProposalOrigin.VOLUNTEER_TEAM} if post is None else None)
    lines = forms.budget_lines(post)
    if post is not None and form.is_valid() & lines.is_valid():
        try:
            proposal = services.submit_proposal(call, actor=request.user, lines=forms.lines_of(lines),
                                                **form.service_kwargs())
        except (ValidationFailed, Conflict) as e:
            _apply(form, lines, e)
        else:
            messages.success(request, _("The proposal is entered."))
            return redirect("funds:calls_proposal_detail", proposal.pk)
    invalid = bool(form.errors) or any(f.errors for f in lines.forms) or bool(lines.non_form_errors())
    return render(request, "funds/calls/proposal_form.html", {"form": form, "lines": lines, "call": call},
                  status=422 if invalid else 200)


@login_required
def proposal_list(request):
    require_capability(request.user, VIEW)
    qs = selectors.filter_proposals(selectors.proposals_for(request.user), request.GET)
    context = {"page": paginate(request, qs), "states": PROPOSAL_FLOW.states.choices,
               "origins": ProposalOrigin.choices}
    template = "funds/calls/_table_proposals.html" if request.htmx else "funds/calls/proposals.html"
    return render(request, template, context)


def _proposal_forms(user, proposal, lines, bound: dict) -> dict:
    """The action forms the user may use now (a bound one, with its errors, replaces its blank form)."""
    made = {}
    if policies.can(user, proposal, "review"):
        made["review_form"] = bound.get("review_form") or forms.ReviewForm(lines=lines)
    if policies.can(user, proposal, "decline"):
        made["decline_form"] = bound.get("decline_form") or forms.ReasonForm()
    if policies.can(user, proposal, "withdraw"):
        made["withdraw_form"] = bound.get("withdraw_form") or forms.ReasonForm()
    if policies.can(user, proposal, "put_to_vote"):
        made["vote_form"] = bound.get("vote_form") or forms.VoteForm()
    if policies.can(user, proposal, "decide"):
        made["decide_form"] = bound.get("decide_form") or forms.DecideForm(user=user, call=proposal.call)
    if policies.can(user, proposal, "grant"):
        made["grant_form"] = bound.get("grant_form") or forms.GrantForm()
    if policies.can(user, proposal, "cosign"):
        made["cosign_form"] = bound.get("cosign_form") or forms.PaperCosignForm(call=proposal.call)
    made["can_apply_vote"] = policies.can(user, proposal, "apply_vote_result")
    return made


@login_required
def proposal_detail(request, pk, status: int = 200, **bound):
    proposal = selectors.proposal(request.user, pk)
    lines = selectors.lines(proposal)
    visible = personal_data_visible(request.user, proposal)
    context = {
        "proposal": proposal, "call": proposal.call, "lines": lines, "asked": selectors.asked(proposal),
        "cosigns": selectors.cosign_count(proposal), "log": selectors.proposal_log(proposal),
        "cosign_rows": list(selectors.cosigns(proposal)),  # building and room, as the deliberation app shows them
        "contact_name": proposal.contact_name if visible else mask_name(proposal.contact_name),
        "contact_phone": proposal.contact_phone if visible else proposal.masked_phone,
        "h5_url": reverse("funds:calls_h5_proposal", args=[proposal.pk])
        if proposal.call.state in selectors.PUBLIC_CALL_STATES else "",
        "delivery_url": reverse("funds:delivery_detail", args=[proposal.pk]) if proposal.state in FUNDED_STATES
        else "",
        **_proposal_forms(request.user, proposal, lines, bound),
    }
    return render(request, "funds/calls/proposal_detail.html", context, status=status)


def _act(request, pk, form, name: str, call, done: str):
    """Run a proposal action from its form: back to the page when it worked, the page with the form's errors (422)
    when the input was refused."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except (ValidationFailed, Conflict) as e:
            apply_error(form, e)
        else:
            messages.success(request, done)
            return redirect("funds:calls_proposal_detail", pk)
    return proposal_detail(request, pk, status=422, **{name: form})


@require_POST
@login_required
def proposal_review(request, pk):
    proposal = selectors.proposal(request.user, pk)
    form = forms.ReviewForm(request.POST, lines=selectors.lines(proposal))
    return _act(request, pk, form, "review_form", lambda d: services.review_proposal(
        proposal, actor=request.user, approved_lines=form.approved_lines(), note=d["note"]),
        _("The review is recorded."))


@require_POST
@login_required
def proposal_decline(request, pk):
    proposal = selectors.proposal(request.user, pk)
    return _act(request, pk, forms.ReasonForm(request.POST), "decline_form", lambda d: services.decline_proposal(
        proposal, actor=request.user, reason=d["reason"]), _("The proposal is declined."))


@require_POST
@login_required
def proposal_withdraw(request, pk):
    proposal = selectors.proposal(request.user, pk)
    return _act(request, pk, forms.ReasonForm(request.POST), "withdraw_form", lambda d: services.withdraw_proposal(
        proposal, actor=request.user, reason=d["reason"]), _("The proposal is withdrawn."))


@require_POST
@login_required
def proposal_cosign(request, pk):
    """Staff record a household's co-signature given on paper (the building and room of the paper sheet)."""
    proposal = selectors.proposal(request.user, pk)
    form = forms.PaperCosignForm(request.POST, call=proposal.call)
    if form.is_valid() and call_service(form, services.cosign_proposal, proposal, actor=request.user,
                                        household=form.cleaned_data["household"],
                                        aliases={"household": "room"}) is not None:
        messages.success(request, _("Co-signature recorded."))
        return redirect("funds:calls_proposal_detail", pk)
    return proposal_detail(request, pk, status=422, cosign_form=form)


@require_POST
@login_required
def proposal_vote(request, pk):
    proposal = selectors.proposal(request.user, pk)
    return _act(request, pk, forms.VoteForm(request.POST), "vote_form", lambda d: services.put_to_vote(
        proposal, actor=request.user, **d), _("The proposal is put to a household vote."))


@require_POST
@login_required
def proposal_vote_result(request, pk):
    proposal = selectors.proposal(request.user, pk)
    attempt(request, services.apply_vote_result, proposal, actor=request.user, done=_("The vote's result is applied."))
    return redirect("funds:calls_proposal_detail", proposal.pk)


@require_POST
@login_required
def proposal_decide(request, pk):
    proposal = selectors.proposal(request.user, pk)
    form = forms.DecideForm(request.POST, user=request.user, call=proposal.call)
    return _act(request, pk, form, "decide_form", lambda d: services.decide_proposal(
        proposal, actor=request.user, selected=d["selected"], meeting=d["meeting"], note=d["note"]),
        _("The decision is recorded."))


@require_POST
@login_required
def proposal_grant(request, pk):
    proposal = selectors.proposal(request.user, pk)
    return _act(request, pk, forms.GrantForm(request.POST), "grant_form", lambda d: services.grant_proposal(
        proposal, actor=request.user, occurred_on=d["occurred_on"]), _("The grant is booked."))


# --- Residents on H5 (public) --------------------------------------------------------------------------------------

def h5_area(request, pk):
    """An area's calls for its residents: those open for proposals first, with the proposals still collecting
    co-signing households."""
    area = selectors.public_area(pk)
    calls = list(selectors.public_calls(area)[:20])
    return render(request, "funds/calls/h5/area.html", {
        "area": area, "open_calls": [c for c in calls if c.state == CallState.ACCEPTING],
        "other_calls": [c for c in calls if c.state != CallState.ACCEPTING],
        "collecting": {c.pk: [p for p in selectors.public_proposals(c) if p.state == "collecting"]
                       for c in calls if c.state == CallState.ACCEPTING},
    })


def h5_call(request, pk):
    call = selectors.public_call(pk)
    phone = proven_phone(request)
    return render(request, "funds/calls/h5/call.html", {
        "call": call, "area": call.fund.region, "proposals": selectors.public_proposals(call)[:100],
        "accepting": policies.accepts_proposals(call), "proven": bool(phone),
        "verify_url": verify_url(reverse("funds:calls_h5_propose", args=[call.pk])),
    })


def h5_propose(request, pk):
    """A resident proposes a project (phone proven first: it becomes the proposal's contact phone)."""
    call = selectors.public_call(pk)
    here = reverse("funds:calls_h5_propose", args=[call.pk])
    phone = proven_phone(request)
    households = list(selectors.my_households(call, phone))
    post = request.POST if request.method == "POST" and phone else None
    form = forms.H5ProposalForm(post, households=households)
    lines = forms.budget_lines(post)
    if post is not None and policies.accepts_proposals(call) and form.is_valid() & lines.is_valid():
        d = form.cleaned_data
        try:
            proposal = services.submit_proposal(
                call, actor=SUBMITTER, proven_phone=phone, title=d["title"], summary=d["summary"],
                team_name=d["team_name"], contact_name=d["contact_name"], household=d["household"],
                beneficiaries=d["beneficiaries"], lines=forms.lines_of(lines))
        except (ValidationFailed, Conflict, Forbidden) as e:
            _apply(form, lines, e)
        else:
            messages.success(request, _("Thank you: your proposal is received.") if proposal.state != "collecting"
                             else _("Thank you: your proposal is received. Ask your neighbours to co-sign it."))
            return redirect("funds:calls_h5_proposal", proposal.pk)
    invalid = bool(form.errors) or any(f.errors for f in lines.forms) or bool(lines.non_form_errors())
    return render(request, "funds/calls/h5/propose.html", {
        "call": call, "area": call.fund.region, "form": form, "lines": lines, "proven": bool(phone),
        "accepting": policies.accepts_proposals(call), "verify_url": verify_url(here),
    }, status=422 if invalid else 200)


def h5_proposal(request, pk):
    proposal = selectors.public_proposal(pk)
    phone = proven_phone(request)
    here = reverse("funds:calls_h5_proposal", args=[proposal.pk])
    takes = policies.takes_cosigns(proposal)
    return render(request, "funds/calls/h5/proposal.html", {
        "proposal": proposal, "call": proposal.call, "area": proposal.call.fund.region,
        "lines": selectors.lines(proposal), "asked": selectors.asked(proposal),
        "cosigns": selectors.cosign_count(proposal), "takes_cosigns": takes, "proven": bool(phone),
        "mine": selectors.my_cosigns(proposal, phone) if phone and takes else [], "verify_url": verify_url(here),
    })


@require_POST
def h5_cosign(request, pk):
    proposal = selectors.public_proposal(pk)
    here = reverse("funds:calls_h5_proposal", args=[proposal.pk])
    phone = proven_phone(request)
    if not phone:
        return redirect(verify_url(here))
    household = int_param(request.POST, "household")
    try:
        services.cosign_proposal(proposal, actor=SUBMITTER, household=household, proven_phone=phone)
    except DomainError as e:
        messages.error(request, error_text(e))
    else:
        messages.success(request, _("Thank you: your household backs this proposal."))
    return redirect(here)


urlpatterns: list = [
    path("calls/", call_list, name="calls_list"),
    path("calls/new/", call_create, name="calls_create"),
    path("calls/<int:pk>/", call_detail, name="calls_detail"),
    path("calls/<int:pk>/edit/", call_edit, name="calls_edit"),
    path("calls/<int:pk>/transition/", call_transition, name="calls_transition"),
    path("calls/<int:pk>/propose/", proposal_create, name="calls_proposal_create"),
    path("calls/proposals/", proposal_list, name="calls_proposal_list"),
    path("calls/proposals/<int:pk>/", proposal_detail, name="calls_proposal_detail"),
    path("calls/proposals/<int:pk>/review/", proposal_review, name="calls_proposal_review"),
    path("calls/proposals/<int:pk>/decline/", proposal_decline, name="calls_proposal_decline"),
    path("calls/proposals/<int:pk>/withdraw/", proposal_withdraw, name="calls_proposal_withdraw"),
    path("calls/proposals/<int:pk>/cosign/", proposal_cosign, name="calls_proposal_cosign"),
    path("calls/proposals/<int:pk>/vote/", proposal_vote, name="calls_proposal_vote"),
    path("calls/proposals/<int:pk>/vote-result/", proposal_vote_result, name="calls_proposal_vote_result"),
    path("calls/proposals/<int:pk>/decide/", proposal_decide, name="calls_proposal_decide"),
    path("calls/proposals/<int:pk>/grant/", proposal_grant, name="calls_proposal_grant"),
    path("calls/h5/areas/<int:pk>/", h5_area, name="calls_h5_area"),
    path("calls/h5/calls/<int:pk>/", h5_call, name="calls_h5_call"),
    path("calls/h5/calls/<int:pk>/propose/", h5_propose, name="calls_h5_propose"),
    path("calls/h5/proposals/<int:pk>/", h5_proposal, name="calls_h5_proposal"),
    path("calls/h5/proposals/<int:pk>/cosign/", h5_cosign, name="calls_h5_cosign"),
]
