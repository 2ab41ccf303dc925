"""Joint-building pages of the sessions part: the sessions of the user's platforms (a list and a month calendar),
planning a session, a session's page (agenda, attendance signed in at the desk, minutes, decisions; its forms
shown by policy; print-friendly), the decisions (a list, a page each with start / complete / cancel), the
decisions and demands of the user's unit (a district department's), and the referral of a demand by a
sub-district leader."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.core.errors import Forbidden, NotFound
from gongzhi.core.forms import call_service
from gongzhi.core.views import paginate
from gongzhi.demands import policies as demand_policies
from gongzhi.demands.models import Demand
from gongzhi.demands.workflow import Action as DemandAction
from gongzhi.joint import forms_sessions as forms
from gongzhi.joint.policies import sessions as policies
from gongzhi.joint.selectors import sessions as selectors
from gongzhi.joint.services import sessions as services
from gongzhi.joint.workflow import DecisionAction, DecisionState, SessionAction, SessionState


def _filters(request, names) -> dict:
    return {k: request.GET.get(k, "") for k in names}


@login_required
def session_list(request):
    selectors.require_view(request.user)
    qs = selectors.session_list(request.user, request.GET)
    return render(request, "joint/sessions/list.html", {
        "page": paginate(request, qs), "platforms": selectors.platforms_for(request.user),
        "states": SessionState.choices, "filters": _filters(request, ("q", "platform", "state", "year")),
        "may_plan": selectors.managed_platforms(request.user).exists(),
    })


@login_required
def session_calendar(request):
    selectors.require_view(request.user)
    year, month = selectors.month_of(request.GET)
    before, after = selectors.neighbour_months(year, month)
    return render(request, "joint/sessions/calendar.html", {
        "weeks": selectors.calendar_weeks(request.user, year, month, request.GET), "year": year, "month": month,
        "before": before, "after": after, "platforms": selectors.platforms_for(request.user),
        "filters": _filters(request, ("platform",)),
    })


@login_required
def session_plan(request):
    platforms = list(selectors.managed_platforms(request.user))
    if not platforms:
        raise Forbidden()
    form = forms.PlanForm(request.POST or None, platforms=platforms,
                          initial={"platform": platforms[0].pk if len(platforms) == 1 else ""})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        made = call_service(form, services.plan_session, d["platform"], actor=request.user, title=d["title"],
                            starts_at=d["starts_at"], place=d["place"])
        if made is not None:
            messages.success(request, _("Session planned."))
            return redirect("joint:sessions_detail", made.pk)
    return render(request, "joint/sessions/plan.html", {"form": form},
                  status=422 if request.method == "POST" else 200)


def _detail(request, pk, status: int = 200, **bound):
    session = selectors.session(request.user, pk)
    user = request.user
    can = {a: policies.can_session(user, session, a) for a in policies.SESSION_ACTIONS}
    items = selectors.agenda(session)
    context = {
        "obj": session, "can": can, "agenda": items, "attendance": selectors.attendance(session),
        "decisions": selectors.decisions_of(session), "log": selectors.session_log(session),
        "waiting": list(selectors.waiting_items(user, session.platform)) if can[policies.AGENDA] else [],
    }
    if can[policies.AGENDA]:
        context["agenda_form"] = bound.get("agenda_form") or forms.AgendaForm(
            choices=selectors.agenda_choices(session))
    if can[policies.SIGN_IN]:
        context["sign_in_form"] = bound.get("sign_in_form") or forms.SignInForm(
            choices=selectors.sign_in_choices(session))
    if can[policies.MINUTES]:
        context["minutes_form"] = bound.get("minutes_form") or forms.MinutesForm(initial={"minutes": session.minutes})
    if can[policies.DECIDE]:
        context["decision_form"] = bound.get("decision_form") or forms.DecisionForm(
            items=items, units=selectors.owner_unit_choices(session))
    if can[SessionAction.CANCEL]:
        context["cancel_form"] = bound.get("cancel_form") or forms.ReasonForm(prefix="cancel")
    return render(request, "joint/sessions/detail.html", context, status=status)


@login_required
def session_detail(request, pk):
    return _detail(request, pk)


def _posted(request, pk, form_name, form, service, *args, done: str, values):
    """Run the service with the form's input; its refusals go back onto the form (the page again, 422)."""
    if form.is_valid() and call_service(form, service, *args, actor=request.user, **values(form.cleaned_data)) \
            is not None:
        messages.success(request, done)
        return redirect("joint:sessions_detail", pk)
    return _detail(request, pk, status=422, **{form_name: form})


@require_POST
@login_required
def session_hold(request, pk):
    session = selectors.session(request.user, pk)
    form = forms.NoteForm(request.POST)
    return _posted(request, pk, "hold_form", form, services.hold_session, session, done=_("The session is held."),
                   values=lambda d: d)


@require_POST
@login_required
def session_minutes(request, pk):
    session = selectors.session(request.user, pk)
    form = forms.MinutesForm(request.POST)
    if request.POST.get("publish"):
        return _posted(request, pk, "minutes_form", form, services.publish_minutes, session,
                       done=_("Minutes published."), values=lambda d: d)
    return _posted(request, pk, "minutes_form", form, services.save_minutes, session, done=_("Minutes saved."),
                   values=lambda d: d)


@require_POST
@login_required
def session_cancel(request, pk):
    session = selectors.session(request.user, pk)
    form = forms.ReasonForm(request.POST, prefix="cancel")
    return _posted(request, pk, "cancel_form", form, services.cancel_session, session,
                   done=_("The session is cancelled."), values=lambda d: {"reason": d["note"]})


@require_POST
@login_required
def agenda_add(request, pk):
    session = selectors.session(request.user, pk)
    form = forms.AgendaForm(request.POST, choices=selectors.agenda_choices(session))
    form.is_valid()  # the service checks the input (an item of another region is refused there, on its field)
    data = {k: request.POST.get(k, "") for k in ("kind", "need", "resource", "project", "title", "note")}
    made = call_service(form, services.add_agenda_item, session, actor=request.user, kind=data["kind"],
                        title=data["title"], note=data["note"], need=data["need"] or None,
                        resource=data["resource"] or None, project=data["project"] or None)
    if made is not None:
        messages.success(request, _("Agenda item added."))
        return redirect("joint:sessions_detail", pk)
    return _detail(request, pk, status=422, agenda_form=form)


def _int_or_none(value):
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise NotFound()
    return int(value)


@require_POST
@login_required
def sign_in(request, pk):
    session = selectors.session(request.user, pk)
    form = forms.SignInForm(request.POST, choices=selectors.sign_in_choices(session))
    form.is_valid()
    made = call_service(form, services.sign_in, session, actor=request.user,
                        member_unit=_int_or_none(request.POST.get("member_unit")),
                        party_org=_int_or_none(request.POST.get("party_org")),
                        area=_int_or_none(request.POST.get("area")),
                        person_name=request.POST.get("person_name", ""))
    if made is not None:
        messages.success(request, _("Signed in: %(who)s.") % {"who": made})
        return redirect("joint:sessions_detail", pk)
    return _detail(request, pk, status=422, sign_in_form=form)


@require_POST
@login_required
def decide(request, pk):
    session = selectors.session(request.user, pk)
    form = forms.DecisionForm(request.POST, items=selectors.agenda(session),
                              units=selectors.owner_unit_choices(session))
    if form.is_valid():
        d = form.cleaned_data
        made = call_service(form, services.record_decision, session, actor=request.user, text=d["text"],
                            owner_unit=d["owner_unit"] or None, deadline=d["deadline"],
                            agenda_item=d["agenda_item"] or None)
        if made is not None:
            messages.success(request, _("Decision recorded."))
            return redirect("joint:sessions_detail", pk)
    return _detail(request, pk, status=422, decision_form=form)


# --- decisions ---------------------------------------------------------------------------------------------

@login_required
def decision_list(request):
    selectors.require_view(request.user)
    qs = selectors.filter_decisions(selectors.decisions_for(request.user), request.GET)
    if request.GET.get("mine"):
        from django.db.models import Q

        qs = qs.filter(Q(owner_unit_id__in=selectors.my_unit_ids(request.user))
                       | Q(session__convened_by=request.user))
    return render(request, "joint/sessions/decisions.html", {
        "page": paginate(request, qs), "states": [("open", _("Not done")), *DecisionState.choices],
        "filters": _filters(request, ("q", "state", "due", "mine")),
    })


DECISION_FORMS = {
    DecisionAction.START: (forms.NoteForm, _("Start"), services.start_decision, lambda d: {"note": d["note"]}),
    DecisionAction.COMPLETE: (forms.OutcomeForm, _("Complete"), services.complete_decision,
                              lambda d: {"outcome": d["outcome"]}),
    DecisionAction.CANCEL: (forms.ReasonForm, _("Cancel"), services.cancel_decision, lambda d: {"reason": d["note"]}),
}


def _decision_page(request, pk, status=200, bound=None):
    decision = selectors.decision(request.user, pk)
    actions = policies.decision_actions(request.user, decision)
    action_forms = [{"name": a, "title": DECISION_FORMS[a][1],
                     "form": bound[1] if bound and bound[0] == a else DECISION_FORMS[a][0](prefix=a)}
                    for a in actions]
    return render(request, "joint/sessions/decision.html", {
        "obj": decision, "actions": action_forms, "log": selectors.decision_log(decision),
        "handed": policies.handed_demand(decision), "sees_session": policies.sees_platform(
            request.user, decision.session.platform),
    }, status=status)


@login_required
def decision_detail(request, pk):
    return _decision_page(request, pk)


@require_POST
@login_required
def decision_act(request, pk, action):
    if action not in DECISION_FORMS:
        raise Http404
    decision = selectors.decision(request.user, pk)
    form_class, _title, service, values = DECISION_FORMS[action]
    form = form_class(request.POST, prefix=action)
    if form.is_valid() and call_service(form, service, decision, actor=request.user, **values(form.cleaned_data)) \
            is not None:
        messages.success(request, _("Done: %(action)s.") % {"action": DECISION_FORMS[action][1]})
        return redirect("joint:sessions_decision", pk)
    return _decision_page(request, pk, status=422, bound=(action, form))


@login_required
def my_unit(request):
    """A district department's page: the decisions its unit owns and the demands handed to it (acted on through
    the demand's own page)."""
    selectors.require_view(request.user)
    return render(request, "joint/sessions/my_unit.html", {
        "has_unit": bool(selectors.my_unit_ids(request.user)),
        "decisions": selectors.my_unit_decisions(request.user),
        "demands": paginate(request, selectors.my_unit_demands(request.user)),
    })


# --- referral ----------------------------------------------------------------------------------------------

def _demand_to_refer(user, pk) -> Demand:
    demand = Demand.objects.select_related("region").filter(pk=pk).first()
    if demand is None or not demand_policies.may_see(user, demand):
        raise NotFound()
    if not demand_policies.has_right(user, demand, DemandAction.REFER):
        raise Forbidden(_("Only a sub-district leader may refer a demand to a joint meeting."))
    return demand


@login_required
def refer(request, pk):
    demand = _demand_to_refer(request.user, pk)
    platforms = [p for p in selectors.platforms_for(request.user) if demand.region.path.startswith(p.region.path)]
    default = selectors.default_platform_for(request.user, demand)
    form = forms.ReferForm(request.POST or None, platforms=platforms,
                           initial={"platform": default.pk if default else ""})
    if request.method == "POST" and form.is_valid():
        made = call_service(form, services.refer_to_platform, demand, actor=request.user,
                            platform_id=int(form.cleaned_data["platform"]), note=form.cleaned_data["note"])
        if made is not None:
            if made.session_id:
                messages.success(request, _("Referred: on the agenda of “%(session)s”.") % {"session": made.session})
            else:
                messages.success(request, _("Referred: it waits for the platform's next session."))
            return redirect("demands:detail", demand.pk)
    return render(request, "joint/sessions/refer.html", {"form": form, "demand": demand},
                  status=422 if request.method == "POST" else 200)


urlpatterns = [
    path("sessions/", session_list, name="sessions_list"),
    path("sessions/calendar/", session_calendar, name="sessions_calendar"),
    path("sessions/new/", session_plan, name="sessions_plan"),
    path("sessions/<int:pk>/", session_detail, name="sessions_detail"),
    path("sessions/<int:pk>/hold/", session_hold, name="sessions_hold"),
    path("sessions/<int:pk>/minutes/", session_minutes, name="sessions_minutes"),
    path("sessions/<int:pk>/cancel/", session_cancel, name="sessions_cancel"),
    path("sessions/<int:pk>/agenda/", agenda_add, name="sessions_agenda_add"),
    path("sessions/<int:pk>/sign-in/", sign_in, name="sessions_sign_in"),
    path("sessions/<int:pk>/decide/", decide, name="sessions_decide"),
    path("sessions/decisions/", decision_list, name="sessions_decisions"),
    path("sessions/decisions/<int:pk>/", decision_detail, name="sessions_decision"),
    path("sessions/decisions/<int:pk>/<str:action>/", decision_act, name="sessions_decision_act"),
    path("sessions/my-unit/", my_unit, name="sessions_my_unit"),
    path("sessions/refer/<int:pk>/", refer, name="sessions_refer"),
]
