"""Pages of the topics part of deliberation (thin: forms in, services and selectors out): topics (list, new from
demands or a hot issue, detail with its log, meetings and decisions, a print version), meetings (list, convene,
detail with invitations and replies, the door's QR code, live attendance, minutes, decisions, photos and
documents), decisions (list, steps), and two pages for residents without an account: the check-in page the QR code
opens and an invitee's H5 page to reply."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import require_capability, scoped
from gongzhi.core.errors import Conflict, Forbidden, NotFound, NothingChanged, ValidationFailed, int_param
from gongzhi.core.forms import call_service, error_text
from gongzhi.core.masking import mask_name, personal_data_visible
from gongzhi.core.workflow import SUBMITTER
from gongzhi.deliberation.forms.topics import (
    AttachmentForm,
    CosignForm,
    DecisionForm,
    DecisionStepForm,
    DeskCheckInForm,
    MeetingForm,
    MeetingStepForm,
    MinuteEntryForm,
    MinutesForm,
    PublicCheckInForm,
    RsvpForm,
    TopicEditForm,
    TopicForm,
    TopicStepForm,
)
from gongzhi.deliberation.models import Invitation, MeetingKind, Rsvp, TopicSource
from gongzhi.deliberation.policies import topics as policies
from gongzhi.deliberation.policies.topics import ATTACH, CHECK_IN, COSIGN, EDIT, MINUTES, RSVP, SCHEDULE, VIEW
from gongzhi.deliberation.selectors import topics as selectors
from gongzhi.deliberation.services import topics as services
from gongzhi.deliberation.workflow import (
    DECISION_FLOW,
    MEETING_FLOW,
    TOPIC_FLOW,
    DecisionState,
    MeetingState,
    TopicState,
)
from gongzhi.demands.services import rate_allows
from gongzhi.registry.models import Region

PER_PAGE = 25
AGREEMENT_STATES = (TopicState.COORDINATION, TopicState.DECIDED, TopicState.IMPLEMENTING)
CHECKIN_RATE = 100  # check-ins of one meeting from one address per 10 minutes (a venue's Wi-Fi is one address)


def _page(request, qs):
    return Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))


def _list(request, template: str, partial: str, context: dict):
    """A list page; an htmx request (the live filter form) gets only the table."""
    return render(request, partial if request.htmx else template, context)


def _failed(request, error) -> None:
    messages.error(request, error_text(error))


# --- topics -------------------------------------------------------------------------------------------------

@login_required
def topic_list(request):
    require_capability(request.user, VIEW)
    visible = selectors.topics_for(request.user)
    qs = selectors.filter_topics(visible, request.GET).annotate(meeting_count=Count("meetings"))
    qs = qs.order_by("-created_at", "-pk")
    return _list(request, "deliberation/topics/topic_list.html", "deliberation/topics/_table_topics.html", {
        "page": _page(request, qs), "states": TopicState.choices, "sources": TopicSource.choices,
        "areas": Region.objects.filter(pk__in=visible.values("area")).order_by("path"),
        "can_add": policies.can_create_topic(request.user),
    })


@login_required
def topic_create(request):
    if not policies.can_create_topic(request.user):
        raise Forbidden(_("You do not have permission to do this."))
    initial = TopicForm.initial_from(request.GET, request.user) if request.method == "GET" else None
    form = TopicForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items()}
        values["demands"] = list(values.get("demands") or ())
        topic = call_service(form, services.create_topic, actor=request.user, **values)
        if topic is not None:
            messages.success(request, _("Saved."))
            return redirect("deliberation:topic_detail", topic.pk)
    return render(request, "deliberation/topics/form.html", {
        "form": form, "title": _("New topic"), "back": reverse("deliberation:topic_list")})


@login_required
def topic_edit(request, pk):
    """Correct a topic's title and description (managers, until the topic is decided); the change is audited."""
    topic = selectors.topic(request.user, pk)
    if not policies.allowed(request.user, topic, EDIT):
        raise Forbidden(_("You do not have permission to do this."))
    if not policies.state_allows(topic, EDIT):
        messages.error(request, _("A decided topic, or a residents' proposal with co-signatures, keeps its wording."))
        return redirect("deliberation:topic_detail", topic.pk)
    form = TopicEditForm(request.POST or None, initial={"title": topic.title, "description": topic.description})
    if request.method == "POST" and form.is_valid():
        try:
            done = call_service(form, services.edit_topic, topic, actor=request.user, unchanged_raises=True,
                                **form.cleaned_data)
        except NothingChanged as e:
            messages.info(request, e.message)
            return redirect("deliberation:topic_detail", topic.pk)
        if done is not None:
            messages.success(request, _("Saved."))
            return redirect("deliberation:topic_detail", topic.pk)
    return render(request, "deliberation/topics/form.html", {
        "form": form, "title": _("Edit the topic"), "subtitle": topic.title, "topic": topic,
        "back": reverse("deliberation:topic_detail", args=[topic.pk])}, status=422 if form.errors else 200)


def _step_forms(user, subject, flow, form_class) -> list[dict]:
    """The steps the user may take on the subject now: label, form, and why the step cannot be taken yet."""
    return [{"action": a, "label": flow.action_label(a), "form": form_class(initial={"action": a}, prefix=a),
             "blocked": policies.why_not(subject, a)} for a in policies.actions(user, subject)]


def _topic_context(request, topic) -> dict:
    user = request.user
    demands = topic.demands.all()
    visible = scoped(user, demands, Capability.VIEW_DEMANDS) if demands else demands
    meetings = selectors.with_attendance(topic.meetings.select_related("place", "convener")).order_by("starts_at")
    return {
        "topic": topic, "log": selectors.log(topic), "demands": visible.order_by("-created_at")[:50],
        "hidden_demands": demands.count() - visible.count(), "meetings": meetings,
        "decisions": selectors.topic_decisions(topic), "today": timezone.localdate(),
        "cosigns": topic.cosigns.count(), "steps": _step_forms(user, topic, TOPIC_FLOW, TopicStepForm),
        "can_schedule": policies.can(user, topic, SCHEDULE), "can_edit": policies.can(user, topic, EDIT),
        # once heard, the agreement may become a resident convention put to a household vote (the votes part)
        "can_draft": topic.state in AGREEMENT_STATES and policies.manages(user, topic),
        "cosign_form": CosignForm(user=user, topic=topic) if policies.can(user, topic, COSIGN) else None,
    }


@login_required
def topic_detail(request, pk):
    topic = selectors.topic(request.user, pk)
    return render(request, "deliberation/topics/topic_detail.html", _topic_context(request, topic))


@login_required
def topic_print(request, pk):
    """The topic's whole file on paper: the topic, its log, each meeting with its attendance, minutes and
    decisions."""
    topic = selectors.topic(request.user, pk)
    context = _topic_context(request, topic)
    context["meetings"] = [(m, m.minute_entries.all(), m.decisions.select_related("owner"))
                           for m in context["meetings"]]
    return render(request, "deliberation/topics/topic_print.html", context)


@require_POST
@login_required
def topic_transition(request, pk):
    action = request.POST.get("action", "")
    form = TopicStepForm(request.POST, prefix=action)
    if not form.is_valid():
        messages.error(request, _("Check the form."))
        return redirect("deliberation:topic_detail", pk)
    d = form.cleaned_data
    try:
        services.transition_topic(pk, d["action"], actor=request.user, note=d["note"], decision=d["decision"],
                                  outcome=d["outcome"])
    except (Conflict, ValidationFailed) as e:
        _failed(request, e)
    else:
        messages.success(request, _("Done."))
    return redirect("deliberation:topic_detail", pk)


@require_POST
@login_required
def topic_cosign(request, pk):
    """Staff record a household's co-signature of a residents' proposal (given on paper)."""
    topic = selectors.topic(request.user, pk)
    form = CosignForm(request.POST, user=request.user, topic=topic)
    if not form.is_valid():
        messages.error(request, error_text(ValidationFailed(_("Check the form."), field_errors=form.errors)))
        return redirect("deliberation:topic_detail", pk)
    try:
        services.cosign_topic(topic.pk, household=form.cleaned_data["household"], actor=request.user)
    except (Conflict, ValidationFailed) as e:
        _failed(request, e)
    else:
        messages.success(request, _("Co-signature recorded."))
    return redirect("deliberation:topic_detail", pk)


@login_required
def topic_picker(request, kind):
    """The options of a searchable picker (an htmx fragment): what matches `q` within what the user may pick."""
    require_capability(request.user, VIEW)
    name = request.GET.get("field") or kind
    if not name.isidentifier():
        raise NotFound(_("Not found."))
    return render(request, "deliberation/topics/_picker_options.html", {
        "name": name, "multiple": request.GET.get("multiple") == "1",
        "options": selectors.picker_options(request.user, kind, request.GET.get("q", ""), request.GET.getlist(name),
                                            int_param(request.GET, "area", minimum=1)),
    })


# --- meetings -----------------------------------------------------------------------------------------------

@login_required
def meeting_list(request):
    require_capability(request.user, VIEW)
    qs = selectors.filter_meetings(selectors.meetings_for(request.user), request.GET, request.user)
    qs = selectors.with_attendance(qs).order_by("-starts_at", "-pk")
    return _list(request, "deliberation/topics/meeting_list.html", "deliberation/topics/_table_meetings.html", {
        "page": _page(request, qs), "kinds": MeetingKind.choices, "states": MeetingState.choices,
    })


@login_required
def meeting_create(request, pk):
    topic = selectors.topic(request.user, pk)
    if not policies.can(request.user, topic, SCHEDULE):
        raise Forbidden(_("Only the staff of the topic's area may convene its meetings."))
    form = MeetingForm(request.POST or None, user=request.user, topic=topic)
    if request.method == "POST" and form.is_valid():
        meeting = call_service(form, services.schedule_meeting, topic.pk, actor=request.user, **form.values())
        if meeting is not None:
            messages.success(request, _("The meeting is scheduled; the invitees are told."))
            return redirect("deliberation:meeting_detail", meeting.pk)
    return render(request, "deliberation/topics/form.html", {
        "form": form, "title": _("Convene a meeting"), "subtitle": topic.title, "topic": topic,
        "back": reverse("deliberation:topic_detail", args=[topic.pk])})


def _qr_svg(url: str) -> str:
    """The QR code of a URL as inline SVG, made on the server (segno)."""
    return mark_safe(segno.make(url, error="m").svg_inline(scale=5, dark="#222", light="#fff"))  # noqa: S308


def _attendance(request, meeting) -> dict:
    """Who checked in (a person's name and phone masked for viewers without personal data) against the quorum."""
    checkins = list(meeting.checkins.select_related("household__building", "member_unit"))
    personal = personal_data_visible(request.user, meeting)

    def who(c) -> str:
        if c.household_id or c.member_unit_id:
            return c.label
        return f"{c.name} {c.phone}" if personal else f"{mask_name(c.name)} {c.masked_phone}"

    return {"meeting": meeting, "checkins": [(c.created_at, who(c)) for c in checkins], "attendance": len(checkins),
            "quorate": len(checkins) >= meeting.quorum, "live": meeting.state == MeetingState.SCHEDULED}


@login_required
def meeting_detail(request, pk, forms: dict | None = None):
    user = request.user
    meeting = selectors.meeting(user, pk)
    topic = meeting.topic
    forms = forms or {}
    door = None
    if policies.can(user, meeting, CHECK_IN):
        url = request.build_absolute_uri(reverse("deliberation:checkin", args=[selectors.checkin_token(meeting)]))
        door = {"url": url, "svg": _qr_svg(url), "form": forms.get("desk") or DeskCheckInForm(meeting=meeting)}
    minutes_open = policies.can(user, meeting, MINUTES)
    decisions = [{"decision": d, "overdue": d.is_overdue(),
                  "steps": _step_forms(user, d, DECISION_FLOW, DecisionStepForm)}
                 for d in meeting.decisions.select_related("owner")]
    return render(request, "deliberation/topics/meeting_detail.html", {
        "meeting": meeting, "topic": topic, "log": selectors.log(meeting),
        "invitations": meeting.invitations.select_related("household__building", "member_unit", "professional_team",
                                                          "volunteer_team", "estate__property_unit", "user"),
        "rsvp_open": policies.can(user, meeting, RSVP), "answers": [c for c in Rsvp.choices if c[0] != Rsvp.PENDING],
        "door": door, **_attendance(request, meeting),
        "steps": _step_forms(user, meeting, MEETING_FLOW, MeetingStepForm),
        "entries": meeting.minute_entries.all(), "decisions": decisions,
        "entry_form": (forms.get("entry") or MinuteEntryForm()) if minutes_open else None,
        "minutes_form": MinutesForm(initial={"minutes": meeting.minutes}) if minutes_open else None,
        "decision_form": (forms.get("decision") or DecisionForm(topic=topic)) if minutes_open else None,
        "attachment_form": (forms.get("attachment") or AttachmentForm())
        if policies.can(user, meeting, ATTACH) else None,
        "attachments": meeting.attachments.all(),
    })


def _again(request, pk, name: str, form):
    """The meeting page again with the form's errors (400)."""
    response = meeting_detail(request, pk, forms={name: form})
    response.status_code = 400
    return response


@login_required
def meeting_attendance(request, pk):
    """Attendance against the quorum (an htmx fragment the meeting page polls while the door is open)."""
    meeting = selectors.meeting(request.user, pk)
    return render(request, "deliberation/topics/_attendance.html", _attendance(request, meeting))


@require_POST
@login_required
def meeting_transition(request, pk):
    action = request.POST.get("action", "")
    form = MeetingStepForm(request.POST, prefix=action)
    if not form.is_valid():
        messages.error(request, _("Check the form."))
        return redirect("deliberation:meeting_detail", pk)
    try:
        services.transition_meeting(pk, form.cleaned_data["action"], actor=request.user,
                                    note=form.cleaned_data["note"])
    except (Conflict, ValidationFailed) as e:
        _failed(request, e)
    else:
        messages.success(request, _("Done."))
    return redirect("deliberation:meeting_detail", pk)


@require_POST
@login_required
def meeting_rsvp(request, pk):
    """Staff record an invitee's reply (given by phone or in person)."""
    meeting = selectors.meeting(request.user, pk)
    form = RsvpForm(request.POST)
    invitation = meeting.invitations.filter(pk=form.cleaned_data["invitation"]).first() if form.is_valid() else None
    if invitation is None:
        messages.error(request, _("Check the form."))
        return redirect("deliberation:meeting_detail", pk)
    try:
        services.rsvp(invitation, actor=request.user, answer=form.cleaned_data["answer"])
    except (Conflict, ValidationFailed) as e:
        _failed(request, e)
    return redirect(reverse("deliberation:meeting_detail", args=[pk]) + "#invitations")


@require_POST
@login_required
def meeting_checkin(request, pk):
    """Staff at the desk check an attendee in."""
    meeting = selectors.meeting(request.user, pk)
    form = DeskCheckInForm(request.POST, meeting=meeting)
    if form.is_valid():
        done = call_service(form, services.check_in, meeting.pk, actor=request.user, **form.values())
        if done is not None:
            messages.success(request, _("Checked in.") if done[1] else _("Already checked in."))
            return redirect(reverse("deliberation:meeting_detail", args=[pk]) + "#attendance")
    return _again(request, pk, "desk", form)


@require_POST
@login_required
def meeting_minute_add(request, pk):
    form = MinuteEntryForm(request.POST)
    if form.is_valid() and call_service(form, services.add_minute_entry, pk, actor=request.user,
                                        **form.cleaned_data) is not None:
        return redirect(reverse("deliberation:meeting_detail", args=[pk]) + "#minutes")
    return _again(request, pk, "entry", form)


@require_POST
@login_required
def meeting_minutes(request, pk):
    form = MinutesForm(request.POST)
    if form.is_valid():
        try:
            services.write_minutes(pk, actor=request.user, minutes=form.cleaned_data["minutes"])
        except (Conflict, ValidationFailed) as e:
            _failed(request, e)
        else:
            messages.success(request, _("Saved."))
    return redirect(reverse("deliberation:meeting_detail", args=[pk]) + "#minutes")


@require_POST
@login_required
def meeting_decision_add(request, pk):
    meeting = selectors.meeting(request.user, pk)
    form = DecisionForm(request.POST, topic=meeting.topic)
    if form.is_valid() and call_service(form, services.record_decision, meeting.pk, actor=request.user,
                                        **form.cleaned_data) is not None:
        return redirect(reverse("deliberation:meeting_detail", args=[pk]) + "#decisions")
    return _again(request, pk, "decision", form)


@require_POST
@login_required
def meeting_attachment_add(request, pk):
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid() and call_service(form, services.add_attachment, pk, actor=request.user,
                                        upload=form.cleaned_data["file"]) is not None:
        messages.success(request, _("Uploaded."))
        return redirect(reverse("deliberation:meeting_detail", args=[pk]) + "#attachments")
    return _again(request, pk, "attachment", form)


# --- decisions ----------------------------------------------------------------------------------------------

@login_required
def decision_list(request):
    require_capability(request.user, VIEW)
    qs = selectors.filter_decisions(selectors.decisions_for(request.user), request.GET, request.user)
    return _list(request, "deliberation/topics/decision_list.html", "deliberation/topics/_table_decisions.html", {
        "page": _page(request, qs.order_by("state", "deadline", "pk")), "states": DecisionState.choices,
        "today": timezone.localdate(),
    })


@require_POST
@login_required
def decision_transition(request, pk):
    decision = selectors.decision(request.user, pk)
    action = request.POST.get("action", "")
    form = DecisionStepForm(request.POST, prefix=action)
    if not form.is_valid():
        messages.error(request, _("Check the form."))
    else:
        d = form.cleaned_data
        try:
            services.transition_decision(decision.pk, d["action"], actor=request.user, note=d["note"],
                                         outcome=d["outcome"])
        except (Conflict, ValidationFailed) as e:
            _failed(request, e)
        else:
            messages.success(request, _("Done."))
    return redirect(reverse("deliberation:meeting_detail", args=[decision.meeting_id]) + f"#decision-{decision.pk}")


# --- residents without an account ---------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def checkin(request, token):
    """The page the door's QR code opens on an attendee's phone: pick the invited household or unit, or give a
    name and phone; one check-in per attendee."""
    meeting = selectors.meeting_for_checkin(token)
    form = PublicCheckInForm(request.POST or None, meeting=meeting)
    done = None
    if request.method == "POST" and not rate_allows(
            f"checkin:{meeting.pk}", request.META.get("REMOTE_ADDR", ""),
            limit=getattr(settings, "GONGZHI_CHECKIN_RATE", CHECKIN_RATE), seconds=600):
        form.add_error(None, _("Too many check-ins from this connection. Please check in at the desk."))
        return render(request, "deliberation/topics/checkin.html", {
            "meeting": meeting, "form": form, "open": True, "attendance": selectors.attendance(meeting)}, status=429)
    if request.method == "POST" and form.is_valid():
        done = call_service(form, services.check_in, meeting.pk, actor=SUBMITTER, **form.values())
    return render(request, "deliberation/topics/checkin.html", {
        "meeting": meeting, "form": form, "done": done, "open": meeting.state == MeetingState.SCHEDULED,
        "attendance": selectors.attendance(meeting)}, status=400 if request.method == "POST" and not done else 200)


@require_http_methods(["GET", "POST"])
def h5_meeting(request, token):
    """An invitee's page (the link of their SMS or inbox): the meeting, the topic, and their reply."""
    invitation: Invitation = selectors.invitation_for_token(token)
    if request.method == "POST":
        try:
            services.rsvp(invitation, actor=SUBMITTER, answer=request.POST.get("answer", ""))
        except (Conflict, ValidationFailed) as e:
            _failed(request, e)
        else:
            messages.success(request, _("Thank you, your reply is recorded."))
        return redirect("deliberation:h5_meeting", token)
    return render(request, "deliberation/topics/h5_meeting.html", {
        "invitation": invitation, "meeting": invitation.meeting, "topic": invitation.meeting.topic,
        "answers": [c for c in Rsvp.choices if c[0] != Rsvp.PENDING],
        "open": invitation.meeting.state == MeetingState.SCHEDULED})


urlpatterns: list = [
    path("topics/", topic_list, name="topic_list"),
    path("topics/new/", topic_create, name="topic_create"),
    path("topics/<int:pk>/", topic_detail, name="topic_detail"),
    path("topics/<int:pk>/print/", topic_print, name="topic_print"),
    path("topics/<int:pk>/edit/", topic_edit, name="topic_edit"),
    path("topics/<int:pk>/transition/", topic_transition, name="topic_transition"),
    path("topics/<int:pk>/cosign/", topic_cosign, name="topic_cosign"),
    path("topics/<int:pk>/meetings/new/", meeting_create, name="meeting_create"),
    path("topics/picker/<str:kind>/", topic_picker, name="topic_picker"),
    path("topics/meetings/", meeting_list, name="meeting_list"),
    path("topics/meetings/<int:pk>/", meeting_detail, name="meeting_detail"),
    path("topics/meetings/<int:pk>/attendance/", meeting_attendance, name="meeting_attendance"),
    path("topics/meetings/<int:pk>/transition/", meeting_transition, name="meeting_transition"),
    path("topics/meetings/<int:pk>/rsvp/", meeting_rsvp, name="meeting_rsvp"),
    path("topics/meetings/<int:pk>/checkin/", meeting_checkin, name="meeting_checkin"),
    path("topics/meetings/<int:pk>/minutes/entries/", meeting_minute_add, name="meeting_minute_add"),
    path("topics/meetings/<int:pk>/minutes/", meeting_minutes, name="meeting_minutes"),
    path("topics/meetings/<int:pk>/decisions/", meeting_decision_add, name="meeting_decision_add"),
    path("topics/meetings/<int:pk>/attachments/", meeting_attachment_add, name="meeting_attachment_add"),
    path("topics/decisions/", decision_list, name="decision_list"),
    path("topics/decisions/<int:pk>/transition/", decision_transition, name="decision_transition"),
    path("topics/checkin/<str:token>/", checkin, name="checkin"),
    path("topics/h5/meetings/<str:token>/", h5_meeting, name="h5_meeting"),
]
