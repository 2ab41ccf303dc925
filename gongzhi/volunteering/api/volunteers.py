"""Volunteering API of the volunteers part, under /api/v1/volunteering/: the scoped register of volunteers (the
phone masked unless the caller may see personal data), a volunteer with their teams and total, their hours
ledger, and a correction of their hours (staff managing the volunteer). Refusals answer in the ErrorOut shape: 403
without the right, 404 out of scope, 422 for bad input (a day passing 24 hours, a correction without a reason or
taking more hours than the day has, a future date)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StringConstraints

from gongzhi.core.apitypes import Date, Id, In, QueryId, errors, required_text, text
from gongzhi.core.errors import Forbidden
from gongzhi.core.masking import mask_phone, may_see_personal_data
from gongzhi.volunteering.policies import volunteers as policies
from gongzhi.volunteering.selectors import volunteers as selectors
from gongzhi.volunteering.services import volunteers as services

router = Router()

# hours of a correction: a non-zero number with at most two decimals between -24 and 24 (as text or a number)
Hours = Annotated[Decimal, Field(ge=-24, le=24, decimal_places=2, max_digits=4)]
Link = Annotated[str, StringConstraints(pattern=r"^(member|account|unit|none)?$")]
Active = Annotated[str, StringConstraints(pattern=r"^(0|1)?$")]


class VolTeamOut(Schema):
    id: int
    name: str


class VolVolunteerOut(Schema):
    id: int
    name: str
    phone: str
    region_id: int
    region: str
    party_member_id: int | None
    user_id: int | None
    member_unit_id: int | None
    skills: str
    availability: str
    consented_at: datetime | None
    active: bool

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region.name

    @staticmethod
    def resolve_phone(obj, context) -> str:
        user = context["request"].user
        return obj.phone if may_see_personal_data(user, obj) else mask_phone(obj.phone)


class VolVolunteerDetailOut(VolVolunteerOut):
    teams: list[VolTeamOut]
    total_hours: Decimal

    @staticmethod
    def resolve_teams(obj) -> list:
        return [{"id": t.pk, "name": t.name} for t in obj.teams.order_by("name")]

    @staticmethod
    def resolve_total_hours(obj) -> Decimal:
        return selectors.total_hours(obj)


class VolHoursOut(Schema):
    id: int
    served_on: date
    kind: str
    hours: Decimal
    activity_id: int | None
    activity: str
    organiser: str
    note: str
    recorded_at: datetime

    @staticmethod
    def resolve_activity(obj) -> str:
        return obj.activity.title if obj.activity_id else ""


class VolLedgerOut(Schema):
    volunteer_id: int
    total: Decimal
    rows: list[VolHoursOut]


class VolCorrectionIn(In):
    """A correcting row of the volunteer's ledger: hours (negative to take some away; not zero), the day (not in
    the future) and the reason."""

    served_on: Date
    hours: Hours
    note: required_text(200)


def _require_view(request) -> None:
    if not policies.sees_any(request.user):
        raise Forbidden()


@router.get("/volunteers", response={200: list[VolVolunteerOut], **errors(403)},
            url_name="volunteering_volunteer_list")
@paginate
def volunteer_list(request, q: text(40) = "", team: QueryId | None = None, skill: text(40) = "", link: Link = "",
                   active: Active = ""):
    _require_view(request)
    params = {"q": q, "team": str(team or ""), "skill": skill, "link": link, "active": active}
    return selectors.volunteer_rows(request.user, params)


@router.get("/volunteers/{pk}", response={200: VolVolunteerDetailOut, **errors(403, 404)},
            url_name="volunteering_volunteer_detail")
def volunteer_detail(request, pk: Id):
    return selectors.volunteer(request.user, pk)


def _ledger(v) -> dict:
    rows = selectors.ledger_rows(v)
    return {"volunteer_id": v.pk, "total": sum((r.hours for r in rows), Decimal("0.00")), "rows": rows}


@router.get("/volunteers/{pk}/hours", response={200: VolLedgerOut, **errors(403, 404)},
            url_name="volunteering_volunteer_hours")
def volunteer_hours(request, pk: Id):
    """The volunteer's hours ledger, oldest first; `total` is the sum of its rows."""
    return _ledger(selectors.volunteer(request.user, pk))


@router.post("/volunteers/{pk}/hours", response={201: VolLedgerOut, **errors(403, 404, 422)},
             url_name="volunteering_volunteer_correct")
def correct_hours(request, pk: Id, payload: VolCorrectionIn):
    """Post a correction (staff managing the volunteer); answers the ledger with it."""
    v = selectors.volunteer(request.user, pk)
    services.correct_hours(v, actor=request.user, hours=payload.hours, served_on=payload.served_on,
                           note=payload.note)
    return Status(201, _ledger(v))
