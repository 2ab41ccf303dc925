"""Joint-building API of the sessions part, under /api/v1/joint/: sessions and decisions (scoped lists and
details; ``actions`` lists what the caller may do now), the referral of a demand by a sub-district leader, a
held session's decision, and the completion of a decision. Refusals answer in the ErrorOut shape: 403 without the
right, 404 out of scope, 409 in the wrong state, 422 for bad input (field errors: a missing owner unit or deadline,
a platform that does not cover the demand)."""

from datetime import date, datetime
from typing import Annotated

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from gongzhi.core.apitypes import Date, Id, In, QueryId, choice, errors, required_text, text
from gongzhi.core.errors import MAX_ID, NotFound
from gongzhi.demands.models import Demand
from gongzhi.joint.policies import sessions as policies
from gongzhi.joint.selectors import sessions as selectors
from gongzhi.joint.services import sessions as services
from gongzhi.joint.workflow import DecisionState, SessionState

router = Router()

ACTION_ERRORS = errors(403, 404, 409, 422)
RowId = Annotated[int, Field(ge=1, le=MAX_ID)]
Year = Annotated[int, Field(ge=1900, le=2999)]


class JointAgendaItemOut(Schema):
    id: int
    kind: str
    title: str
    note: str
    demand_id: int | None
    need_id: int | None
    resource_id: int | None
    project_id: int | None


class JointDecisionOut(Schema):
    id: int
    session_id: int
    agenda_item_id: int | None
    demand_id: int | None
    text: str
    owner_unit_id: int
    owner_unit: str
    deadline: date
    state: str
    outcome: str
    actions: list[str]

    @staticmethod
    def resolve_demand_id(obj) -> int | None:
        return obj.agenda_item.demand_id if obj.agenda_item_id else None

    @staticmethod
    def resolve_owner_unit(obj) -> str:
        return obj.owner_unit.name

    @staticmethod
    def resolve_actions(obj, context) -> list[str]:
        return policies.decision_actions(context["request"].user, obj)


class JointSessionOut(Schema):
    id: int
    platform_id: int
    platform: str
    title: str
    starts_at: datetime
    place: str
    state: str
    actions: list[str]

    @staticmethod
    def resolve_platform(obj) -> str:
        return str(obj.platform)

    @staticmethod
    def resolve_actions(obj, context) -> list[str]:
        return policies.session_actions(context["request"].user, obj)


class JointSessionDetailOut(JointSessionOut):
    minutes: str
    agenda: list[JointAgendaItemOut]
    attendance: int
    decisions: list[JointDecisionOut]

    @staticmethod
    def resolve_agenda(obj) -> list:
        return selectors.agenda(obj)

    @staticmethod
    def resolve_attendance(obj) -> int:
        return obj.attendances.count()

    @staticmethod
    def resolve_decisions(obj) -> list:
        return selectors.decisions_of(obj)


class JointReferIn(In):
    platform_id: RowId | None = None
    note: required_text(2000)


class JointReferOut(Schema):
    demand_id: int
    agenda_item_id: int
    platform_id: int
    session_id: int | None


class JointDecisionIn(In):
    text: required_text(4000)
    owner_unit_id: RowId | None = None
    deadline: Date | None = None
    agenda_item_id: RowId | None = None


class JointOutcomeIn(In):
    outcome: required_text(4000)


@router.get("/sessions", response=list[JointSessionOut], url_name="joint_session_list")
@paginate
def session_list(request, platform: QueryId | None = None, state: choice(SessionState) | None = None,
                 year: Year | None = None, q: text(100) | None = None):
    selectors.require_view(request.user)
    params = {k: str(v) for k, v in (("platform", platform), ("state", state), ("year", year), ("q", q)) if v}
    return selectors.filter_sessions(selectors.sessions_for(request.user), params).order_by("-starts_at", "-pk")


@router.get("/sessions/{pk}", response={200: JointSessionDetailOut, **errors(404)}, url_name="joint_session_detail")
def session_detail(request, pk: Id):
    return selectors.session(request.user, pk)


@router.get("/decisions", response=list[JointDecisionOut], url_name="joint_decision_list")
@paginate
def decision_list(request, session: QueryId | None = None, state: choice(DecisionState) | None = None,
                  unit: QueryId | None = None, due: bool = False, q: text(100) | None = None):
    selectors.require_view(request.user)
    params = {k: str(v) for k, v in (("session", session), ("state", state), ("unit", unit), ("q", q)) if v}
    if due:
        params["due"] = "1"
    return selectors.filter_decisions(selectors.decisions_for(request.user), params)


@router.get("/decisions/{pk}", response={200: JointDecisionOut, **errors(404)}, url_name="joint_decision_detail")
def decision_detail(request, pk: Id):
    return selectors.decision(request.user, pk)


@router.post("/demands/{pk}/refer", response={200: JointReferOut, **ACTION_ERRORS}, url_name="joint_demand_refer")
def refer(request, pk: Id, payload: JointReferIn):
    """A sub-district leader refers a demand to a joint-meeting platform (default: the demand's sub-district's
    own); it joins the platform's next session's agenda. 403 for whoever sees the demand but may not refer it."""
    demand = Demand.objects.select_related("region").filter(pk=pk).first()
    if demand is None:
        raise NotFound()
    platform_id = payload.platform_id
    if platform_id is None:
        default = selectors.default_platform_for(request.user, demand)
        platform_id = default.pk if default else 0
    item = services.refer_to_platform(demand, actor=request.user, platform_id=platform_id,
                                      note=payload.note)
    return {"demand_id": demand.pk, "agenda_item_id": item.pk, "platform_id": item.platform_id,
            "session_id": item.session_id}


@router.post("/sessions/{pk}/decisions", response={200: JointDecisionOut, **ACTION_ERRORS},
             url_name="joint_session_decide")
def decide(request, pk: Id, payload: JointDecisionIn):
    """Record a held session's decision: its owner unit and deadline are required (422 naming the field); a
    decision on a referred demand hands the demand to the owner unit."""
    session = selectors.session(request.user, pk)
    made = services.record_decision(session, actor=request.user, text=payload.text,
                                    owner_unit=payload.owner_unit_id, deadline=payload.deadline,
                                    agenda_item=payload.agenda_item_id)
    return selectors.decision(request.user, made.pk)


@router.post("/decisions/{pk}/complete", response={200: JointDecisionOut, **ACTION_ERRORS},
             url_name="joint_decision_complete")
def complete(request, pk: Id, payload: JointOutcomeIn):
    """Complete a decision with its outcome (409 for one that handed a demand over: its resolution completes it)."""
    decision = selectors.decision(request.user, pk)
    services.complete_decision(decision, actor=request.user, outcome=payload.outcome)
    return selectors.decision(request.user, pk)
