"""Pages of the councils part of deliberation (thin: forms in, services and selectors out): councils and their
seats, the deliberation rules of each residential area with their versions, owners' committees, and their
elections with the vetting of candidates. `estate_panel` adds an estate's committee to its registry page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.accounts.scope import require_capability
from gongzhi.core.errors import Conflict, NotFound, NothingChanged, ValidationFailed
from gongzhi.core.forms import call_service, error_text
from gongzhi.deliberation import forms_councils as forms
from gongzhi.deliberation.models.councils import (
    Council,
    CouncilSeatKind,
    OwnersCommittee,
    OwnersElection,
)
from gongzhi.deliberation.policies import councils as policies
from gongzhi.deliberation.selectors import councils as selectors
from gongzhi.deliberation.services import councils as services
from gongzhi.deliberation.workflows_councils import (
    CANDIDATE_FLOW,
    ELECTION_FLOW,
    CandidateAction,
    CandidateState,
    ElectionAction,
    ElectionState,
)

VIEW, MANAGE = policies.VIEW, policies.MANAGE
T = "deliberation/councils/"


def _page(request, qs):
    return Paginator(qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def _list(request, template: str, context: dict):
    """A list page; an htmx request (the live filter form) gets only its table."""
    if request.htmx:
        template = template.replace(T, f"{T}_table_")
    return render(request, template, context)


def _filters(request) -> dict:
    return {"q": request.GET.get("q", ""), "area": request.GET.get("area", ""),
            "areas": selectors.areas_for(request.user)}


def _form_page(request, form, title: str, back: str, obj=None, extra: dict | None = None):
    return render(request, f"{T}form.html", {"form": form, "title": title, "back": back, "obj": obj,
                                              **(extra or {})}, status=422 if form.errors else 200)


def _saved(request, obj, url: str, message: str = ""):
    messages.success(request, message or _("Saved “%(obj)s”.") % {"obj": obj})
    return redirect(url)


def _log(obj, flow) -> list[dict]:
    return [{"at": t.created_at, "actor": t.actor_name, "action": flow.action_label(t.action),
             "from": flow.state_label(t.from_state) if t.from_state else "", "to": flow.state_label(t.to_state),
             "note": t.note} for t in selectors.log(obj)]


def _manage(request) -> None:
    require_capability(request.user, MANAGE)


def _editable(request, obj) -> None:
    if not policies.can(request.user, obj, policies.EDIT):
        raise NotFound(_("Not found."))


def _managed(request, obj) -> None:
    """The user manages the object's area (what the object's state allows is said on the page)."""
    if not policies.may_manage_area(request.user, policies.area_of(obj)):
        raise NotFound(_("Not found."))


# --- councils ---------------------------------------------------------------------------------------------------

@login_required
def councils(request):
    qs = selectors.councils_for(request.user, request.GET)
    return _list(request, f"{T}councils.html", {"page": _page(request, qs), **_filters(request),
                                                 "can_add": policies.can(request.user, Council, "create")})


@login_required
def council_create(request):
    _manage(request)
    form = forms.CouncilForm(request.POST or None, user=request.user, initial={"shape": "1+3+N"})
    if request.method == "POST" and form.is_valid():
        council = call_service(form, services.create_council, actor=request.user, **form.cleaned_data)
        if council:
            return _saved(request, council, reverse("deliberation:councils_detail", args=[council.pk]))
    return _form_page(request, form, _("New council"), reverse("deliberation:councils"))


@login_required
def council_detail(request, pk):
    council = selectors.council(request.user, pk)
    seats = list(selectors.seats_of(council))
    tiers = selectors.tiers(council)
    return render(request, f"{T}council_detail.html", {
        "council": council, "seats": seats, "tiers": tiers, "seated_shape": selectors.seated_shape(council),
        "shape_ok": all(t.ok for t in tiers), "can_edit": policies.can(request.user, council, policies.EDIT),
        "rules": selectors.rules_in_force(council.area),
    })


def _edit(request, obj, form_class, update, back_name: str):
    """The edit page of a council or committee: the form, then the update service (a change of nothing says so)."""
    _editable(request, obj)
    form = form_class(request.POST or None, instance=obj, user=request.user)
    back = reverse(back_name, args=[obj.pk])
    if request.method == "POST" and form.is_valid():
        try:
            saved = call_service(form, update, obj.pk, actor=request.user, unchanged_raises=True, **form.cleaned_data)
        except NothingChanged as e:
            messages.info(request, e.message)
            return redirect(back)
        if saved:
            return _saved(request, saved, back)
    return _form_page(request, form, _("Edit %(name)s") % {"name": obj}, back, obj)


@login_required
def council_edit(request, pk):
    _manage(request)
    return _edit(request, selectors.council(request.user, pk), forms.CouncilForm, services.update_council,
                 "deliberation:councils_detail")


@login_required
def seat_add(request, pk):
    _manage(request)
    council = selectors.council(request.user, pk)
    _editable(request, council)
    form = forms.SeatForm(request.POST or None, user=request.user, council=council,
                          initial={"kind": request.GET.get("kind") or CouncilSeatKind.RESIDENT_REPRESENTATIVE})
    back = reverse("deliberation:councils_detail", args=[council.pk])
    if request.method == "POST" and form.is_valid():
        seat = call_service(form, services.add_seat, council.pk, actor=request.user, **form.cleaned_data)
        if seat:
            return _saved(request, seat, back)
    return _form_page(request, form, _("Add a seat to %(name)s") % {"name": council}, back, council,
                      {"shape": council.shape})


@login_required
def seat_edit(request, pk):
    _manage(request)
    seat = selectors.seat(request.user, pk)
    _editable(request, seat.council)
    form = forms.SeatForm(request.POST or None, instance=seat, user=request.user, council=seat.council)
    back = reverse("deliberation:councils_detail", args=[seat.council_id])
    if request.method == "POST" and form.is_valid():
        try:
            saved = call_service(form, services.update_seat, seat.pk, actor=request.user, unchanged_raises=True,
                                 **form.cleaned_data)
        except NothingChanged as e:
            messages.info(request, e.message)
            return redirect(back)
        if saved:
            return _saved(request, saved, back)
    return _form_page(request, form, _("Edit the seat of %(holder)s") % {"holder": seat.holder}, back, seat)


@require_POST
@login_required
def seat_remove(request, pk):
    seat = selectors.seat(request.user, pk)
    services.remove_seat(seat.pk, actor=request.user)
    messages.success(request, _("The seat is free."))
    return redirect("deliberation:councils_detail", seat.council_id)


# --- deliberation rules -----------------------------------------------------------------------------------------

@login_required
def rules(request):
    return render(request, f"{T}rules.html", {"rows": selectors.rules_overview(request.user)})


@login_required
def rules_area(request, pk):
    area = selectors.rules_area(request.user, pk)
    return render(request, f"{T}rules_area.html", {
        "area": area, "current": selectors.rules_in_force(area), "history": selectors.rules_history(area),
        "can_edit": policies.can(request.user, area, policies.EDIT),
    })


@login_required
def rules_edit(request, pk):
    _manage(request)
    area = selectors.rules_area(request.user, pk)
    _editable(request, area)
    latest = selectors.latest_rules(area)
    initial = {"title": latest.title, "text": latest.text} if latest else {"title": "议事八则", "text": ""}
    form = forms.RulesForm(request.POST or None, initial=initial)
    back = reverse("deliberation:councils_rules_area", args=[area.pk])
    if request.method == "POST" and form.is_valid():
        try:
            version = call_service(form, services.edit_rules, area, actor=request.user, unchanged_raises=True,
                                   **form.cleaned_data)
        except NothingChanged:
            messages.info(request, _("The rules are unchanged: no new version."))
            return redirect(back)
        if version:
            return _saved(request, version, back, _("Version %(n)s of the rules is saved.") % {"n": version.number})
    return _form_page(request, form, _("Deliberation rules of %(area)s") % {"area": area}, back, area)


# --- owners' committees -----------------------------------------------------------------------------------------

@login_required
def committees(request):
    qs = selectors.committees_for(request.user, request.GET)
    return _list(request, f"{T}committees.html", {
        "page": _page(request, qs), **_filters(request),
        "can_add": policies.can(request.user, OwnersCommittee, "create"),
    })


@login_required
def committee_create(request):
    _manage(request)
    form = forms.CommitteeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        committee = call_service(form, services.create_committee, actor=request.user, **form.cleaned_data)
        if committee:
            return _saved(request, committee, reverse("deliberation:councils_committee_detail", args=[committee.pk]))
    return _form_page(request, form, _("New owners' committee"), reverse("deliberation:councils_committees"))


@login_required
def committee_detail(request, pk):
    committee = selectors.committee(request.user, pk)
    members = list(committee.members.all())
    return render(request, f"{T}committee_detail.html", {
        "committee": committee, "members": members, "share": selectors.party_share(members),
        "work_group": list(committee.party_work_group.all()),
        "can_edit": policies.can(request.user, committee, policies.EDIT),
    })


@login_required
def committee_edit(request, pk):
    _manage(request)
    return _edit(request, selectors.committee(request.user, pk), forms.CommitteeForm, services.update_committee,
                 "deliberation:councils_committee_detail")


@login_required
def committee_member_add(request, pk):
    _manage(request)
    committee = selectors.committee(request.user, pk)
    _editable(request, committee)
    form = forms.CommitteeMemberForm(request.POST or None, user=request.user, committee=committee)
    back = reverse("deliberation:councils_committee_detail", args=[committee.pk])
    if request.method == "POST" and form.is_valid():
        member = call_service(form, services.add_committee_member, committee.pk, actor=request.user,
                              **form.cleaned_data)
        if member:
            return _saved(request, member, back)
    return _form_page(request, form, _("Add a member to %(name)s") % {"name": committee}, back, committee)


@require_POST
@login_required
def committee_member_remove(request, pk):
    member = selectors.committee_member(request.user, pk)
    services.remove_committee_member(member.pk, actor=request.user)
    messages.success(request, _("%(name)s has left the committee.") % {"name": member.name})
    return redirect("deliberation:councils_committee_detail", member.committee_id)


# --- elections and candidates -----------------------------------------------------------------------------------

@login_required
def elections(request):
    qs = selectors.elections_for(request.user, request.GET)
    return _list(request, f"{T}elections.html", {
        "page": _page(request, qs), **_filters(request), "states": ElectionState.choices,
        "state": request.GET.get("state", ""), "can_add": policies.can(request.user, OwnersElection, "create"),
    })


@login_required
def election_create(request):
    _manage(request)
    form = forms.ElectionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        election = call_service(form, services.create_election, actor=request.user, **form.cleaned_data)
        if election:
            return _saved(request, election, reverse("deliberation:councils_election_detail", args=[election.pk]))
    return _form_page(request, form, _("New owners' committee election"), reverse("deliberation:councils_elections"))


@login_required
def election_detail(request, pk):
    election = selectors.election(request.user, pk)
    candidates = selectors.candidates_of(election)
    user = request.user
    steps = [(a, ELECTION_FLOW.action_label(a)) for a in policies.actions(user, election)
             if a in (ElectionAction.OPEN_VETTING, ElectionAction.CANCEL)]
    return render(request, f"{T}election_detail.html", {
        "election": election, "candidates": [(c, services.checklist_gaps(c), services.concerns(c))
                                             for c in candidates],
        "shares": selectors.election_shares(candidates), "steps": steps, "step_form": forms.StepForm(),
        "can_nominate": policies.can(user, election, policies.NOMINATE),
        "can_hold": policies.can(user, election, ElectionAction.HOLD),
        "can_record": policies.can(user, election, ElectionAction.RECORD),
        "committee": getattr(election, "committee", None) if election.state == ElectionState.RECORDED else None,
        "log": _log(election, ELECTION_FLOW),
    })


@require_POST
@login_required
def election_step(request, pk):
    """Start vetting, or cancel (with a reason)."""
    election = selectors.election(request.user, pk)
    form = forms.StepForm(request.POST)
    step = {ElectionAction.OPEN_VETTING: services.open_vetting, ElectionAction.CANCEL: services.cancel_election}
    action = request.POST.get("action", "")
    if not form.is_valid() or action not in step:
        messages.error(request, _("Check the form."))
    else:
        try:
            step[action](election.pk, actor=request.user, note=form.cleaned_data["note"])
        except (Conflict, ValidationFailed) as e:
            messages.error(request, error_text(e))
        else:
            messages.success(request, _("Done."))
    return redirect("deliberation:councils_election_detail", election.pk)


@login_required
def election_hold(request, pk):
    _manage(request)
    election = selectors.election(request.user, pk)
    _managed(request, election)
    back = reverse("deliberation:councils_election_detail", args=[election.pk])
    form = forms.HoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = call_service(form, services.hold_election, election.pk, actor=request.user, **form.cleaned_data)
        if done:
            return _saved(request, done, back, _("The election meeting is recorded."))
    return _form_page(request, form, _("Record the election meeting of %(name)s") % {"name": election}, back,
                      election, {"refused": not policies.can(request.user, election, ElectionAction.HOLD)})


@login_required
def election_result(request, pk):
    _manage(request)
    election = selectors.election(request.user, pk)
    _managed(request, election)
    approved = [c for c in selectors.candidates_of(election) if c.state == CandidateState.APPROVED]
    form = forms.ResultForm(request.POST or None, candidates=approved)
    back = reverse("deliberation:councils_election_detail", args=[election.pk])
    if request.method == "POST" and form.is_valid():
        done = call_service(form, services.record_result, election.pk, actor=request.user, **form.result())
        if done:
            return _saved(request, done, back, _("The result is recorded and the committee's term begins."))
    return render(request, f"{T}result_form.html", {
        "election": election, "form": form, "back": back,
        "refused": not policies.can(request.user, election, ElectionAction.RECORD),
        "share": selectors.party_share(approved),
    }, status=422 if form.errors else 200)


@login_required
def candidate_add(request, pk):
    _manage(request)
    election = selectors.election(request.user, pk)
    _managed(request, election)
    form = forms.CandidateForm(request.POST or None, user=request.user, election=election)
    back = reverse("deliberation:councils_election_detail", args=[election.pk])
    if request.method == "POST" and form.is_valid():
        candidate = call_service(form, services.nominate, election.pk, actor=request.user, **form.cleaned_data)
        if candidate:
            return _saved(request, candidate, reverse("deliberation:councils_candidate_detail", args=[candidate.pk]))
    return _form_page(request, form, _("Nominate a candidate for %(name)s") % {"name": election}, back, election,
                      {"refused": not policies.can(request.user, election, policies.NOMINATE)})


@login_required
def candidate_detail(request, pk):
    """A candidate's vetting page: the checklist (editable while awaiting vetting) and the vetting steps."""
    candidate = selectors.candidate(request.user, pk)
    user = request.user
    can_edit = policies.can(user, candidate, policies.EDIT)
    form = forms.CandidateForm(request.POST or None, instance=candidate, user=user,
                               election=candidate.election) if can_edit else None
    if request.method == "POST":
        if form is None:
            raise NotFound(_("Not found."))
        if form.is_valid():
            try:
                saved = call_service(form, services.update_candidate, candidate.pk, actor=user,
                                     unchanged_raises=True, **form.cleaned_data)
            except NothingChanged as e:
                messages.info(request, e.message)
                return redirect("deliberation:councils_candidate_detail", candidate.pk)
            if saved:
                return _saved(request, saved, reverse("deliberation:councils_candidate_detail", args=[saved.pk]))
    return render(request, f"{T}candidate_detail.html", {
        "candidate": candidate, "election": candidate.election, "form": form,
        "gaps": services.checklist_gaps(candidate), "concerns": services.concerns(candidate),
        "steps": [(a, CANDIDATE_FLOW.action_label(a)) for a in policies.actions(user, candidate)],
        "step_form": forms.StepForm(), "log": _log(candidate, CANDIDATE_FLOW),
    }, status=422 if form is not None and form.errors else 200)


@require_POST
@login_required
def candidate_step(request, pk):
    candidate = selectors.candidate(request.user, pk)
    form = forms.StepForm(request.POST)
    action = request.POST.get("action", "")
    if not form.is_valid() or action not in CandidateAction.values:
        messages.error(request, _("Check the form."))
    else:
        try:
            services.vet_candidate(candidate.pk, action, actor=request.user, note=form.cleaned_data["note"])
        except (Conflict, ValidationFailed) as e:
            messages.error(request, error_text(e))
        else:
            messages.success(request, _("Done."))
    return redirect("deliberation:councils_candidate_detail", candidate.pk)


# --- the estate's page in the registry ----------------------------------------------------------------------------

def estate_panel(request, estate) -> str | None:
    """The owners' committee in office, earlier terms, elections and councils of an estate, for its registry page
    (nothing for a user who may not see the estate's deliberation)."""
    data = selectors.estate_overview(request.user, estate)
    if not data:
        return None
    return render_to_string(f"{T}_estate_panel.html", data, request=request)


urlpatterns: list = [
    path("councils/", councils, name="councils"),
    path("councils/new/", council_create, name="councils_create"),
    path("councils/<int:pk>/", council_detail, name="councils_detail"),
    path("councils/<int:pk>/edit/", council_edit, name="councils_edit"),
    path("councils/<int:pk>/seats/new/", seat_add, name="councils_seat_add"),
    path("councils/seats/<int:pk>/edit/", seat_edit, name="councils_seat_edit"),
    path("councils/seats/<int:pk>/remove/", seat_remove, name="councils_seat_remove"),
    path("councils/rules/", rules, name="councils_rules"),
    path("councils/rules/<int:pk>/", rules_area, name="councils_rules_area"),
    path("councils/rules/<int:pk>/edit/", rules_edit, name="councils_rules_edit"),
    path("councils/owners-committees/", committees, name="councils_committees"),
    path("councils/owners-committees/new/", committee_create, name="councils_committee_create"),
    path("councils/owners-committees/<int:pk>/", committee_detail, name="councils_committee_detail"),
    path("councils/owners-committees/<int:pk>/edit/", committee_edit, name="councils_committee_edit"),
    path("councils/owners-committees/<int:pk>/members/new/", committee_member_add,
         name="councils_committee_member_add"),
    path("councils/owners-committees/members/<int:pk>/remove/", committee_member_remove,
         name="councils_committee_member_remove"),
    path("councils/elections/", elections, name="councils_elections"),
    path("councils/elections/new/", election_create, name="councils_election_create"),
    path("councils/elections/<int:pk>/", election_detail, name="councils_election_detail"),
    path("councils/elections/<int:pk>/step/", election_step, name="councils_election_step"),
    path("councils/elections/<int:pk>/hold/", election_hold, name="councils_election_hold"),
    path("councils/elections/<int:pk>/result/", election_result, name="councils_election_result"),
    path("councils/elections/<int:pk>/candidates/new/", candidate_add, name="councils_candidate_add"),
    path("councils/candidates/<int:pk>/", candidate_detail, name="councils_candidate_detail"),
    path("councils/candidates/<int:pk>/step/", candidate_step, name="councils_candidate_step"),
]
