"""API of the topics part of deliberation, under /api/v1/deliberation/: scoped lists and details of topics and
meetings, a new topic, a topic's steps, and check-in at a meeting's door. Each topic and meeting lists the
workflow steps the caller may take on it now (`actions`); errors are the domain errors' JSON (gongzhi.api)."""

from datetime import date, datetime

from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from gongzhi.accounts.scope import require_capability
from gongzhi.core.apitypes import Id, In, Phone, QueryId, Ref, choice, number, required_text, text
from gongzhi.deliberation.models import MeetingKind, TopicSource
from gongzhi.deliberation.policies import topics as policies
from gongzhi.deliberation.policies.topics import VIEW
from gongzhi.deliberation.selectors import topics as selectors
from gongzhi.deliberation.services import topics as services
from gongzhi.deliberation.workflow import MeetingState, TopicAction, TopicState

router = Router(tags=["deliberation"])


def _error_out():
    from gongzhi.api import ErrorOut  # gongzhi.api imports this module while it is being built

    return ErrorOut


E = _error_out
ERRORS = {403: E(), 404: E(), 409: E(), 422: E()}


class _Actions(Schema):
    actions: list[str]

    @staticmethod
    def resolve_actions(obj, context) -> list[str]:
        return policies.actions(context["request"].user, obj)


class TopicOut(_Actions):
    id: int
    title: str
    description: str
    source: str
    state: str
    area_id: int
    estate_id: int | None
    grid_id: int | None
    hot_issue_key: str
    cosigns_needed: int
    decision: str
    outcome: str
    created_at: datetime


class TopicDetailOut(TopicOut):
    demand_ids: list[int]
    meeting_ids: list[int]
    cosigns: int
    decline_reason: str

    @staticmethod
    def resolve_demand_ids(obj) -> list[int]:
        return sorted(obj.demands.values_list("pk", flat=True))

    @staticmethod
    def resolve_meeting_ids(obj) -> list[int]:
        return list(obj.meetings.order_by("starts_at").values_list("pk", flat=True))

    @staticmethod
    def resolve_cosigns(obj) -> int:
        return obj.cosigns.count()


class TopicIn(In):
    """The estate and grid lie in the area, the demands in the caller's scope; a topic from demands names them,
    one from a hot issue names it, a residents' proposal needs co-signatures (422 naming the field otherwise)."""

    title: required_text(120)
    area_id: Ref
    description: text() = ""
    source: choice(TopicSource) = TopicSource.COUNCIL
    estate_id: Ref | None = None
    grid_id: Ref | None = None
    demand_ids: list[Ref] = Field([], max_length=500)
    hot_issue_key: text(120) = ""
    proposer_household_id: Ref | None = None
    cosigns_needed: number(0, 10000) = 0


class TopicTransitionIn(In):
    """Declining needs a `note`, deciding a `decision`, reviewing an `outcome` (422 naming it)."""

    action: choice(TopicAction, exclude=(TopicAction.PROPOSE,))
    note: text() = ""
    decision: text() = ""
    outcome: text() = ""


class InvitationOut(Schema):
    id: int
    kind: str
    label: str
    rsvp: str


class DecisionOut(Schema):
    id: int
    text: str
    owner_id: int
    deadline: date
    state: str
    overdue: bool

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.is_overdue()


class MeetingOut(_Actions):
    id: int
    topic_id: int
    kind: str
    title: str
    starts_at: datetime
    ends_at: datetime | None
    place_id: int | None
    place_note: str
    convener_id: int
    quorum: int
    state: str
    attendance: int

    @staticmethod
    def resolve_attendance(obj) -> int:
        found = getattr(obj, "attendance_count", None)
        return found if found is not None else obj.checkins.count()


class MeetingDetailOut(MeetingOut):
    minutes: str
    cancel_reason: str
    invitations: list[InvitationOut]
    decisions: list[DecisionOut]

    @staticmethod
    def resolve_invitations(obj) -> list:
        return list(obj.invitations.select_related("household__building", "member_unit", "professional_team",
                                                   "volunteer_team", "estate__property_unit", "user"))

    @staticmethod
    def resolve_decisions(obj) -> list:
        return list(obj.decisions.all())


class CheckInIn(In):
    """An invited household or member unit, or a person's name and phone (422 naming what is missing)."""

    household_id: Ref | None = None
    member_unit_id: Ref | None = None
    name: text(40) = ""
    phone: Phone = ""


class CheckInOut(Schema):
    id: int
    meeting_id: int
    created: bool
    attendance: int
    quorum: int


@router.get("/topics", response=list[TopicOut], url_name="deliberation_topic_list")
@paginate
def topic_list(request, q: text() = "", state: choice(TopicState, blank=True) = "",
               source: choice(TopicSource, blank=True) = "", area: QueryId | None = None):
    require_capability(request.user, VIEW)
    params = {"q": q, "state": state, "source": source, "area": str(area) if area else ""}
    return selectors.filter_topics(selectors.topics_for(request.user), params).order_by("-created_at", "-pk")


@router.post("/topics", response={201: TopicDetailOut, **ERRORS}, url_name="deliberation_topic_create")
def topic_create(request, payload: TopicIn):
    """Raise a topic in a residential area of the caller's deliberation.manage scope."""
    topic = services.create_topic(
        actor=request.user, title=payload.title, area=payload.area_id, description=payload.description,
        source=payload.source, estate=payload.estate_id, grid=payload.grid_id, demands=payload.demand_ids,
        hot_issue_key=payload.hot_issue_key, proposer_household=payload.proposer_household_id,
        cosigns_needed=payload.cosigns_needed)
    return Status(201, topic)


@router.get("/topics/{pk}", response={200: TopicDetailOut, 403: E(), 404: E()}, url_name="deliberation_topic_detail")
def topic_detail(request, pk: Id):
    return selectors.topic(request.user, pk)


@router.post("/topics/{pk}/transitions", response={200: TopicDetailOut, **ERRORS},
             url_name="deliberation_topic_transition")
def topic_transition(request, pk: Id, payload: TopicTransitionIn):
    """One step of the topic's table (`actions` lists those the caller may take now)."""
    services.transition_topic(pk, payload.action, actor=request.user, note=payload.note, decision=payload.decision,
                              outcome=payload.outcome)
    return selectors.topic(request.user, pk)


@router.get("/meetings", response=list[MeetingOut], url_name="deliberation_meeting_list")
@paginate
def meeting_list(request, q: text() = "", kind: choice(MeetingKind, blank=True) = "",
                 state: choice(MeetingState, blank=True) = "", topic: QueryId | None = None):
    require_capability(request.user, VIEW)
    params = {"q": q, "kind": kind, "state": state, "topic": str(topic) if topic else ""}
    qs = selectors.filter_meetings(selectors.meetings_for(request.user), params, request.user)
    return selectors.with_attendance(qs).order_by("-starts_at", "-pk")


@router.get("/meetings/{pk}", response={200: MeetingDetailOut, 403: E(), 404: E()},
            url_name="deliberation_meeting_detail")
def meeting_detail(request, pk: Id):
    return selectors.meeting(request.user, pk)


@router.post("/meetings/{pk}/checkins", response={201: CheckInOut, 200: CheckInOut, **ERRORS},
             url_name="deliberation_meeting_checkin")
def meeting_checkin(request, pk: Id, payload: CheckInIn):
    """Check an attendee in at the desk: 201 for a new check-in, 200 when the attendee was checked in already."""
    row, created = services.check_in(pk, actor=request.user, household=payload.household_id,
                                     member_unit=payload.member_unit_id, name=payload.name, phone=payload.phone)
    meeting = row.meeting
    out = {"id": row.pk, "meeting_id": meeting.pk, "created": created, "attendance": meeting.checkins.count(),
           "quorum": meeting.quorum}
    return Status(201 if created else 200, out)
