"""Pages of the appointments part (thin: forms in, services and selectors out).

Residents (public H5 pages, no account): book a slot for an item at a place (the item, the place, a day, a slot
with seats left, name and phone, then the SMS code; the booking code on the last page), and manage a booking with
its code and the phone's last four digits (cancel, or move to another slot). Once proven, the code is remembered
in the session for MANAGE_MINUTES.

Staff (login, `services.view`): a place's day (my places first: where I am on duty) with check-in buttons for
station workers (`services.accept`), and the list of appointments with filters and the Excel export.
"""

from __future__ import annotations

import time
from datetime import timedelta
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.accounts.scope import require_capability
from gongzhi.core.errors import NotFound, int_param
from gongzhi.core.forms import call_service
from gongzhi.core.masking import mask
from gongzhi.core.views import attempt, paginate
from gongzhi.core.workflow import SUBMITTER
from gongzhi.demands import forms as demand_forms
from gongzhi.demands import services as demand_services
from gongzhi.services import forms_appointments as forms
from gongzhi.services.policies import appointments as policies
from gongzhi.services.selectors import appointments as selectors
from gongzhi.services.services import appointments as services
from gongzhi.services.workflow import AppointmentAction, AppointmentState

SESSION_PENDING = "services_appt_pending"  # the booking waiting for its SMS code
SESSION_TOKEN = "services_appt_phone_token"  # the signed token of the code sent (demands.send_phone_code)
SESSION_DONE = "services_appt_done"  # the booking code just made, for the confirmation page
SESSION_MANAGED = "services_appt_managed"  # {"code": …, "until": epoch seconds}: a code proven with its digits
MANAGE_MINUTES = 20


# --- Residents: booking -----------------------------------------------------------------------------------------

def _book_url(**params) -> str:
    return reverse("services:appointments_h5_book") + "?" + urlencode({k: v for k, v in params.items() if v})


def h5_book(request):
    """Choose the item, the place, the day and a slot; give name and phone; confirm the phone with the SMS code."""
    item_code = request.GET.get("item", "")
    if not item_code:
        return render(request, "services/appointments/h5/items.html", {"items": selectors.bookable_items()[:200]})
    item = selectors.public_item(item_code)
    place_code = request.GET.get("place", "")
    if not place_code:
        return render(request, "services/appointments/h5/places.html", {
            "item": item, "places": [(p, _book_url(item=item.code, place=p.code))
                                     for p in selectors.places_offering(item)[:200]]})
    place = selectors.public_place(place_code, item)
    days = selectors.booking_days(place)
    day = selectors.parse_day(request.GET.get("day"))
    if day not in days:
        day = days[0] if days else None
    slots = selectors.available_slots(place, item, day) if day else []
    form, code_form, pending = forms.BookForm(slots=slots), None, None
    if request.method == "POST" and request.POST.get("step") == "code":
        pending = request.session.get(SESSION_PENDING) or {}
        code_form = demand_forms.CodeForm(request.POST)
        if pending.get("place") != place.code or pending.get("item") != item.code:
            return redirect(_book_url(item=item.code, place=place.code))
        if code_form.is_valid() and (phone := call_service(code_form, demand_services.check_phone_code,
                                                           request.session.get(SESSION_TOKEN, ""),
                                                           code_form.cleaned_data["code"])):
            appt = call_service(code_form, services.book_appointment, place, item=item,
                                starts_at=forms.SlotForm.parse(pending["starts_at"]), name=pending["name"],
                                phone=pending["phone"], proven_phone=phone, note=pending.get("note", ""))
            if appt is not None:
                for key in (SESSION_PENDING, SESSION_TOKEN):
                    request.session.pop(key, None)
                request.session[SESSION_DONE] = appt.code
                return redirect("services:appointments_h5_done")
    elif request.method == "POST":
        form = forms.BookForm(request.POST, slots=slots)
        if form.is_valid():
            data = form.cleaned_data
            if call_service(form, services.check_booking, place, item=item, starts_at=data["starts_at"],
                            name=data["name"], phone=data["phone"]) and (
                    token := call_service(form, demand_services.send_phone_code, data["phone"], aliases={})):
                pending = {"place": place.code, "item": item.code, "starts_at": data["starts_at"].isoformat(),
                           "name": data["name"], "phone": data["phone"], "note": data["note"]}
                request.session[SESSION_PENDING] = pending
                request.session[SESSION_TOKEN] = token
                code_form = demand_forms.CodeForm()
    failed = form.errors or (code_form is not None and code_form.errors)
    return render(request, "services/appointments/h5/book.html", {
        "item": item, "place": place, "day": day, "form": form, "code_form": code_form,
        "days": [(d, _book_url(item=item.code, place=place.code, day=d.isoformat())) for d in days],
        "pending": pending and {**pending, "starts_at": forms.SlotForm.parse(pending["starts_at"]),
                                "phone": mask("phone", pending["phone"])},
        "back": _book_url(item=item.code),
    }, status=422 if failed else 200)


def h5_done(request):
    code = request.session.get(SESSION_DONE)
    appt = selectors.by_code(code) if code else None
    if appt is None:
        return redirect("services:appointments_h5_book")
    return render(request, "services/appointments/h5/done.html", {"appt": appt})


# --- Residents: manage with the code ----------------------------------------------------------------------------

def _managed(request):
    """The appointment whose code this visitor proved within MANAGE_MINUTES, or None."""
    proof = request.session.get(SESSION_MANAGED) or {}
    if proof.get("code") and proof.get("until", 0) > time.time():
        return selectors.by_code(proof["code"])
    return None


def h5_manage(request):
    """Enter the booking code and the phone's last four digits; then see the booking, cancel or reschedule it."""
    form = forms.ManageForm()
    if request.method == "POST":
        form = forms.ManageForm(request.POST)
        if form.is_valid():
            try:
                appt = services.access_by_code(form.cleaned_data["code"], form.cleaned_data["last4"])
            except services.BookingCodeLocked as e:
                form.add_error(None, e.message)
            except NotFound:
                form.add_error(None, _("No booking has this code and these digits."))
            else:
                request.session[SESSION_MANAGED] = {"code": appt.code, "until": time.time() + MANAGE_MINUTES * 60}
                return redirect("services:appointments_h5_manage")
    appt = _managed(request) if request.method == "GET" else None
    return render(request, "services/appointments/h5/manage.html", {
        "form": form, "appt": appt,
        "can_cancel": appt is not None and policies.can(SUBMITTER, appt, AppointmentAction.CANCEL),
    }, status=422 if form.errors else 200)


@require_POST
def h5_cancel(request):
    appt = _managed(request)
    if appt is None:
        return redirect("services:appointments_h5_manage")
    attempt(request, services.cancel_appointment, appt, actor=SUBMITTER, done=_("Your booking is cancelled."))
    return redirect("services:appointments_h5_manage")


def h5_reschedule(request):
    """Move the proven booking to another slot of its place and item."""
    appt = _managed(request)
    if appt is None or not policies.can(SUBMITTER, appt, AppointmentAction.RESCHEDULE):
        return redirect("services:appointments_h5_manage")
    days = selectors.booking_days(appt.place)
    day = selectors.parse_day(request.GET.get("day"))
    if day not in days:
        day = days[0] if days else None
    slots = selectors.available_slots(appt.place, appt.item, day, exclude=appt) if day else []
    form = forms.SlotForm(request.POST or None, slots=slots)
    if request.method == "POST" and form.is_valid():
        if call_service(form, services.reschedule_appointment, appt, actor=SUBMITTER,
                        starts_at=form.cleaned_data["starts_at"]):
            return redirect("services:appointments_h5_manage")
    here = reverse("services:appointments_h5_reschedule")
    return render(request, "services/appointments/h5/reschedule.html", {
        "appt": appt, "form": form, "day": day,
        "days": [(d, here + "?" + urlencode({"day": d.isoformat()})) for d in days],
    }, status=422 if form.errors else 200)


# --- Staff ------------------------------------------------------------------------------------------------------

def _rows(user, appts):
    return [{"a": a, "name": mask("name", a.name), "phone": mask("phone", a.phone),
             "check_in": policies.can(user, a, AppointmentAction.CHECK_IN)} for a in appts]


@login_required
def day_view(request):
    """A place's appointments of one day (today by default): my places first, with check-in buttons."""
    require_capability(request.user, selectors.VIEW)
    mine = list(selectors.my_places(request.user)[:200])
    place_id = int_param(request.GET, "place")
    place = next((p for p in mine if p.pk == place_id), None)
    if place is None and place_id is not None:
        place = selectors.places_for(request.user).filter(pk=place_id).first()
    place = place or (mine[0] if mine else None)
    day = selectors.parse_day(request.GET.get("day")) or timezone.localdate()
    rows = _rows(request.user, selectors.day_at_place(request.user, place, day)) if place else []
    here = reverse("services:appointments_day")

    def link(d):
        return here + "?" + urlencode({"place": place.pk if place else "", "day": d.isoformat()})

    return render(request, "services/appointments/day.html", {
        "places": mine, "place": place, "day": day, "rows": rows, "today": timezone.localdate(),
        "prev": link(day - timedelta(days=1)), "next": link(day + timedelta(days=1)),
        "here": request.get_full_path(),
    })


@login_required
def list_view(request):
    require_capability(request.user, selectors.VIEW)
    qs = selectors.filter_appointments(selectors.appointments_for(request.user), request.GET, request.user)
    page = paginate(request, qs.order_by("-starts_at", "-pk"))
    template = "services/appointments/_table.html" if request.htmx else "services/appointments/list.html"
    return render(request, template, {
        "page": page, "rows": _rows(request.user, page), "places": selectors.places_for(request.user)[:300],
        "states": AppointmentState.choices, "here": request.get_full_path(),
    })


@require_POST
@login_required
def check_in_view(request, pk):
    appt = selectors.appointment(request.user, pk)
    attempt(request, services.check_in, appt, actor=request.user, done=_("Checked in."))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(back)
    return redirect(reverse("services:appointments_day") + f"?place={appt.place_id}")


urlpatterns = [
    path("h5/appointments/book/", h5_book, name="appointments_h5_book"),
    path("h5/appointments/done/", h5_done, name="appointments_h5_done"),
    path("h5/appointments/manage/", h5_manage, name="appointments_h5_manage"),
    path("h5/appointments/manage/cancel/", h5_cancel, name="appointments_h5_cancel"),
    path("h5/appointments/manage/reschedule/", h5_reschedule, name="appointments_h5_reschedule"),
    path("appointments/", list_view, name="appointments_list"),
    path("appointments/day/", day_view, name="appointments_day"),
    path("appointments/<int:pk>/check-in/", check_in_view, name="appointments_check_in"),
]
