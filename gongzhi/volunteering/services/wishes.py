"""Writes of micro-wishes: one transaction each, signature ``verb(subject, *, actor, ...)`` with plain values.

A service finds its wish as the actor may see it (`NotFound` otherwise), asks
`gongzhi.volunteering.policies.wishes` whether the actor may act (`Forbidden`, or `Conflict` when the state does
not allow it now) and refuses bad input with field errors in the actor's language, writing nothing. Every state
change goes through `gongzhi.core.workflow.transition` (which locks the row: of two claims at once the second
finds the wish claimed, a `Conflict`). The area's staff hear of new wishes from grid leaders, of claims, releases
and fulfilment; the claimer hears of approval-side steps (release by staff, the thanks) in the inbox, after the
commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import partial
from uuid import uuid4

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.models import RoleAssignment, User
from gongzhi.accounts.roles import ROLE_CAPABILITIES, Role
from gongzhi.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from gongzhi.core.workflow import (
    SYSTEM,
    check_actor,
    find,
    is_user,
    pk_of,
    record_creation,
    transition,
    user_of,
)
from gongzhi.registry.models import Household, MemberUnit, Region, RegionKind
from gongzhi.volunteering.models import HardshipKind, Wish, WishPhoto
from gongzhi.volunteering.policies import wishes as policies
from gongzhi.volunteering.selectors import wishes as selectors
from gongzhi.volunteering.workflow import WISH_FLOW, WishAction, WishState

MAX_PHOTOS = 3
MAX_VALUE = Decimal("99999999.99")
LIMITS = {"title": 120, "description": 5000, "beneficiary_name": 40, "beneficiary_phone": 20, "promise": 200,
          "note": 5000, "thanks": 2000}
RELATED = ("region", "claimer_member", "claimer_unit")


# --- helpers -------------------------------------------------------------------------------------------------

def _find(actor, wish) -> Wish:
    return find(actor, wish, Wish, selectors.any_wish, RELATED)


def _refuse(actor, wish: Wish, action: str) -> None:
    """Forbidden without the right, Conflict when the state does not allow the action now."""
    if not policies.allowed(actor, wish, action):
        raise Forbidden(_("You do not have permission to do this."))
    if not policies.state_allows(wish, action):
        if action == WishAction.CLAIM and wish.state in (WishState.CLAIMED, WishState.FULFILLED):
            raise Conflict(_("This wish has already been claimed."), code="already_claimed")
        raise Conflict(_("This cannot be done while the wish is “%(state)s”.") % {
            "state": wish.get_state_display()})


def _authorize(actor, action: str):
    return lambda locked: _refuse(actor, locked, action)


def _text(value, name: str, errors: dict, *, required: bool = False, message: str = "") -> str:
    value = str(value or "").strip()
    if required and not value:
        errors.setdefault(name, []).append(message or _("This field is required."))
    elif len(value) > LIMITS[name]:
        errors.setdefault(name, []).append(_("At most %(n)s characters.") % {"n": LIMITS[name]})
    return value


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], field_errors=errors)


def to_value(raw, errors: dict, name: str = "value") -> Decimal | None:
    """An estimated value in yuan: a number from 0, whole fen."""
    try:
        value = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip()) if raw not in (None, "") else None
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite():
        errors.setdefault(name, []).append(_("Enter an amount in yuan."))
        return None
    if value < 0 or value > MAX_VALUE:
        errors.setdefault(name, []).append(_("Enter an amount from 0 to 99,999,999.99 yuan."))
    elif value != value.quantize(Decimal("0.01")):
        errors.setdefault(name, []).append(_("Enter the amount in yuan with at most two decimals."))
    return value


def _phone(raw, errors: dict) -> str:
    phone = _text(raw, "beneficiary_phone", errors)
    if phone and not (phone.replace("-", "").isdigit() and 7 <= len(phone) <= 20):
        errors.setdefault("beneficiary_phone", []).append(_("Enter a phone number (digits only)."))
    return phone


def _who(actor) -> str:
    user = user_of(actor)
    return (user.display_name or user.username) if user else str(actor)


# --- notifications --------------------------------------------------------------------------------------------

def area_staff(region) -> list:
    """Those who manage the wishes of an area at the area itself: its secretaries."""
    roles = [r for r, caps in ROLE_CAPABILITIES.items() if policies.MANAGE in caps]
    return [a.user for a in RoleAssignment.objects.filter(region=region, role__in=roles, user__is_active=True)
            .select_related("user")]


def claimer_accounts(wish: Wish) -> list:
    """The accounts of the claimer: the party member's, or every liaison of the claiming unit."""
    if wish.claimer_member_id and wish.claimer_member.user_id:
        return [wish.claimer_member.user]
    if wish.claimer_unit_id:
        return list(User.objects.filter(is_active=True, role_assignments__role=Role.UNIT_LIAISON,
                                        role_assignments__member_unit_id=wish.claimer_unit_id).distinct())
    return []


def _notify_later(users: Iterable, text: str, wish: Wish, actor=None) -> None:
    from gongzhi.demands.notify import notify_users

    me = user_of(actor)
    users = [u for u in users if u is not None and (me is None or u.pk != me.pk)]
    if users:
        link = reverse("volunteering:wish_h5_detail", args=[wish.pk])
        transaction.on_commit(partial(notify_users, users, None, text, link=link), robust=True)


# --- posting ------------------------------------------------------------------------------------------------

def new_code(now: datetime) -> str:
    return f"WX{timezone.localtime(now):%Y%m%d}-{uuid4().hex[:6].upper()}"


@transaction.atomic
def post_wish(*, actor, region, title: str, hardship: str, value, wanted_by: date | None, beneficiary_name: str,
              beneficiary_phone: str = "", description: str = "", household=None, today: date | None = None,
              now: datetime | None = None, notify: bool = True) -> Wish:
    """A wish of a household in hardship of a residential area, waiting for approval. Its area's staff post it, or
    a grid leader of a grid in the area (the staff hear of it then)."""
    check_actor(actor)
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    area = Region.objects.filter(pk=pk_of(region), kind=RegionKind.RESIDENTIAL_AREA).first() \
        if region not in (None, "") else None
    errors: dict[str, list[str]] = {}
    if not policies.may_post(actor):
        raise Forbidden(_("You do not have permission to do this."))
    if area is None:
        errors["region"] = [_("Choose the residential area.")]
    elif not policies.may_post_in(actor, area):
        raise NotFound(_("Not found."))  # an area outside the scope looks like a missing one
    title = _text(title, "title", errors, required=True, message=_("Say what is wished for."))
    description = _text(description, "description", errors)
    name = _text(beneficiary_name, "beneficiary_name", errors, required=True, message=_("Name the beneficiary."))
    phone = _phone(beneficiary_phone, errors)
    if hardship not in HardshipKind.values:
        errors["hardship"] = [_("Choose the kind of hardship.")]
    amount = to_value(value, errors)
    if not isinstance(wanted_by, date):
        errors["wanted_by"] = [_("Enter a valid date.")]
    elif wanted_by < today:
        errors["wanted_by"] = [_("The date lies in the past.")]
    home = None
    if household not in (None, ""):
        home = Household.objects.filter(pk=pk_of(household)).select_related("building__region").first()
        if home is None or area is None or not home.building.region.path.startswith(area.path):
            errors["household"] = [_("Choose a household of this residential area.")]
    _raise(errors)
    wish = Wish(code=new_code(now), region=area, household=home, beneficiary_name=name, beneficiary_phone=phone,
                hardship=hardship, title=title, description=description, value=amount, wanted_by=wanted_by,
                posted_by=user_of(actor), posted_at=now)
    wish._history_user = user_of(actor)
    wish.save()
    record_creation(wish, WishAction.SUBMIT, workflow=WISH_FLOW, actor=actor, now=now)
    if notify and not policies.manages(actor, wish):
        _notify_later(area_staff(area), _("%(who)s posted the micro-wish “%(title)s” of %(area)s: it waits for your "
                                          "approval.") % {"who": _who(actor), "title": title, "area": area.name},
                      wish, actor)
    return wish


@transaction.atomic
def approve_wish(wish, *, actor, note: str = "", now: datetime | None = None) -> Wish:
    """Approve a submitted wish (its area's staff): it goes on the board, open to claims."""
    found = _find(actor, wish)
    return transition(found, WishAction.APPROVE, workflow=WISH_FLOW, actor=actor, note=note, now=now,
                      authorize=_authorize(actor, WishAction.APPROVE), related=RELATED)


@transaction.atomic
def reject_wish(wish, *, actor, reason: str, now: datetime | None = None) -> Wish:
    """Do not approve a submitted wish (its area's staff), with a reason."""
    found = _find(actor, wish)
    return transition(found, WishAction.REJECT, workflow=WISH_FLOW, actor=actor, note=reason, now=now,
                      authorize=_authorize(actor, WishAction.REJECT), related=RELATED)


@transaction.atomic
def withdraw_wish(wish, *, actor, reason: str, now: datetime | None = None) -> Wish:
    """Withdraw a wish not yet claimed (its area's staff, or its poster), with a reason."""
    found = _find(actor, wish)
    return transition(found, WishAction.WITHDRAW, workflow=WISH_FLOW, actor=actor, note=reason, now=now,
                      authorize=_authorize(actor, WishAction.WITHDRAW), related=RELATED)


# --- claims ---------------------------------------------------------------------------------------------------

def _claimer(actor, unit):
    """(party member, member unit) the actor claims as: the given unit they are the liaison of, else the party
    member linked to their account. Forbidden when they are neither."""
    if not is_user(actor):
        raise Forbidden(_("Only a party member or a member unit's liaison can claim a wish."))
    if unit not in (None, ""):
        found = MemberUnit.objects.filter(pk=pk_of(unit)).first()
        if found is None or found.pk not in policies.unit_ids_of(actor):
            raise Forbidden(_("You are not the liaison of this member unit."))
        return None, found
    member = policies.member_of(actor)
    if member is None:
        units = policies.units_of(actor)
        if len(units) == 1:
            return None, units[0]
        if units:
            raise ValidationFailed.on("unit", _("Choose the member unit you claim for."))
        raise Forbidden(_("Only a party member or a member unit's liaison can claim a wish."))
    return member, None


@transaction.atomic
def claim_wish(wish, *, actor, promise: str, promised_on: date | None, unit=None, today: date | None = None,
               now: datetime | None = None, notify: bool = True) -> Wish:
    """认领 an open wish with a public promise (亮承诺) and the date it will be fulfilled by: a party member as
    themself, a unit liaison for their unit (`unit`, or their only unit). The row is locked while it is claimed:
    of two claims at once the second finds it claimed (Conflict). The area's staff hear of it."""
    found = _find(actor, wish)
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    if not policies.allowed(actor, found, WishAction.CLAIM):
        raise Forbidden(_("Only a party member or a member unit's liaison can claim a wish."))
    member, claim_unit = _claimer(actor, unit)
    errors: dict[str, list[str]] = {}
    promise = _text(promise, "promise", errors, required=True,
                    message=_("Make a public promise: what you will do, and by when."))
    if not isinstance(promised_on, date):
        errors["promised_on"] = [_("Enter the date you promise to fulfil it by.")]
    elif promised_on < today:
        errors["promised_on"] = [_("The date lies in the past.")]
    _raise(errors)

    def prepare(locked: Wish) -> None:
        locked.claimer_member, locked.claimer_unit, locked.claimed_by = member, claim_unit, user_of(actor)
        locked.promise, locked.promised_on, locked.claimed_at = promise, promised_on, now

    done = transition(found, WishAction.CLAIM, workflow=WISH_FLOW, actor=actor, note=promise, now=now,
                      authorize=_authorize(actor, WishAction.CLAIM), prepare=prepare, related=RELATED,
                      extra={"member": member.pk if member else None, "unit": claim_unit.pk if claim_unit else None})
    if notify:
        _notify_later(area_staff(done.region), _("%(who)s claimed the micro-wish “%(title)s” of %(area)s and "
                                                 "promised: %(promise)s") % {
            "who": done.claimer_name, "title": done.title, "area": done.region.name, "promise": promise},
            done, actor)
    return done


@transaction.atomic
def release_wish(wish, *, actor, reason: str, now: datetime | None = None) -> Wish:
    """Give a claimed wish back (its claimer, or its area's staff), with a reason: it is open to claims again."""
    found = _find(actor, wish)
    before = {"accounts": claimer_accounts(found), "name": found.claimer_name}

    def prepare(locked: Wish) -> None:
        locked.claimer_member = locked.claimer_unit = locked.claimed_by = None
        locked.promise, locked.promised_on, locked.claimed_at = "", None, None

    done = transition(found, WishAction.RELEASE, workflow=WISH_FLOW, actor=actor, note=reason, now=now,
                      authorize=_authorize(actor, WishAction.RELEASE), prepare=prepare, related=RELATED,
                      extra={"claimer": before["name"]})
    text = _("The claim of the micro-wish “%(title)s” by %(claimer)s was released: %(reason)s") % {
        "title": done.title, "claimer": before["name"], "reason": (reason or "").strip()[:120]}
    _notify_later([*before["accounts"], *area_staff(done.region)], text, done, actor)
    return done


@transaction.atomic
def fulfil_wish(wish, *, actor, note: str, photos: Iterable = (), now: datetime | None = None,
                notify: bool = True) -> Wish:
    """Fulfil a claimed wish (its claimer, or its area's staff) with how it was done and one to three photos
    (checked by content, re-encoded without metadata such as EXIF and GPS)."""
    from gongzhi.demands.photos import clean_photo

    found = _find(actor, wish)
    if not policies.allowed(actor, found, WishAction.FULFIL):
        raise Forbidden(_("You do not have permission to do this."))
    errors: dict[str, list[str]] = {}
    note = _text(note, "note", errors, required=True, message=_("Say how the wish was fulfilled."))
    photos = [p for p in photos if p]
    contents = []
    if not photos:
        errors["photos"] = [_("Add a photo of the fulfilled wish.")]
    elif len(photos) > MAX_PHOTOS:
        errors["photos"] = [_("At most %(n)s photos.") % {"n": MAX_PHOTOS}]
    else:
        try:
            contents = [clean_photo(p) for p in photos]
        except ValidationFailed as e:
            errors["photos"] = [e.message]
    _raise(errors)
    now = now or timezone.now()
    done = transition(found, WishAction.FULFIL, workflow=WISH_FLOW, actor=actor, note=note, now=now,
                      authorize=_authorize(actor, WishAction.FULFIL), related=RELATED,
                      fulfilled_at=now, fulfilment_note=note)
    for content in contents:
        photo = WishPhoto(wish=done, image=content, uploaded_by=user_of(actor), created_at=now)
        photo._history_user = user_of(actor)
        photo.save()
    if notify:
        text = _("The micro-wish “%(title)s” of %(area)s was fulfilled by %(claimer)s: %(note)s") % {
            "title": done.title, "area": done.region.name, "claimer": done.claimer_name, "note": note[:120]}
        _notify_later([*area_staff(done.region), *claimer_accounts(done)], text, done, actor)
    return done


@transaction.atomic
def record_thanks(wish, *, actor, thanks: str, now: datetime | None = None) -> Wish:
    """The beneficiary's thanks of a fulfilled wish (its area's staff write them down): a field-only step, the
    state stays fulfilled. The same thanks again change nothing and are refused (NothingChanged)."""
    found = _find(actor, wish)
    errors: dict[str, list[str]] = {}
    thanks = _text(thanks, "thanks", errors, required=True, message=_("Write down the beneficiary's thanks."))
    _raise(errors)
    now = now or timezone.now()

    def prepare(locked: Wish) -> None:
        if locked.thanks != thanks:
            locked.thanks_at = now

    done = transition(found, WishAction.THANK, workflow=WISH_FLOW, actor=actor, now=now,
                      authorize=_authorize(actor, WishAction.THANK), prepare=prepare, related=RELATED,
                      thanks=thanks)
    _notify_later(claimer_accounts(done), _("The beneficiary of the micro-wish “%(title)s” thanks you: %(thanks)s")
                  % {"title": done.title, "thanks": thanks[:120]}, done, actor)
    return done


# --- Excel import -------------------------------------------------------------------------------------------------

def import_wishes(rows, *, actor) -> None:
    """The Excel import's writer: validated wishes (obj, m2m), all or nothing. A new row is a wish waiting for
    approval (posted by the importer); an existing one (the importer's area, still waiting for approval) is
    corrected."""
    now = timezone.now()
    for obj, _m2m in rows:
        area = obj.region
        if not policies.manages_path(actor, area.path):
            raise Forbidden(_("You do not have permission to do this."))
        errors: dict[str, list[str]] = {}
        to_value(obj.value, errors)
        _raise(errors)
        new = obj.pk is None
        if new:
            obj.state, obj.posted_by, obj.posted_at = WishState.SUBMITTED, user_of(actor), now
        elif Wish.objects.filter(pk=obj.pk).values_list("state", flat=True).first() != WishState.SUBMITTED:
            raise Conflict(_("Only a wish waiting for approval can be changed by import."))
        obj._history_user = user_of(actor)
        obj._change_reason = "import"
        obj.save()
        if new:
            record_creation(obj, WishAction.SUBMIT, workflow=WISH_FLOW, actor=actor, now=now,
                            extra={"import": True})



# --- the demo seeder ----------------------------------------------------------------------------------------------

@transaction.atomic
def seed_past_wishes(rows: list[tuple[Wish, list[tuple]]], *, actor) -> list[Wish]:
    """Wishes of the past with their timelines at once (the demo seeder's volume: bulk rows with their history).
    Each row: an unsaved wish in its final state and its steps ``(action, from_state, to_state, note, at, user)``
    from the first (submit, from "") on; the steps must follow WISH_FLOW."""
    check_actor(actor)
    if is_user(actor):
        raise Forbidden(_("You do not have permission to do this."))
    from simple_history.utils import bulk_create_with_history

    for wish, steps in rows:
        state = ""
        for action, before, after, _note, _at, _user in steps:
            if before != state or (before and WISH_FLOW.target(before, action) != after):
                raise ValueError(f"{wish.code}: {before} -{action}-> {after} is not a step of the wish's workflow")
            state = after
        if state != wish.state:
            raise ValueError(f"{wish.code}: its steps end in {state}, not {wish.state}")
    bulk_create_with_history([w for w, _s in rows], Wish, batch_size=500)
    pks = dict(Wish.objects.filter(code__in=[w.code for w, _s in rows]).values_list("code", "pk"))
    from gongzhi.volunteering.models import WishTransition

    WishTransition.objects.bulk_create([
        WishTransition(wish_id=pks[w.code], action=action, from_state=before, to_state=after, note=note,
                       actor=user, actor_label="" if user else SYSTEM.key, created_at=at)
        for w, steps in rows for action, before, after, note, at, user in steps], batch_size=1000)
    for w, _s in rows:
        w.pk = pks[w.code]
    return [w for w, _s in rows]
