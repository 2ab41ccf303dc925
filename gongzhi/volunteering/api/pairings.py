"""Volunteering API of the pairings part, under /api/v1/volunteering/: pairings (scoped list with the filters of
the page, detail with contacts), recording a contact (staff managing the region, or the anchor's own member or
liaison), a cohort's progress grid. Refusals answer in the ErrorOut shape: 403 without the right, 404 out of
scope, 409 on an ended pairing, 422 for bad input (a future date, a contact before the pairing began)."""

from datetime import date

from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from gongzhi.accounts.scope import require_capability
from gongzhi.core.apitypes import Date, Id, In, QueryId, choice, errors, text
from gongzhi.volunteering.models import ContactKind, PairingKind
from gongzhi.volunteering.policies import pairings as policies
from gongzhi.volunteering.selectors import pairings as selectors
from gongzhi.volunteering.services import pairings as services
from gongzhi.volunteering.workflow import PairingState

router = Router()


class VolPairingOut(Schema):
    id: int
    code: str
    kind: str
    state: str
    region: str
    member_id: int | None
    member: str
    unit_id: int | None
    unit: str
    partner: str
    shop_address: str
    started_on: date
    ended_on: date | None
    last_contact: date | None

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region.name

    @staticmethod
    def resolve_member(obj) -> str:
        return obj.member.name if obj.member_id else ""

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.name if obj.unit_id else ""

    @staticmethod
    def resolve_partner(obj) -> str:
        return obj.partner_label

    @staticmethod
    def resolve_last_contact(obj):
        return getattr(obj, "last_contact", None)


class VolPairingContactOut(Schema):
    id: int
    contacted_on: date
    kind: str
    note: str


class VolPairingDetailOut(VolPairingOut):
    capacity: int
    contact_interval_days: int
    overdue: bool
    contacts: list[VolPairingContactOut]

    @staticmethod
    def resolve_capacity(obj) -> int:
        return obj.capacity

    @staticmethod
    def resolve_contact_interval_days(obj) -> int:
        return obj.interval

    @staticmethod
    def resolve_contacts(obj) -> list:
        return obj.contact_rows


class VolPairingContactIn(In):
    """A contact: its date (not in the future, not before the pairing began), how, and a note."""

    contacted_on: Date
    kind: choice(ContactKind)
    note: text(300) = ""


class VolCohortRowOut(Schema):
    participant_id: int
    name: str
    done: list[date | None]
    percent: int


class VolCohortProgressOut(Schema):
    id: int
    name: str
    requirements: list[str]
    rows: list[VolCohortRowOut]
    percent: int


@router.get("/pairings", response=list[VolPairingOut], url_name="volunteering_pairing_list")
@paginate
def pairing_list(request, kind: choice(PairingKind, blank=True) = "", state: choice(PairingState, blank=True) = "",
                 member: QueryId | None = None, unit: QueryId | None = None, overdue: bool = False,
                 q: text(60) = ""):
    require_capability(request.user, policies.VIEW)
    params = {"kind": kind, "state": state, "member": str(member or ""), "unit": str(unit or ""),
              "overdue": "1" if overdue else "", "q": q}
    return selectors.filter_pairings(selectors.pairings_for(request.user), params).order_by("pk")


@router.get("/pairings/{pk}", response={200: VolPairingDetailOut, **errors(403, 404)},
            url_name="volunteering_pairing_detail")
def pairing_detail(request, pk: Id):
    return selectors.pairing_detail(request.user, pk)


@router.post("/pairings/{pk}/contacts", response={201: VolPairingDetailOut, **errors(403, 404, 409, 422)},
             url_name="volunteering_pairing_contact")
def pairing_contact(request, pk: Id, payload: VolPairingContactIn):
    """Record a contact of an active pairing; answers the pairing with its contacts."""
    found = selectors.pairing(request.user, pk)
    services.record_contact(found, actor=request.user, contacted_on=payload.contacted_on, kind=payload.kind,
                            note=payload.note)
    return Status(201, selectors.pairing_detail(request.user, pk))


@router.get("/cohorts/{pk}/progress", response={200: VolCohortProgressOut, **errors(403, 404)},
            url_name="volunteering_cohort_progress")
def cohort_progress(request, pk: Id):
    """The participant × requirement grid: each participant's completion dates (null: not yet) and %."""
    found = selectors.cohort(request.user, pk)
    grid = selectors.cohort_grid(found)
    return {"id": found.pk, "name": found.name, "requirements": [r.title for r in grid["requirements"]],
            "rows": [{"participant_id": row.participant.pk, "name": row.participant.name,
                      "done": [c.done_on if c else None for c in row.cells], "percent": row.percent}
                     for row in grid["rows"]],
            "percent": grid["percent"]}
