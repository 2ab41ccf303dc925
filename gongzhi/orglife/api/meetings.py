"""Organization-life API of the meetings part, under /api/v1/orglife/: the meetings in the caller's scope
(filters as on the list page), a meeting with its attendance, recording a meeting with its attendance (422 with
field errors: a date in the future, a lesson without a speaker, someone not a member of the organization) and the
compliance of an organization for a year (months × kinds with their status)."""

from datetime import date, datetime
from typing import Annotated

from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from gongzhi.core.apitypes import Date, Id, In, QueryId, Ref, choice, required_text, text
from gongzhi.orglife.models import AttendanceStatus, LessonForm, MeetingKind
from gongzhi.orglife.policies import meetings as policies
from gongzhi.orglife.selectors import meetings as selectors
from gongzhi.orglife.services import meetings as services

router = Router(tags=["orglife"])


def _error_out():
    from gongzhi.api import ErrorOut  # gongzhi.api imports this module while it is being built

    return ErrorOut


E = _error_out
ERRORS = {403: E(), 404: E(), 409: E(), 422: E()}


class OlMeetingOut(Schema):
    id: int
    org_id: int
    org: str
    kind: str
    held_on: date
    topic: str
    place: str
    speaker: str
    lesson_form: str
    created_at: datetime

    @staticmethod
    def resolve_org(obj) -> str:
        return obj.org.name


class OlAttendanceOut(Schema):
    member_id: int
    member: str
    status: str
    leave_reason: str

    @staticmethod
    def resolve_member(obj) -> str:
        return obj.member.name


class OlMeetingDetailOut(OlMeetingOut):
    minutes: str
    attendance: list[OlAttendanceOut]
    photos: int
    can_edit: bool

    @staticmethod
    def resolve_attendance(obj) -> list:
        return list(selectors.attendance_of(obj))

    @staticmethod
    def resolve_photos(obj) -> int:
        return obj.photos.count()

    @staticmethod
    def resolve_can_edit(obj, context) -> bool:
        return policies.may_edit(context["request"].user, obj)


class OlAttendanceIn(In):
    member: Ref
    status: choice(AttendanceStatus)
    leave_reason: text(200) = ""


class OlMeetingIn(In):
    org: Ref
    kind: choice(MeetingKind)
    held_on: Date
    topic: required_text(200)
    place: text(120) = ""
    minutes: text(20000) = ""
    speaker: text(60) = ""
    speaker_member: Ref | None = None
    lesson_form: choice(LessonForm, blank=True) = ""
    attendance: list[OlAttendanceIn] = []


class OlComplianceCellOut(Schema):
    month: int
    kind: str
    frequency: str
    held_in_month: int
    held_in_period: int
    period_start: date
    period_end: date
    status: str


class OlComplianceOut(Schema):
    org_id: int
    org: str
    year: int
    cells: list[OlComplianceCellOut]


@router.get("/meetings", response=list[OlMeetingOut], url_name="orglife_meeting_list")
@paginate
def meeting_list(request, org: QueryId | None = None, kind: choice(MeetingKind) | None = None,
                 year: Annotated[int, Query(ge=2000, le=2999)] | None = None, q: text(100) | None = None):
    params = {k: str(v) for k, v in {"org": org, "kind": kind, "year": year, "q": q}.items() if v is not None}
    return selectors.meeting_list(request.user, params)


@router.get("/meetings/{pk}", response={200: OlMeetingDetailOut, 403: E(), 404: E()},
            url_name="orglife_meeting_detail")
def meeting_detail(request, pk: Id):
    return selectors.meeting(request.user, pk)


@router.post("/meetings", response={201: OlMeetingDetailOut, **ERRORS}, url_name="orglife_meeting_create")
def meeting_create(request, payload: OlMeetingIn):
    """Record a meeting held (not in the future) by an organization in the caller's record scope, with the
    attendance of its members (a leave needs its reason); a party lesson (党课, micro or walking too) names its
    speaker."""
    data = payload.dict()
    data["attendance"] = [dict(a) for a in data["attendance"]]
    made = services.record_meeting(actor=request.user, **data)
    return Status(201, selectors.meeting(request.user, made.pk))


@router.get("/compliance/{pk}", response={200: OlComplianceOut, 403: E(), 404: E(), 422: E()},
            url_name="orglife_meeting_compliance")
def compliance(request, pk: Id, year: Annotated[int, Query(ge=2000, le=2999)] | None = None):
    """An organization's compliance for a year: every month × meeting kind with the periods' status (met, due,
    missed, upcoming, optional)."""
    from django.utils import timezone

    from gongzhi.accounts.scope import require_capability

    require_capability(request.user, policies.VIEW)
    org = selectors.org(request.user, pk)
    year = year or timezone.localdate().year
    grid = selectors.compliance_year(org, year)
    cells = [{"month": m, **{f: getattr(c, f) for f in ("kind", "frequency", "held_in_month", "held_in_period",
                                                         "period_start", "period_end", "status")}}
             for m in range(1, 13) for c in grid[m]]
    return {"org_id": org.pk, "org": org.name, "year": year, "cells": cells}
