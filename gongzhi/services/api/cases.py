"""Doorstep-services API of the cases part, under /api/v1/services/: one-window cases (scoped list and detail, the
applicant's phone and ID number masked unless the caller may see personal data), opening a case at a place for
any item (全岗通), a step of a case (``actions`` lists what the caller may do now), and the back office's queue.
Refusals answer in the ErrorOut shape: 403 without the right, 404 out of scope, 409 when the case's state does
not allow the step, 422 for bad input (field errors: a wrong mobile or ID number, a material still missing, a
back office not named)."""

from datetime import date, datetime
from typing import Annotated

from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StringConstraints

from gongzhi.accounts.scope import require_capability
from gongzhi.core.apitypes import Id, IdNumber, In, QueryId, Ref, choice, errors, required_text, text
from gongzhi.core.masking import mask_id_number, mask_phone, may_see_personal_data
from gongzhi.services.policies import cases as policies
from gongzhi.services.selectors import cases as selectors
from gongzhi.services.services import cases as services
from gongzhi.services.workflow import CaseAction, CaseState

router = Router()

Mobile = Annotated[str, StringConstraints(max_length=11, pattern=r"^(1[0-9]{10})?$")]  # an 11-digit mobile, or empty

ACTION_ERRORS = errors(403, 404, 409, 422)


class ServiceCaseMaterialOut(Schema):
    material_id: int
    name: str
    required: bool
    provided: bool


class ServiceCaseOut(Schema):
    id: int
    code: str
    place_id: int
    place: str
    item_id: int
    item: str
    state: str
    applicant_name: str
    applicant_phone: str
    applicant_id_number: str
    visits: int
    back_office: str
    result: str
    created_at: datetime
    accepted_at: datetime | None
    forwarded_at: datetime | None
    closed_at: datetime | None
    due_on: date | None
    actions: list[str]

    @staticmethod
    def resolve_place(obj) -> str:
        return obj.place.name

    @staticmethod
    def resolve_item(obj) -> str:
        return obj.item.name

    @staticmethod
    def resolve_applicant_phone(obj, context) -> str:
        user = context["request"].user
        return obj.applicant_phone if may_see_personal_data(user, obj) else mask_phone(obj.applicant_phone)

    @staticmethod
    def resolve_applicant_id_number(obj, context) -> str:
        user = context["request"].user
        value = obj.applicant_id_number
        return value if may_see_personal_data(user, obj) else mask_id_number(value)

    @staticmethod
    def resolve_actions(obj, context) -> list[str]:
        return policies.actions(context["request"].user, obj)


class ServiceCaseDetailOut(ServiceCaseOut):
    materials: list[ServiceCaseMaterialOut]
    missing: list[str]

    @staticmethod
    def resolve_materials(obj) -> list[dict]:
        return [{"material_id": r.material_id, "name": r.material.name, "required": r.material.required,
                 "provided": r.provided} for r in obj.materials.select_related("material")]

    @staticmethod
    def resolve_missing(obj) -> list[str]:
        return [m.name for m in services.missing_materials(obj)]


class ServiceCaseOpenIn(In):
    """A case at a place (whose counter the caller works) for any active item; `provided`: ids of the item's
    materials the applicant brought (a required one missing opens the case as incomplete)."""

    place_id: Ref
    item_id: Ref
    applicant_name: required_text(40)
    applicant_phone: Mobile = ""
    applicant_id_number: IdNumber = ""
    provided: list[Ref] = []
    note: text(2000) = ""
    appointment_id: Ref | None = None


class ServiceCaseActionIn(In):
    """A step of the case: `back_office` names where a forwarded case goes; a reason (`note`) for send_back,
    reject and withdraw; `provided` ticks materials on supply; `result` on complete or make_ready."""

    action: choice(CaseAction, exclude=(CaseAction.OPEN,))
    note: text(2000) = ""
    back_office: text(80) = ""
    result: text(2000) = ""
    provided: list[Ref] = []


@router.get("/cases", response=list[ServiceCaseOut], url_name="services_case_list")
@paginate
def case_list(request, place: QueryId | None = None, item: QueryId | None = None,
              state: choice(CaseState, blank=True) = "", overdue: bool = False, q: text(60) = ""):
    require_capability(request.user, policies.VIEW)
    params = {"place": str(place or ""), "item": str(item or ""), "state": state, "overdue": "1" if overdue else "",
              "q": q}
    return selectors.filter_cases(selectors.cases_for(request.user), params)


@router.get("/cases/back-office", response={200: list[ServiceCaseOut], **errors(403)},
            url_name="services_case_queue")
@paginate
def case_queue(request):
    """The back office's queue: forwarded cases and those it handles, oldest first."""
    require_capability(request.user, policies.BACK_OFFICE)
    return selectors.back_office_queue(request.user)


@router.get("/cases/{pk}", response={200: ServiceCaseDetailOut, **errors(404)}, url_name="services_case_detail")
def case_detail(request, pk: Id):
    return selectors.case(request.user, pk)


@router.post("/cases", response={201: ServiceCaseDetailOut, **errors(403, 404, 409, 422)},
             url_name="services_case_open")
def open_case(request, payload: ServiceCaseOpenIn):
    """Open a case (一口受理): accepted with its due date when every required material is provided, else
    incomplete with the missing ones listed (`missing`)."""
    require_capability(request.user, policies.ACCEPT)
    case, _missing = services.open_case(
        payload.place_id, actor=request.user, item=payload.item_id, applicant_name=payload.applicant_name,
        applicant_phone=payload.applicant_phone, applicant_id_number=payload.applicant_id_number,
        provided=payload.provided, note=payload.note, appointment=payload.appointment_id)
    return Status(201, selectors.case(request.user, case.pk))


@router.post("/cases/{pk}/actions", response={200: ServiceCaseDetailOut, **ACTION_ERRORS},
             url_name="services_case_action")
def case_action(request, pk: Id, payload: ServiceCaseActionIn):
    case = selectors.case(request.user, pk)
    services.act_on_case(case, payload.action, actor=request.user, note=payload.note, provided=payload.provided,
                         back_office=payload.back_office, result=payload.result)
    return selectors.case(request.user, pk)

