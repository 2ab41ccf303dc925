"""API of the district part (mounted at /api/v1/joint/): a district platform's two-way matching results broken
down by sub-district (read; the figures within the caller's matching scope, as on the results page)."""

from typing import Annotated

from ninja import Field, Router, Schema

from gongzhi.core.apitypes import Id, errors
from gongzhi.joint.selectors import district as selectors

router = Router(tags=["joint"])


class JointDistrictRowOut(Schema):
    subdistrict_id: int | None
    subdistrict: str
    campaigns: list[str]
    needs: int
    unmet_needs: int
    resources: int
    projects: int
    by_state: dict[str, int]
    completed: int
    completion_rate: float
    beneficiaries: int
    hours: int


class JointDistrictResultsOut(Schema):
    platform_id: int
    platform: str
    year: int | None
    rows: list[JointDistrictRowOut]
    total: JointDistrictRowOut


def _row(r: dict) -> dict:
    sub = r["subdistrict"]
    return {**{k: r[k] for k in ("needs", "unmet_needs", "resources", "projects", "by_state", "completed",
                                 "completion_rate", "beneficiaries", "hours")},
            "subdistrict_id": sub.pk if sub else None, "subdistrict": sub.name if sub else "",
            "campaigns": [c.name for c in r["campaigns"]]}


@router.get("/district/platforms/{pk}/results", response={200: JointDistrictResultsOut, **errors(404)},
            url_name="joint_district_results")
def district_results(request, pk: Id, year: Annotated[int, Field(ge=1, le=9999)] | None = None):
    """Needs, resources, projects by state, completed projects, beneficiaries and service hours of each
    sub-district's campaigns under the district platform, and the totals."""
    platform = selectors.platform(request.user, pk)
    data = selectors.results(request.user, platform, year)
    return {"platform_id": platform.pk, "platform": str(platform), "year": year,
            "rows": [_row(r) for r in data["rows"]], "total": _row(data["total"])}
