"""Reads of the agreements part, always scoped by the user (`policies.view_scope`: ``joint.view`` over the
sub-district, or the units the user is liaison of); out of scope is NotFound, exactly like missing.

**When is a KPI behind target?** A report gives each commitment's KPI value as of the end of its month: for a KPI
to *reach at least* a target, the running total so far (stalls cleared: 150, 300, 420); for a KPI to *bring down
to* a target, the level in that month (complaints: 12, 4, 0). Only the latest report counts. Let S and E be the
first and last days of the term and D the last day of the latest report's month (at most E). The share of the
term gone by is f = (D − S + 1) / (E − S + 1) in days; the pro-rated target is baseline + (target − baseline) × f,
which is the final target once the report reaches the term's end. A KPI is *behind target* when its latest value
is short of the pro-rated target: below it for "reach at least", above it for "bring down to". A KPI without any
report yet is not judged ("no report yet"); the workbench card counts the KPIs behind target of agreements in
force.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from gongzhi.accounts.scope import scoped
from gongzhi.core.errors import NotFound, int_param
from gongzhi.joint.models import (
    Agreement,
    Commitment,
    CrowdProject,
    KpiDirection,
    Platform,
    Pledge,
    PledgeKind,
    ProgressReport,
    ProgressValue,
)
from gongzhi.joint.policies import agreements as policies
from gongzhi.joint.workflow_agreements import AgreementState
from gongzhi.registry.models import MemberUnit, PartyOrg, Region, RegionKind

CENT = Decimal("0.01")
CARD_ITEMS = 5


def month_end(period: dt.date) -> dt.date:
    return period.replace(day=calendar.monthrange(period.year, period.month)[1])


def months(starts_on: dt.date, ends_on: dt.date) -> list[dt.date]:
    """The first days of the months a term touches."""
    found, day = [], starts_on.replace(day=1)
    while day <= ends_on:
        found.append(day)
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return found


# --- Agreements ------------------------------------------------------------------------------------------------

def agreements_for(user):
    qs = Agreement.objects.select_related("region", "party_org", "platform", "previous")
    return policies.view_scope(user).filter(qs).prefetch_related("parties__member_unit")


def filter_agreements(qs, params):
    """?state= ?unit= (a party's id) ?q= (number, title, work memo, a party's name)."""
    if (state := (params.get("state") or "").strip()) and state in AgreementState.values:
        qs = qs.filter(state=state)
    if unit := int_param(params, "unit"):
        qs = qs.filter(pk__in=Agreement.objects.filter(parties__member_unit_id=unit).values("pk"))
    if q := (params.get("q") or "").strip()[:100]:
        qs = qs.filter(pk__in=Agreement.objects.filter(
            Q(code__icontains=q) | Q(title__icontains=q) | Q(memo__icontains=q)
            | Q(parties__member_unit__name__icontains=q)).values("pk"))
    return qs


def agreement(user, pk) -> Agreement:
    try:
        return agreements_for(user).get(pk=pk)
    except (Agreement.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Not found."))


def party_units(user):
    """The member units of the agreements the user sees (the list's unit filter)."""
    return MemberUnit.objects.filter(joint_agreement_parties__agreement__in=agreements_for(user).values("pk")) \
        .distinct().order_by("name")


def commitments(agreement: Agreement) -> list[Commitment]:
    return list(agreement.commitments.select_related("member_unit").order_by("position", "pk"))


def reports(agreement: Agreement) -> list[ProgressReport]:
    """The reports, latest first, each with `cells`: its values in the commitments' order."""
    items = commitments(agreement)
    found = list(agreement.reports.select_related("reported_by").prefetch_related("values").order_by("-period"))
    for report in found:
        values = {v.commitment_id: v.value for v in report.values.all()}
        report.cells = [values.get(c.pk) for c in items]
    return found


def chain(agreement: Agreement) -> list[Agreement]:
    """The renewal chain the agreement belongs to, first term first."""
    first, seen = agreement, {agreement.pk}
    while first.previous_id and first.previous_id not in seen:
        first = Agreement.objects.get(pk=first.previous_id)
        seen.add(first.pk)
    found, seen = [first], {first.pk}
    while (nxt := Agreement.objects.filter(previous_id=found[-1].pk).first()) is not None and nxt.pk not in seen:
        found.append(nxt)
        seen.add(nxt.pk)
    return found


def log(agreement: Agreement):
    return agreement.transitions.select_related("actor").order_by("created_at", "id")


def expected(commitment: Commitment, agreement: Agreement, period: dt.date) -> Decimal:
    """The pro-rated target at the end of `period` (see the module's docstring)."""
    start, end = agreement.starts_on, agreement.ends_on
    day = min(month_end(period), end)
    total = (end - start).days + 1
    gone = max(0, min(total, (day - start).days + 1))
    share = Decimal(gone) / Decimal(total)
    value = commitment.baseline + (commitment.target - commitment.baseline) * share
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def is_behind(commitment: Commitment, value: Decimal, target: Decimal) -> bool:
    if commitment.direction == KpiDirection.AT_MOST:
        return value > target
    return value < target


def progress(agreement: Agreement, items: list[Commitment] | None = None,
             latest: ProgressReport | None = None) -> list[dict]:
    """Each commitment's KPI against its target: the latest value, the pro-rated target, behind or not, and the
    shares (0–100) for the bars."""
    items = commitments(agreement) if items is None else items
    if latest is None:
        latest = agreement.reports.order_by("-period").first()
    values = {v.commitment_id: v.value for v in latest.values.all()} if latest else {}
    rows = []
    for c in items:
        value = values.get(c.pk)
        row = {"commitment": c, "value": value, "period": latest.period if latest else None, "expected": None,
               "behind": False, "reported": value is not None, "met": False, "bar": 0, "mark": 0}
        if value is not None:
            due = expected(c, agreement, latest.period)
            row.update(expected=due, behind=is_behind(c, value, due), met=not is_behind(c, value, c.target))
            row["bar"], row["mark"] = _share(c, value), _share(c, due)
        rows.append(row)
    return rows


def _share(c: Commitment, value: Decimal) -> int:
    """How far `value` has come from the baseline to the target, 0–100."""
    span = c.target - c.baseline
    if span == 0:
        return 100 if not is_behind(c, value, c.target) else 0
    return int(max(Decimal(0), min(Decimal(100), (value - c.baseline) / span * 100)))


def behind_target(user) -> list[dict]:
    """The KPIs behind target of the agreements in force the user sees, agreement by agreement."""
    qs = agreements_for(user).filter(state=AgreementState.IN_FORCE).prefetch_related(
        Prefetch("commitments", queryset=Commitment.objects.select_related("member_unit").order_by("position", "pk")),
        Prefetch("reports", queryset=ProgressReport.objects.order_by("-period").prefetch_related("values")))
    found = []
    for a in qs.order_by("ends_on", "pk"):
        reports_ = list(a.reports.all())
        for row in progress(a, list(a.commitments.all()), reports_[0] if reports_ else None):
            if row["behind"]:
                found.append(row | {"agreement": a})
    return found


def behind_target_card(user):
    """Workbench: KPIs behind target (joint staff, and the liaisons of a party unit)."""
    if not policies.sees_any(user):
        return None
    rows = behind_target(user)
    url = reverse("joint:agreements_list") + "?state=in_force"
    return {"count": len(rows), "url": url, "tone": "urgent" if rows else "normal",
            "items": [{"text": f"{r['agreement'].title} · {r['commitment'].kpi_name}",
                       "value": f"{_number(r['value'])} / {_number(r['expected'])}",
                       "url": reverse("joint:agreements_detail", args=[r["agreement"].pk])}
                      for r in rows[:CARD_ITEMS]],
            "note": _("Latest value against the pro-rated target.")}


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text


# --- Choices for the forms --------------------------------------------------------------------------------------

def subdistricts_to_manage(user):
    return scoped(user, Region, policies.MANAGE).filter(kind=RegionKind.SUBDISTRICT).order_by("path")


def units_to_choose(user):
    return scoped(user, MemberUnit, policies.MANAGE).order_by("name")


def orgs_to_choose(user):
    return scoped(user, PartyOrg, policies.MANAGE).order_by("code")


def platforms_to_choose(user):
    """Platforms the user manages, and the district platforms above their sub-districts."""
    paths = [r.path for r in subdistricts_to_manage(user)]
    qs = scoped(user, Platform, policies.MANAGE)
    above = Q(pk__in=[p.pk for p in Platform.objects.select_related("region")
                      if any(path.startswith(p.region.path) for path in paths)]) if paths else Q(pk__in=[])
    return Platform.objects.filter(Q(pk__in=qs.values("pk")) | above).order_by("level", "name")


# --- 众筹共建 projects ---------------------------------------------------------------------------------------------

def projects_for(user):
    qs = CrowdProject.objects.select_related("region", "platform")
    return policies.view_scope(user).filter(qs)


def filter_projects(qs, params):
    """?unit= (a pledging unit's id) ?q= (title, description)."""
    if unit := int_param(params, "unit"):
        qs = qs.filter(pk__in=Pledge.objects.filter(member_unit_id=unit).values("project_id"))
    if q := (params.get("q") or "").strip()[:100]:
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q))
    return qs


def project(user, pk) -> CrowdProject:
    try:
        return projects_for(user).get(pk=pk)
    except (CrowdProject.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Not found."))


def pledges(project: CrowdProject):
    return project.pledges.select_related("member_unit").order_by("kind", "created_at", "pk")


def pledging_units(user):
    return MemberUnit.objects.filter(joint_pledges__project__in=projects_for(user).values("pk")).distinct() \
        .order_by("name")


def totals(project: CrowdProject) -> list[dict]:
    """Per kind: the goal, the pledged total, the share of the goal (0–100, for the bar) and the number of units."""
    sums = {row["kind"]: row["s"] for row in project.pledges.values("kind").annotate(s=Sum("amount"))}
    rows = []
    for kind in PledgeKind:
        goal, pledged = project.goal(kind), Decimal(sums.get(kind.value) or 0).quantize(CENT)
        share = 100 if goal == 0 and pledged else (int(min(100, pledged / goal * 100)) if goal else 0)
        rows.append({"kind": kind.value, "label": kind.label, "goal": goal, "pledged": pledged, "share": share,
                     "met": pledged >= goal and (goal > 0 or pledged > 0)})
    return rows


def kpi_values(report: ProgressReport) -> dict[int, Decimal]:
    return {v.commitment_id: v.value for v in ProgressValue.objects.filter(report=report)}
