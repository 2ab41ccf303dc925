"""Pages of the volunteers part (thin: forms in, services and selectors out; login).

* The register of volunteers: search by name or a full mobile number, filters (team, skill, link to a party
  member, an account or a unit, active), pagination, the Excel export and import.
* A volunteer's page: teams, skills, availability, consent, links, the phone masked (the audited reveal shows it),
  and the hours ledger with its total (the sum of its rows); staff who manage the volunteer add a correction,
  edit and deactivate them.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.core.errors import Conflict, Forbidden, NothingChanged, ValidationFailed
from gongzhi.core.forms import apply_error
from gongzhi.core.masking import mask_phone, shown
from gongzhi.core.reveal import revealed
from gongzhi.core.views import attempt, paginate
from gongzhi.volunteering import forms_volunteers as forms
from gongzhi.volunteering.models import HoursKind
from gongzhi.volunteering.policies import volunteers as policies
from gongzhi.volunteering.selectors import volunteers as selectors
from gongzhi.volunteering.services import volunteers as services

FIELDS = ("name", "phone", "region", "party_member", "member_unit", "teams", "skills", "availability", "born_on")


def _require_view(user) -> None:
    if not policies.sees_any(user):
        raise Forbidden(_("You do not have permission to do this."))


def _require_manage(user) -> None:
    if not policies.manages_any(user):
        raise Forbidden(_("You do not have permission to do this."))


@login_required
def volunteer_list(request):
    _require_view(request.user)
    qs = selectors.with_totals(selectors.volunteer_rows(request.user, request.GET))
    page = paginate(request, qs)
    for v in page:
        v.masked_phone = mask_phone(v.phone)
    context = {"page": page, "teams": selectors.teams_for(request.user), "links": _link_labels(),
               "can_register": policies.manages_any(request.user)}
    template = "volunteering/volunteers/_table.html" if request.htmx else "volunteering/volunteers/list.html"
    return render(request, template, context)


def _link_labels() -> list[tuple[str, str]]:
    return [("member", _("Party member")), ("account", _("Resident account")), ("unit", _("Unit staff")),
            ("none", _("Not linked"))]


@login_required
def detail(request, pk):
    v = selectors.volunteer_detail(request.user, pk)
    context = {
        "v": v,
        "phone": shown(request.user, "phone", v.phone, v, revealed=revealed(request, v)),
        "can_edit": policies.may_edit(request.user, v),
        "correction_form": forms.CorrectionForm() if policies.may_correct(request.user, v) else None,
        "correction": HoursKind.CORRECTION,
    }
    return render(request, "volunteering/volunteers/detail.html", context)


def _form(request, data, *, editing: bool, initial=None):
    user = request.user
    return forms.VolunteerForm(data, regions=selectors.regions_to_register(user),
                               members=selectors.members_to_link(user), units=selectors.units_to_link(user),
                               teams=selectors.teams_for(user), editing=editing, initial=initial)


@login_required
def create(request):
    _require_manage(request.user)
    data = request.POST if request.method == "POST" else None
    form = _form(request, data, editing=False)
    if data is not None and form.is_valid():
        d = form.cleaned_data
        try:
            v = services.register_volunteer(
                d["region"], actor=request.user, name=d["name"], consent=d["consent"], phone=d["phone"],
                party_member=d["party_member"], member_unit=d["member_unit"], teams=d["teams"], skills=d["skills"],
                availability=d["availability"], born_on=d["born_on"], consented_on=d["consented_on"])
        except (ValidationFailed, Conflict) as e:
            apply_error(form, e)
        else:
            messages.success(request, _("%(name)s is registered as a volunteer.") % {"name": v.name})
            return redirect("volunteering:volunteers_detail", v.pk)
    return render(request, "volunteering/volunteers/form.html", {"form": form, "v": None},
                  status=422 if form.errors else 200)


@login_required
def edit(request, pk):
    v = selectors.volunteer(request.user, pk)
    if not policies.may_edit(request.user, v):
        raise Forbidden(_("You do not have permission to do this."))
    data = request.POST if request.method == "POST" else None
    initial = {"name": v.name, "phone": v.phone, "region": v.region_id, "party_member": v.party_member_id,
               "member_unit": v.member_unit_id, "teams": list(v.teams.values_list("pk", flat=True)),
               "skills": v.skills, "availability": v.availability, "born_on": v.born_on}
    form = _form(request, data, editing=True, initial=initial)
    if data is not None and form.is_valid():
        d = form.cleaned_data
        try:
            services.update_volunteer(v, actor=request.user, **{f: d[f] for f in FIELDS})
        except NothingChanged as e:
            messages.info(request, e.message)
            return redirect("volunteering:volunteers_detail", v.pk)
        except (ValidationFailed, Conflict) as e:
            apply_error(form, e)
        else:
            messages.success(request, _("Saved."))
            return redirect("volunteering:volunteers_detail", v.pk)
    return render(request, "volunteering/volunteers/form.html", {"form": form, "v": v},
                  status=422 if form.errors else 200)


@require_POST
@login_required
def set_active(request, pk):
    v = selectors.volunteer(request.user, pk)
    active = request.POST.get("active") == "1"
    attempt(request, services.set_volunteer_active, v, actor=request.user, active=active,
            done=_("The volunteer is active again.") if active else _("The volunteer is deactivated."))
    return redirect("volunteering:volunteers_detail", v.pk)


@login_required
def correct(request, pk):
    """A correction of the volunteer's hours: the form on the volunteer's page posts here; errors are shown on
    this page's own copy of the form."""
    v = selectors.volunteer(request.user, pk)
    if not policies.may_correct(request.user, v):
        raise Forbidden(_("You do not have permission to do this."))
    data = request.POST if request.method == "POST" else None
    form = forms.CorrectionForm(data)
    if data is not None and form.is_valid():
        d = form.cleaned_data
        try:
            services.correct_hours(v, actor=request.user, hours=d["hours"], served_on=d["served_on"],
                                   note=d["note"])
        except (ValidationFailed, Conflict) as e:
            apply_error(form, e)
        else:
            messages.success(request, _("The correction is recorded."))
            return redirect("volunteering:volunteers_detail", v.pk)
    return render(request, "volunteering/volunteers/correct.html", {"form": form, "v": v},
                  status=422 if form.errors else 200)


urlpatterns: list = [
    path("volunteers/", volunteer_list, name="volunteers_list"),
    path("volunteers/new/", create, name="volunteers_create"),
    path("volunteers/<int:pk>/", detail, name="volunteers_detail"),
    path("volunteers/<int:pk>/edit/", edit, name="volunteers_edit"),
    path("volunteers/<int:pk>/active/", set_active, name="volunteers_active"),
    path("volunteers/<int:pk>/hours/correct/", correct, name="volunteers_correct"),
]
