"""Factories of the wishes part on the factories' street: a wish of area A in any state (straight in the state,
claimed by area A's party member when it needs a claimer), the claiming accounts (a party member linked to
their registry record, a unit liaison of unit A) and a small PNG."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from gongzhi.accounts.roles import Role
from gongzhi.volunteering.models import Wish
from gongzhi.volunteering.workflow import WishState
from tests import factories


def wish(region, state: str = WishState.OPEN, *, title: str = "一台电饭煲", member=None, unit=None,
         wanted_by=None, **kw) -> Wish:
    n = factories.seq()
    now = timezone.now()
    kw.setdefault("beneficiary_name", "王阿婆")
    kw.setdefault("beneficiary_phone", "13912345678")
    extra = {}
    if state in (WishState.CLAIMED, WishState.FULFILLED):
        extra = {"claimer_member": member, "claimer_unit": unit, "promise": "一周内送到", "claimed_at": now,
                 "promised_on": timezone.localdate() + timedelta(days=7)}
    if state == WishState.FULFILLED:
        extra.update(fulfilled_at=now, fulfilment_note="已送达")
    return Wish.objects.create(code=f"WXT-{n}", region=region, hardship="elderly_alone", title=title,
                               value=Decimal("220.00"), state=state,
                               wanted_by=wanted_by or timezone.localdate() + timedelta(days=30), **extra, **kw)


def wish_in(street, state: str) -> Wish:
    """A workflow-walk subject: a wish of area A in `state` (a claimed or fulfilled one claimed by member A)."""
    return wish(street.area_a, state, member=street.member_a if state in (WishState.CLAIMED,
                                                                         WishState.FULFILLED) else None)


def member_account(street, username: str = "member"):
    """A party member's account linked to area A's member (张梧桐)."""
    user = factories.user(username, Role.PARTY_MEMBER, street.grid_a1, display_name=street.member_a.name)
    street.member_a.user = user
    street.member_a.save()
    return user


def liaison_account(street, username: str = "liaison", unit=None):
    """The liaison of unit A (梧桐社区医院)."""
    return factories.user(username, Role.UNIT_LIAISON, unit=unit or street.unit_a, display_name="医院联络员")


def png(name: str = "photo.png", size=(8, 8), exif: bool = False) -> SimpleUploadedFile:
    buf = io.BytesIO()
    img = Image.new("RGB", size, (200, 30, 30))
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # Make
        img.save(buf, "JPEG", exif=data)
        return SimpleUploadedFile(name.replace(".png", ".jpg"), buf.getvalue(), content_type="image/jpeg")
    img.save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def excel_rows(street) -> Wish:
    """The `everything` fixture's row of the micro-wishes list (tests/core/test_excel.py): a wish of area A waiting
    for approval, so that its export imports again as a correction."""
    return wish(street.area_a, WishState.SUBMITTED, title="一床冬天的厚棉被")
