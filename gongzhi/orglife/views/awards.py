"""Pages of the awards part (thin: forms in, services and selectors out).

Staff: the rounds (list, new scheme, new round), a round (criteria, tiers, entries with their scores, the panel,
its steps), the criteria and tiers of a draft round (formsets; weights that do not sum to 100 are a form error),
an entry's score page (every criterion's source, value, target, weight and points, the reviewers' scores and the
evidence; the self-assessment and the reviewer's scoring forms when allowed) and the records behind an indicator.
Public: the honour roll of the published rounds.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.accounts.scope import has_capability, scope_for
from gongzhi.core.errors import BadParameter, NotFound, int_param
from gongzhi.core.forms import call_service
from gongzhi.core.views import attempt
from gongzhi.orglife import forms_awards as forms
from gongzhi.orglife.models import CriterionSource, Indicator, Reviewer
from gongzhi.orglife.policies import awards as policies
from gongzhi.orglife.selectors import awards as selectors
from gongzhi.orglife.services import awards as services
from gongzhi.orglife.workflow import EntryAction, RoundAction
from gongzhi.registry.models import Region, RegionKind


def _require_staff(user) -> None:
    if not any(has_capability(user, c) for c in (policies.VIEW, policies.MANAGE, policies.ASSESS)) and not \
            Reviewer.objects.filter(user=user).exists():
        raise PermissionDenied


@login_required
def rounds_view(request):
    _require_staff(request.user)
    return render(request, "orglife/awards/rounds.html", {
        "rounds": selectors.rounds_for(request.user).order_by("scheme__code", "-number"),
        "schemes": selectors.schemes_for(request.user), "may_manage": policies.may_manage_any(request.user),
    })


def _paths_q(scope):
    from django.db.models import Q

    q = Q(pk__in=[])
    for p in scope.region_paths:
        q |= Q(path__startswith=p)
    return q


@login_required
def scheme_create_view(request):
    if not policies.may_manage_any(request.user):
        raise PermissionDenied
    form = forms.SchemeForm(request.POST or None)
    scope = scope_for(request.user, policies.MANAGE)
    regions = Region.objects.filter(kind__in=(RegionKind.DISTRICT, RegionKind.SUBDISTRICT))
    form.fields["region"].queryset = regions if scope.everything else regions.filter(_paths_q(scope))
    if request.method == "POST" and form.is_valid():
        done = call_service(form, services.create_scheme, actor=request.user, **form.cleaned_data)
        if done is not None:
            return redirect("orglife:award_round_create")
    return render(request, "orglife/awards/form.html", {"form": form, "title": _("New award scheme")},
                  status=422 if request.method == "POST" else 200)


@login_required
def round_create_view(request):
    if not policies.may_manage_any(request.user):
        raise PermissionDenied
    form = forms.RoundForm(request.POST or None)
    form.fields["scheme"].queryset = selectors.schemes_for(request.user).filter(
        pk__in=[s.pk for s in selectors.schemes_for(request.user) if policies.may_manage(request.user, s)])
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = call_service(form, services.create_round, d["scheme"], actor=request.user, number=d["number"],
                            name=d["name"], period_start=d["period_start"], period_end=d["period_end"])
        if done is not None:
            return redirect("orglife:award_round_edit", done.pk)
    return render(request, "orglife/awards/form.html", {"form": form, "title": _("New award round")},
                  status=422 if request.method == "POST" else 200)


def _reviewer_choices(round_):
    return get_user_model().objects.filter(
        is_active=True, role_assignments__region__path__startswith=round_.scheme.region.path).exclude(
        award_panels__round=round_).distinct().order_by("username")


@login_required
def round_view(request, pk):
    _require_staff(request.user)
    r = selectors.round_detail(request.user, pk)
    entries = list(selectors.entries_for(request.user, r))
    rows = [{"entry": e, "b": selectors.breakdown(e)} for e in entries]
    rows.sort(key=lambda x: -float(x["b"].total))
    reviewer_form = forms.ReviewerForm()
    reviewer_form.fields["user"].queryset = _reviewer_choices(r)
    return render(request, "orglife/awards/round.html", {
        "round": r, "rows": rows, "criteria": r.criteria.all(), "tiers": r.tiers.all(),
        "reviewers": r.reviewers.select_related("user"), "actions": policies.round_actions(request.user, r),
        "may_edit": policies.may_edit_round(request.user, r), "may_manage": policies.may_manage(request.user, r),
        "may_panel": policies.may_change_panel(request.user, r), "reviewer_form": reviewer_form,
        "note_form": forms.NoteForm(), "log": r.transitions.all(),
    })


def _criterion_inputs(formset) -> list[services.CriterionInput]:
    rows = [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
    return [services.CriterionInput(r["name"], r["weight"], r["source"], r.get("indicator") or "", r.get("target"),
                                    r.get("guidance") or "") for r in rows]


@login_required
def round_edit_view(request, pk):
    _require_staff(request.user)
    r = selectors.round_detail(request.user, pk)
    if not policies.may_edit_round(request.user, r):
        raise PermissionDenied
    crit_initial = [{"name": c.name, "weight": c.weight, "source": c.source, "indicator": c.indicator,
                     "target": c.target, "guidance": c.guidance} for c in r.criteria.all()]
    tier_initial = [{"name": t.name, "min_score": t.min_score} for t in r.tiers.all()]
    criteria = forms.CriteriaFormSet(request.POST or None, initial=crit_initial or None, prefix="criteria")
    tiers = forms.TiersFormSet(request.POST or None, initial=tier_initial or None, prefix="tiers")
    errors: list[str] = []
    if request.method == "POST" and criteria.is_valid() and tiers.is_valid():
        from gongzhi.core.errors import Conflict, ValidationFailed

        try:
            services.set_criteria(r, actor=request.user, rows=_criterion_inputs(criteria))
            services.set_tiers(r, actor=request.user, rows=[
                (f.cleaned_data["name"], f.cleaned_data["min_score"]) for f in tiers.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")])
        except (ValidationFailed, Conflict) as e:
            errors = [m for ms in (e.field_errors or {"": [e.message]}).values() for m in ms]
        else:
            return redirect("orglife:award_round", r.pk)
    return render(request, "orglife/awards/round_edit.html", {
        "round": r, "criteria": criteria, "tiers": tiers, "errors": errors,
    }, status=422 if request.method == "POST" else 200)


@require_POST
@login_required
def round_step_view(request, pk):
    r = selectors.round_detail(request.user, pk)
    action = request.POST.get("action", "")
    if action not in RoundAction.values or not policies.may_manage(request.user, r):
        raise PermissionDenied
    attempt(request, services.step_round, r, action, actor=request.user, note=request.POST.get("note", ""),
            done=_("Done: %(action)s.") % {"action": RoundAction(action).label})
    return redirect("orglife:award_round", r.pk)


@require_POST
@login_required
def round_eligible_view(request, pk):
    r = selectors.round_detail(request.user, pk)
    if not policies.may_manage(request.user, r):
        raise PermissionDenied
    n = attempt(request, services.add_eligible, r, actor=request.user)
    if n is not None:
        from django.contrib import messages

        messages.success(request, _("%(n)s organizations entered.") % {"n": n})
    return redirect("orglife:award_round", r.pk)


@require_POST
@login_required
def round_reviewer_view(request, pk):
    r = selectors.round_detail(request.user, pk)
    if not policies.may_manage(request.user, r):
        raise PermissionDenied
    if "remove" in request.POST:  # a reviewer taken off the panel (refused once they have scored)
        reviewer = r.reviewers.filter(pk=int_param(request.POST, "remove", minimum=1)).first()
        if reviewer is None:
            raise NotFound(_("Not found."))
        attempt(request, services.remove_reviewer, reviewer, actor=request.user, done=_("Reviewer removed."))
        return redirect("orglife:award_round", r.pk)
    form = forms.ReviewerForm(request.POST)
    form.fields["user"].queryset = _reviewer_choices(r)
    if form.is_valid():
        attempt(request, services.add_reviewer, r, actor=request.user, user=form.cleaned_data["user"],
                done=_("Reviewer added."))
    else:
        from django.contrib import messages

        messages.error(request, _("Choose a reviewer."))
    return redirect("orglife:award_round", r.pk)


@require_POST
@login_required
def entry_remove_view(request, pk):
    """An organization entered by mistake taken out of a draft round."""
    entry = selectors.entry_detail(request.user, pk)
    if not policies.may_manage(request.user, entry.round):
        raise PermissionDenied
    attempt(request, services.remove_entry, entry, actor=request.user,
            done=_("%(org)s is no longer entered.") % {"org": entry.org.name})
    return redirect("orglife:award_round", entry.round_id)


def _entry_context(request, entry, *, evidence_errors=None, score_errors=None):
    user = request.user
    b = selectors.breakdown(entry)
    may_assess = policies.may_assess(user, entry)
    may_score = policies.may_score(user, entry)
    mine = selectors.my_scores(user, entry) if may_score else {}
    evidence = {e.criterion_id: e for e in entry.evidence.all()}
    self_criteria = [c for c in entry.round.criteria.all() if c.source == CriterionSource.SELF]
    return {
        "entry": entry, "round": entry.round, "b": b, "may_assess": may_assess, "may_score": may_score,
        "own_refused": (policies.is_reviewer(user, entry.round) and policies.is_own(user, entry.org)),
        "self_criteria": [{"c": c, "evidence": evidence.get(c.pk), "mine": mine.get(c.pk)} for c in self_criteria],
        "actions": policies.entry_actions(user, entry), "evidence_errors": evidence_errors or {},
        "score_errors": score_errors or {}, "log": entry.transitions.all(),
    }


@login_required
def entry_view(request, pk):
    _require_staff(request.user)
    entry = selectors.entry_detail(request.user, pk)
    return render(request, "orglife/awards/entry.html", _entry_context(request, entry))


def _criterion_of(entry, raw):
    try:
        return entry.round.criteria.get(pk=int(raw), source=CriterionSource.SELF)
    except (ValueError, TypeError, entry.round.criteria.model.DoesNotExist):
        raise BadParameter("criterion")


@require_POST
@login_required
def entry_evidence_view(request, pk):
    entry = selectors.entry_detail(request.user, pk)
    if not policies.assesses(request.user, entry.org):
        raise PermissionDenied
    form = forms.EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        criterion = _criterion_of(entry, form.cleaned_data["criterion"])
        done = call_service(form, services.save_evidence, entry, criterion, actor=request.user,
                            statement=form.cleaned_data["statement"], upload=form.cleaned_data.get("file"))
        if done is not None:
            return redirect("orglife:award_entry", entry.pk)
    errors = {request.POST.get("criterion"): [m for ms in form.errors.values() for m in ms]}
    return render(request, "orglife/awards/entry.html", _entry_context(request, entry, evidence_errors=errors),
                  status=422)


@require_POST
@login_required
def entry_score_view(request, pk):
    entry = selectors.entry_detail(request.user, pk)
    if not policies.is_reviewer(request.user, entry.round):
        raise PermissionDenied
    form = forms.ScoreForm(request.POST)
    if form.is_valid():
        criterion = _criterion_of(entry, form.cleaned_data["criterion"])
        done = call_service(form, services.score, entry, criterion, actor=request.user,
                            points=form.cleaned_data["points"], comment=form.cleaned_data["comment"])
        if done is not None:
            return redirect("orglife:award_entry", entry.pk)
    errors = {request.POST.get("criterion"): [m for ms in form.errors.values() for m in ms]}
    return render(request, "orglife/awards/entry.html", _entry_context(request, entry, score_errors=errors),
                  status=422)


@require_POST
@login_required
def entry_step_view(request, pk):
    entry = selectors.entry_detail(request.user, pk)
    action = request.POST.get("action", "")
    if action not in (EntryAction.SUBMIT, EntryAction.RETURN):
        raise PermissionDenied
    attempt(request, services.step_entry, entry, action, actor=request.user, note=request.POST.get("note", ""),
            done=_("Done: %(action)s.") % {"action": EntryAction(action).label})
    return redirect("orglife:award_entry", entry.pk)


@login_required
def source_view(request, pk):
    _require_staff(request.user)
    org = selectors.source_org(request.user, pk)
    code = request.GET.get("indicator") or Indicator.DEMANDS_ON_TIME
    if code not in Indicator.values:
        raise BadParameter("indicator")
    start, end = parse_date(request.GET.get("from") or ""), parse_date(request.GET.get("to") or "")
    if start is None or end is None or end < start:
        from django.utils import timezone

        today = timezone.localdate()
        start, end = today.replace(month=1, day=1), today
    value = selectors.indicator_value(code, org, start, end)
    records = list(selectors.SOURCE_RECORDS[code](org, start, end)[:500])
    return render(request, "orglife/awards/source.html", {
        "org": org, "code": code, "label": Indicator(code).label, "start": start, "end": end, "value": value,
        "records": records,
    })


def honours_view(request):
    return render(request, "orglife/awards/honours.html", {"roll": selectors.honour_roll()})


urlpatterns = [
    path("awards/", rounds_view, name="award_rounds"),
    path("awards/schemes/new/", scheme_create_view, name="award_scheme_create"),
    path("awards/rounds/new/", round_create_view, name="award_round_create"),
    path("awards/rounds/<int:pk>/", round_view, name="award_round"),
    path("awards/rounds/<int:pk>/edit/", round_edit_view, name="award_round_edit"),
    path("awards/rounds/<int:pk>/step/", round_step_view, name="award_round_step"),
    path("awards/rounds/<int:pk>/eligible/", round_eligible_view, name="award_round_eligible"),
    path("awards/rounds/<int:pk>/reviewers/", round_reviewer_view, name="award_round_reviewer"),
    path("awards/entries/<int:pk>/remove/", entry_remove_view, name="award_entry_remove"),
    path("awards/entries/<int:pk>/", entry_view, name="award_entry"),
    path("awards/entries/<int:pk>/evidence/", entry_evidence_view, name="award_entry_evidence"),
    path("awards/entries/<int:pk>/score/", entry_score_view, name="award_entry_score"),
    path("awards/entries/<int:pk>/step/", entry_step_view, name="award_entry_step"),
    path("awards/orgs/<int:pk>/source/", source_view, name="award_source"),
    path("honours/", honours_view, name="award_honours"),
]
