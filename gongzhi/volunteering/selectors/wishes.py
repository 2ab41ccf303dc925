"""Scoped reads of micro-wishes: the workbench board (``volunteering.view`` scope: every state, filters, search,
overdue), the public board of H5 (every account: the open, claimed and fulfilled wishes, the beneficiary masked),
one wish as a user may see it, the party work links (`wishes_claimed_by_member`, `wishes_claimed_by_unit`) for
the organization-life module, the photos for gongzhi.core.media and the workbench card."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.scope import has_capability, require_capability, scoped
from gongzhi.core.errors import BadParameter, NotFound, int_param
from gongzhi.core.masking import mask_name, personal_data_visible
from gongzhi.registry.models import Region, RegionKind
from gongzhi.volunteering.models import HardshipKind, Wish, WishPhoto
from gongzhi.volunteering.policies import wishes as policies
from gongzhi.volunteering.policies.wishes import MANAGE, VIEW
from gongzhi.volunteering.workflow import WISH_CLAIMED_STATES, WISH_PUBLISHED_STATES, WishState

RELATED = ("region", "claimer_member", "claimer_unit", "posted_by")
CARD_ITEMS = 5
OVERDUE = "overdue"


def _base() -> QuerySet:
    return Wish.objects.select_related(*RELATED)


def wishes_for(user, capability: str = VIEW) -> QuerySet:
    """The wishes of the areas in the user's scope for `capability`, in every state."""
    return scoped(user, _base(), capability)


def any_wish(user, pk) -> Wish:
    """One wish as the user may see it (the services' lookup): staff of its area, its poster and its claimer,
    and every account for a published one. NotFound otherwise, like a missing one."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound(_("Not found."))
    found = _base().filter(pk=pk).first() if isinstance(pk, int) else None
    if found is None or not policies.sees(user, found):
        raise NotFound(_("Not found."))
    return found


def wish(user, pk) -> Wish:
    """A wish on the workbench: volunteering.view, within the scope."""
    require_capability(user, VIEW)
    found = wishes_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("Not found."))
    return found


def log(subject: Wish) -> QuerySet:
    return subject.transitions.select_related("actor")


def photos(subject: Wish) -> QuerySet:
    return subject.photos.all()


def overdue_q(today: date | None = None) -> Q:
    """Approved but unclaimed past the wanted-by date."""
    return Q(state=WishState.OPEN, wanted_by__lt=today or timezone.localdate())


def filter_wishes(qs: QuerySet, params, today: date | None = None) -> QuerySet:
    """Wishes narrowed as on the board (and its export and print): ``q`` (code, wish, description, promise,
    area, claimer), ``state`` (``overdue`` too), ``area``, ``hardship``, ``year`` (posted)."""
    if q := (params.get("q") or "").strip():
        qs = qs.filter(Q(code__icontains=q) | Q(title__icontains=q) | Q(description__icontains=q)
                       | Q(promise__icontains=q) | Q(region__name__icontains=q)
                       | Q(claimer_member__name__icontains=q) | Q(claimer_unit__name__icontains=q))
    if state := params.get("state"):
        if state == OVERDUE:
            qs = qs.filter(overdue_q(today))
        elif state in WishState.values:
            qs = qs.filter(state=state)
        else:
            raise BadParameter("state")
    if (area := int_param(params, "area")) is not None:
        qs = qs.filter(region_id=area)
    if hardship := params.get("hardship"):
        if hardship not in HardshipKind.values:
            raise BadParameter("hardship")
        qs = qs.filter(hardship=hardship)
    if (year := int_param(params, "year", minimum=1, maximum=9999)) is not None:
        qs = qs.filter(posted_at__year=year)
    return qs


def board(user, params) -> QuerySet:
    """The workbench board: every state, newest first."""
    require_capability(user, VIEW)
    return filter_wishes(wishes_for(user), params).order_by("-posted_at", "-id")


def public_board(user, params) -> QuerySet:
    """The H5 board every account sees: the open, claimed and fulfilled wishes of every area (the beneficiary
    masked by the caller), the open first, then the newest."""
    if not getattr(user, "is_authenticated", False):
        return Wish.objects.none()
    qs = filter_wishes(_base().filter(state__in=WISH_PUBLISHED_STATES), params)
    return qs.prefetch_related("photos").order_by("state", "-posted_at", "-id")


def area_choices(user, capability: str = VIEW) -> QuerySet:
    return scoped(user, Region.objects.filter(kind=RegionKind.RESIDENTIAL_AREA), capability).order_by("path")


def postable_areas(user) -> list[Region]:
    """The residential areas the user may post wishes for."""
    areas = Region.objects.filter(kind=RegionKind.RESIDENTIAL_AREA).order_by("path")
    return [a for a in areas if policies.may_post_in(user, a)]


def years_for(user) -> list[int]:
    found = {d.year for d in wishes_for(user).dates("posted_at", "year")}
    return sorted(found | {timezone.localdate().year}, reverse=True)


def beneficiary(user, wish_obj: Wish, *, revealed: bool = False) -> str:
    """The beneficiary's name as this user sees it now (masked unless revealed by staff who may see it)."""
    if personal_data_visible(user, wish_obj, revealed=revealed):
        return wish_obj.beneficiary_name
    return mask_name(wish_obj.beneficiary_name)


# --- party work links (the organization-life module) ------------------------------------------------------------

def _claimed(qs: QuerySet, year: int | None) -> QuerySet:
    qs = qs.filter(state__in=WISH_CLAIMED_STATES).select_related("region")
    if year is not None:
        qs = qs.filter(claimed_at__year=year)
    return qs.order_by("claimed_at", "id")


def wishes_claimed_by_member(member, *, year: int | None = None) -> QuerySet:
    """The wishes a party member claimed (and those fulfilled since), claimed in `year` if given."""
    return _claimed(Wish.objects.filter(claimer_member=member), year)


def wishes_claimed_by_unit(unit, *, year: int | None = None) -> QuerySet:
    """The wishes a member unit claimed (and those fulfilled since), claimed in `year` if given."""
    return _claimed(Wish.objects.filter(claimer_unit=unit), year)


# --- media ---------------------------------------------------------------------------------------------------------

def photo_for_file(user, name: str) -> WishPhoto | None:
    """The photo stored as `name` when the user sees its wish (every account for a fulfilled one on the board),
    else None (read by gongzhi.core.media.serve)."""
    if not getattr(user, "is_authenticated", False):
        return None
    photo = WishPhoto.objects.filter(image=name).select_related("wish__region", "wish__claimer_member").first()
    if photo is None or not policies.sees(user, photo.wish):
        return None
    return photo


# --- workbench card --------------------------------------------------------------------------------------------

def waiting_card(user) -> dict | None:
    """Staff: the wishes waiting for approval and the open ones overdue (unclaimed past their wanted-by date)."""
    if not has_capability(user, MANAGE):
        return None
    today = timezone.localdate()
    qs = wishes_for(user, MANAGE).filter(Q(state=WishState.SUBMITTED) | overdue_q(today))
    count = qs.count()
    overdue = qs.filter(overdue_q(today)).count()
    items = []
    for w in qs.order_by("wanted_by", "id")[:CARD_ITEMS]:
        label = _("overdue") if w.state == WishState.OPEN else w.get_state_display()
        items.append({"text": f"{w.title} · {w.region.name} · {label}",
                      "url": reverse("volunteering:wish_detail", args=[w.pk])})
    note = _("%(n)s overdue") % {"n": overdue} if overdue else _("Waiting for approval.")
    return {"count": count, "url": reverse("volunteering:wish_list") + "?state=submitted", "note": note,
            "tone": "urgent" if overdue else ("normal" if count else "quiet"), "items": items}
