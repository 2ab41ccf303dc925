"""Reads of the ledger part, always scoped by the user (``funds.view``).

A fund is seen by whoever's ``funds.view`` scope covers its region; the staff of a residential area also see the
foundation and special funds of the sub-district above them (read-only: booking needs ``funds.ledger``). Donations,
charity events and their lots are seen with their fund. Out of scope is NotFound, exactly like missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import DecimalField, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear, Round
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.scope import require_capability, scope_for
from gongzhi.core.errors import BadParameter, NotFound, int_param
from gongzhi.funds.models import (
    FEN,
    CharityEvent,
    CharityLot,
    Donation,
    EntryKind,
    Fund,
    FundKind,
    LedgerEntry,
    Proposal,
    Spending,
)
from gongzhi.funds.policies import ledger as policies
from gongzhi.funds.workflow import ProposalState
from gongzhi.registry.models import Region, RegionKind

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=16, decimal_places=2)
SHARED_KINDS = (FundKind.FOUNDATION, FundKind.SPECIAL)
FUNDED_STATES = (ProposalState.GRANTED, ProposalState.DELIVERING, ProposalState.COMPLETED)
LOW_BALANCE = Decimal("5000")


def _ancestors(path: str) -> list[str]:
    """"/1/4/9/" → ["/1/", "/1/4/", "/1/4/9/"]."""
    ids = [p for p in path.split("/") if p]
    return ["/" + "/".join(ids[:i]) + "/" for i in range(1, len(ids) + 1)]


def funds_q(user, capability: str = policies.VIEW) -> Q | None:
    """The funds `user` sees with `capability` (None: all of them)."""
    scope = scope_for(user, capability)
    if scope.everything:
        return None
    parts = []
    for path in scope.region_paths:
        parts.append(Q(region__path__startswith=path))
        parts.append(Q(kind__in=SHARED_KINDS, region__path__in=_ancestors(path)))
    return reduce(or_, parts) if parts else Q(pk__in=[])


def funds_for(user) -> QuerySet:
    q = funds_q(user)
    qs = Fund.objects.select_related("region", "parent")
    return qs if q is None else qs.filter(q)


def fund(user, pk) -> Fund:
    try:
        return funds_for(user).get(pk=pk)
    except (Fund.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Not found.")) from None


def with_totals(qs: QuerySet) -> QuerySet:
    """Each fund with its balance, money in and money out, in the one query of the list."""
    def fen(total):  # rounded in SQL: SQLite sums a decimal column in floating point
        return Round(Coalesce(total, Value(ZERO), output_field=MONEY), 2, output_field=MONEY)

    return qs.annotate(
        balance=fen(Sum("entries__amount")),
        money_in=fen(Sum("entries__amount", filter=Q(entries__amount__gt=0))),
        money_out=fen(-Sum("entries__amount", filter=Q(entries__amount__lt=0))),
    )


def _date_param(params: Mapping, name: str) -> date | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise BadParameter(name) from None


def filter_funds(qs: QuerySet, params: Mapping) -> QuerySet:
    kind = params.get("kind") or ""
    if kind in FundKind.values:
        qs = qs.filter(kind=kind)
    year = int_param(params, "year", minimum=0, maximum=9999)
    if year:
        qs = qs.filter(year=year)
    if params.get("active") in ("1", "0"):
        qs = qs.filter(is_active=params["active"] == "1")
    q = (params.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(region__name__icontains=q) | Q(purpose__icontains=q))
    return qs


def fund_list(user, params: Mapping) -> QuerySet:
    require_capability(user, policies.VIEW)
    return with_totals(filter_funds(funds_for(user), params)).order_by("kind", "-year", "region__path", "name", "id")


def fund_totals(fund_obj: Fund) -> dict:
    row = with_totals(Fund.objects.filter(pk=fund_obj.pk)).values("balance", "money_in", "money_out").get()
    return {k: (v or ZERO).quantize(FEN) for k, v in row.items()}


def years_for(user) -> list[int]:
    return sorted({y for y in funds_for(user).exclude(year=None).values_list("year", flat=True)}, reverse=True)


# --- a fund's ledger --------------------------------------------------------------------------------------------

def _running():
    """The fund's balance after each row: the sum of the rows up to it in ledger order (date, then id), however
    the list is filtered."""
    before = LedgerEntry.objects.filter(fund=OuterRef("fund")).filter(
        Q(occurred_on__lt=OuterRef("occurred_on")) | Q(occurred_on=OuterRef("occurred_on"), id__lte=OuterRef("id")))
    # rounded to the fen: SQLite sums a decimal column in floating point (0.06 may come back as 0.0600000000000001)
    return Round(Subquery(before.order_by().values("fund").annotate(total=Sum("amount")).values("total")[:1],
                          output_field=MONEY), 2, output_field=MONEY)


def entries_for(user) -> QuerySet:
    """Every ledger row of the funds `user` sees."""
    q = funds_q(user)
    qs = LedgerEntry.objects.all()
    return qs if q is None else qs.filter(fund__in=Fund.objects.filter(q))


def filter_entries(qs: QuerySet, params: Mapping) -> QuerySet:
    fund_pk = int_param(params, "fund")
    if fund_pk is not None:
        qs = qs.filter(fund_id=fund_pk)
    kind = params.get("kind") or ""
    if kind in EntryKind.values:
        qs = qs.filter(kind=kind)
    since, until = _date_param(params, "from"), _date_param(params, "to")
    if since:
        qs = qs.filter(occurred_on__gte=since)
    if until:
        qs = qs.filter(occurred_on__lte=until)
    q = (params.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(note__icontains=q) | Q(receipt_no__icontains=q) | Q(proposal__title__icontains=q))
    return qs


def ledger(qs: QuerySet, params: Mapping | None = None) -> QuerySet:
    """Ledger rows in ledger order with their running balance (`running`), filtered by kind, date range (from, to)
    and a search of the note, receipt number and proposal (q)."""
    qs = filter_entries(qs, params or {})
    return qs.select_related("fund", "proposal", "recorded_by").annotate(running=_running()).order_by(
        "fund_id", "occurred_on", "id")


def fund_ledger(user, fund_obj, params: Mapping | None = None) -> QuerySet:
    params = {k: v for k, v in (params or {}).items() if k != "fund"}
    return ledger(LedgerEntry.objects.filter(fund=fund(user, getattr(fund_obj, "pk", fund_obj))), params)


def auditor_rows(user, params: Mapping) -> QuerySet:
    """The auditor's ledger export: the rows of the funds `user` sees (one fund with ?fund=)."""
    return ledger(entries_for(user), params)


# --- donations, charity events, receipts ------------------------------------------------------------------------

def donations_for(user) -> QuerySet:
    q = funds_q(user)
    qs = Donation.objects.select_related("fund", "donor_unit", "event", "recorded_by")
    return qs if q is None else qs.filter(fund__in=Fund.objects.filter(q))


def donation(user, pk) -> Donation:
    try:
        return donations_for(user).get(pk=pk)
    except (Donation.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Not found.")) from None


def filter_donations(qs: QuerySet, params: Mapping) -> QuerySet:
    fund_pk = int_param(params, "fund")
    if fund_pk is not None:
        qs = qs.filter(fund_id=fund_pk)
    kind = params.get("donor_kind") or ""
    if kind:
        qs = qs.filter(donor_kind=kind)
    since, until = _date_param(params, "from"), _date_param(params, "to")
    if since:
        qs = qs.filter(donated_on__gte=since)
    if until:
        qs = qs.filter(donated_on__lte=until)
    q = (params.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(purpose__icontains=q) | Q(receipt_no__icontains=q) | Q(donor_unit__name__icontains=q)
                       | Q(event__name__icontains=q))
    return qs


def donation_list(user, params: Mapping) -> QuerySet:
    require_capability(user, policies.VIEW)
    return filter_donations(donations_for(user), params).order_by("-donated_on", "-id")


def events_for(user) -> QuerySet:
    q = funds_q(user)
    qs = CharityEvent.objects.select_related("fund__region")
    return qs if q is None else qs.filter(fund__in=Fund.objects.filter(q))


def event(user, pk) -> CharityEvent:
    try:
        return events_for(user).get(pk=pk)
    except (CharityEvent.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Not found.")) from None


def lot(user, pk) -> CharityLot:
    try:
        return CharityLot.objects.select_related("event__fund__region").get(
            pk=pk, event__in=events_for(user))
    except (CharityLot.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Not found.")) from None


def event_lots(event_obj) -> tuple[list, Decimal]:
    lots = list(event_obj.lots.select_related("buyer_unit", "donation"))
    return lots, sum((x.price for x in lots if x.donation_id), ZERO).quantize(FEN)


def receipts_for(user, params: Mapping) -> QuerySet:
    """Spending rows (the delivery part's) of the proposals granted from the funds `user` sees, for the auditor's
    receipts list; ?fund= one fund, ?year= one year of spending."""
    require_capability(user, policies.VIEW)
    q = funds_q(user)
    qs = Spending.objects.select_related("proposal__call__fund", "budget_line")
    if q is not None:
        qs = qs.filter(proposal__call__fund__in=Fund.objects.filter(q))
    fund_pk = int_param(params, "fund")
    if fund_pk is not None:
        qs = qs.filter(proposal__call__fund_id=fund_pk)
    year = int_param(params, "year", minimum=0, maximum=9999)
    if year:
        qs = qs.filter(spent_on__year=year)
    return qs.order_by("spent_on", "id")


# --- the yearly summary -----------------------------------------------------------------------------------------

@dataclass
class SummaryRow:
    region: Region | None
    label: str
    collected: int = 0
    funded: int = 0
    completed: int = 0
    granted: Decimal = ZERO
    spent: Decimal = ZERO
    areas: list = field(default_factory=list)

    @property
    def spend_rate(self) -> Decimal | None:
        """Spent over granted, in per cent with one decimal (None when nothing was granted)."""
        if not self.granted:
            return None
        return (self.spent * 100 / self.granted).quantize(Decimal("0.1"))

    def add(self, other: SummaryRow) -> None:
        for name in ("collected", "funded", "completed", "granted", "spent"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _area_of(path: str, areas: dict[str, Region]) -> Region | None:
    for ancestor in reversed(_ancestors(path)):
        if ancestor in areas:
            return areas[ancestor]
    return None


def yearly_summary(user, year: int) -> list[SummaryRow]:
    """Per residential area in the user's scope, then per sub-district (its areas and its own foundation and special
    funds): proposals collected, funded (granted, delivering, completed), completed; money granted (the ledger's
    grant rows less returned money) and spent (spending rows), and the spend rate. A row's year is its fund's year
    for an autonomy fund, else the year of the proposal, the ledger row or the spending."""
    require_capability(user, policies.VIEW)
    funds = funds_for(user)
    fund_info = {f.pk: f for f in funds}
    year_expr = {"proposal": Coalesce("call__fund__year", ExtractYear("created_at"), output_field=IntegerField()),
                 "entry": Coalesce("fund__year", ExtractYear("occurred_on"), output_field=IntegerField()),
                 "spending": Coalesce("proposal__call__fund__year", ExtractYear("spent_on"),
                                      output_field=IntegerField())}
    by_fund: dict[int, SummaryRow] = {pk: SummaryRow(None, "") for pk in fund_info}
    proposals = (Proposal.objects.filter(call__fund__in=funds).annotate(y=year_expr["proposal"]).filter(y=year)
                 .values_list("call__fund_id", "state"))
    for fund_pk, state in proposals:
        row = by_fund[fund_pk]
        row.collected += 1
        row.funded += state in FUNDED_STATES
        row.completed += state == ProposalState.COMPLETED
    money = (LedgerEntry.objects.filter(fund__in=funds, kind__in=(EntryKind.GRANT, EntryKind.RETURN))
             .exclude(proposal=None).annotate(y=year_expr["entry"]).filter(y=year)
             .values("fund_id").annotate(total=Sum("amount")))
    for r in money:
        by_fund[r["fund_id"]].granted += -(r["total"] or ZERO)
    spent = (Spending.objects.filter(proposal__call__fund__in=funds).annotate(y=year_expr["spending"]).filter(y=year)
             .values("proposal__call__fund_id").annotate(total=Sum("amount")))
    for r in spent:
        by_fund[r["proposal__call__fund_id"]].spent += r["total"] or ZERO
    area_qs = Region.objects.filter(kind=RegionKind.RESIDENTIAL_AREA)
    areas = {r.path: r for r in scope_for(user, policies.VIEW).filter(area_qs)}
    areas.update({f.region.path: f.region for f in fund_info.values() if f.region.kind == RegionKind.RESIDENTIAL_AREA})
    subs = {r.path: r for r in Region.objects.filter(kind=RegionKind.SUBDISTRICT, path__in={
        a for p in [*areas, *(f.region.path for f in fund_info.values())] for a in _ancestors(p)})}
    area_rows = {p: SummaryRow(r, r.name) for p, r in areas.items()}
    sub_rows = {p: SummaryRow(r, r.name) for p, r in subs.items()}
    for pk, row in by_fund.items():
        f = fund_info[pk]
        area = _area_of(f.region.path, areas)
        if area is not None:
            area_rows[area.path].add(row)
        sub = _area_of(f.region.path, subs)
        if sub is not None:
            sub_rows[sub.path].add(row)
    out = []
    for path, sub_row in sorted(sub_rows.items()):
        sub_row.areas = [area_rows[p] for p in sorted(area_rows, key=lambda p: areas[p].name) if p.startswith(path)]
        out.append(sub_row)
    return out


def summary_years(user) -> list[int]:
    this_year = timezone.localdate().year
    return sorted(set(years_for(user)) | {this_year}, reverse=True)


# --- the workbench ----------------------------------------------------------------------------------------------

def low_balance_card(user):
    """Active funds the user keeps the ledger of whose balance is under ¥5,000."""
    from django.urls import reverse

    from gongzhi.core.workbench import CARD_ITEMS

    q = funds_q(user, policies.LEDGER)
    if not scope_for(user, policies.LEDGER).region_paths and q is not None:
        return None
    qs = with_totals(Fund.objects.filter(is_active=True) if q is None else Fund.objects.filter(q, is_active=True))
    qs = qs.filter(balance__lt=LOW_BALANCE).order_by("balance", "name")
    count = qs.count()
    return {"count": count, "url": reverse("funds:ledger_funds") + "?active=1",
            "items": [{"text": f.name, "url": reverse("funds:ledger_fund", args=[f.pk]),
                       "value": f"¥{Decimal(f.balance).quantize(FEN)}"}
                      for f in qs[:CARD_ITEMS]],
            "tone": "normal"}

