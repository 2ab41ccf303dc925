"""Organization-life API of the records part, under /api/v1/orglife/: a member's yearly record (the sections of
the page as JSON), the "四先" list and flagging one, the appraisal results, the mobile members (whereabouts masked
unless the caller may see personal data) and adding a contact. Refusals answer in the ErrorOut shape: 403 without
the right, 404 out of scope, 422 for bad input (a future date, a link to work that is not the member's)."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from gongzhi.core.apitypes import Date, Id, In, QueryId, choice, errors, required_text, text
from gongzhi.core.masking import mask_value, may_see_personal_data
from gongzhi.orglife.models import AppraisalResult, ContactChannel, FourFirstKind
from gongzhi.orglife.selectors import records as selectors
from gongzhi.orglife.services import records as services

router = Router()

Year = Annotated[int, Field(ge=1, le=9999)]


class OlWorkOut(Schema):
    kind: str
    id: int
    title: str
    state: str
    url: str


class OlRecordAttendanceOut(Schema):
    meeting_id: int
    held_on: date
    kind: str
    topic: str
    status: str
    leave_reason: str


class OlRoleOut(Schema):
    kind: str
    name: str
    role: str


class OlStudyOut(Schema):
    studied_on: date
    subject: str
    title: str
    hours: Decimal


class OlFourFirstOut(Schema):
    id: int
    member_id: int
    member: str
    kind: str
    occurred_on: date
    description: str
    work_type: str
    work_id: int | None
    work_title: str
    work_url: str

    @staticmethod
    def resolve_member(obj) -> str:
        return obj.member.name

    @staticmethod
    def resolve_work_type(obj) -> str:
        return obj.work_type.model if obj.work_type_id else ""

    @staticmethod
    def resolve_work_title(obj) -> str:
        if not hasattr(obj, "work_title"):
            selectors.attach_work(obj)
        return obj.work_title

    @staticmethod
    def resolve_work_url(obj) -> str:
        if not hasattr(obj, "work_url"):
            selectors.attach_work(obj)
        return obj.work_url


class OlServiceOut(Schema):
    registered_area_id: int | None
    registered_area: str
    registered_on: date | None
    hours: Decimal


class OlRecordOut(Schema):
    member_id: int
    member: str
    organization: str
    year: int
    claims: list[OlWorkOut]
    attendance: list[OlRecordAttendanceOut]
    present: int
    leave: int
    absent: int
    volunteer_hours: Decimal
    roles: list[OlRoleOut]
    community_service: OlServiceOut
    studies: list[OlStudyOut]
    four_firsts: list[OlFourFirstOut]
    appraisal: str


class OlFourFirstIn(In):
    """A "四先" contribution: kind, date (not in the future), what they did, and optionally the member's own work
    (`work_type`: demand, microitem, wish or topic; `work_id`)."""

    kind: choice(FourFirstKind)
    occurred_on: Date
    description: required_text(300)
    work_type: choice(("demand", "microitem", "wish", "topic"), blank=True) = ""
    work_id: Annotated[int, Field(ge=1, le=2**53)] | None = None


class OlAppraisalOut(Schema):
    id: int
    member_id: int
    member: str
    organization: str
    year: int
    result: str
    note: str
    meeting_id: int | None

    @staticmethod
    def resolve_member(obj) -> str:
        return obj.member.name

    @staticmethod
    def resolve_organization(obj) -> str:
        return obj.member.organization.name


class OlMobileOut(Schema):
    member_id: int
    name: str
    organization: str
    home_org_id: int | None
    home_org: str
    whereabouts: str
    left_on: date | None
    active: bool
    last_contact: date | None
    days_since: int | None

    @staticmethod
    def resolve_member_id(obj) -> int:
        return obj.pk

    @staticmethod
    def resolve_organization(obj) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_home_org_id(obj) -> int | None:
        row = selectors.mobile_of(obj)
        return row.home_org_id if row else None

    @staticmethod
    def resolve_home_org(obj) -> str:
        row = selectors.mobile_of(obj)
        return (row.home_org.name if row.home_org_id else row.home_org_name) if row else ""

    @staticmethod
    def resolve_whereabouts(obj, context) -> str:
        row = selectors.mobile_of(obj)
        if row is None or not row.whereabouts:
            return ""
        return row.whereabouts if may_see_personal_data(context["request"].user, row) else mask_value(
            "whereabouts", row.whereabouts)

    @staticmethod
    def resolve_left_on(obj) -> date | None:
        row = selectors.mobile_of(obj)
        return row.left_on if row else None

    @staticmethod
    def resolve_active(obj) -> bool:
        row = selectors.mobile_of(obj)
        return row.active if row else True

    @staticmethod
    def resolve_days_since(obj) -> int | None:
        return selectors.days_since(obj.last_contact)


class OlContactIn(In):
    """A contact with a mobile member: the day (not in the future), the channel and a note."""

    contacted_on: Date
    channel: choice(ContactChannel) = ContactChannel.PHONE
    note: text(300) = ""


class OlContactOut(Schema):
    id: int
    member_id: int
    contacted_on: date
    channel: str
    note: str


def _record(r) -> dict:
    claims = ([{"kind": "demand", "id": d.pk, "title": d.title, "state": d.state, "url": d.url} for d in r.demands]
              + [{"kind": "microitem", "id": i.pk, "title": i.title, "state": i.state, "url": i.url}
                 for i in r.micro_items]
              + [{"kind": "wish", "id": w.pk, "title": w.title, "state": w.state, "url": w.url} for w in r.wishes])
    roles = ([{"kind": "council", "name": s.council.name, "role": s.title or s.get_kind_display()}
              for s in r.council_seats]
             + [{"kind": "owners_committee", "name": str(c.committee), "role": c.get_role_display()}
                for c in r.committee_seats]
             + [{"kind": "topic_proposer", "name": t.title, "role": "proposer"} for t in r.topics])
    m = r.member
    return {
        "member_id": m.pk, "member": m.name, "organization": m.organization.name, "year": r.year, "claims": claims,
        "attendance": [{"meeting_id": a.meeting_id, "held_on": a.meeting.held_on, "kind": a.meeting.kind,
                        "topic": a.meeting.topic, "status": a.status, "leave_reason": a.leave_reason}
                       for a in r.attendance],
        "present": r.attendance_counts["present"], "leave": r.attendance_counts["leave"],
        "absent": r.attendance_counts["absent"], "volunteer_hours": r.volunteer_hours, "roles": roles,
        "community_service": {"registered_area_id": m.registered_area_id,
                              "registered_area": m.registered_area.name if m.registered_area else "",
                              "registered_on": m.registered_on, "hours": r.service_hours},
        "studies": r.studies, "four_firsts": r.four_firsts,
        "appraisal": r.appraisal.result if r.appraisal else "",
    }


@router.get("/members/{pk}/record", response={200: OlRecordOut, **errors(403, 404)},
            url_name="orglife_member_record")
def member_record(request, pk: Id, year: Year | None = None):
    """A member's yearly record (this year unless `year`): the sections of the record page."""
    m = selectors.member(request.user, pk)
    return _record(selectors.yearly_record(m, year or selectors.this_year()))


@router.get("/four-firsts", response={200: list[OlFourFirstOut], **errors(403)}, url_name="orglife_four_firsts")
@paginate
def four_firsts(request, org: QueryId | None = None, kind: choice(FourFirstKind, blank=True) = "",
                year: Year | None = None, q: text(40) = ""):
    return selectors.four_first_rows(request.user, {"org": str(org or ""), "kind": kind, "year": str(year or ""),
                                                    "q": q})


WORK_TYPES = {"demand": "demands.demand", "microitem": "deliberation.microitem", "wish": "volunteering.wish",
              "topic": "deliberation.topic"}


@router.post("/members/{pk}/four-firsts", response={201: OlFourFirstOut, **errors(403, 404, 422)},
             url_name="orglife_four_first_create")
def four_first_create(request, pk: Id, payload: OlFourFirstIn):
    """Flag a contribution of the member (staff recording organization life over the member)."""
    from django.contrib.contenttypes.models import ContentType

    m = selectors.member(request.user, pk)
    type_id = None
    if payload.work_type:
        app, model = WORK_TYPES[payload.work_type].split(".")
        type_id = ContentType.objects.get_by_natural_key(app, model).pk
    row = services.flag_four_first(m, actor=request.user, kind=payload.kind, occurred_on=payload.occurred_on,
                                   description=payload.description, work_type_id=type_id,
                                   work_id=payload.work_id if type_id else None)
    selectors.attach_work(row)
    return Status(201, row)


@router.get("/appraisals", response={200: list[OlAppraisalOut], **errors(403)}, url_name="orglife_appraisals")
@paginate
def appraisals(request, org: QueryId | None = None, year: Year | None = None,
               result: choice(AppraisalResult, blank=True) = ""):
    from gongzhi.core.errors import Forbidden

    if not selectors.has_capability(request.user, selectors.VIEW):
        raise Forbidden()
    return selectors.appraisal_rows(request.user, {"org": str(org or ""), "year": str(year or ""),
                                                   "result": result})


@router.get("/mobile-members", response={200: list[OlMobileOut], **errors(403)}, url_name="orglife_mobile_members")
@paginate
def mobile_members(request, org: QueryId | None = None, q: text(40) = "", stale: choice(("1",), blank=True) = ""):
    from gongzhi.core.errors import Forbidden

    if not selectors.has_capability(request.user, selectors.VIEW):
        raise Forbidden()
    return selectors.mobile_rows(request.user, {"org": str(org or ""), "q": q, "stale": stale})


@router.post("/mobile-members/{pk}/contacts", response={201: OlContactOut, **errors(403, 404, 422)},
             url_name="orglife_mobile_contact")
def mobile_contact(request, pk: Id, payload: OlContactIn):
    m = selectors.mobile_member(request.user, pk)
    row = services.add_contact(m, actor=request.user, contacted_on=payload.contacted_on, channel=payload.channel,
                               note=payload.note)
    return Status(201, {"id": row.pk, "member_id": m.pk, "contacted_on": row.contacted_on, "channel": row.channel,
                        "note": row.note})
