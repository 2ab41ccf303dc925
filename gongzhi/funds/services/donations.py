"""The ledger part's writers besides the ledger itself (gongzhi.funds.services.ledger): opening and closing funds,
allocations from the sub-district budget, donations, charity events and the sale of their lots.

Every call is one transaction that checks all its input first: bad input (a blank name, a negative amount, a
fraction of a fen, a float, a date in the future, a closed fund) is a ValidationFailed with field errors and
nothing is written. A user acts only on the funds they see (gongzhi.funds.selectors.ledger; NotFound otherwise)
and books money only with the ledger right over the fund (Forbidden otherwise). `SYSTEM` may do everything.
"""

from __future__ import annotations

import re
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from gongzhi.core.workflow import check_actor, find, is_user, pk_of, user_of
from gongzhi.funds.models import (
    CharityEvent,
    CharityLot,
    Donation,
    DonorKind,
    EntryKind,
    Fund,
    FundKind,
    LedgerEntry,
)
from gongzhi.funds.policies import ledger as policies
from gongzhi.funds.selectors import ledger as selectors
from gongzhi.funds.services.ledger import post_entry, to_amount
from gongzhi.registry.models import MemberUnit, Region, RegionKind

REGION_KIND_OF = {FundKind.AUTONOMY: RegionKind.RESIDENTIAL_AREA, FundKind.FOUNDATION: RegionKind.SUBDISTRICT,
                  FundKind.SPECIAL: RegionKind.SUBDISTRICT}
MIN_YEAR, MAX_YEAR = 2000, 2100
PHONE = re.compile(r"^\+?[0-9][0-9 -]{5,18}[0-9]$")


class _Errors:
    """Field errors gathered over a whole input, raised at once."""

    def __init__(self):
        self.fields: dict[str, list[str]] = {}

    def add(self, field: str, message) -> None:
        self.fields.setdefault(field, []).append(str(message))

    def take(self, field: str, call, *args, **kwargs):
        """`call(...)`, or None with its field errors kept (renamed to `field`)."""
        try:
            return call(*args, **kwargs)
        except ValidationFailed as e:
            for messages in (e.field_errors or {"": [e.message]}).values():
                for m in messages:
                    self.add(field, m)
            return None

    def raise_any(self) -> None:
        if self.fields:
            first = next(iter(self.fields.values()))[0]
            raise ValidationFailed(first, field_errors=self.fields)


def _fund(actor, fund) -> Fund:
    return find(actor, fund, Fund, selectors.fund, related=("region",))


def _keeps(actor, fund: Fund) -> None:
    if not policies.keeps_ledger(actor, fund):
        raise Forbidden()


def _date(errors: _Errors, field: str, value, *, required: bool = True) -> date | None:
    if value in (None, ""):
        if required:
            errors.add(field, _("This field is required."))
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            errors.add(field, _("Enter a valid date."))
            return None
    if not isinstance(value, date):
        errors.add(field, _("Enter a valid date."))
        return None
    if value > timezone.localdate():
        errors.add(field, _("The date cannot be in the future."))
        return None
    return value


def _text(errors: _Errors, field: str, value, limit: int, *, required: bool = False) -> str:
    text = (value or "").strip() if isinstance(value, str) else ("" if value is None else str(value)).strip()
    if required and not text:
        errors.add(field, _("This field is required."))
    elif len(text) > limit:
        errors.add(field, _("At most %(n)s characters.") % {"n": limit})
    return text


# --- funds ----------------------------------------------------------------------------------------------------

def open_fund(*, actor, name: str, kind: str, region=None, year: int | None = None, parent=None,
              purpose: str = "") -> Fund:
    """Open a fund: an autonomy fund of a residential area for a year (one per area and year), a community
    foundation of a sub-district, or a special fund under a foundation (in the foundation's sub-district)."""
    check_actor(actor)
    if not policies.may_open_funds(actor):
        raise Forbidden()
    errors = _Errors()
    name = _text(errors, "name", name, 120, required=True)
    purpose = _text(errors, "purpose", purpose, 2000)
    if kind not in FundKind.values:
        errors.add("kind", _("Choose a kind of fund."))
    parent_fund = None
    if kind == FundKind.SPECIAL:
        if parent in (None, ""):
            errors.add("parent", _("A special fund belongs to a community foundation."))
        else:
            try:
                parent_fund = _fund(actor, parent)
            except NotFound:
                errors.add("parent", _("Choose a community foundation."))
            else:
                if parent_fund.kind != FundKind.FOUNDATION:
                    errors.add("parent", _("A special fund belongs to a community foundation."))
                elif region in (None, ""):
                    region = parent_fund.region
    elif parent not in (None, ""):
        errors.add("parent", _("Only a special fund belongs to a foundation."))
    area = None
    if region in (None, ""):
        errors.add("region", _("This field is required."))
    else:
        area = Region.objects.filter(pk=pk_of(region)).first()
        if area is None:
            errors.add("region", _("Choose a region."))
        elif kind in REGION_KIND_OF and area.kind != REGION_KIND_OF[kind]:
            errors.add("region", _("A fund of this kind belongs to a %(kind)s.")
                       % {"kind": RegionKind(REGION_KIND_OF[kind]).label})
        elif parent_fund is not None and area.pk != parent_fund.region_id:
            errors.add("region", _("A special fund belongs to its foundation's sub-district."))
        elif is_user(actor) and not policies.keeps_ledger(actor, Fund(region=area)):
            errors.add("region", _("This region is outside your scope."))
    if kind == FundKind.AUTONOMY:
        if year in (None, ""):
            errors.add("year", _("An autonomy fund is for one year."))
        elif isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
            errors.add("year", _("Enter a year between %(low)s and %(high)s.") % {"low": MIN_YEAR, "high": MAX_YEAR})
        elif area is not None and Fund.objects.filter(kind=FundKind.AUTONOMY, region=area, year=year).exists():
            errors.add("year", _("This residential area already has an autonomy fund for %(year)s.") % {"year": year})
    elif year not in (None, ""):
        errors.add("year", _("Only an autonomy fund has a year."))
        year = None
    errors.raise_any()
    try:
        with transaction.atomic():
            return Fund.objects.create(name=name, kind=kind, region=area, year=year or None, parent=parent_fund,
                                       purpose=purpose)
    except IntegrityError:  # a parallel opening of the same area's fund for the year
        raise ValidationFailed.on("year", _("This residential area already has an autonomy fund for %(year)s.")
                                  % {"year": year}) from None


def close_fund(fund, *, actor) -> Fund:
    """Close a fund: it takes no further money in or out (its ledger stays)."""
    check_actor(actor)
    with transaction.atomic():
        locked = _fund(actor, fund)
        _keeps(actor, locked)
        locked = Fund.objects.select_for_update().get(pk=locked.pk)
        if not locked.is_active:
            raise Conflict(_("This fund is closed."))
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        return locked


def allocate(fund, *, actor, amount, occurred_on=None, note: str = "", receipt_no: str = "") -> LedgerEntry:
    """Money in from the sub-district budget (下拨)."""
    check_actor(actor)
    errors = _Errors()
    value = errors.take("amount", to_amount, amount)
    day = _date(errors, "occurred_on", occurred_on, required=False) or None
    note = _text(errors, "note", note, 200)
    receipt_no = _text(errors, "receipt_no", receipt_no, 60)
    errors.raise_any()
    target = _fund(actor, fund)
    return post_entry(target, actor=actor, kind=EntryKind.ALLOCATION, amount=value, occurred_on=day, note=note,
                      receipt_no=receipt_no)


def record_donation(fund, *, actor, donor_kind: str, amount, donated_on=None, donor_unit=None, donor_name: str = "",
                    donor_phone: str = "", event=None, purpose: str = "", receipt_no: str = "") -> Donation:
    """A donation to `fund`: its ledger row and who gave it. The donor is a member unit (`donor_unit`), a person
    (`donor_name`, optionally `donor_phone`) or a charity event of this fund (`event`)."""
    check_actor(actor)
    errors = _Errors()
    value = errors.take("amount", to_amount, amount)
    day = _date(errors, "donated_on", donated_on, required=False)
    if day is None and "donated_on" not in errors.fields:
        day = timezone.localdate()
    purpose = _text(errors, "purpose", purpose, 200)
    receipt_no = _text(errors, "receipt_no", receipt_no, 60)
    target = _fund(actor, fund)
    unit = charity = None
    name = phone = ""
    if donor_kind == DonorKind.UNIT:
        unit = MemberUnit.objects.filter(pk=pk_of(donor_unit)).first() if donor_unit not in (None, "") else None
        if unit is None:
            errors.add("donor_unit", _("Choose the member unit that gave."))
    elif donor_kind == DonorKind.PERSON:
        name = _text(errors, "donor_name", donor_name, 40, required=True)
        phone = _text(errors, "donor_phone", donor_phone, 20)
        if phone and not PHONE.match(phone):
            errors.add("donor_phone", _("Enter a valid phone number."))
    elif donor_kind == DonorKind.EVENT:
        charity = CharityEvent.objects.filter(pk=pk_of(event), fund=target).first() if event not in (None, "") \
            else None
        if charity is None:
            errors.add("event", _("Choose a charity event of this fund."))
    else:
        errors.add("donor_kind", _("Choose who gave."))
    errors.raise_any()
    with transaction.atomic():
        entry = post_entry(target, actor=actor, kind=EntryKind.DONATION, amount=value, occurred_on=day,
                           note=purpose, receipt_no=receipt_no)
        return Donation.objects.create(
            entry=entry, fund=target, donor_kind=donor_kind, donor_unit=unit, donor_name=name, donor_phone=phone,
            event=charity, amount=entry.amount, donated_on=entry.occurred_on, purpose=purpose, receipt_no=receipt_no,
            recorded_by=user_of(actor))


def correct_donation(donation, *, actor, purpose: str) -> Donation:
    """Correct what a recorded donation is for (its money, donor and receipt stay: they are the ledger's)."""
    check_actor(actor)
    errors = _Errors()
    purpose = _text(errors, "purpose", purpose, 200)
    errors.raise_any()
    with transaction.atomic():
        found = find(actor, donation, Donation, selectors.donation, related=("fund__region",))
        _keeps(actor, found.fund)
        found.purpose = purpose
        found.save(update_fields=["purpose"])
        return found


def import_donations(rows, *, actor) -> None:
    """The donations list's Excel import (gongzhi.funds.excel_ledger): every new row booked through
    `record_donation`, a recorded one's corrected purpose through `correct_donation`, all in one transaction (a
    refused row undoes the whole file)."""
    with transaction.atomic():
        for obj, _m2m in rows:
            if obj.pk:
                correct_donation(obj.pk, actor=actor, purpose=obj.purpose)
                continue
            kind = obj.donor_kind or (DonorKind.UNIT if obj.donor_unit_id else DonorKind.PERSON)
            record_donation(obj.fund_id, actor=actor, donor_kind=kind, amount=obj.amount, donated_on=obj.donated_on,
                            donor_unit=obj.donor_unit_id, donor_name=obj.donor_name, donor_phone=obj.donor_phone,
                            purpose=obj.purpose, receipt_no=obj.receipt_no)


# --- charity events -------------------------------------------------------------------------------------------

def create_charity_event(fund, *, actor, name: str, held_on, place: str = "", note: str = "") -> CharityEvent:
    check_actor(actor)
    errors = _Errors()
    name = _text(errors, "name", name, 120, required=True)
    day = _date(errors, "held_on", held_on)
    place = _text(errors, "place", place, 120)
    note = _text(errors, "note", note, 2000)
    target = _fund(actor, fund)
    _keeps(actor, target)
    if not target.is_active:
        errors.add("fund", _("This fund is closed."))
    errors.raise_any()
    with transaction.atomic():
        return CharityEvent.objects.create(fund=target, name=name, held_on=day, place=place, note=note,
                                           created_by=user_of(actor))


def _event(actor, event) -> CharityEvent:
    return find(actor, event, CharityEvent, selectors.event, related=("fund__region",))


def add_lot(event, *, actor, title: str, donated_by: str = "") -> CharityLot:
    check_actor(actor)
    errors = _Errors()
    title = _text(errors, "title", title, 120, required=True)
    donated_by = _text(errors, "donated_by", donated_by, 120)
    found = _event(actor, event)
    _keeps(actor, found.fund)
    errors.raise_any()
    with transaction.atomic():
        position = found.lots.count() + 1
        return CharityLot.objects.create(event=found, title=title, donated_by=donated_by, position=position)


def sell_lot(lot, *, actor, price, buyer_unit=None, buyer_name: str = "", sold_on=None,
             receipt_no: str = "") -> CharityLot:
    """Sell a lot once, to a member unit or a person: its price is booked as a donation of the event on the
    event's fund. The lot's row is locked, so of parallel sales one goes through and the others are a Conflict."""
    check_actor(actor)
    errors = _Errors()
    value = errors.take("price", to_amount, price)
    day = _date(errors, "sold_on", sold_on, required=False)
    buyer_name = _text(errors, "buyer_name", buyer_name, 40)
    unit = None
    if buyer_unit not in (None, ""):
        unit = MemberUnit.objects.filter(pk=pk_of(buyer_unit)).first()
        if unit is None:
            errors.add("buyer_unit", _("Choose a member unit."))
    elif not buyer_name:
        errors.add("buyer_name", _("Say who bought the lot: a member unit or a person."))
    lot_pk = pk_of(lot)
    if is_user(actor):
        selectors.lot(actor, lot_pk)  # NotFound out of scope
    errors.raise_any()
    with transaction.atomic():
        locked = CharityLot.objects.select_for_update(of=("self",)).select_related("event__fund__region").filter(
            pk=lot_pk).first()
        if locked is None:
            raise NotFound(_("Not found."))
        _keeps(actor, locked.event.fund)
        if locked.donation_id is not None:
            raise Conflict(_("This lot is already sold."))
        donation = record_donation(locked.event.fund_id, actor=actor, donor_kind=DonorKind.EVENT, amount=value,
                                   donated_on=day or min(locked.event.held_on, timezone.localdate()),
                                   event=locked.event_id, purpose=locked.title, receipt_no=receipt_no)
        locked.price, locked.buyer_unit, locked.buyer_name, locked.donation = value, unit, buyer_name, donation
        locked.save(update_fields=["price", "buyer_unit", "buyer_name", "donation"])
        return locked
