"""The one public projection of a demand: what the public may see of it.

Used by every place that shows a demand to someone who is not staff in its scope: the H5 tracking page (the
submitter, with the tracking code and the last four phone digits), the tracking API and Open311. The rules live
here once:

* Text the public sees (title, description, notes) has every phone number (with separators, ``+86`` …) and every
  ID-card number masked (`mask_text`).
* The timeline shows each step's action, new state and time. A note is shown only for the steps whose note is
  addressed to the resident (`PUBLIC_NOTES`): the public promise of a claim, how it was resolved, the review and
  a merge, a public comment. Assignment notes, return and reject reasons and escalation notes stay internal.
* No person's name is published: not the submitter's, not the handler's or claimer's (a claim says "a party
  member" instead).
* Coordinates are those of the demand's building (rounded to it), never the exact point a resident sent; a
  demand with no building has the centre of its grid's (else its responsible region's) boundary, when known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from gongzhi.core.masking import mask_id_number, mask_phone
from gongzhi.demands.models import Demand
from gongzhi.demands.workflow import Action, State

# A mobile (optionally +86 / 0086 and separators) or a landline with area code; an 18-digit ID card number.
PHONE_RE = re.compile(r"(?<!\d)(?:(?:\+|00)86[\s-]?)?(?:1[3-9]\d(?:[\s-]?\d){8}|0\d{2,3}[\s-]?\d{7,8})(?!\d)")
ID_RE = re.compile(r"(?<![\dXx])\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dXx])")
PUBLIC_NOTES = frozenset({Action.SUBMIT, Action.CLAIM, Action.RESOLVE, Action.REVIEW, Action.REOPEN,
                          Action.MERGE, Action.COMMENT})


def mask_text(text: str | None) -> str:
    """`text` with every ID-card number and phone number masked."""
    if not text:
        return ""
    text = ID_RE.sub(lambda m: mask_id_number(m.group(0)), text)
    return PHONE_RE.sub(lambda m: mask_phone(re.sub(r"^(?:\+|00)86|[\s-]", "", m.group(0))), text)


@dataclass(frozen=True)
class PublicStep:
    action: str
    action_label: str
    to_state: str
    to_state_label: str
    note: str
    created_at: datetime


@dataclass(frozen=True)
class PublicDemand:
    tracking_code: str
    title: str
    description: str
    state: str
    state_label: str
    category_name: str | None
    category_code: str | None
    grid_name: str | None
    place: str
    place_code: str
    region_name: str
    latitude: Decimal | None
    longitude: Decimal | None
    escalation_level: int
    support_count: int
    promise: str
    resolution: str
    due_on: date | None
    satisfaction: int | None
    claimed: bool
    created_at: datetime
    updated_at: datetime
    timeline: list[PublicStep] = field(default_factory=list)


def public_step(t) -> PublicStep:
    """One timeline entry (a DemandTransition) as the public sees it."""
    return PublicStep(action=t.action, action_label=t.get_action_display(), to_state=t.to_state,
                      to_state_label=t.get_to_state_display(),
                      note=mask_text(t.note) if t.action in PUBLIC_NOTES else "", created_at=t.created_at)


def _points(geometry) -> list:
    """Every [lon, lat] pair of a GeoJSON geometry, feature or collection."""
    if isinstance(geometry, dict):
        if geometry.get("type") == "FeatureCollection":
            return [p for f in geometry.get("features") or [] for p in _points(f)]
        if geometry.get("type") == "Feature":
            return _points(geometry.get("geometry"))
        return _points(geometry.get("coordinates"))
    if isinstance(geometry, list | tuple):
        if len(geometry) >= 2 and all(isinstance(v, int | float) for v in geometry[:2]):
            return [geometry]
        return [p for g in geometry for p in _points(g)]
    return []


def boundary_box(region) -> tuple[Decimal, Decimal, Decimal, Decimal] | None:
    """(south, north, west, east) of a region's GeoJSON boundary, or None without one."""
    points = _points(getattr(region, "boundary", None)) if region is not None else []
    if not points:
        return None
    lats, lons = [Decimal(str(p[1])) for p in points], [Decimal(str(p[0])) for p in points]
    return min(lats), max(lats), min(lons), max(lons)


def _region_centre(*regions) -> tuple[Decimal | None, Decimal | None]:
    for region in regions:
        if (box := boundary_box(region)) is not None:
            south, north, west, east = box
            q = Decimal("0.000001")
            return ((south + north) / 2).quantize(q), ((west + east) / 2).quantize(q)
    return None, None


def project(demand: Demand, *, with_timeline: bool = True) -> PublicDemand:
    building = demand.building if demand.building_id else None
    if building is not None and building.latitude is not None and building.longitude is not None:
        latitude, longitude = building.latitude, building.longitude
    else:
        latitude, longitude = _region_centre(demand.grid if demand.grid_id else None, demand.region)
    return PublicDemand(
        tracking_code=demand.tracking_code,
        title=mask_text(demand.title),
        description=mask_text(demand.description),
        state=demand.state,
        state_label=str(State(demand.state).label),
        category_name=demand.category.name if demand.category_id else None,
        category_code=demand.category.code if demand.category_id else None,
        grid_name=demand.grid.name if demand.grid_id else None,
        place=(building.address or building.name) if building else "",
        place_code=building.code if building else "",
        region_name=demand.region.name,
        latitude=latitude,
        longitude=longitude,
        escalation_level=demand.escalation_level,
        support_count=demand.support_count,
        promise=mask_text(demand.promise),
        resolution=mask_text(demand.resolution),
        due_on=demand.due_on,
        satisfaction=demand.satisfaction,
        claimed=bool(demand.claimed_by_id),
        created_at=demand.created_at,
        updated_at=demand.updated_at,
        timeline=[public_step(t) for t in demand.transitions.all()] if with_timeline else [],
    )


def claimant_label(demand: Demand) -> str:
    """Whether someone took the demand on, without saying who."""
    return _("Claimed") if demand.claimed_by_id else ""
