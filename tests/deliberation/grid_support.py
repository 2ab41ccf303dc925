"""Shared makers of the grid part's tests: demands with categories (the concern rows), party-member accounts and
grid topics written through the grid services."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongzhi.accounts.roles import Role
from gongzhi.core.workflow import SYSTEM
from gongzhi.deliberation.models import GridTopic
from gongzhi.deliberation.services import grid as services
from gongzhi.demands.models import Category, Channel, Demand
from tests import factories

YEAR = timezone.localdate().year
DUE = timezone.localdate() + timedelta(days=30)


def category(name: str) -> Category:
    """A sub-category of the default taxonomy's top-level category `name` (concerns count by the top level)."""
    top = Category.objects.get(name=name, parent__isnull=True, subdistrict__isnull=True)
    return top.children.first()


def demands(place, name: str, n: int, year: int = YEAR - 1, grid=True) -> None:
    """`n` demands of the top-level category `name` in `place` (a grid, or an area when grid=False) in `year`."""
    when = timezone.make_aware(datetime(year, 6, 1, 10, 0))
    cat = category(name)
    for _i in range(n):
        k = factories.seq()
        Demand.objects.create(
            tracking_code=f"GZG{k:09d}", title=f"诉求{k}", description="测试", channel=Channel.WEB, source="test",
            category=cat, grid=place if grid else None, region=place, submitter_phone="13912345678", created_at=when)


def member(grid, username: str | None = None, **kw):
    """A party member's account serving `grid`."""
    return factories.user(username or f"member{factories.seq()}", Role.PARTY_MEMBER, grid, **kw)


def grid_topic(grid, title: str = "物业管理：屋檐下的微自治", items=("楼道堆物清理", "车棚照明"), publish=True,
               actor=SYSTEM, year: int = YEAR) -> GridTopic:
    return services.create_grid_topics(year, actor=actor, publish=publish, due_on=DUE, rows=[
        {"grid": grid, "title": title, "description": "年度网格议题", "concern": "物业管理", "concern_rank": 1,
         "items": list(items)}])[0]


def png(name: str = "after.png") -> SimpleUploadedFile:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def today() -> date:
    return timezone.localdate()
