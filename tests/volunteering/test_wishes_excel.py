"""The micro-wishes in Excel: the export is scoped and masks the beneficiary unless revealed, and the import is
all or nothing with Chinese row and field errors (new wishes wait for approval; an approved one is not changed)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from gongzhi.core.excel import export_workbook, get_spec, import_file
from gongzhi.volunteering.models import Wish
from gongzhi.volunteering.workflow import WishState
from tests.volunteering import wish_factories as wf

pytestmark = pytest.mark.django_db
SPEC = "volunteering_wishes"


def _cells(data: bytes) -> list[tuple]:
    return [tuple(r) for r in load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True)]


def _book(rows: list[list]) -> io.BytesIO:
    spec = get_spec(SPEC)
    wb = Workbook()
    ws = wb.active
    ws.append([c.header for c in spec.columns if not c.read_only])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def test_the_export_is_scoped_and_masks_the_beneficiary_unless_revealed(street, people):
    wf.wish(street.area_a, WishState.FULFILLED, member=street.member_a, title="一台电饭煲", thanks="谢谢")
    wf.wish(street.area_b, WishState.OPEN, title="石库门心愿")
    spec = get_spec(SPEC)
    rows = _cells(export_workbook(spec, people.insider))
    text = "\n".join(str(v) for r in rows for v in r if v is not None)
    assert "一台电饭煲" in text and "石库门心愿" not in text and "张梧桐" in text and "已实现" in text
    assert "王**" in text and "王阿婆" not in text and "13912345678" not in text
    revealed = "\n".join(str(v) for r in _cells(export_workbook(spec, people.insider, revealed=True)) for v in r if v)
    assert "王阿婆" in revealed and "13912345678" in revealed
    # the grid leader has no volunteering.view: nothing to export
    assert not get_spec(SPEC).may_export(people.colleague)


def test_the_import_creates_waiting_wishes_all_or_nothing_with_chinese_errors(street, people):
    wanted = timezone.localdate() + timedelta(days=30)
    good = ["WX-IMP-1", street.area_a.code, "一床棉被", "冬天用", "独居老人", "300", wanted, "钱阿婆", "13900001111"]
    bad = ["WX-IMP-2", street.area_b.code, "", "", "富裕", "-5", wanted, "", ""]
    result = import_file(get_spec(SPEC), _book([good, bad]), people.insider)
    messages = " ".join(str(e) for e in result.errors)
    assert result.errors and not Wish.objects.exists()
    assert "心愿" in messages and "困难类型" in messages and "不在您的管理范围内" in messages
    result = import_file(get_spec(SPEC), _book([good]), people.insider)
    assert result.errors == [] and result.created == 1
    wish = Wish.objects.get()
    assert wish.state == WishState.SUBMITTED and wish.beneficiary_name == "钱阿婆" and wish.posted_by == people.insider
    assert list(wish.transitions.values_list("action", flat=True)) == ["submit"]


def test_an_approved_wish_is_not_changed_by_import(street, people):
    wish = wf.wish(street.area_a, WishState.OPEN, title="原来的心愿")
    row = [wish.code, street.area_a.code, "改过的心愿", "", "独居老人", "220", wish.wanted_by, "王阿婆", ""]
    result = import_file(get_spec(SPEC), _book([row]), people.insider)
    assert result.errors
    wish.refresh_from_db()
    assert wish.title == "原来的心愿"
