"""Pages of the activities part (thin: forms in, services and selectors out).

Organisers (login, ``volunteering.view`` or ``volunteering.organise``): the list of activities (upcoming / past,
filters, search), a new activity or series, editing, the activity's printable roster with the check-in, check-out
and absent buttons, closing / reopening sign-up, finishing and cancelling with a reason.

Any logged-in user (H5): the open activities near them, an activity with its shifts and free places, signing up
(consent the first time; the waiting list when full), "my volunteering" (my sign-ups, cancel, my hours), and the
certificate of hours (a printable page and an xlsx), which staff with ``volunteering.view`` open for a volunteer
in their scope too.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.core.errors import Conflict, NotFound, ValidationFailed
from gongzhi.core.excel.books import new_sheet, to_bytes, write_row
from gongzhi.core.excel.views import xlsx_response
from gongzhi.core.forms import apply_error, call_service, error_text
from gongzhi.core.masking import mask
from gongzhi.core.views import attempt, paginate
from gongzhi.volunteering import forms_activities as forms
from gongzhi.volunteering.models import OrganiserKind, Shift
from gongzhi.volunteering.policies import activities as policies
from gongzhi.volunteering.selectors import activities as selectors
from gongzhi.volunteering.selectors.volunteers import total_hours
from gongzhi.volunteering.services import activities as services
from gongzhi.volunteering.workflow import ActivityAction, ActivityState, SignUpAction, SignUpState


def _require_staff(user) -> None:
    if not policies.may_list(user):
        raise PermissionDenied


# --- Organisers -------------------------------------------------------------------------------------------------

@login_required
def list_view(request):
    _require_staff(request.user)
    qs = selectors.with_counts(selectors.filter_activities(selectors.activities_for(request.user), request.GET))
    page = paginate(request, qs)
    template = "volunteering/activities/_table.html" if request.htmx else "volunteering/activities/list.html"
    return render(request, template, {
        "page": page, "states": ActivityState.choices, "kinds": OrganiserKind.choices,
        "when": request.GET.get("when") or "upcoming", "may_create": policies.may_create(request.user),
    })


def _shift_inputs(formset) -> tuple[list[services.ShiftInput], list[int | None]]:
    rows = [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
    return ([services.ShiftInput(r["name"], r["starts_at"], r["ends_at"], r["capacity"]) for r in rows],
            [r.get("id") for r in rows])


def _activity_form(request, activity=None):
    if not policies.may_create(request.user):
        raise PermissionDenied
    choices = selectors.organiser_choices(request.user)
    initial, shift_initial = {}, []
    if activity is not None:
        initial = {"title": activity.title, "description": activity.description,
                   "starts_at": timezone.localtime(activity.starts_at), "ends_at": timezone.localtime(activity.ends_at),
                   "location": activity.location, "organiser_kind": activity.organiser_kind,
                   activity.organiser_kind: getattr(activity.organiser, "pk", None)}
        shift_initial = [{"id": s.pk, "name": s.name, "starts_at": timezone.localtime(s.starts_at),
                          "ends_at": timezone.localtime(s.ends_at), "capacity": s.capacity}
                         for s in activity.shifts.order_by("position", "pk")]
    form = forms.ActivityForm(request.POST or None, initial=initial)
    form.set_organisers(choices)
    formset = forms.ShiftFormSet(request.POST or None, initial=shift_initial or None, prefix="shifts")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        shifts, ids = _shift_inputs(formset)
        data = form.cleaned_data
        kwargs = dict(actor=request.user, title=data["title"], description=data["description"],
                      organiser_kind=data["organiser_kind"], organiser=form.organiser, starts_at=data["starts_at"],
                      ends_at=data["ends_at"], location=data["location"], shifts=shifts)
        if activity is None:
            done = call_service(form, services.create_activity, **kwargs)
        else:
            done = call_service(form, services.update_activity, activity, shift_ids=ids, **kwargs)
        if done is not None:
            return redirect("volunteering:activity", done.pk)
    return render(request, "volunteering/activities/form.html", {
        "form": form, "formset": formset, "activity": activity,
    }, status=422 if request.method == "POST" else 200)


@login_required
def create_view(request):
    return _activity_form(request)


@login_required
def edit_view(request, pk):
    _require_staff(request.user)
    activity = selectors.activity(request.user, pk)
    if not policies.may_edit(request.user, activity):
        raise PermissionDenied
    return _activity_form(request, activity)


@login_required
def series_create_view(request):
    if not policies.may_create(request.user):
        raise PermissionDenied
    form = forms.SeriesForm(request.POST or None)
    form.set_organisers(selectors.organiser_choices(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        series = call_service(
            form, services.create_series, actor=request.user, title=d["title"], description=d["description"],
            organiser_kind=d["organiser_kind"], organiser=form.organiser, recurrence=d["recurrence"],
            weekday=d["weekday"], day_of_month=d["day_of_month"], starts_on=d["starts_on"], ends_on=d["ends_on"],
            start_time=d["start_time"], end_time=d["end_time"], location=d["location"], capacity=d["capacity"],
            shift_names=[n for n in d["shift_names"].replace("，", ",").split(",")])
        if series is not None:
            return redirect(reverse("volunteering:activities") + f"?q={series.title}")
    return render(request, "volunteering/activities/series_form.html", {"form": form},
                  status=422 if request.method == "POST" else 200)


@login_required
def detail_view(request, pk):
    """The activity and its roster (printable): every sign-up with the check-in, check-out and absent buttons."""
    _require_staff(request.user)
    activity = selectors.activity(request.user, pk)
    rows = [{"s": s, "phone": mask("phone", s.volunteer.phone), "actions": policies.roster_actions(request.user, s)}
            for s in selectors.roster(activity)]
    return render(request, "volunteering/activities/detail.html", {
        "activity": activity, "shifts": selectors.shifts_of(activity), "rows": rows,
        "organiser": selectors.organiser_name(activity),
        "actions": policies.activity_actions(request.user, activity),
        "may_edit": policies.may_edit(request.user, activity), "cancel_form": forms.CancelForm(),
        "log": activity.transitions.select_related("actor").order_by("created_at", "pk"),
    })


@require_POST
@login_required
def act_view(request, pk):
    activity = selectors.activity(request.user, pk)
    action = request.POST.get("action", "")
    calls = {ActivityAction.CLOSE: (services.close_signup, _("Sign-up is closed.")),
             ActivityAction.REOPEN: (services.reopen_signup, _("Sign-up is open again.")),
             ActivityAction.FINISH: (services.finish_activity, _("The activity is finished.")),
             ActivityAction.CANCEL: (services.cancel_activity, _("The activity is cancelled."))}
    if action not in calls:
        raise NotFound()
    call, done = calls[action]
    extra = {"reason": request.POST.get("note", "")} if action == ActivityAction.CANCEL else {}
    attempt(request, call, activity, actor=request.user, done=done, **extra)
    return redirect("volunteering:activity", activity.pk)


@require_POST
@login_required
def roster_view(request, pk):
    """Check in, check out (optionally with the hours entered) or mark absent one sign-up of the roster."""
    signup = selectors.signup_for_organiser(request.user, pk)
    action = request.POST.get("action", "")
    if action == SignUpAction.CHECK_IN:
        attempt(request, services.check_in, signup, actor=request.user, done=_("Checked in."))
    elif action == SignUpAction.CHECK_OUT:
        attempt(request, services.check_out, signup, actor=request.user, hours=request.POST.get("hours") or None,
                done=_("Checked out: the hours are credited."))
    elif action == SignUpAction.MARK_ABSENT:
        attempt(request, services.mark_absent, signup, actor=request.user, done=_("Marked as absent."))
    elif action == SignUpAction.CANCEL:
        attempt(request, services.cancel_signup, signup, actor=request.user, done=_("The sign-up is cancelled."))
    else:
        raise NotFound()
    return redirect(reverse("volunteering:activity", args=[signup.shift.activity_id]) + "#roster")


# --- H5 ---------------------------------------------------------------------------------------------------------

@login_required
def h5_list(request):
    rows = selectors.near_first(request.user, selectors.open_activities(request.user))
    return render(request, "volunteering/activities/h5/list.html", {"activities": rows})


@login_required
def h5_detail(request, pk):
    activity = selectors.public_activity(request.user, pk)
    vol = selectors.volunteer_of(request.user)
    mine = selectors.my_live_signups(vol, activity)
    shifts = selectors.shifts_of(activity)
    for s in shifts:
        s.mine = mine.get(s.pk)
    return render(request, "volunteering/activities/h5/detail.html", {
        "activity": activity, "shifts": shifts, "volunteer": vol, "form": forms.SignUpForm(),
        "published": policies.is_published(activity), "organiser": selectors.organiser_name(activity),
    })


@require_POST
@login_required
def h5_sign_up(request, pk):
    shift = Shift.objects.select_related("activity").filter(pk=pk).first()
    if shift is None:
        raise NotFound()
    activity = selectors.public_activity(request.user, shift.activity_id)
    form = forms.SignUpForm(request.POST)
    form.is_valid()
    try:
        done = services.sign_up(shift, actor=request.user, consent=form.cleaned_data.get("consent", False),
                                wait=form.cleaned_data.get("wait", False))
    except (ValidationFailed, Conflict) as e:
        apply_error(form, e)
        vol = selectors.volunteer_of(request.user)
        mine = selectors.my_live_signups(vol, activity)
        shifts = selectors.shifts_of(activity)
        for s in shifts:
            s.mine = mine.get(s.pk)
        return render(request, "volunteering/activities/h5/detail.html", {
            "activity": activity, "shifts": shifts, "volunteer": vol, "form": form, "error": error_text(e),
            "failed_shift": shift.pk, "published": policies.is_published(activity),
            "organiser": selectors.organiser_name(activity),
        }, status=422)
    from django.contrib import messages

    messages.success(request, _("You are on the waiting list.") if done.state == SignUpState.WAITING
                     else _("You are signed up."))
    return redirect("volunteering:h5_activity", activity.pk)


@require_POST
@login_required
def h5_cancel(request, pk):
    vol = selectors.volunteer_of(request.user)
    signup = selectors.my_signups(vol, upcoming=True).filter(pk=pk).first() if vol else None
    if signup is None:
        raise NotFound()
    attempt(request, services.cancel_signup, signup, actor=request.user, done=_("Your sign-up is cancelled."))
    return redirect("volunteering:my")


@login_required
def my_view(request):
    vol = selectors.volunteer_of(request.user)
    upcoming = list(selectors.my_signups(vol, upcoming=True)[:100])
    for s in upcoming:
        s.may_cancel = policies.may_cancel_signup(request.user, s)
    return render(request, "volunteering/activities/h5/my.html", {
        "volunteer": vol, "upcoming": upcoming, "attended": selectors.my_signups(vol, upcoming=False)[:100],
        "total": total_hours(vol) if vol else None,
    })


# --- The certificate --------------------------------------------------------------------------------------------

@login_required
def certificate_view(request, pk):
    vol = selectors.certificate_volunteer(request.user, pk)
    rows = selectors.certificate_rows(vol)
    return render(request, "volunteering/activities/certificate.html", {
        "volunteer": vol, "rows": rows, "total": selectors.rows_total(rows), "today": timezone.localdate(),
    })


CERTIFICATE_HEADERS = ["姓名", "活动", "日期", "时长（小时）", "组织方"]


@login_required
def certificate_xlsx(request, pk):
    vol = selectors.certificate_volunteer(request.user, pk)
    rows = selectors.certificate_rows(vol)
    wb, ws = new_sheet("志愿服务时长证明", CERTIFICATE_HEADERS)
    for r in rows:
        write_row(ws, [vol.name, r.activity.title if r.activity else (r.note or r.get_kind_display()),
                       r.served_on, float(r.hours), r.organiser])
    write_row(ws, ["合计", "", "", float(selectors.rows_total(rows)), ""])
    return xlsx_response(to_bytes(wb), f"志愿服务时长证明-{vol.name}-{timezone.localdate().isoformat()}.xlsx")


urlpatterns = [
    path("activities/", list_view, name="activities"),
    path("activities/new/", create_view, name="activity_create"),
    path("activities/series/new/", series_create_view, name="series_create"),
    path("activities/<int:pk>/", detail_view, name="activity"),
    path("activities/<int:pk>/edit/", edit_view, name="activity_edit"),
    path("activities/<int:pk>/act/", act_view, name="activity_act"),
    path("signups/<int:pk>/roster/", roster_view, name="signup_roster"),
    path("h5/activities/", h5_list, name="h5_activities"),
    path("h5/activities/<int:pk>/", h5_detail, name="h5_activity"),
    path("h5/shifts/<int:pk>/sign-up/", h5_sign_up, name="h5_sign_up"),
    path("h5/signups/<int:pk>/cancel/", h5_cancel, name="h5_cancel"),
    path("h5/my/", my_view, name="my"),
    path("volunteers/<int:pk>/certificate/", certificate_view, name="certificate"),
    path("volunteers/<int:pk>/certificate.xlsx", certificate_xlsx, name="certificate_xlsx"),
]
