"""Funds API of the delivery part (mounted at /api/v1/funds/): a proposal's delivery (milestones, spending per
budget line, progress), recording spending (field errors as JSON), and the public results of a residential area
(no account; nothing personal)."""


from datetime import date
from decimal import Decimal

from ninja import Router, Schema
from ninja.responses import Status

from gongzhi.core.apitypes import Id, errors
from gongzhi.core.errors import BadParameter
from gongzhi.funds.policies import delivery as policies
from gongzhi.funds.selectors import delivery as selectors
from gongzhi.funds.services import delivery as services

router = Router(tags=["funds"])

ERRORS = errors(403, 404, 409, 422)
NOT_FOUND = errors(404)


class MilestoneOut(Schema):
    id: int
    title: str
    due_on: date
    done_on: date | None
    note: str


class SpendingOut(Schema):
    id: int
    budget_line_id: int
    amount: Decimal
    spent_on: date
    payee: str
    receipt_no: str
    has_scan: bool

    @staticmethod
    def resolve_has_scan(obj) -> bool:
        return bool(obj.receipt)


class DeliveryLineOut(Schema):
    id: int
    item: str
    approved: Decimal
    spent: Decimal
    remaining: Decimal


class DeliveryOut(Schema):
    id: int
    title: str
    state: str
    progress: int
    beneficiaries_reached: int
    starts_on: date | None
    ends_on: date | None
    granted: Decimal
    spent: Decimal
    returned: Decimal
    milestones: list[MilestoneOut]
    lines: list[DeliveryLineOut]
    spending: list[SpendingOut]
    actions: list[str]


class SpendingIn(Schema):
    budget_line_id: int
    amount: str
    spent_on: date
    payee: str
    receipt_no: str = ""
    note: str = ""


class PublicMilestoneOut(Schema):
    title: str
    due_on: date
    done_on: date | None


class PublicPhotoOut(Schema):
    url: str
    caption: str


class PublicProjectOut(Schema):
    id: int
    title: str
    summary: str
    origin: str
    beneficiaries: str
    state: str
    granted: Decimal
    spent: Decimal
    returned: Decimal
    progress: int
    beneficiaries_reached: int
    milestones: list[PublicMilestoneOut]
    before: list[PublicPhotoOut]
    after: list[PublicPhotoOut]
    result: str
    completed_on: date | None


class PublicAreaOut(Schema):
    area: str
    year: int | None
    years: list[int]
    projects: list[PublicProjectOut]


def _delivery(user, proposal) -> dict:
    lines = selectors.budget(proposal)
    figures = selectors.summary(proposal)
    return {
        "id": proposal.pk, "title": proposal.title, "state": proposal.state, "progress": proposal.progress,
        "beneficiaries_reached": proposal.beneficiaries_reached, "starts_on": proposal.starts_on,
        "ends_on": proposal.ends_on, "granted": figures.granted, "spent": figures.spent,
        "returned": figures.returned, "milestones": list(proposal.milestones.all()),
        "lines": [{"id": b.line.pk, "item": b.line.item, "approved": b.approved, "spent": b.spent,
                   "remaining": b.remaining} for b in lines],
        "spending": [s for b in lines for s in b.spendings], "actions": policies.actions(user, proposal),
    }


@router.get("/delivery/{pk}", response={200: DeliveryOut, **NOT_FOUND}, url_name="funds_delivery_detail",
            summary="A granted proposal's delivery: milestones, spending per budget line, progress")
def delivery_detail(request, pk: Id):
    return _delivery(request.user, selectors.proposal(request.user, pk))


@router.post("/delivery/{pk}/spending", response={201: SpendingOut, **ERRORS},
             url_name="funds_delivery_spending_create",
             summary="Record spending on an approved budget line (the receipt scan is added on the page)")
def spending_create(request, pk: Id, payload: SpendingIn):
    """Refused with field errors (422), nothing written: an amount that is not positive whole fen, more than the
    line has left, a date outside the project's period or before the grant, a proposal in the wrong phase."""
    row = services.record_spending(pk, actor=request.user, budget_line=payload.budget_line_id,
                                   amount=payload.amount, spent_on=payload.spent_on, payee=payload.payee,
                                   receipt_no=payload.receipt_no, note=payload.note)
    return Status(201, row)


@router.get("/delivery/areas/{pk}/results", auth=None, response={200: PublicAreaOut, **NOT_FOUND},
            url_name="funds_delivery_public_area",
            summary="The public results of a residential area's funded projects (no contact, no names)")
def public_area(request, pk: Id, year: int | None = None):
    area = selectors.public_area(pk)
    years = selectors.public_years(area)
    if year is not None and not 1900 <= year <= 9999:
        raise BadParameter("year")
    year = year or (years[0] if years else None)
    projects = [dict(vars(p), id=p.pk, state=p.state) for p in selectors.public_results(area, year)]
    return {"area": area.name, "year": year, "years": years, "projects": projects}
