"""The activities list in Excel: an import creates activities (one shift of the places given) all or nothing with
Chinese row errors, an exported file imports again unchanged, and a changed name is written through the service;
the attendance list exports a row per sign-up with the phone masked."""

from __future__ import annotations

import io
from datetime import timedelta

from django.utils import timezone
from openpyxl import Workbook, load_workbook

from gongzhi.core.excel import books, export_workbook, get_spec, import_file, write_row
from gongzhi.volunteering.models import Activity
from tests.volunteering import factories as vf

SPEC = get_spec("volunteer_activities")
HEADERS = ["活动编号", "活动名称", "组织方类型", "组织方", "开始时间", "结束时间", "地点", "名额"]


def xlsx(rows) -> io.BytesIO:
    wb = Workbook()
    write_row(wb.active, HEADERS)
    for row in rows:
        write_row(wb.active, [row.get(h, "") for h in HEADERS])
    buf = io.BytesIO(books.to_bytes(wb))
    buf.name = "upload.xlsx"
    return buf


def _when(days: int, hour: int) -> str:
    return f"{timezone.localdate() + timedelta(days=days)} {hour:02d}:00"


def test_an_import_creates_activities_all_or_nothing(street, people):
    vf.team(street.area_a, "滨江志愿服务队")
    vf.team(street.area_b, "石库门志愿服务队")
    good = {"活动名称": "滨江步道巡护", "组织方类型": "志愿服务队", "组织方": "滨江志愿服务队", "开始时间": _when(3, 9),
            "结束时间": _when(3, 11), "地点": "滨江步道入口", "名额": 8}
    bad = [good | {"组织方": "石库门志愿服务队"},  # another area's team: outside area A's secretary's scope
           good | {"结束时间": _when(3, 8)},
           good | {"名额": 0},
           good | {"组织方": "不存在的队"}]
    result = import_file(SPEC, xlsx([good, *bad]), people.insider)
    assert {(e["row"], e["column"]) for e in result.errors} == {(3, "组织方"), (4, "结束时间"), (5, "名额"),
                                                                 (6, "组织方")}, result.errors
    assert any("找不到组织方" in e["message"] for e in result.errors)
    assert not Activity.objects.exists()
    result = import_file(SPEC, xlsx([good, good | {"活动编号": "HD-IMPORT-1", "名额": 3}]), people.insider)
    assert result.errors == [] and result.created == 2
    made = Activity.objects.get(code="HD-IMPORT-1")
    assert made.places == 3 and made.title == "滨江步道巡护" and made.state == "open" and made.region == street.area_a
    assert made.transitions.count() == 1


def test_an_export_imports_again_and_a_changed_name_is_saved(street, people):
    activity = vf.activity(street.area_a, title="文化进楼宇")
    data = export_workbook(SPEC, people.insider)
    result = import_file(SPEC, io.BytesIO(data), people.insider)
    assert result.errors == [] and result.unchanged == 1
    wb = load_workbook(io.BytesIO(data))
    ws = wb.active
    ws.cell(row=2, column=HEADERS.index("活动名称") + 1, value="文化进楼宇（三月）")
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    result = import_file(SPEC, buf, people.insider)
    assert result.errors == [] and result.updated == 1
    assert Activity.objects.get(pk=activity.pk).title == "文化进楼宇（三月）"
    assert import_file(SPEC, io.BytesIO(export_workbook(SPEC, people.outsider)), people.outsider).errors  # no rows


def test_the_attendance_export_masks_the_phone(street, people):
    shift = vf.activity(street.area_a, title="文化进楼宇").shifts.get()
    vf.signup(shift, vf.volunteer(street.area_a, "王志愿", phone="13912345678"))
    ws = load_workbook(io.BytesIO(export_workbook(get_spec("volunteer_attendance"), people.insider))).active
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert len(rows) == 1 and rows[0][1] == "文化进楼宇" and "王志愿" in rows[0] and "139****5678" in rows[0]
    assert ws.max_row == 1 or not load_workbook(io.BytesIO(export_workbook(
        get_spec("volunteer_attendance"), people.outsider))).active.cell(row=2, column=1).value
