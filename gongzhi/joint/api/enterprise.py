"""API of the enterprise part (mounted at /api/v1/joint/): liaison visits (scoped list with filters, detail,
recording a visit) and the coverage check of key office buildings. Refusals answer in the ErrorOut shape: 403
without `joint.visit`, 404 out of scope, 422 naming the field (a firm out of scope, a visit in the future)."""

from datetime import date

from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from gongzhi.core.apitypes import Date, Id, In, QueryId, Ref, choice, errors, text
from gongzhi.joint.policies import enterprise as policies
from gongzhi.joint.selectors import enterprise as selectors
from gongzhi.joint.services import enterprise as services
from gongzhi.joint.workflow_enterprise import VisitState

router = Router(tags=["joint"])


class JointVisitOut(Schema):
    id: int
    member_unit_id: int
    member_unit: str
    building: str
    liaison_id: int | None
    liaison: str
    visited_on: date
    needs_found: str
    follow_up: str
    state: str
    demand_ids: list[int]
    actions: list[str]

    @staticmethod
    def resolve_member_unit(obj) -> str:
        return obj.member_unit.name

    @staticmethod
    def resolve_building(obj) -> str:
        return obj.member_unit.building.name if obj.member_unit.building_id else ""

    @staticmethod
    def resolve_liaison(obj) -> str:
        return obj.liaison.name if obj.liaison_id else ""

    @staticmethod
    def resolve_demand_ids(obj) -> list[int]:
        return [d.pk for d in obj.demands.all()]

    @staticmethod
    def resolve_actions(obj, context) -> list[str]:
        return policies.actions(context["request"].user, obj)


class JointVisitIn(In):
    member_unit_id: Ref
    visited_on: Date
    liaison_id: Ref | None = None
    needs_found: text(5000) = ""
    follow_up: text(5000) = ""


class JointCoverageBuildingOut(Schema):
    id: int
    code: str
    name: str
    liaisons: int
    firms: list[str]


class JointCoverageFirmOut(Schema):
    id: int
    name: str
    building: str
    visits: int


class JointCoverageOut(Schema):
    key_buildings: int
    since: date
    flagged: list[JointCoverageBuildingOut]
    firms: list[JointCoverageFirmOut]


@router.get("/enterprise/visits", response=list[JointVisitOut], url_name="joint_visit_list")
@paginate
def visit_list(request, state: choice(VisitState) | None = None, member_unit: QueryId | None = None,
               liaison: QueryId | None = None, since: Date | None = None, until: Date | None = None,
               q: text(60) | None = None):
    params = {k: str(v) for k, v in (("state", state), ("member_unit", member_unit), ("liaison", liaison),
                                     ("since", since), ("until", until), ("q", q)) if v}
    return selectors.filter_visits(selectors.visits_for(request.user), params).prefetch_related("demands")


@router.get("/enterprise/visits/{pk}", response={200: JointVisitOut, **errors(404)}, url_name="joint_visit_detail")
def visit_detail(request, pk: Id):
    return selectors.visit(request.user, pk)


@router.post("/enterprise/visits", response={201: JointVisitOut, **errors(403, 422)}, url_name="joint_visit_create")
def visit_create(request, payload: JointVisitIn):
    """Record a liaison visit to a firm in the caller's scope (422: a firm out of scope, a day in the future)."""
    visit = services.record_visit(actor=request.user, **payload.dict())
    return Status(201, selectors.visit(request.user, visit.pk))


@router.get("/enterprise/coverage", response=JointCoverageOut, url_name="joint_coverage")
def coverage(request):
    """Key office buildings with fewer than one or more than two liaisons, and visits per firm in 12 months."""
    data = selectors.coverage(request.user)
    return {"key_buildings": data["buildings"], "since": data["since"],
            "flagged": [{"id": b.pk, "code": b.code, "name": b.name, "liaisons": b.n_liaisons,
                         "firms": [u.name for u in b.firms]} for b in data["flagged"]],
            "firms": [{"id": f.pk, "name": f.name, "building": f.building.name if f.building_id else "",
                       "visits": f.n_visits} for f in data["firms"]]}
