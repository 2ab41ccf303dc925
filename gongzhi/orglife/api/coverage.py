"""Organization-life API of the coverage part, under /api/v1/orglife/: a region's two-new coverage (``?region=``
a region code; the caller's broadest region by default) with its sub-districts' rows for a district, the units not
covered, and the instructor assignments (the phone masked unless the caller may see personal data). Refusals
answer in the ErrorOut shape: 403 without ``orglife.view``, 404 for a region outside the caller's scope."""

from datetime import date
from typing import Annotated

from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate
from pydantic import StringConstraints

from gongzhi.core.apitypes import errors, text
from gongzhi.core.errors import NotFound
from gongzhi.core.masking import mask_phone, may_see_personal_data
from gongzhi.orglife.policies import coverage as policies
from gongzhi.orglife.selectors import coverage as selectors

router = Router()

RegionCode = Annotated[str, StringConstraints(max_length=40, pattern=r"^([A-Za-z0-9][A-Za-z0-9_-]{0,39})?$")]
Missing = Annotated[str, StringConstraints(pattern=r"^(org|work)?$")]
State = Annotated[str, StringConstraints(pattern=r"^(current|ended)?$")]


class OlCoverageRowOut(Schema):
    region_code: str
    region: str
    counted: int
    organized: int
    instructed: int
    organized_share: float | None
    instructed_share: float | None


class OlCoverageOut(OlCoverageRowOut):
    on: date
    sub_districts: list[OlCoverageRowOut]


class OlUncoveredOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    headcount: int
    region_code: str
    region: str
    own_org: bool
    joint: bool
    organized: bool
    instructed: bool

    @staticmethod
    def resolve_region_code(obj) -> str:
        return obj.region.code

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region.name


class OlInstructorOut(Schema):
    id: int
    unit_id: int
    unit_code: str
    unit: str
    instructor: str
    instructor_member_id: int | None
    phone: str
    assigned_on: date
    ended_on: date | None

    @staticmethod
    def resolve_unit_code(obj) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_phone(obj, context) -> str:
        user = context["request"].user
        return obj.phone if may_see_personal_data(user, obj) else mask_phone(obj.phone)


def _row(region, c) -> dict:
    return {"region_code": region.code, "region": region.name, "counted": c.counted, "organized": c.organized,
            "instructed": c.instructed, "organized_share": c.organized_share, "instructed_share": c.instructed_share}


@router.get("/coverage", response={200: OlCoverageOut, **errors(403, 404)}, url_name="orglife_coverage")
def coverage(request, region: RegionCode = ""):
    """Organizational and work coverage of the region today (counted / covered / share) and, for a district,
    of each of its sub-districts."""
    policies.require_view(request.user)
    found = selectors.region_for(request.user, region)
    if found is None:
        raise NotFound()
    return {**_row(found, selectors.coverage_of(found)), "on": timezone.localdate(),
            "sub_districts": [_row(s, c) for s, c in selectors.sub_rows(found)]}


@router.get("/coverage/uncovered", response={200: list[OlUncoveredOut], **errors(403, 404)},
            url_name="orglife_coverage_uncovered")
@paginate
def uncovered(request, region: RegionCode = "", q: text(40) = "", missing: Missing = ""):
    """The region's counted units lacking organizational or work coverage today."""
    policies.require_view(request.user)
    return selectors.uncovered_rows(request.user, {"region": region, "q": q, "missing": missing})


@router.get("/coverage/instructors", response={200: list[OlInstructorOut], **errors(403)},
            url_name="orglife_coverage_instructors")
@paginate
def instructors(request, q: text(40) = "", state: State = ""):
    """Party-building instructors' assignments in the caller's scope (the phone masked)."""
    policies.require_view(request.user)
    return selectors.instructor_rows(request.user, {"q": q, "state": state})
