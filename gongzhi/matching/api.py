"""Matching JSON API (mounted at /api/v1/matching/): scoped lists and details of resources, needs and projects,
suggestions for a need, claims, confirmation and the other project transitions. Each object's `actions` lists
the workflow steps the calling user may take on it now (`gongzhi.matching.policies`)."""

from datetime import date

from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from gongzhi.accounts.scope import require_capability
from gongzhi.core.apitypes import POSITIVE, Id, In, Ref, choice, errors, number, text
from gongzhi.matching import labels, policies, selectors, services
from gongzhi.matching.labels import NEED_CATEGORY_CHOICES, RESOURCE_CATEGORY_CHOICES
from gongzhi.matching.policies import VIEW
from gongzhi.matching.workflow import ProjectAction, ProjectState

router = Router(tags=["matching"])


class _Actions(Schema):
    actions: list[str]

    @staticmethod
    def resolve_actions(obj, context) -> list[str]:
        return policies.actions(context["request"].user, obj)


class ResourceOut(_Actions):
    id: int
    code: str
    title: str
    category: str
    provider_unit_id: int | None
    provider_org_id: int | None
    capacity: int
    unit: str
    starts_on: date
    ends_on: date
    status: str
    campaign_id: int | None


class NeedOut(_Actions):
    id: int
    code: str
    title: str
    category: str
    place_id: int
    beneficiaries: int
    quantity: int
    unit: str
    starts_on: date
    ends_on: date
    urgency: int
    status: str
    campaign_id: int | None


class ProjectOut(_Actions):
    id: int
    title: str
    state: str
    initiated_by: str
    need_id: int
    resource_id: int
    campaign_id: int | None
    amount: int
    beneficiaries_served: int | None
    hours: int | None
    satisfaction: int | None


class SuggestionOut(Schema):
    resource_id: int
    score: float
    reasons: list[str]


class MatchingClaimIn(In):
    """A need and a resource; `amount` (in the resource's unit) at most what the resource has left (422 naming
    `amount` beyond)."""

    need_id: Ref
    resource_id: Ref
    amount: number(1, POSITIVE[1]) | None = None
    plan: text() = ""


class ProjectTransitionIn(In):
    """Declining needs a `note`; evaluating needs `satisfaction` and the beneficiaries served (422 naming them)."""

    action: choice(ProjectAction, exclude=(ProjectAction.CLAIM, ProjectAction.PROPOSE, ProjectAction.IMPORT))
    note: text() = ""
    beneficiaries_served: number(*POSITIVE) | None = None
    hours: number(*POSITIVE) | None = None
    satisfaction: number(1, 5) | None = None


ERRORS = errors(403, 404, 409, 422)
RESOURCE_CATEGORIES = [value for value, _label in RESOURCE_CATEGORY_CHOICES]
NEED_CATEGORIES = [value for value, _label in NEED_CATEGORY_CHOICES]
NOT_FOUND = errors(404)


def _list(request, qs):
    require_capability(request.user, VIEW)
    return qs


@router.get("/resources", response=list[ResourceOut], url_name="matching_resource_list")
@paginate
def resource_list(request, category: choice(RESOURCE_CATEGORIES) | None = None):
    qs = selectors.resources_for(request.user).order_by("code")
    return _list(request, qs.filter(category=category) if category else qs)


@router.get("/resources/{pk}", response={200: ResourceOut, **NOT_FOUND}, url_name="matching_resource_detail")
def resource_detail(request, pk: Id):
    return selectors.resource(request.user, pk)


@router.get("/needs", response=list[NeedOut], url_name="matching_need_list")
@paginate
def need_list(request, category: choice(NEED_CATEGORIES) | None = None):
    qs = selectors.needs_for(request.user).order_by("code")
    return _list(request, qs.filter(category=category) if category else qs)


@router.get("/needs/{pk}", response={200: NeedOut, **NOT_FOUND}, url_name="matching_need_detail")
def need_detail(request, pk: Id):
    return selectors.need(request.user, pk)


@router.get("/needs/{pk}/suggestions", response={200: list[SuggestionOut], **NOT_FOUND},
            url_name="matching_need_suggestions")
def need_suggestions(request, pk: Id, k: int = 5):
    need = selectors.need(request.user, pk)
    return [{"resource_id": s.resource_id, "score": round(s.score, 4), "reasons": labels.explain(s)}
            for _resource, s in selectors.matches(request.user, need, min(max(k, 1), 20))]


@router.get("/projects", response=list[ProjectOut], url_name="matching_project_list")
@paginate
def project_list(request, state: choice(ProjectState) | None = None):
    qs = selectors.projects_for(request.user)
    return _list(request, qs.filter(state=state) if state else qs)


@router.get("/projects/{pk}", response={200: ProjectOut, **NOT_FOUND}, url_name="matching_project_detail")
def project_detail(request, pk: Id):
    return selectors.project(request.user, pk)


@router.post("/claims/need", response={201: ProjectOut, **ERRORS}, url_name="matching_claim_need")
def claim_need(request, payload: MatchingClaimIn):
    """A provider claims a need with one of its resources; the community confirms."""
    return Status(201, services.claim_need(payload.need_id, actor=request.user, resource=payload.resource_id,
                                           amount=payload.amount, plan=payload.plan))


@router.post("/claims/resource", response={201: ProjectOut, **ERRORS}, url_name="matching_claim_resource")
def claim_resource(request, payload: MatchingClaimIn):
    """A community claims a resource for one of its needs; the provider confirms."""
    return Status(201, services.claim_resource(payload.resource_id, actor=request.user, need=payload.need_id,
                                               amount=payload.amount, plan=payload.plan))


@router.post("/projects/{pk}/confirm", response={200: ProjectOut, **ERRORS}, url_name="matching_project_confirm")
def project_confirm(request, pk: Id):
    return services.transition_project(pk, ProjectAction.AGREE, actor=request.user)


@router.post("/projects/{pk}/transitions", response={200: ProjectOut, **ERRORS},
             url_name="matching_project_transition")
def project_transition(request, pk: Id, payload: ProjectTransitionIn):
    return services.transition_project(pk, payload.action, actor=request.user, **payload.dict(exclude={"action"}))
