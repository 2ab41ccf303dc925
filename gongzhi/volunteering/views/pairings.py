"""Volunteering pages of the pairings part (thin: forms in, services and selectors out; login).

* Pairings: the list (filters: kind, state, anchor, overdue contact; search; pagination; Excel), "my pairings" for
  an anchor's own member or liaison, a pairing's page (contacts, history; record a contact, end it), an anchor's
  page (its load against each capacity, e.g. 46/50 shops), a new pairing, the sub-district's rules.
* Incubation cohorts: the list, a new cohort (the "五个一" copied in), a cohort's printable participant ×
  requirement grid with completion %, its checklist, participants and progress.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.accounts.scope import require_capability, scoped
from gongzhi.core.errors import Conflict, Forbidden, ValidationFailed
from gongzhi.core.forms import apply_error
from gongzhi.core.masking import mask_phone
from gongzhi.core.views import attempt, paginate
from gongzhi.registry.models import Household, MemberUnit, PartyMember
from gongzhi.volunteering import forms_pairings as forms
from gongzhi.volunteering.models import Volunteer
from gongzhi.volunteering.policies import pairings as policies
from gongzhi.volunteering.selectors import pairings as selectors
from gongzhi.volunteering.services import pairings as services
from gongzhi.volunteering.workflow import PairingState

CHOICES_MAX = 500


# --- pairings ---------------------------------------------------------------------------------------------------

@login_required
def pairing_list(request):
    require_capability(request.user, policies.VIEW)
    qs = selectors.filter_pairings(selectors.pairings_for(request.user), request.GET).order_by(
        "kind", "-started_on", "-pk")
    page = paginate(request, qs)
    selectors.decorate(page)
    context = {"page": page, "kinds": selectors.PairingKind.choices, "states": PairingState.choices,
               "can_create": policies.manages_any(request.user)}
    template = "volunteering/pairings/_table.html" if request.htmx else "volunteering/pairings/list.html"
    return render(request, template, context)


@login_required
def mine(request):
    """The pairings I anchor (my party member record, or the units I am liaison of), to record contacts."""
    page = paginate(request, selectors.own_pairings(request.user).order_by("state", "kind", "-started_on", "pk"))
    selectors.decorate(page)
    return render(request, "volunteering/pairings/mine.html", {"page": page})


@login_required
def detail(request, pk):
    found = selectors.pairing_detail(request.user, pk)
    context = {"p": found, "contact_form": forms.ContactForm() if policies.may_record_contact(request.user, found)
               else None, "end_form": forms.EndForm() if policies.may_end(request.user, found) else None}
    return render(request, "volunteering/pairings/detail.html", context)


@require_POST
@login_required
def contact(request, pk):
    found = selectors.pairing(request.user, pk)
    if not policies.may_record_contact(request.user, found):
        raise Forbidden(_("You do not have permission to do this."))
    form = forms.ContactForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the form."))
    else:
        attempt(request, services.record_contact, found, actor=request.user, done=_("The contact is recorded."),
                **form.cleaned_data)
    return redirect("volunteering:pairings_detail", found.pk)


@require_POST
@login_required
def end(request, pk):
    found = selectors.pairing(request.user, pk)
    form = forms.EndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason."))
    else:
        attempt(request, services.end_pairing, found, actor=request.user, reason=form.cleaned_data["reason"],
                ended_on=form.cleaned_data["ended_on"], done=_("The pairing is ended."))
    return redirect("volunteering:pairings_detail", found.pk)


def _anchor_page(request, model, pk):
    found = selectors.anchor(request.user, model, pk)
    page = paginate(request, selectors.anchor_pairings(request.user, found))
    selectors.decorate(page)
    return render(request, "volunteering/pairings/anchor.html", {
        "anchor": found, "loads": selectors.anchor_load(found), "page": page,
        "is_unit": model is MemberUnit, "can_create": policies.manages_any(request.user)})


@login_required
def member_page(request, pk):
    return _anchor_page(request, PartyMember, pk)


@login_required
def unit_page(request, pk):
    return _anchor_page(request, MemberUnit, pk)


def _form_choices(user, chosen) -> dict:
    """The form's options: the first CHOICES_MAX of each list in the user's scope, and always the one already
    chosen (`chosen`: the request's values, e.g. from a member's page "pair" link), when it is in scope too."""
    manage = policies.MANAGE
    lists = {
        "members": ("member", scoped(user, PartyMember, manage).order_by("name", "pk")),
        "units": ("unit", scoped(user, MemberUnit, manage).order_by("name", "pk")),
        "volunteers": ("volunteer", scoped(user, Volunteer, manage).filter(active=True).order_by("name", "pk")),
        "households": ("household", scoped(user, Household, manage).select_related("building").order_by(
            "-hardship", "building__code", "room")),
    }
    choices = {"regions": list(selectors.manage_regions(user))}
    for key, (field, qs) in lists.items():
        rows = list(qs[:CHOICES_MAX])
        pk = chosen.get(field, "")
        if str(pk).isdigit() and int(pk) not in {r.pk for r in rows}:
            rows += list(qs.filter(pk=int(pk)))
        choices[key] = rows
    return choices


@login_required
def create(request):
    require_capability(request.user, policies.MANAGE)
    data = request.POST if request.method == "POST" else None
    initial = {k: request.GET.get(k) for k in ("kind", "member", "unit") if request.GET.get(k)}
    form = forms.PairingForm(data, initial=initial, **_form_choices(request.user, data or initial))
    if data is not None and form.is_valid():
        try:
            made = services.pair(actor=request.user, **form.cleaned_data)
        except (ValidationFailed, Conflict) as e:
            apply_error(form, e)
        else:
            messages.success(request, _("Pairing %(code)s is made.") % {"code": made.code})
            return redirect("volunteering:pairings_detail", made.pk)
    return render(request, "volunteering/pairings/form.html", {"form": form}, status=422 if form.errors else 200)


@login_required
def rules(request):
    """The capacity and contact interval of each kind in the sub-districts I manage (edited per row)."""
    require_capability(request.user, policies.MANAGE)
    errors = {}
    if request.method == "POST":
        form = forms.RuleForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.set_rule(d["region"], actor=request.user, kind=d["kind"], capacity=d["capacity"],
                                  contact_interval_days=d["contact_interval_days"])
            except ValidationFailed as e:
                errors = {(request.POST.get("region"), request.POST.get("kind")): e.field_errors or {"": [e.message]}}
            else:
                messages.success(request, _("The rule is saved."))
                return redirect("volunteering:pairings_rules")
        else:
            errors = {(request.POST.get("region"), request.POST.get("kind")): form.errors}
    rows = selectors.rules_table(request.user)
    for row in rows:
        row["errors"] = errors.get((str(row["region"].pk), row["kind"]))
    return render(request, "volunteering/pairings/rules.html", {"rows": rows}, status=422 if errors else 200)


# --- cohorts ----------------------------------------------------------------------------------------------------

@login_required
def cohort_list(request):
    require_capability(request.user, policies.VIEW)
    page = paginate(request, selectors.cohorts_for(request.user).order_by("-starts_on", "-pk"))
    return render(request, "volunteering/pairings/cohorts.html", {
        "page": page, "can_create": policies.manages_any(request.user)})


@login_required
def cohort_create(request):
    require_capability(request.user, policies.MANAGE)
    data = request.POST if request.method == "POST" else None
    form = forms.CohortForm(data, regions=selectors.manage_regions(request.user))
    if data is not None and form.is_valid():
        d = form.cleaned_data
        try:
            made = services.create_cohort(d["region"], actor=request.user, name=d["name"], organiser=d["organiser"],
                                          starts_on=d["starts_on"], ends_on=d["ends_on"])
        except ValidationFailed as e:
            apply_error(form, e)
        else:
            messages.success(request, _("The cohort is created with the default checklist."))
            return redirect("volunteering:cohorts_detail", made.pk)
    return render(request, "volunteering/pairings/cohort_form.html", {"form": form},
                  status=422 if form.errors else 200)


@login_required
def cohort_detail(request, pk):
    found = selectors.cohort(request.user, pk)
    grid = selectors.cohort_grid(found)
    for row in grid["rows"]:
        row.phone = mask_phone(row.participant.phone)
    runs = policies.runs_cohort(request.user, found)
    return render(request, "volunteering/pairings/cohort.html", {
        "cohort": found, "grid": grid, "runs": runs,
        "requirement_form": forms.RequirementForm() if runs else None,
        "participant_form": forms.ParticipantForm() if runs else None})


@require_POST
@login_required
def cohort_requirement(request, pk):
    found = selectors.cohort(request.user, pk)
    if remove := request.POST.get("remove"):
        attempt(request, services.remove_requirement, remove if remove.isdigit() else 0, actor=request.user,
                done=_("The activity is taken off the checklist."), catch=(Conflict, ValidationFailed, Forbidden))
    else:
        form = forms.RequirementForm(request.POST)
        if form.is_valid():
            attempt(request, services.add_requirement, found, actor=request.user, title=form.cleaned_data["title"],
                    done=_("The activity is added to the checklist."))
        else:
            messages.error(request, _("Check the form."))
    return redirect("volunteering:cohorts_detail", found.pk)


@require_POST
@login_required
def cohort_participant(request, pk):
    found = selectors.cohort(request.user, pk)
    form = forms.ParticipantForm(request.POST)
    if form.is_valid():
        attempt(request, services.add_participant, found, actor=request.user, done=_("The participant is added."),
                **form.cleaned_data)
    else:
        messages.error(request, _("Check the form."))
    return redirect("volunteering:cohorts_detail", found.pk)


@require_POST
@login_required
def cohort_progress(request, pk):
    found = selectors.cohort(request.user, pk)
    form = forms.ProgressForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the form."))
    elif form.cleaned_data["clear"]:
        attempt(request, services.clear_progress, form.cleaned_data["participant"],
                form.cleaned_data["requirement"], actor=request.user, done=_("The record is removed."))
    else:
        d = form.cleaned_data
        attempt(request, services.record_progress, d["participant"], d["requirement"], actor=request.user,
                done_on=d["done_on"], note=d["note"], done=_("The progress is recorded."))
    return redirect("volunteering:cohorts_detail", found.pk)


urlpatterns: list = [
    path("pairings/", pairing_list, name="pairings_list"),
    path("pairings/mine/", mine, name="pairings_mine"),
    path("pairings/new/", create, name="pairings_new"),
    path("pairings/rules/", rules, name="pairings_rules"),
    path("pairings/<int:pk>/", detail, name="pairings_detail"),
    path("pairings/<int:pk>/contact/", contact, name="pairings_contact"),
    path("pairings/<int:pk>/end/", end, name="pairings_end"),
    path("pairings/members/<int:pk>/", member_page, name="pairings_member"),
    path("pairings/units/<int:pk>/", unit_page, name="pairings_unit"),
    path("cohorts/", cohort_list, name="cohorts_list"),
    path("cohorts/new/", cohort_create, name="cohorts_new"),
    path("cohorts/<int:pk>/", cohort_detail, name="cohorts_detail"),
    path("cohorts/<int:pk>/requirements/", cohort_requirement, name="cohorts_requirement"),
    path("cohorts/<int:pk>/participants/", cohort_participant, name="cohorts_participant"),
    path("cohorts/<int:pk>/progress/", cohort_progress, name="cohorts_progress"),
]
