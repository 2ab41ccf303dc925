"""Organization-life pages of the meetings part (thin: forms in, services and selectors out): the scoped meeting
list (filters, search, pages), recording and editing a meeting with its attendance checklist, a meeting's
printable page with photos, the compliance grid of an organization and year (months × kinds), the sub-district
overview (organizations × months), the requirements configuration and members' study records."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.accounts.scope import require_capability
from gongzhi.core import media
from gongzhi.core.errors import Forbidden, NotFound, ValidationFailed, int_param
from gongzhi.core.forms import apply_error, error_text
from gongzhi.orglife.forms_meetings import (
    MeetingForm,
    PhotosForm,
    RequirementForm,
    StudyForm,
    attendance_from,
    checklist,
)
from gongzhi.orglife.models import AttendanceStatus, Frequency, MeetingKind
from gongzhi.orglife.policies import meetings as policies
from gongzhi.orglife.selectors import meetings as selectors
from gongzhi.orglife.services import meetings as services

PER_PAGE = 25
STATUSES = AttendanceStatus.choices


def _year(request) -> int:
    today = timezone.localdate()
    year = int_param(request.GET, "year", today.year, minimum=2000, maximum=today.year + 1)
    return year


@login_required
def meeting_list(request):
    user = request.user
    qs = selectors.meeting_list(user, request.GET)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "kinds": MeetingKind.choices, "orgs": selectors.measured_orgs(user),
               "months": selectors.months_with_meetings(user), "can_record": policies.may_record(user)}
    template = "orglife/meetings/_table.html" if request.htmx else "orglife/meetings/list.html"
    return render(request, template, context)


def _form_page(request, form, members, current=None, *, obj=None, status=200, att_errors=()):
    data = request.POST if request.method == "POST" else None
    return render(request, "orglife/meetings/form.html", {
        "form": form, "obj": obj, "rows": checklist(members, data, current), "statuses": STATUSES,
        "att_errors": att_errors,
    }, status=status)


def _apply(form, error: ValidationFailed) -> list[str]:
    """The service's field errors on the form; the attendance's (a checklist, not a form field) returned."""
    others = {k: v for k, v in error.field_errors.items() if k != "attendance"}
    if others:
        apply_error(form, ValidationFailed(next(iter(others.values()))[0], field_errors=others))
    elif not error.field_errors:
        apply_error(form, error)
    return error.field_errors.get("attendance", [])


def _meeting_values(form, request) -> dict:
    data = dict(form.cleaned_data)
    data.pop("org", None)
    data["attendance"] = attendance_from(request.POST, ())
    return data


@login_required
def meeting_new(request):
    user = request.user
    if not policies.may_record(user):
        raise Forbidden(_("You do not have permission to do this."))
    orgs = list(selectors.recordable_orgs(user))
    source = request.POST if request.method == "POST" else request.GET
    chosen = int_param(source, "org")
    org = next((o for o in orgs if o.pk == chosen), orgs[0] if orgs else None)
    initial = {"held_on": timezone.localdate(), "kind": request.GET.get("kind") or MeetingKind.THEME_DAY,
               "org": org.pk if org else None}
    form = MeetingForm(request.POST or None, orgs=orgs, initial=initial)
    members = list(selectors.org_members(org)) if org else []
    if request.method == "POST":
        att_errors = []
        if form.is_valid():
            try:
                made = services.record_meeting(actor=user, org=form.cleaned_data["org"],
                                               photos=request.FILES.getlist("photos"),
                                               **_meeting_values(form, request))
            except ValidationFailed as e:
                att_errors = _apply(form, e)
            else:
                messages.success(request, _("The meeting is recorded."))
                return redirect("orglife:meeting_detail", made.pk)
        return _form_page(request, form, members, status=422, att_errors=att_errors)
    return _form_page(request, form, members)


@login_required
def meeting_detail(request, pk, photo_form=None, status=200):
    user = request.user
    meeting = selectors.meeting(user, pk)
    lines = list(selectors.attendance_of(meeting))
    counts = {s: sum(1 for a in lines if a.status == s) for s in AttendanceStatus.values}
    return render(request, "orglife/meetings/detail.html", {
        "obj": meeting, "lines": lines, "counts": counts,
        "photos": [media.signed_url(p.image) for p in selectors.photos(meeting)],
        "can_edit": policies.may_edit(user, meeting),
        "photo_form": photo_form or (PhotosForm() if policies.may_edit(user, meeting) else None),
    }, status=status)


@login_required
def meeting_edit(request, pk):
    user = request.user
    meeting = selectors.meeting(user, pk)
    if not policies.may_edit(user, meeting):
        raise Forbidden(_("You do not have permission to do this."))
    initial = {f: getattr(meeting, f) for f in ("kind", "held_on", "topic", "place", "speaker", "lesson_form",
                                                 "minutes")}
    form = MeetingForm(request.POST or None, editing=True, initial=initial)
    members = list(selectors.org_members(meeting.org))
    current = {a.member_id: (a.status, a.leave_reason) for a in meeting.attendance.all()}
    if request.method == "POST":
        att_errors = []
        if form.is_valid():
            try:
                services.edit_meeting(meeting, actor=user, **_meeting_values(form, request))
            except ValidationFailed as e:
                att_errors = _apply(form, e)
            else:
                messages.success(request, _("The meeting is saved."))
                return redirect("orglife:meeting_detail", meeting.pk)
        return _form_page(request, form, members, current, obj=meeting, status=422, att_errors=att_errors)
    return _form_page(request, form, members, current, obj=meeting)


@require_POST
@login_required
def meeting_photos(request, pk):
    user = request.user
    selectors.meeting(user, pk)
    form = PhotosForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_meeting_photos(pk, actor=user, photos=form.cleaned_data["photos"])
        except ValidationFailed as e:
            apply_error(form, e)
        except Forbidden as e:
            messages.error(request, error_text(e))
            return redirect("orglife:meeting_detail", pk)
        else:
            messages.success(request, _("The photos are added."))
            return redirect("orglife:meeting_detail", pk)
    return meeting_detail(request, pk, photo_form=form, status=422)


@login_required
def meeting_compliance(request, pk):
    """One organization and year: months × kinds, required / held, coloured met / due / missed / optional."""
    user = request.user
    require_capability(user, policies.VIEW)
    org = selectors.org(user, pk)
    year = _year(request)
    today = timezone.localdate()
    return render(request, "orglife/meetings/compliance.html", {
        "org": org, "year": year, "years": list(range(today.year, today.year - 5, -1)),
        "rows": selectors.compliance_rows(org, year), "months": range(1, 13),
        "this_month": today.month if year == today.year else None,
        "can_record": policies.records_for(user, org),
    })


@login_required
def meeting_overview(request):
    """A sub-district's organizations × months: how many required kinds are met."""
    user = request.user
    require_capability(user, policies.VIEW)
    subs = selectors.subdistricts_for(user)
    chosen = int_param(request.GET, "sub")
    sub = next((s for s in subs if s.pk == chosen), None) if chosen is not None else (subs[0] if subs else None)
    if chosen is not None and sub is None:
        raise NotFound(_("Not found."))
    year = _year(request)
    orgs = selectors.measured_orgs(user).filter(region__path__startswith=sub.path) if sub else []
    today = timezone.localdate()
    return render(request, "orglife/meetings/overview.html", {
        "subs": subs, "sub": sub, "year": year, "years": list(range(today.year, today.year - 5, -1)),
        "rows": selectors.overview(orgs, year), "months": range(1, 13),
    })


@login_required
def meeting_requirements(request):
    """Per region and kind the required frequency and the remind days (MANAGE_ORGLIFE); defaults shown."""
    user = request.user
    if not policies.may_manage_requirements(user):
        raise Forbidden(_("You do not have permission to do this."))
    regions = list(selectors.manageable_regions(user))
    source = request.POST if request.method == "POST" else request.GET
    chosen = int_param(source, "region")
    region = next((r for r in regions if r.pk == chosen), None) if chosen is not None else (
        regions[0] if regions else None)
    if region is None:
        raise NotFound(_("Not found."))
    status, bad = 200, None
    if request.method == "POST":
        form = RequirementForm(request.POST)
        if form.is_valid():
            try:
                if request.POST.get("reset"):
                    services.clear_requirement(actor=user, region=region, kind=form.cleaned_data["kind"])
                else:
                    services.set_requirement(actor=user, region=region, **form.cleaned_data)
            except ValidationFailed as e:
                apply_error(form, e)
            else:
                messages.success(request, _("The requirement is saved."))
                return redirect(f"{request.path}?region={region.pk}")
        status, bad = 422, form
    rows = selectors.requirement_table(region)
    for row in rows:
        row["form"] = bad if bad is not None and bad.data.get("kind") == row["kind"] else RequirementForm(
            initial={"kind": row["kind"], "frequency": row["frequency"], "remind_days": row["remind_days"]})
    return render(request, "orglife/meetings/requirements.html", {
        "regions": regions, "region": region, "rows": rows, "frequencies": Frequency.choices,
    }, status=status)


@login_required
def study_list(request):
    user = request.user
    qs = selectors.studies_for(user, request.GET)
    return render(request, "orglife/meetings/studies.html", {
        "page": Paginator(qs, PER_PAGE).get_page(request.GET.get("page")),
        "can_record": policies.may_record(user), "orgs": selectors.measured_orgs(user),
    })


@login_required
def study_new(request):
    user = request.user
    if not policies.may_record(user):
        raise Forbidden(_("You do not have permission to do this."))
    members = selectors.recordable_members(user)
    chosen = int_param(request.GET, "member")
    form = StudyForm(request.POST or None, members=members,
                     initial={"studied_on": timezone.localdate(), "hours": 2, "member": chosen})
    if request.method == "POST":
        if form.is_valid():
            try:
                services.add_study(actor=user, **form.cleaned_data)
            except ValidationFailed as e:
                apply_error(form, e)
            else:
                messages.success(request, _("The study record is added."))
                return redirect("orglife:study_list")
        return render(request, "orglife/meetings/study_form.html", {"form": form}, status=422)
    return render(request, "orglife/meetings/study_form.html", {"form": form})


urlpatterns = [
    path("meetings/", meeting_list, name="meeting_list"),
    path("meetings/new/", meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/photos/", meeting_photos, name="meeting_photos"),
    path("meetings/compliance/<int:pk>/", meeting_compliance, name="meeting_compliance"),
    path("meetings/overview/", meeting_overview, name="meeting_overview"),
    path("meetings/requirements/", meeting_requirements, name="meeting_requirements"),
    path("studies/", study_list, name="study_list"),
    path("studies/new/", study_new, name="study_new"),
]
