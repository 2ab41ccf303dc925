"""Organization life: the meetings part's selectors (reads, scoped by the user).

The compliance rule lives here, once: each meeting kind has a required frequency (`frequencies_for`); a period
(month, quarter or year) of a required kind is *met* when the organization held at least one meeting of that kind
in it, *missed* when it ended without one, *due* while it runs without one. `compliance_year` gives the grid for
one organization and year (one query), `meetings_rate` the share of required periods met over a span (the awards'
"meetings held against required" indicator)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth, ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.scope import has_capability, require_capability, scope_for, scoped
from gongzhi.core.errors import BadParameter, NotFound, int_param
from gongzhi.orglife.models import (
    DEFAULT_FREQUENCY,
    PERIOD_MONTHS,
    Frequency,
    Meeting,
    MeetingKind,
    MeetingPhoto,
    MeetingRequirement,
    StudyRecord,
)
from gongzhi.orglife.policies import meetings as policies
from gongzhi.orglife.policies.meetings import MANAGE, RECORD, VIEW
from gongzhi.registry.models import PartyMember, PartyOrg, PartyOrgKind, Region, RegionKind

# Organizations that hold organization life (a 党工委 leads the others and is not measured by these rules).
MEASURED_ORG_KINDS = (PartyOrgKind.COMMITTEE, PartyOrgKind.JOINT_COMMITTEE, PartyOrgKind.GENERAL_BRANCH,
                      PartyOrgKind.BRANCH)


class Status:
    MET = "met"
    DUE = "due"
    MISSED = "missed"
    UPCOMING = "upcoming"
    OPTIONAL = "optional"


@dataclass(frozen=True)
class Rule:
    kind: str
    frequency: str
    remind_days: int = 7


@dataclass(frozen=True)
class Cell:
    """One meeting kind in one month of one organization."""
    kind: str
    frequency: str
    held_in_month: int
    held_in_period: int
    period_start: dt.date
    period_end: dt.date
    status: str

    @property
    def required(self) -> bool:
        return self.frequency != Frequency.NONE


def frequencies_for(org) -> dict[str, Rule]:
    """Each meeting kind's rule for `org`: the nearest region's MeetingRequirement, else the default."""
    rules = {kind: Rule(kind, freq) for kind, freq in DEFAULT_FREQUENCY.items()}
    ids = [int(x) for x in org.region.path.strip("/").split("/") if x]
    rows = MeetingRequirement.objects.filter(region_id__in=ids).select_related("region").order_by("region__depth")
    for row in rows:  # deeper regions come later and win
        rules[row.kind] = Rule(row.kind, row.frequency, row.remind_days)
    return rules


def period_of(frequency: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the period of `frequency` containing `day` (the month for NONE)."""
    months = PERIOD_MONTHS.get(frequency, 1)
    first_month = (day.month - 1) // months * months + 1
    start = dt.date(day.year, first_month, 1)
    last_month = first_month + months - 1
    end = (dt.date(day.year, last_month, 28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return start, end


def held_counts(org, year: int) -> Counter:
    """(kind, month) -> number of meetings the organization held in `year` (one query)."""
    rows = (Meeting.objects.filter(org=org, held_on__year=year)
            .annotate(m=ExtractMonth("held_on")).values("kind", "m").annotate(n=Count("id")))
    return Counter({(r["kind"], r["m"]): r["n"] for r in rows})


def compliance_year(org, year: int, *, today: dt.date | None = None) -> dict[int, list[Cell]]:
    """month (1..12) -> the cells of every meeting kind, in MeetingKind order."""
    today = today or timezone.localdate()
    rules = frequencies_for(org)
    counts = held_counts(org, year)
    grid: dict[int, list[Cell]] = {}
    for month in range(1, 13):
        first = dt.date(year, month, 1)
        cells = []
        for kind in MeetingKind.values:
            rule = rules[kind]
            start, end = period_of(rule.frequency, first)
            in_month = counts[(kind, month)]
            in_period = sum(counts[(kind, m)] for m in range(start.month, end.month + 1))
            if rule.frequency == Frequency.NONE:
                status = Status.OPTIONAL
            elif in_period:
                status = Status.MET
            elif end < today:
                status = Status.MISSED
            elif first <= today:
                status = Status.DUE
            else:
                status = Status.UPCOMING
            cells.append(Cell(kind, rule.frequency, in_month, in_period, start, end, status))
        grid[month] = cells
    return grid


def meetings_rate(org, start: dt.date, end: dt.date, *, today: dt.date | None = None) -> tuple[int, int]:
    """(periods met, periods required) over the required periods of every kind that lie wholly inside
    [start, end] and have ended by `today`; a period before the organization was founded is not required."""
    today = today or timezone.localdate()
    rules = frequencies_for(org)
    rows = (Meeting.objects.filter(org=org, held_on__gte=start, held_on__lte=end)
            .annotate(y=ExtractYear("held_on"), m=ExtractMonth("held_on")).values("kind", "y", "m")
            .annotate(n=Count("id")))
    held = {(r["kind"], r["y"], r["m"]) for r in rows}
    met = required = 0
    for kind, rule in rules.items():
        if rule.frequency == Frequency.NONE:
            continue
        day = start
        while day <= end:
            p_start, p_end = period_of(rule.frequency, day)
            day = p_end + dt.timedelta(days=1)
            if p_start < start or p_end > end or p_end >= today:
                continue
            if org.founded_on and org.founded_on > p_start:
                continue
            required += 1
            months = range(p_start.month, p_end.month + 1)
            if any((kind, p_start.year, m) in held for m in months):
                met += 1
    return met, required


# --- scoped reads of the pages, the API, the Excel list and the cards ------------------------------------------

def measured_orgs(user, capability: str | None = None):
    """The measured party organizations (MEASURED_ORG_KINDS) in the user's scope for `capability` (view)."""
    qs = PartyOrg.objects.filter(kind__in=MEASURED_ORG_KINDS).select_related("region", "secretary")
    return scoped(user, qs, capability or VIEW).order_by("region__path", "code")


def recordable_orgs(user):
    return measured_orgs(user, RECORD)


def org(user, pk, capability: str | None = None):
    """One measured organization in the user's scope, else NotFound."""
    found = measured_orgs(user, capability).filter(pk=pk).first() if isinstance(pk, int) else None
    if found is None:
        raise NotFound(_("Not found."))
    return found


def org_members(org_obj):
    """The members of an organization, by name (the attendance checklist)."""
    return PartyMember.objects.filter(organization=org_obj).order_by("name", "id")


def meetings_for(user, capability: str | None = None):
    return scoped(user, Meeting.objects.select_related("org__region", "recorded_by"), capability or VIEW)


def filter_meetings(qs, params):
    """``q`` (topic, place, speaker, organization), ``org``, ``kind``, ``month`` (YYYY-MM), ``year``."""
    if q := (params.get("q") or "").strip():
        qs = qs.filter(Q(topic__icontains=q) | Q(place__icontains=q) | Q(speaker__icontains=q)
                       | Q(org__name__icontains=q) | Q(minutes__icontains=q))
    if (org_id := int_param(params, "org")) is not None:
        qs = qs.filter(org_id=org_id)
    if kind := params.get("kind"):
        if kind not in MeetingKind.values:
            raise BadParameter("kind")
        qs = qs.filter(kind=kind)
    if month := (params.get("month") or "").strip():
        m = re.fullmatch(r"(\d{4})-(\d{1,2})", month)
        if not m or not 1 <= int(m.group(2)) <= 12:
            raise BadParameter("month")
        qs = qs.filter(held_on__year=int(m.group(1)), held_on__month=int(m.group(2)))
    if (year := int_param(params, "year", minimum=1, maximum=9999)) is not None:
        qs = qs.filter(held_on__year=year)
    return qs


def meeting_list(user, params):
    require_capability(user, VIEW)
    return filter_meetings(meetings_for(user), params).annotate(
        n_present=Count("attendance", filter=Q(attendance__status="present")),
        n_lines=Count("attendance")).order_by("-held_on", "-id")


def meeting(user, pk):
    """One meeting in the user's view scope, else NotFound (missing and out-of-scope alike)."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound(_("Not found."))
    require_capability(user, VIEW)
    found = meetings_for(user).filter(pk=pk).first() if isinstance(pk, int) else None
    if found is None:
        raise NotFound(_("Not found."))
    return found


def attendance_of(meeting_obj):
    return meeting_obj.attendance.select_related("member").order_by("member__name", "id")


def photos(meeting_obj):
    return meeting_obj.photos.all()


def photo_for_file(user, name: str):
    """The photo stored as `name` when the user sees its meeting, else None (gongzhi.core.media.serve)."""
    if not getattr(user, "is_authenticated", False):
        return None
    photo = MeetingPhoto.objects.filter(image=name).select_related("meeting__org__region").first()
    if photo is None or not policies.sees(user, photo.meeting):
        return None
    return photo


def months_with_meetings(user) -> list[str]:
    found = {f"{d:%Y-%m}" for d in meetings_for(user).dates("held_on", "month")}
    return sorted(found, reverse=True)


# --- compliance views --------------------------------------------------------------------------------------------

def compliance_rows(org_obj, year: int, *, today: dt.date | None = None) -> list[dict]:
    """The grid months × kinds turned into rows per kind (for the page and the API): each kind's frequency and its
    twelve cells."""
    grid = compliance_year(org_obj, year, today=today)
    rows = []
    for i, kind in enumerate(MeetingKind):
        cells = [grid[m][i] for m in range(1, 13)]
        rows.append({"kind": kind.value, "label": kind.label, "frequency": cells[0].frequency,
                     "frequency_label": Frequency(cells[0].frequency).label, "cells": cells})
    return rows


def overview(orgs, year: int, *, today: dt.date | None = None) -> list[dict]:
    """Organizations × months: in each month how many required kinds are met out of how many are required
    (a required kind counts in a month when its period containing the month is met)."""
    today = today or timezone.localdate()
    rows = []
    for o in orgs:
        grid = compliance_year(o, year, today=today)
        months = []
        for m in range(1, 13):
            cells = [c for c in grid[m] if c.required]
            met = sum(1 for c in cells if c.status == Status.MET)
            missed = sum(1 for c in cells if c.status == Status.MISSED)
            started = dt.date(year, m, 1) <= today
            tone = ("upcoming" if not started else Status.MET if met == len(cells)
                    else Status.MISSED if missed else Status.DUE)
            months.append({"month": m, "met": met, "required": len(cells), "tone": tone})
        rows.append({"org": o, "months": months})
    return rows


def subdistricts_for(user):
    scope = scope_for(user, VIEW)
    subs = Region.objects.filter(kind=RegionKind.SUBDISTRICT).order_by("path")
    return [s for s in subs if scope.covers_path(s.path) or any(p.startswith(s.path) for p in scope.region_paths)]


def due_now(org_obj, *, today: dt.date | None = None, within_month: bool = True) -> list[Cell]:
    """The required periods of an organization due now (running, nothing held) that end this month."""
    today = today or timezone.localdate()
    grid = compliance_year(org_obj, today.year, today=today)
    _start, month_end = period_of(Frequency.MONTHLY, today)
    return [c for c in grid[today.month] if c.status == Status.DUE and (not within_month or c.period_end <= month_end)]


def due_card(user) -> dict | None:
    """Workbench card: required periods ending this month with nothing held yet, in the user's record scope."""
    if not has_capability(user, RECORD):
        return None
    today = timezone.localdate()
    items, count, orgs_due = [], 0, 0
    labels = dict(MeetingKind.choices)
    for o in recordable_orgs(user):
        cells = due_now(o, today=today)
        if not cells:
            continue
        orgs_due += 1
        count += len(cells)
        if len(items) < 5:
            kinds = "、".join(str(labels[c.kind]) for c in cells)
            items.append({"text": f"{o.name} · {kinds}",
                          "url": reverse("orglife:meeting_compliance", args=[o.pk]) + f"?year={today.year}"})
    note = _("%(n)s organization(s) with meetings still to hold this month.") % {"n": orgs_due} if count \
        else _("Every required meeting of this month is held.")
    return {"count": count, "url": reverse("orglife:meeting_list"), "note": note,
            "tone": "urgent" if count and (period_of(Frequency.MONTHLY, today)[1] - today).days < 7
            else ("normal" if count else "quiet"), "items": items}


def requirement_table(region) -> list[dict]:
    """Each kind's rule at `region`: its own row if any, else the inherited rule (nearest region) or the default."""
    rows = {r.kind: r for r in MeetingRequirement.objects.filter(region=region)}
    parents = [int(x) for x in region.path.strip("/").split("/") if x and int(x) != region.pk]
    inherited = {r.kind: r for r in MeetingRequirement.objects.filter(region_id__in=parents)
                 .select_related("region").order_by("region__depth")}
    table = []
    for kind in MeetingKind:
        own = rows.get(kind.value)
        up = inherited.get(kind.value)
        table.append({"kind": kind.value, "label": kind.label, "default": DEFAULT_FREQUENCY[kind.value],
                      "own": own, "inherited": up,
                      "frequency": own.frequency if own else up.frequency if up else DEFAULT_FREQUENCY[kind.value],
                      "remind_days": own.remind_days if own else up.remind_days if up else 7})
    return table


def manageable_regions(user):
    return scoped(user, Region.objects.filter(kind__in=(RegionKind.DISTRICT, RegionKind.SUBDISTRICT,
                                                         RegionKind.RESIDENTIAL_AREA)), MANAGE).order_by("path")


# --- study records -------------------------------------------------------------------------------------------

def studies_for(user, params=None):
    require_capability(user, VIEW)
    qs = scoped(user, StudyRecord.objects.select_related("member__organization"), VIEW)
    params = params or {}
    if (member := int_param(params, "member")) is not None:
        qs = qs.filter(member_id=member)
    if (org_id := int_param(params, "org")) is not None:
        qs = qs.filter(member__organization_id=org_id)
    if subject := (params.get("subject") or "").strip():
        qs = qs.filter(subject__icontains=subject)
    return qs.order_by("-studied_on", "-id")


def recordable_members(user):
    return scoped(user, PartyMember.objects.select_related("organization"), RECORD).order_by(
        "organization__code", "name")
