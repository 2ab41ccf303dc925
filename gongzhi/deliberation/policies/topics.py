"""Who may do what with topics, meetings and decisions. Services call `can`/`allowed` to refuse and `why_not` for
the conditions a step needs beyond its state; views, templates and the API call them to decide what to show. No
other module repeats these rules.

* A topic is managed by the staff whose ``deliberation.manage`` scope covers its residential area or its grid
  (`manages`): they accept or decline it (with a reason), move it along, convene its meetings and record
  households' co-signatures of a residents' proposal.
* A meeting is run by its topic's managing staff and by its convener (`runs`): invitations and replies on an
  invitee's behalf, check-in at the desk, holding it (only with a quorum), minutes, decisions, attachments,
  publishing the minutes, cancelling (with a reason).
* A decision is marked done by its owner or the meeting's runners; only the runners reopen it (with a reason).
* `SYSTEM` may do everything; `SUBMITTER` (a resident who proved a household's phone, or holds a signed
  invitation or check-in link) may reply to an invitation, check in and co-sign.

The three meetings follow the topic (三会制度): a hearing (事前听证) before the decision, coordination meetings
(事中协调) while it is worked out and carried out, a review (事后评议) after it — see `MEETING_KINDS`.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import has_capability, scope_for
from gongzhi.core.workflow import SUBMITTER, SYSTEM, Workflow, is_user
from gongzhi.deliberation.models import (
    CheckIn,
    Decision,
    Meeting,
    MeetingKind,
    MinuteEntry,
    Topic,
    TopicCosign,
    TopicSource,
)
from gongzhi.deliberation.workflow import (
    DECISION_FLOW,
    MEETING_FLOW,
    TOPIC_FLOW,
    DecisionAction,
    MeetingAction,
    MeetingState,
    TopicAction,
    TopicState,
)

VIEW, MANAGE = Capability.VIEW_DELIBERATION, Capability.MANAGE_DELIBERATION
# actions that keep the state
SCHEDULE = "schedule"  # a topic: convene one of its meetings
COSIGN = "cosign"  # a topic: a household co-signs a residents' proposal
INVITE = "invite"  # a meeting: invite more
RSVP = "rsvp"  # a meeting: an invitee's reply (staff for the invitee, or the invitee's signed link)
CHECK_IN = "check_in"  # a meeting: record an attendee at the door
MINUTES = "minutes"  # a meeting: speakers' views, decisions, the summary
ATTACH = "attach"  # a meeting: photos and documents
EDIT = "edit"  # a topic: correct its title and description (until it is decided)

FLOWS: dict[type, Workflow] = {Topic: TOPIC_FLOW, Meeting: MEETING_FLOW, Decision: DECISION_FLOW}
T, MS, MK = TopicState, MeetingState, MeetingKind
# Which meetings a topic in each state may convene.
MEETING_KINDS: dict[str, tuple[str, ...]] = {
    T.ACCEPTED: (MK.HEARING,),
    T.HEARING: (MK.HEARING, MK.COORDINATION),
    T.COORDINATION: (MK.COORDINATION,),
    T.DECIDED: (MK.COORDINATION,),
    T.IMPLEMENTING: (MK.COORDINATION, MK.REVIEW),
    T.REVIEWED: (MK.REVIEW,),
}
HELD_STATES = (MS.HELD, MS.MINUTED)
# A topic's step that needs a meeting of a kind held first.
NEEDS_MEETING = {TopicAction.COORDINATE: MK.HEARING, TopicAction.DECIDE: MK.COORDINATION,
                 TopicAction.REVIEW: MK.REVIEW}
# A topic's wording is corrected while it is discussed; from the decision on, the record stands.
EDITABLE_STATES = (T.PROPOSED, T.ACCEPTED, T.HEARING, T.COORDINATION)
# The actions a resident with a signed link or a proven phone takes.
SUBMITTER_ACTIONS = frozenset({RSVP, CHECK_IN, COSIGN})


# --- the sides --------------------------------------------------------------------------------------------

def topic_paths(topic: Topic) -> list[str]:
    return [topic.area.path] + ([topic.grid.path] if topic.grid_id else [])


def manages(actor, topic: Topic) -> bool:
    """Staff whose deliberation.manage scope covers the topic's area or grid."""
    if actor is SYSTEM:
        return True
    if not is_user(actor):
        return False
    scope = scope_for(actor, MANAGE)
    return any(scope.covers_path(p) for p in topic_paths(topic))


def convenes(actor, meeting: Meeting) -> bool:
    return is_user(actor) and meeting.convener_id == actor.pk


def runs(actor, meeting: Meeting) -> bool:
    """The meeting's convener or its topic's managing staff."""
    return convenes(actor, meeting) or manages(actor, meeting.topic)


def owns(actor, decision: Decision) -> bool:
    return is_user(actor) and decision.owner_id == actor.pk


def can_create_topic(actor) -> bool:
    return actor is SYSTEM or has_capability(actor, MANAGE)


# --- conditions beyond the state ----------------------------------------------------------------------------

def meeting_kinds(topic: Topic) -> tuple[str, ...]:
    """The kinds of meeting the topic may convene in its state."""
    return MEETING_KINDS.get(topic.state, ())


def attendance(meeting: Meeting) -> int:
    return CheckIn.objects.filter(meeting=meeting).count()


def held(topic: Topic, kind: str) -> bool:
    return topic.meetings.filter(kind=kind, state__in=HELD_STATES).exists()


def cosigns_missing(topic: Topic) -> int:
    if topic.source != TopicSource.RESIDENTS:
        return 0
    return max(0, topic.cosigns_needed - TopicCosign.objects.filter(topic=topic).count())


def why_not(subject, action: str) -> str:
    """Why the step cannot be taken now although the state's table allows it ("" when it can): a residents'
    proposal short of co-signatures, a topic step whose meeting is not held yet, a meeting below its quorum, minutes
    with nothing in them."""
    if isinstance(subject, Topic):
        if action == TopicAction.ACCEPT and (missing := cosigns_missing(subject)):
            return _("This residents' proposal still needs %(n)d co-signing households (%(needed)d in all).") % {
                "n": missing, "needed": subject.cosigns_needed}
        if (kind := NEEDS_MEETING.get(action)) and not held(subject, kind):
            return {MK.HEARING: _("Hold the hearing first: the coordination follows it."),
                    MK.COORDINATION: _("Hold a coordination meeting first: the decision comes out of it."),
                    MK.REVIEW: _("Hold the review meeting first.")}[kind]
    if isinstance(subject, Meeting):
        if action == MeetingAction.HOLD and (n := attendance(subject)) < subject.quorum:
            return _("No quorum: %(n)d of the %(quorum)d attendees the meeting needs have checked in. A motion "
                     "without a quorum cannot be taken.") % {"n": n, "quorum": subject.quorum}
        if action == MeetingAction.PUBLISH_MINUTES and not (
                subject.minutes.strip() or MinuteEntry.objects.filter(meeting=subject).exists()):
            return _("Record the minutes first: a summary or the speakers' views.")
    return ""


# --- can / actions ------------------------------------------------------------------------------------------

def allowed(actor, subject, action: str) -> bool:
    """The actor's right to take `action` on `subject`, whatever its state."""
    if actor is SYSTEM:
        return True
    if actor is SUBMITTER:
        return action in SUBMITTER_ACTIONS
    if not is_user(actor):
        return False
    if isinstance(subject, Topic):
        return manages(actor, subject)
    if isinstance(subject, Meeting):
        return runs(actor, subject)
    if isinstance(subject, Decision):
        if action == DecisionAction.COMPLETE and owns(actor, subject):
            return True
        return runs(actor, subject.meeting)
    raise TypeError(f"not a topics subject: {subject!r}")


def state_allows(subject, action: str) -> bool:
    if isinstance(subject, Topic):
        if action == SCHEDULE:
            return bool(meeting_kinds(subject))
        if action == COSIGN:
            return subject.source == TopicSource.RESIDENTS and subject.state == T.PROPOSED
        if action == EDIT:  # a residents' proposal keeps the words its households co-signed
            return subject.state in EDITABLE_STATES and not (
                subject.source == TopicSource.RESIDENTS and TopicCosign.objects.filter(topic=subject).exists())
    if isinstance(subject, Meeting):
        if action in (INVITE, RSVP, CHECK_IN):
            return subject.state == MS.SCHEDULED
        if action == MINUTES:
            return subject.state == MS.HELD
        if action == ATTACH:
            return subject.state in HELD_STATES
    flow = FLOWS[type(subject)]
    return flow.target(getattr(subject, flow.state_field), action) is not None


def can(actor, subject, action: str) -> bool:
    return state_allows(subject, action) and allowed(actor, subject, action)


def actions(actor, subject) -> list[str]:
    """The workflow actions this actor may take on the subject now (their conditions: `why_not`)."""
    flow = FLOWS[type(subject)]
    return [a for a in flow.actions_from(getattr(subject, flow.state_field)) if allowed(actor, subject, a)]
