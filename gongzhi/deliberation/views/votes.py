"""Pages of the votes part of deliberation (thin: forms in, services and selectors out).

Staff (login, `deliberation.view` to read, `deliberation.manage` to act): the vote list, preparing a vote, its
page (open, close and count, cancel, record a paper ballot; results only once closed), a printable result notice;
the convention list, drafting, revising, amending, adopting and repealing a convention, the differences between two
versions, recording a paper signature.

Residents (public H5 pages, no account, nothing personal): an estate's page with its topics, meetings, conventions
and votes; a vote, a convention and a residents' proposal, each with its action once the resident has proven a phone
of their household with an SMS code (`votes_h5_verify`; the proof is kept in the session for PROOF_MINUTES).
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.accounts.scope import require_capability, scoped
from gongzhi.core.errors import Conflict, DomainError, Forbidden, NothingChanged, ValidationFailed, int_param
from gongzhi.core.forms import apply_error, call_service, error_text
from gongzhi.core.masking import mask, personal_data_visible
from gongzhi.deliberation import forms_votes as forms
from gongzhi.deliberation.models import Topic, VoteKind, VoteScope
from gongzhi.deliberation.policies import votes as policies
from gongzhi.deliberation.selectors import votes as selectors
from gongzhi.deliberation.services import votes as services
from gongzhi.deliberation.workflows_votes import (
    CONVENTION_FLOW,
    VOTE_FLOW,
    ConventionAction,
    ConventionState,
    VoteAction,
    VoteState,
)

VIEW, MANAGE = policies.VIEW, policies.MANAGE
PER_PAGE = 25
SESSION_PROOF = "deliberation_votes_phone"  # {"phone": …, "until": epoch seconds}: a phone proven by SMS code
SESSION_TOKEN = "deliberation_votes_phone_token"  # the signed token of the code sent (demands.send_phone_code)
PROOF_MINUTES = 30


def _page(request, qs):
    return Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))


def _fail(request, error: DomainError) -> None:
    messages.error(request, error_text(error))


# --- Votes (staff) ----------------------------------------------------------------------------------------------

@login_required
def vote_list(request):
    require_capability(request.user, VIEW)
    qs = selectors.filter_votes(selectors.votes_for(request.user), request.GET)
    context = {"page": _page(request, qs), "states": VOTE_FLOW.states.choices, "scopes": VoteScope.choices,
               "can_add": policies.manages_any(request.user)}
    template = "deliberation/votes/_table_votes.html" if request.htmx else "deliberation/votes/list.html"
    return render(request, template, context)


def _initial_for_create(request) -> dict:
    """Prefill from ?topic= or ?convention= (a vote adopting the convention's latest version)."""
    initial = {}
    if pk := int_param(request.GET, "convention"):
        convention = selectors.convention(request.user, pk)
        latest = convention.latest_version()
        initial.update(topic=convention.topic_id, convention_version=latest.pk if latest else None,
                       title=_("Adopt “%(title)s” (version %(n)s)") % {"title": convention.title,
                                                                       "n": latest.number if latest else 1},
                       scope=VoteScope.ESTATE if convention.estate_id else VoteScope.AREA,
                       estate=convention.estate_id)
    elif pk := int_param(request.GET, "topic"):
        topic = scoped(request.user, Topic, MANAGE).filter(pk=pk).first()
        if topic is not None:
            initial.update(topic=topic.pk, estate=topic.estate_id, grid=topic.grid_id,
                           scope=VoteScope.ESTATE if topic.estate_id else VoteScope.GRID if topic.grid_id
                           else VoteScope.AREA)
    return initial


@login_required
def vote_create(request):
    require_capability(request.user, MANAGE)
    form = forms.VoteForm(request.POST or None, user=request.user,
                          initial=None if request.method == "POST" else _initial_for_create(request))
    if request.method == "POST" and form.is_valid():
        vote = call_service(form, services.create_vote, form.cleaned_data["topic"], actor=request.user,
                            **form.service_kwargs())
        if vote is not None:
            messages.success(request, _("The vote is prepared. Open it when it is ready."))
            return redirect("deliberation:votes_detail", vote.pk)
    return render(request, "deliberation/votes/form.html", {"form": form},
                  status=422 if form.errors else 200)


@login_required
def vote_edit(request, pk):
    vote = selectors.vote(request.user, pk)
    if not policies.can_manage_vote(request.user, vote):
        raise Forbidden(_("You do not have permission to do this."))
    if vote.state != VoteState.DRAFT:
        messages.info(request, _("Only a draft vote can be changed."))
        return redirect("deliberation:votes_detail", vote.pk)
    initial = {name: getattr(vote, name) for name in services.VOTE_FIELDS}
    initial.update(topic=vote.topic_id, alternatives="\n".join(o.label for o in vote.options.all())
                   if vote.kind == VoteKind.CHOICE else "")
    form = forms.VoteForm(request.POST or None, user=request.user, initial=initial)
    form.fields["topic"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.update_vote(vote, actor=request.user, **form.service_kwargs())
        except NothingChanged as e:
            messages.info(request, e.message)
            return redirect("deliberation:votes_detail", vote.pk)
        except (ValidationFailed, Conflict) as e:
            apply_error(form, e)
        else:
            messages.success(request, _("Saved."))
            return redirect("deliberation:votes_detail", vote.pk)
    return render(request, "deliberation/votes/form.html", {"form": form, "obj": vote},
                  status=422 if form.errors else 200)


def _receipt_rows(user, vote):
    """Who voted (after the close): household or seat, masked for viewers without personal data; the choice of an
    open vote."""
    visible = personal_data_visible(user, vote)
    rows = []
    for r in selectors.receipts(vote):
        h = r.household
        who = f"{h.building.name} {h.room}" if h else r.seat
        head = (h.head_name if visible else mask("name", h.head_name)) if h else ""
        choice = "" if vote.is_secret else selectors.option_label(r.ballot.option) if hasattr(r, "ballot") else ""
        rows.append({"who": who, "head": head, "choice": choice, "channel": r.get_channel_display(),
                     "at": r.cast_at})
    return rows


@login_required
def vote_detail(request, pk):
    vote = selectors.vote(request.user, pk)
    actions = policies.vote_actions(request.user, vote)
    return render(request, "deliberation/votes/detail.html", {
        "vote": vote, "options": selectors.options(vote), "results": selectors.results(vote),
        "receipts": _receipt_rows(request.user, vote), "log": selectors.log(vote),
        "actions": [(a, VOTE_FLOW.action_label(a)) for a in actions],
        "why_not_close": policies.why_not_closable(vote) if vote.state == VoteState.OPEN else "",
        "can_edit": policies.can_edit_vote(request.user, vote),
        "ballot_form": forms.StaffBallotForm() if policies.can_record_ballot(request.user, vote) else None,
        "h5_url": reverse("deliberation:votes_h5_vote", args=[vote.pk]) if vote.state != VoteState.DRAFT else "",
        "adopts": vote.convention_version.convention if vote.convention_version_id else None,
    })


@login_required
def vote_print(request, pk):
    """The result notice (表决结果公示) to print and post: the motion, the rules, and the counted result."""
    vote = selectors.vote(request.user, pk)
    return render(request, "deliberation/votes/print.html", {
        "vote": vote, "options": selectors.options(vote), "results": selectors.results(vote)})


@require_POST
@login_required
def vote_transition(request, pk):
    vote = selectors.vote(request.user, pk)
    form = forms.VoteTransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the form."))
        return redirect("deliberation:votes_detail", vote.pk)
    action = form.cleaned_data["action"]
    try:
        services.transition_vote(vote, action, actor=request.user, note=form.cleaned_data["note"])
    except (Conflict, ValidationFailed) as e:
        _fail(request, e)
    else:
        messages.success(request, {VoteAction.OPEN: _("The vote is open."), VoteAction.CLOSE: _("The vote is closed "
                                   "and counted."), VoteAction.CANCEL: _("The vote is cancelled.")}.get(action,
                                                                                                      _("Done.")))
    return redirect("deliberation:votes_detail", vote.pk)


def _household_by_address(households, building: str, room: str):
    building, room = (building or "").strip(), (room or "").strip()
    if not building or not room:
        return None
    return households.filter(Q(building__name=building) | Q(building__code=building), room=room).first()


@require_POST
@login_required
def vote_record_ballot(request, pk):
    """Staff record a ballot cast on paper or at the meeting."""
    vote = selectors.vote(request.user, pk)
    form = forms.StaffBallotForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the form."))
        return redirect("deliberation:votes_detail", vote.pk)
    d = form.cleaned_data
    household = None
    if vote.scope != VoteScope.SEATS:
        household = d["household"] or _household_by_address(services.eligible_households(vote), d["building"],
                                                             d["room"])
        if household is None:
            messages.error(request, _("No household of the vote's scope has this building and room."))
            return redirect("deliberation:votes_detail", vote.pk)
    try:
        services.cast_ballot(vote, actor=request.user, option=d["option"], household=household, seat=d["seat"])
    except (Conflict, ValidationFailed) as e:
        _fail(request, e)
    else:
        messages.success(request, _("The ballot is recorded."))
    return redirect("deliberation:votes_detail", vote.pk)


# --- Conventions (staff) ----------------------------------------------------------------------------------------

@login_required
def convention_list(request):
    require_capability(request.user, VIEW)
    qs = selectors.filter_conventions(selectors.conventions_for(request.user), request.GET)
    context = {"page": _page(request, qs), "states": CONVENTION_FLOW.states.choices,
               "can_add": policies.manages_any(request.user)}
    template = ("deliberation/votes/_table_conventions.html" if request.htmx
                else "deliberation/votes/conventions.html")
    return render(request, template, context)


@login_required
def convention_create(request):
    require_capability(request.user, MANAGE)
    initial = {}
    if pk := int_param(request.GET, "topic"):
        if topic := scoped(request.user, Topic, MANAGE).filter(pk=pk).first():
            initial = {"topic": topic.pk, "estate": topic.estate_id}
    form = forms.ConventionForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        convention = call_service(form, services.create_convention, d["topic"], actor=request.user,
                                  title=d["title"], text=d["text"], estate=d["estate"])
        if convention is not None:
            messages.success(request, _("The draft is saved as version 1."))
            return redirect("deliberation:votes_convention_detail", convention.pk)
    return render(request, "deliberation/votes/convention_form.html", {"form": form},
                  status=422 if form.errors else 200)


@login_required
def convention_detail(request, pk, revise_form=None, amend_form=None, adopt_form=None):
    convention = selectors.convention(request.user, pk)
    versions = list(convention.versions.select_related("adopted_by", "created_by").order_by("-number"))
    latest = versions[0] if versions else None
    in_force = convention.version_in_force()
    manage = policies.can_manage_convention(request.user, convention)
    adopting = list(selectors.adopting_votes(convention)) if manage else []
    editable = policies.can_revise_convention(request.user, convention)
    diff = selectors.version_diff(versions[1].text, latest.text) if len(versions) > 1 else []
    return render(request, "deliberation/votes/convention_detail.html", {
        "convention": convention, "versions": versions, "latest": latest, "in_force": in_force,
        "log": selectors.log(convention), "manage": manage, "editable": editable,
        "revise_form": revise_form or (forms.ReviseForm(initial={"text": latest.text}) if editable and latest
                                       else None),
        "amend_form": amend_form or (forms.ConventionTransitionForm(initial={"text": in_force.text})
                                     if manage and convention.state == ConventionState.ADOPTED and in_force
                                     else None),
        "can_repeal": manage and convention.state == ConventionState.ADOPTED,
        "adopting": adopting, "adopt_form": adopt_form or (forms.AdoptForm() if adopting else None),
        "can_vote": editable and latest is not None and latest.adopted_by_id is None,
        "votes": selectors.votes_for(request.user).filter(convention_version__convention=convention),
        "signatures": convention.signatures.count(),
        "sign_form": forms.StaffSignForm() if manage and convention.state in (
            ConventionState.ADOPTED, ConventionState.AMENDING) else None,
        "diff": diff, "diff_from": versions[1] if len(versions) > 1 else None,
        "h5_url": reverse("deliberation:votes_h5_convention", args=[convention.pk])
        if convention.state != ConventionState.DRAFT else "",
    })


@require_POST
@login_required
def convention_revise(request, pk):
    convention = selectors.convention(request.user, pk)
    form = forms.ReviseForm(request.POST)
    if form.is_valid():
        try:
            version = services.revise_convention(convention, actor=request.user, **form.cleaned_data)
        except NothingChanged as e:
            messages.info(request, e.message)
        except (ValidationFailed, Conflict) as e:
            apply_error(form, e)
        else:
            messages.success(request, _("Saved as version %(n)s.") % {"n": version.number})
            return redirect("deliberation:votes_convention_detail", convention.pk)
    if form.errors:
        response = convention_detail(request, pk, revise_form=form)
        response.status_code = 422
        return response
    return redirect("deliberation:votes_convention_detail", convention.pk)


@require_POST
@login_required
def convention_transition(request, pk):
    convention = selectors.convention(request.user, pk)
    form = forms.ConventionTransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the form."))
        return redirect("deliberation:votes_convention_detail", convention.pk)
    d = form.cleaned_data
    try:
        services.transition_convention(convention, d["action"], actor=request.user, note=d["note"], text=d["text"])
    except NothingChanged:
        messages.info(request, _("The amendment must change the text in force."))
    except (ValidationFailed, Conflict) as e:
        _fail(request, e)
    else:
        messages.success(request, _("The amendment is drafted as a new version: put it to a vote to adopt it.")
                         if d["action"] == ConventionAction.AMEND else _("Done."))
    return redirect("deliberation:votes_convention_detail", convention.pk)


@require_POST
@login_required
def convention_adopt(request, pk):
    convention = selectors.convention(request.user, pk)
    form = forms.AdoptForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        vote = selectors.votes_for(request.user).filter(pk=d["vote"]).first()
        if vote is None:
            form.add_error("vote", _("Choose the vote that adopted this version."))
        else:
            try:
                services.adopt_convention(convention, actor=request.user, vote=vote, effective_on=d["effective_on"])
            except (ValidationFailed, Conflict) as e:
                apply_error(form, e)
            else:
                messages.success(request, _("The convention is adopted and published on the estate's page."))
                return redirect("deliberation:votes_convention_detail", convention.pk)
    response = convention_detail(request, pk, adopt_form=form)
    response.status_code = 422
    return response


@login_required
def convention_diff(request, pk):
    """The differences between two versions (?from=1&to=3; default: the last two)."""
    convention = selectors.convention(request.user, pk)
    versions = list(convention.versions.order_by("number"))
    newest = versions[-1]
    old = selectors.version(convention, request.GET["from"]) if request.GET.get("from") else (
        versions[-2] if len(versions) > 1 else newest)
    new = selectors.version(convention, request.GET["to"]) if request.GET.get("to") else newest
    rows = selectors.version_diff(old.text, new.text)
    return render(request, "deliberation/votes/convention_diff.html", {
        "convention": convention, "versions": versions, "old": old, "new": new, "rows": rows,
        "summary": selectors.diff_summary(rows)})


@require_POST
@login_required
def convention_record_signature(request, pk):
    """Staff record a signature given on paper."""
    convention = selectors.convention(request.user, pk)
    form = forms.StaffSignForm(request.POST)
    household = None
    if form.is_valid():
        household = _household_by_address(services.convention_households(convention), form.cleaned_data["building"],
                                          form.cleaned_data["room"])
    if household is None:
        messages.error(request, _("No household of the convention's estate has this building and room."))
        return redirect("deliberation:votes_convention_detail", convention.pk)
    try:
        services.sign_convention(convention, actor=request.user, household=household)
    except (ValidationFailed, Conflict) as e:
        _fail(request, e)
    else:
        messages.success(request, _("The signature is recorded."))
    return redirect("deliberation:votes_convention_detail", convention.pk)


# --- Residents on H5 (public) -----------------------------------------------------------------------------------

def proven_phone(request) -> str:
    """The phone this visitor proved with an SMS code within PROOF_MINUTES, else the verified phone of their
    account, else ""."""
    proof = request.session.get(SESSION_PROOF) or {}
    if proof.get("phone") and proof.get("until", 0) > time.time():
        return proof["phone"]
    user = request.user
    if getattr(user, "is_authenticated", False) and user.phone_verified_at and user.phone:
        return user.phone
    return ""


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def _verify_url(back: str) -> str:
    return reverse("deliberation:votes_h5_verify") + "?" + urlencode({"next": back})


def _masked_phone(phone: str) -> str:
    return mask("phone", phone)


def h5_verify(request):
    """Prove a phone with an SMS code: the households that registered it may then vote, sign and co-sign."""
    from gongzhi.demands import forms as demand_forms
    from gongzhi.demands import services as demand_services

    back = _next_url(request, "")
    phone_form, code_form = demand_forms.PhoneForm(), None
    if request.method == "POST" and request.POST.get("step") == "code":
        code_form = demand_forms.CodeForm(request.POST)
        token = request.session.get(SESSION_TOKEN, "")
        if code_form.is_valid() and (phone := call_service(code_form, demand_services.check_phone_code, token,
                                                           code_form.cleaned_data["code"])):
            request.session[SESSION_PROOF] = {"phone": phone, "until": time.time() + PROOF_MINUTES * 60}
            request.session.pop(SESSION_TOKEN, None)
            messages.success(request, _("Your phone number is confirmed for %(n)d minutes.") % {"n": PROOF_MINUTES})
            if back:
                return redirect(back)
            return redirect(reverse("deliberation:votes_h5_verify"))
    elif request.method == "POST":
        phone_form = demand_forms.PhoneForm(request.POST)
        if phone_form.is_valid() and (token := call_service(phone_form, demand_services.send_phone_code,
                                                            phone_form.cleaned_data["phone"])):
            request.session[SESSION_TOKEN] = token
            code_form = demand_forms.CodeForm()
    proven = proven_phone(request)
    return render(request, "deliberation/votes/h5/verify.html", {
        "phone_form": phone_form, "code_form": code_form, "next": back,
        "proven": _masked_phone(proven) if proven else "", "minutes": PROOF_MINUTES,
    }, status=422 if phone_form.errors or (code_form is not None and code_form.errors) else 200)


def h5_estate(request, pk):
    """An estate's page for its residents: its topics, meetings, conventions in force and votes (public)."""
    estate = selectors.public_estate(pk)
    votes = list(selectors.estate_votes(estate)[:30])
    meetings = [(m, selectors.optional_url("deliberation:h5_meeting", m.pk))
                for m in selectors.estate_meetings(estate)[:20]]
    return render(request, "deliberation/votes/h5/estate.html", {
        "estate": estate, "topics": selectors.estate_topics(estate)[:20], "meetings": meetings,
        "conventions": selectors.estate_conventions(estate)[:20],
        "open_votes": [v for v in votes if v.state == VoteState.OPEN],
        "past_votes": [v for v in votes if v.state != VoteState.OPEN],
    })


def h5_vote(request, pk):
    vote = selectors.public_vote(pk)
    phone = proven_phone(request)
    here = reverse("deliberation:votes_h5_vote", args=[vote.pk])
    return render(request, "deliberation/votes/h5/vote.html", {
        "vote": vote, "options": selectors.options(vote), "results": selectors.results(vote),
        "accepts": vote.accepts_ballots(), "proven": _masked_phone(phone) if phone else "",
        "mine": selectors.my_ballots(vote, phone) if phone and vote.scope != VoteScope.SEATS else [],
        "verify_url": _verify_url(here), "estate": vote.estate,
    })


@require_POST
def h5_ballot(request, pk):
    vote = selectors.public_vote(pk)
    here = reverse("deliberation:votes_h5_vote", args=[vote.pk])
    phone = proven_phone(request)
    if not phone:
        return redirect(_verify_url(here))
    form = forms.HouseholdChoiceForm(request.POST)
    if not form.is_valid() or not form.cleaned_data["option"]:
        messages.error(request, _("Choose one of the options."))
        return redirect(here)
    actor = request.user if request.user.is_authenticated else services.RESIDENT
    try:
        services.cast_ballot(vote, actor=actor, option=form.cleaned_data["option"],
                             household=form.cleaned_data["household"], proven_phone=phone,
                             channel=services.BallotChannel.H5)
    except DomainError as e:  # outside the period or the scope, a second ballot, not this phone's household
        messages.error(request, error_text(e))
    else:
        messages.success(request, _("Thank you: your household's ballot is recorded."))
    return redirect(here)


def h5_convention(request, pk):
    convention = selectors.public_convention(pk)
    phone = proven_phone(request)
    here = reverse("deliberation:votes_h5_convention", args=[convention.pk])
    in_force = convention.version_in_force()
    return render(request, "deliberation/votes/h5/convention.html", {
        "convention": convention, "in_force": in_force, "signatures": convention.signatures.count(),
        "proven": _masked_phone(phone) if phone else "", "verify_url": _verify_url(here),
        "mine": selectors.my_signatures(convention, phone) if phone and in_force else [],
        "estate": convention.estate,
    })


def _household_act(request, here: str, act, thanks: str):
    """An H5 post for a household of the proven phone: `act(actor, household, phone)`, then back to `here`."""
    phone = proven_phone(request)
    if not phone:
        return redirect(_verify_url(here))
    form = forms.HouseholdChoiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a household."))
        return redirect(here)
    actor = request.user if request.user.is_authenticated else services.RESIDENT
    try:
        act(actor, form.cleaned_data["household"], phone)
    except DomainError as e:
        messages.error(request, error_text(e))
    else:
        messages.success(request, thanks)
    return redirect(here)


@require_POST
def h5_sign(request, pk):
    convention = selectors.public_convention(pk)
    return _household_act(
        request, reverse("deliberation:votes_h5_convention", args=[convention.pk]),
        lambda actor, home, phone: services.sign_convention(convention, actor=actor, household=home,
                                                            proven_phone=phone),
        _("Thank you: your household has signed the convention."))


def h5_topic(request, pk):
    topic = selectors.public_topic(pk)
    phone = proven_phone(request)
    here = reverse("deliberation:votes_h5_topic", args=[topic.pk])
    takes = services.takes_cosigns(topic)
    return render(request, "deliberation/votes/h5/topic.html", {
        "topic": topic, "takes_cosigns": takes, "cosigns": services.cosigns_of(topic),
        "proven": _masked_phone(phone) if phone else "", "verify_url": _verify_url(here),
        "mine": selectors.my_cosigns(topic, phone) if phone and takes else [],
        "meetings": [(m, selectors.optional_url("deliberation:h5_meeting", m.pk))
                     for m in topic.meetings.exclude(state="cancelled").select_related("place")],
        "votes": selectors.public_votes_of_topic(topic), "estate": topic.estate,
    })


@require_POST
def h5_cosign(request, pk):
    topic = selectors.public_topic(pk)
    return _household_act(
        request, reverse("deliberation:votes_h5_topic", args=[topic.pk]),
        lambda actor, home, phone: services.cosign_topic(topic, actor=actor, household=home, proven_phone=phone),
        _("Thank you: your household backs this proposal."))


urlpatterns: list = [
    path("votes/", vote_list, name="votes_list"),
    path("votes/new/", vote_create, name="votes_create"),
    path("votes/<int:pk>/", vote_detail, name="votes_detail"),
    path("votes/<int:pk>/edit/", vote_edit, name="votes_edit"),
    path("votes/<int:pk>/print/", vote_print, name="votes_print"),
    path("votes/<int:pk>/transition/", vote_transition, name="votes_transition"),
    path("votes/<int:pk>/ballots/", vote_record_ballot, name="votes_record_ballot"),
    path("votes/conventions/", convention_list, name="votes_convention_list"),
    path("votes/conventions/new/", convention_create, name="votes_convention_create"),
    path("votes/conventions/<int:pk>/", convention_detail, name="votes_convention_detail"),
    path("votes/conventions/<int:pk>/revise/", convention_revise, name="votes_convention_revise"),
    path("votes/conventions/<int:pk>/transition/", convention_transition, name="votes_convention_transition"),
    path("votes/conventions/<int:pk>/adopt/", convention_adopt, name="votes_convention_adopt"),
    path("votes/conventions/<int:pk>/diff/", convention_diff, name="votes_convention_diff"),
    path("votes/conventions/<int:pk>/signatures/", convention_record_signature,
         name="votes_convention_record_signature"),
    path("votes/h5/verify/", h5_verify, name="votes_h5_verify"),
    path("votes/h5/estates/<int:pk>/", h5_estate, name="votes_h5_estate"),
    path("votes/h5/votes/<int:pk>/", h5_vote, name="votes_h5_vote"),
    path("votes/h5/votes/<int:pk>/ballot/", h5_ballot, name="votes_h5_ballot"),
    path("votes/h5/conventions/<int:pk>/", h5_convention, name="votes_h5_convention"),
    path("votes/h5/conventions/<int:pk>/sign/", h5_sign, name="votes_h5_sign"),
    path("votes/h5/topics/<int:pk>/", h5_topic, name="votes_h5_topic"),
    path("votes/h5/topics/<int:pk>/cosign/", h5_cosign, name="votes_h5_cosign"),
]
