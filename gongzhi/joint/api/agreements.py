"""API of the agreements part (mounted at /api/v1/joint/): co-building agreements (scoped list and detail with
commitments, KPI progress and reports; a month's progress report) and 众筹共建 projects (scoped list and detail
with totals per kind and pledges; a pledge). Readers: ``joint.view`` over the sub-district or a party unit's
liaison; writers: ``joint.manage`` there. Refusals answer in the ErrorOut shape: 403 without the right, 404 out of
scope, 409 in the wrong state, 422 for bad input naming the field (a month outside the term or reported already, a
value missing or negative, a unit that pledged this kind already)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Strict

from gongzhi.core.apitypes import Date, Id, In, QueryId, Ref, choice, errors, text
from gongzhi.core.errors import Forbidden
from gongzhi.joint.models import PledgeKind
from gongzhi.joint.policies import agreements as policies
from gongzhi.joint.selectors import agreements as selectors
from gongzhi.joint.services import agreements as services
from gongzhi.joint.workflow_agreements import AgreementState

router = Router()

WRITE_ERRORS = errors(403, 404, 409, 422)
# an amount in a JSON body: a number ≥ 0 (the services take at most two decimals)
Amount = Annotated[float, Strict(), Field(ge=0, le=999_999_999_999)]


def _readers_only(request) -> None:
    if not policies.sees_any(request.user):
        raise Forbidden(_("You do not have permission to do this."))


class JointPartyOut(Schema):
    id: int
    code: str
    name: str


class JointCommitmentOut(Schema):
    id: int
    text: str
    kpi_name: str
    measure: str
    baseline: Decimal
    target: Decimal
    direction: str
    member_unit_id: int | None


class JointKpiProgressOut(Schema):
    commitment_id: int
    kpi_name: str
    period: date | None
    value: Decimal | None
    expected: Decimal | None
    behind: bool


class JointReportOut(Schema):
    id: int
    period: date
    note: str
    values: dict[int, Decimal]
    created_at: datetime

    @staticmethod
    def resolve_values(obj) -> dict:
        return selectors.kpi_values(obj)


class JointAgreementOut(Schema):
    id: int
    code: str
    title: str
    region_id: int
    party_org_id: int | None
    platform_id: int | None
    starts_on: date
    ends_on: date
    memo: str
    state: str
    previous_id: int | None
    renewal_id: int | None
    parties: list[JointPartyOut]
    actions: list[str]

    @staticmethod
    def resolve_parties(obj) -> list:
        return [p.member_unit for p in obj.parties.all()]

    @staticmethod
    def resolve_renewal_id(obj) -> int | None:
        return obj.__class__.objects.filter(previous=obj).values_list("pk", flat=True).first()

    @staticmethod
    def resolve_actions(obj, context) -> list[str]:
        return policies.actions(context["request"].user, obj)


class JointAgreementDetailOut(JointAgreementOut):
    commitments: list[JointCommitmentOut]
    progress: list[JointKpiProgressOut]
    reports: list[JointReportOut]

    @staticmethod
    def resolve_commitments(obj) -> list:
        return selectors.commitments(obj)

    @staticmethod
    def resolve_progress(obj) -> list:
        return [{"commitment_id": r["commitment"].pk, "kpi_name": r["commitment"].kpi_name, "period": r["period"],
                 "value": r["value"], "expected": r["expected"], "behind": r["behind"]}
                for r in selectors.progress(obj)]

    @staticmethod
    def resolve_reports(obj) -> list:
        return list(obj.reports.order_by("-period"))


class JointKpiValueIn(In):
    commitment_id: Ref
    value: Amount


class JointReportIn(In):
    period: Date = Field(description="Any day of the month reported on.")
    values: list[JointKpiValueIn] = Field(max_length=100)
    note: text(2000) = ""


class JointCrowdTotalOut(Schema):
    kind: str
    goal: Decimal
    pledged: Decimal
    share: int


class JointPledgeOut(Schema):
    id: int
    member_unit_id: int
    member_unit: str
    kind: str
    amount: Decimal
    note: str
    created_at: datetime

    @staticmethod
    def resolve_member_unit(obj) -> str:
        return obj.member_unit.name


class JointCrowdProjectOut(Schema):
    id: int
    title: str
    description: str
    region_id: int
    platform_id: int | None
    goal_money: Decimal
    goal_venue: Decimal
    goal_hours: Decimal
    totals: list[JointCrowdTotalOut]

    @staticmethod
    def resolve_totals(obj) -> list:
        return selectors.totals(obj)


class JointCrowdProjectDetailOut(JointCrowdProjectOut):
    pledges: list[JointPledgeOut]

    @staticmethod
    def resolve_pledges(obj) -> list:
        return list(selectors.pledges(obj))


class JointPledgeIn(In):
    member_unit_id: Ref
    kind: choice(PledgeKind)
    amount: Amount
    note: text(200) = ""


@router.get("/agreements", response=list[JointAgreementOut], url_name="joint_agreement_list")
@paginate
def agreement_list(request, state: choice(AgreementState) | None = None, unit: QueryId | None = None,
                   q: text(100) | None = None):
    _readers_only(request)
    params = {k: str(v) for k, v in (("state", state), ("unit", unit), ("q", q)) if v}
    return selectors.filter_agreements(selectors.agreements_for(request.user), params)


@router.get("/agreements/{pk}", response={200: JointAgreementDetailOut, **errors(403, 404)},
            url_name="joint_agreement_detail")
def agreement_detail(request, pk: Id):
    _readers_only(request)
    return selectors.agreement(request.user, pk)


@router.post("/agreements/{pk}/reports", response={201: JointReportOut, **WRITE_ERRORS},
             url_name="joint_agreement_report")
def agreement_report(request, pk: Id, payload: JointReportIn):
    """Report a month's progress: every commitment's KPI value (a running total for "reach at least", the month's
    level for "bring down to")."""
    _readers_only(request)
    agreement = selectors.agreement(request.user, pk)
    values = {v.commitment_id: Decimal(str(v.value)) for v in payload.values}
    report = services.record_report(agreement, actor=request.user, period=payload.period, values=values,
                                    note=payload.note)
    return Status(201, report)


@router.get("/crowd-projects", response=list[JointCrowdProjectOut], url_name="joint_crowd_project_list")
@paginate
def project_list(request, unit: QueryId | None = None, q: text(100) | None = None):
    _readers_only(request)
    params = {k: str(v) for k, v in (("unit", unit), ("q", q)) if v}
    return selectors.filter_projects(selectors.projects_for(request.user), params)


@router.get("/crowd-projects/{pk}", response={200: JointCrowdProjectDetailOut, **errors(403, 404)},
            url_name="joint_crowd_project_detail")
def project_detail(request, pk: Id):
    _readers_only(request)
    return selectors.project(request.user, pk)


@router.post("/crowd-projects/{pk}/pledges", response={201: JointPledgeOut, **WRITE_ERRORS},
             url_name="joint_crowd_pledge")
def project_pledge(request, pk: Id, payload: JointPledgeIn):
    """Record a member unit's pledge (once per unit and kind)."""
    _readers_only(request)
    project = selectors.project(request.user, pk)
    made = services.pledge(project, actor=request.user, member_unit=payload.member_unit_id, kind=payload.kind,
                           amount=Decimal(str(payload.amount)), note=payload.note)
    return Status(201, made)
