"""Organization-life pages of the records part (thin: forms in, services and selectors out; login).

* Members per organization (search, pagination), each linking to their yearly record: one printable page per
  member and year gathering their work from the other apps (claims and promises, meetings attended, volunteering
  hours, deliberation roles, community service as a registered working member, studies, "四先", the appraisal).
  A party member sees their own at /orglife/me/ (no capability; a year switch).
* "四先": staff recording organization life flag a member's contribution, linked to the member's own work; the
  list per organization.
* Democratic appraisal: a sheet per organization and year with a result for each member (Excel too).
* Mobile members: the list with last contact and days since, a member's page (whereabouts masked; the audited
  reveal shows them), their record and the contact log.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from gongzhi.accounts.scope import has_capability
from gongzhi.core.errors import Conflict, Forbidden, NothingChanged, ValidationFailed
from gongzhi.core.forms import apply_error
from gongzhi.core.masking import mask_value, shown
from gongzhi.core.reveal import revealed
from gongzhi.core.views import paginate
from gongzhi.orglife import forms_records as forms
from gongzhi.orglife.models import AppraisalResult, FourFirstKind
from gongzhi.orglife.policies import records as policies
from gongzhi.orglife.selectors import records as selectors
from gongzhi.orglife.services import records as services


def _require(user, capability: str) -> None:
    if not has_capability(user, capability):
        raise Forbidden(_("You do not have permission to do this."))


# --- members and their yearly record ------------------------------------------------------------------------

@login_required
def members(request):
    _require(request.user, policies.VIEW)
    page = paginate(request, selectors.member_rows(request.user, request.GET))
    context = {"page": page, "orgs": selectors.orgs_for(request.user), "year": selectors.this_year()}
    template = "orglife/records/_members.html" if request.htmx else "orglife/records/members.html"
    return render(request, template, context)


def _record_context(request, m, year: int, *, own: bool) -> dict:
    record = selectors.yearly_record(m, year)
    mobile = record.mobile
    return {
        "m": m, "r": record, "year": year, "years": selectors.record_years(m), "own": own,
        "statuses": selectors.AttendanceStatus, "whereabouts": (
            shown(request.user, "address", mobile.whereabouts, mobile, own=own, revealed=revealed(request, mobile))
            if mobile else ""),
        "can_record": not own and policies.may_record(request.user, m),
    }


@login_required
def member_record(request, pk, year: int | None = None):
    m = selectors.member(request.user, pk)
    year = year if year is not None else selectors.year_param(request.GET)
    return render(request, "orglife/records/member.html", _record_context(request, m, year, own=False))


@login_required
def my_record(request):
    """The party member's own yearly record (no capability: their account is linked to their record)."""
    m = selectors.own_member(request.user)
    if m is None:
        return render(request, "orglife/records/me_none.html")
    year = selectors.year_param(request.GET)
    return render(request, "orglife/records/member.html", _record_context(request, m, year, own=True))


# --- 四先 -----------------------------------------------------------------------------------------------------------

@login_required
def four_first_new(request, pk):
    m = selectors.member(request.user, pk)
    if not policies.may_record(request.user, m):
        raise Forbidden(_("You do not have permission to do this."))
    data = request.POST if request.method == "POST" else None
    form = forms.FourFirstForm(data, works=selectors.member_work(m))
    if data is not None and form.is_valid():
        d = form.cleaned_data
        type_id, work_id = form.work_ids()
        try:
            row = services.flag_four_first(m, actor=request.user, kind=d["kind"], occurred_on=d["occurred_on"],
                                           description=d["description"], work_type_id=type_id, work_id=work_id)
        except (ValidationFailed, Conflict) as e:
            apply_error(form, e)
        else:
            messages.success(request, _("The contribution is recorded."))
            return redirect("orglife:records_member_year", m.pk, row.occurred_on.year)
    return render(request, "orglife/records/four_first_form.html", {"form": form, "m": m},
                  status=422 if form.errors else 200)


@login_required
def four_firsts(request):
    _require(request.user, policies.VIEW)
    page = paginate(request, selectors.four_first_rows(request.user, request.GET))
    for row in page:
        selectors.attach_work(row)
    return render(request, "orglife/records/four_firsts.html", {
        "page": page, "orgs": selectors.orgs_for(request.user), "kinds": FourFirstKind.choices})


# --- appraisals -----------------------------------------------------------------------------------------------

@login_required
def appraisals(request):
    _require(request.user, policies.VIEW)
    page = paginate(request, selectors.appraisal_rows(request.user, request.GET))
    return render(request, "orglife/records/appraisals.html", {
        "page": page, "orgs": selectors.orgs_for(request.user), "results": AppraisalResult.choices,
        "year": selectors.year_param(request.GET, selectors.this_year() - 1),
        "can_record": has_capability(request.user, policies.RECORD)})


@login_required
def appraisal_sheet(request, pk):
    o = selectors.org(request.user, pk)
    year = selectors.year_param(request.POST if request.method == "POST" else request.GET,
                                selectors.this_year() - 1)
    can_record = policies.may_record_org(request.user, o)
    errors: dict = {}
    if request.method == "POST":
        if not can_record:
            raise Forbidden(_("You do not have permission to do this."))
        results = {}
        for key, value in request.POST.items():
            if key.startswith("result_") and key[7:].isdigit():
                pk_ = int(key[7:])
                results[pk_] = (value, request.POST.get(f"note_{pk_}", ""))
        meeting = request.POST.get("meeting") or None
        try:
            changed = services.record_appraisals(o, actor=request.user, year=year, results=results,
                                                 meeting=int(meeting) if meeting and meeting.isdigit() else None)
        except (ValidationFailed, Conflict) as e:
            errors = e.field_errors or {"": [e.message]}
            messages.error(request, e.message)
        else:
            messages.success(request, _("%(n)s results saved.") % {"n": changed})
            return redirect(f"{request.path}?year={year}")
    sheet = selectors.appraisal_sheet(o, year)
    for m in sheet:
        m.errors = errors.get(f"result_{m.pk}", [])
    return render(request, "orglife/records/appraisal_sheet.html", {
        "org": o, "year": year, "sheet": sheet, "results": AppraisalResult.choices, "can_record": can_record,
        "meetings": selectors.appraisal_meetings(o, year), "errors": errors,
        "meeting_id": next((m.appraisal.meeting_id for m in sheet if m.appraisal and m.appraisal.meeting_id), None),
    }, status=422 if errors else 200)


# --- mobile members -----------------------------------------------------------------------------------------------

@login_required
def mobile(request):
    _require(request.user, policies.VIEW)
    page = paginate(request, selectors.mobile_rows(request.user, request.GET))
    page.object_list = selectors.with_days_since(page.object_list)
    for m in page.object_list:
        m.masked_whereabouts = mask_value("whereabouts", m.mobile.whereabouts) if m.mobile else ""
    return render(request, "orglife/records/mobile.html", {
        "page": page, "orgs": selectors.orgs_for(request.user), "days": selectors.NO_CONTACT_DAYS})


@login_required
def mobile_detail(request, pk):
    m = selectors.mobile_member(request.user, pk)
    can_record = policies.may_record(request.user, m)
    return render(request, "orglife/records/mobile_detail.html", {
        "m": m, "can_record": can_record, "days": selectors.NO_CONTACT_DAYS,
        "whereabouts": shown(request.user, "address", m.mobile.whereabouts, m.mobile,
                             revealed=revealed(request, m.mobile)) if m.mobile else "",
        "contact_form": forms.ContactForm() if can_record else None,
    })


@login_required
def mobile_edit(request, pk):
    m = selectors.mobile_member(request.user, pk)
    if not policies.may_record(request.user, m):
        raise Forbidden(_("You do not have permission to do this."))
    data = request.POST if request.method == "POST" else None
    row = m.mobile
    initial = {"home_org": row.home_org_id, "home_org_name": row.home_org_name, "left_on": row.left_on,
               "active": row.active} if row else {"active": True}
    orgs = list(selectors.orgs_for(request.user))
    form = forms.MobileForm(data, orgs=orgs, initial=initial)
    if data is not None and form.is_valid():
        d = form.cleaned_data
        home = form.orgs.get(d["home_org"]) if d["home_org"] else None
        whereabouts = d["whereabouts"] or ("" if d["clear_whereabouts"] or row is None else row.whereabouts)
        try:
            services.save_mobile(m, actor=request.user, home_org=home, home_org_name=d["home_org_name"],
                                 whereabouts=whereabouts, left_on=d["left_on"], active=d["active"])
        except NothingChanged as e:
            messages.info(request, e.message)
            return redirect("orglife:records_mobile_detail", m.pk)
        except (ValidationFailed, Conflict) as e:
            apply_error(form, e)
        else:
            messages.success(request, _("Saved."))
            return redirect("orglife:records_mobile_detail", m.pk)
    return render(request, "orglife/records/mobile_form.html", {"form": form, "m": m},
                  status=422 if form.errors else 200)


@login_required
def mobile_contact(request, pk):
    """A contact with a mobile member: the form on the member's page posts here; errors are shown on this page's
    own copy of the form."""
    m = selectors.mobile_member(request.user, pk)
    if not policies.may_record(request.user, m):
        raise Forbidden(_("You do not have permission to do this."))
    data = request.POST if request.method == "POST" else None
    form = forms.ContactForm(data)
    if data is not None and form.is_valid():
        d = form.cleaned_data
        try:
            services.add_contact(m, actor=request.user, contacted_on=d["contacted_on"], channel=d["channel"],
                                 note=d["note"])
        except (ValidationFailed, Conflict) as e:
            apply_error(form, e)
        else:
            messages.success(request, _("The contact is recorded."))
            return redirect("orglife:records_mobile_detail", m.pk)
    return render(request, "orglife/records/contact_form.html", {"form": form, "m": m},
                  status=422 if form.errors else 200)


urlpatterns: list = [
    path("members/", members, name="records_members"),
    path("members/<int:pk>/", member_record, name="records_member"),
    path("members/<int:pk>/<int:year>/", member_record, name="records_member_year"),
    path("members/<int:pk>/four-firsts/new/", four_first_new, name="records_four_first_new"),
    path("me/", my_record, name="records_me"),
    path("four-firsts/", four_firsts, name="records_four_firsts"),
    path("appraisals/", appraisals, name="records_appraisals"),
    path("appraisals/<int:pk>/", appraisal_sheet, name="records_appraisal_sheet"),
    path("mobile/", mobile, name="records_mobile"),
    path("mobile/<int:pk>/", mobile_detail, name="records_mobile_detail"),
    path("mobile/<int:pk>/edit/", mobile_edit, name="records_mobile_edit"),
    path("mobile/<int:pk>/contacts/new/", mobile_contact, name="records_mobile_contact"),
]
