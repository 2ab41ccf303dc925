"""Organization-life pages of the coverage part (thin: forms in, services and selectors out; login).

* The coverage page of a region (``?region=<code>``: a sub-district, or the district with one row per
  sub-district; the user's broadest region by default): organizational and work coverage as counted / covered /
  share, the trend over the last 12 month-ends and 3 year-ends as a server-side SVG chart, and the searchable,
  exportable list of the units not covered.
* Coverage data (``orglife.manage``): units taken in by a 联合党委, 党建指导员 assignments (the phone masked, the
  audited reveal shows it), recording and ending them.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from gongzhi.core.errors import Conflict, Forbidden, ValidationFailed
from gongzhi.core.forms import apply_error
from gongzhi.core.masking import mask_phone, shown
from gongzhi.core.reveal import revealed
from gongzhi.core.views import paginate
from gongzhi.orglife import forms_coverage as forms
from gongzhi.orglife.policies import coverage as policies
from gongzhi.orglife.selectors import coverage as selectors
from gongzhi.orglife.services import coverage as services

# the chart's drawing area (SVG user units)
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 240, 44, 16, 14, 46


def chart(trend) -> dict:
    """The trend as an SVG line chart's geometry: two polylines (organizational, work coverage), points with their
    values, grid lines at 0-100 % and the dates on the x axis. Dates without counted units have no point."""
    n = len(trend)
    span_x, span_y = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i):
        return round(LEFT + (span_x * i / (n - 1) if n > 1 else span_x / 2), 1)

    def y(share):
        return round(TOP + span_y * (1 - share), 1)

    series = []
    for key, label, css in (("organized_share", _("Organizational coverage"), "org"),
                            ("instructed_share", _("Work coverage"), "work")):
        points = [{"x": x(i), "y": y(getattr(c, key)), "date": d, "share": getattr(c, key),
                   "covered": c.organized if css == "org" else c.instructed, "counted": c.counted}
                  for i, (d, c) in enumerate(trend) if getattr(c, key) is not None]
        series.append({"label": label, "css": css, "points": points,
                       "polyline": " ".join(f"{p['x']},{p['y']}" for p in points)})
    grid = [{"y": y(v / 100), "label": f"{v}%"} for v in (0, 25, 50, 75, 100)]
    ticks = [{"x": x(i), "date": d, "year_end": d.month == 12 and d.day == 31} for i, (d, _c) in enumerate(trend)]
    return {"width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT, "bottom": HEIGHT - BOTTOM,
            "label_y": HEIGHT - BOTTOM + 16, "series": series, "grid": grid, "ticks": ticks}


@login_required
def coverage(request):
    policies.require_view(request.user)
    context = selectors.summary(request.user, request.GET.get("region"))
    page = paginate(request, selectors.uncovered_rows(request.user, request.GET))
    context.update({"page": page, "chart": chart(context["trend"]) if context["trend"] else None,
                    "can_manage": policies.manages_any(request.user)})
    template = "orglife/coverage/_uncovered.html" if request.htmx else "orglife/coverage/page.html"
    return render(request, template, context)


# --- joint coverage -----------------------------------------------------------------------------------------------

@login_required
def joint_list(request):
    policies.require_view(request.user)
    page = paginate(request, selectors.joint_rows(request.user, request.GET))
    for row in page:
        row.can_end = policies.may_end(request.user, row)
    return render(request, "orglife/coverage/joint_list.html",
                  {"page": page, "can_manage": policies.manages_any(request.user)})


@login_required
def joint_create(request):
    policies.require_manage(request.user)
    data = request.POST if request.method == "POST" else None
    form = forms.JointCoverageForm(data, units=selectors.units_to_cover(request.user),
                                   orgs=selectors.joint_committees_for(request.user),
                                   initial={"unit": request.GET.get("unit")})
    if data is not None and form.is_valid():
        d = form.cleaned_data
        try:
            row = services.cover_by_joint_committee(d["unit"], actor=request.user, joint_org=d["joint_org"],
                                                    since=d["since"])
        except (ValidationFailed, Conflict) as e:
            apply_error(form, e)
        else:
            messages.success(request, _("%(unit)s is recorded as covered by %(org)s.")
                             % {"unit": row.unit.name, "org": row.joint_org.name})
            return redirect("orglife:coverage_joint_list")
    return render(request, "orglife/coverage/form.html",
                  {"form": form, "title": _("Record a unit taken in by a joint party committee"),
                   "back": "orglife:coverage_joint_list"}, status=422 if form.errors else 200)


def _end(request, row, service, field: str, back: str, title: str):
    if not policies.may_end(request.user, row):
        raise Forbidden(_("You do not have permission to do this."))
    data = request.POST if request.method == "POST" else None
    form = forms.EndForm(data)
    if data is not None and form.is_valid():
        try:
            service(row, actor=request.user, **{field: form.cleaned_data["ended_on"]})
        except (ValidationFailed, Conflict) as e:
            apply_error(form, e, aliases={field: "ended_on", "since": "ended_on", "assigned_on": "ended_on"})
        else:
            messages.success(request, _("Ended."))
            return redirect(back)
    return render(request, "orglife/coverage/form.html", {"form": form, "title": title, "subject": row,
                                                          "back": back}, status=422 if form.errors else 200)


@login_required
def joint_end(request, pk):
    row = selectors.joint_coverage(request.user, pk)
    return _end(request, row, services.end_joint_coverage, "until", "orglife:coverage_joint_list",
                _("End the joint committee's coverage"))


# --- instructors ----------------------------------------------------------------------------------------------------

@login_required
def instructor_list(request):
    policies.require_view(request.user)
    page = paginate(request, selectors.instructor_rows(request.user, request.GET))
    for row in page:
        row.masked_phone = mask_phone(row.phone)
    template = "orglife/coverage/_instructors.html" if request.htmx else "orglife/coverage/instructor_list.html"
    return render(request, template, {"page": page, "can_manage": policies.manages_any(request.user)})


@login_required
def instructor_create(request):
    policies.require_manage(request.user)
    data = request.POST if request.method == "POST" else None
    form = forms.InstructorForm(data, units=selectors.units_to_cover(request.user),
                                members=selectors.members_for(request.user),
                                initial={"unit": request.GET.get("unit")})
    if data is not None and form.is_valid():
        d = form.cleaned_data
        try:
            row = services.assign_instructor(d["unit"], actor=request.user, instructor=d["instructor"],
                                             member=d["member"], phone=d["phone"], assigned_on=d["assigned_on"])
        except (ValidationFailed, Conflict) as e:
            apply_error(form, e)
        else:
            messages.success(request, _("%(name)s is assigned to %(unit)s.")
                             % {"name": row.instructor, "unit": row.unit.name})
            return redirect("orglife:coverage_instructor_detail", row.pk)
    return render(request, "orglife/coverage/form.html",
                  {"form": form, "title": _("Assign a party-building instructor"),
                   "back": "orglife:coverage_instructor_list"}, status=422 if form.errors else 200)


@login_required
def instructor_detail(request, pk):
    row = selectors.instructor(request.user, pk)
    return render(request, "orglife/coverage/instructor_detail.html", {
        "a": row, "phone": shown(request.user, "phone", row.phone, row, revealed=revealed(request, row)),
        "can_end": policies.may_end(request.user, row)})


@login_required
def instructor_end(request, pk):
    row = selectors.instructor(request.user, pk)
    return _end(request, row, services.end_instructor, "ended_on", "orglife:coverage_instructor_list",
                _("End the instructor's term"))


urlpatterns: list = [
    path("coverage/", coverage, name="coverage"),
    path("coverage/joint/", joint_list, name="coverage_joint_list"),
    path("coverage/joint/new/", joint_create, name="coverage_joint_create"),
    path("coverage/joint/<int:pk>/end/", joint_end, name="coverage_joint_end"),
    path("coverage/instructors/", instructor_list, name="coverage_instructor_list"),
    path("coverage/instructors/new/", instructor_create, name="coverage_instructor_create"),
    path("coverage/instructors/<int:pk>/", instructor_detail, name="coverage_instructor_detail"),
    path("coverage/instructors/<int:pk>/end/", instructor_end, name="coverage_instructor_end"),
]
