"""The health cabin's self-check tallies: counts only, recorded per place, day and indicator by station workers of
the place's scope (upserted: a second entry corrects the count), refused with field errors when wrong, imported all
or nothing from a sheet (place code, day, indicator, count), and read per indicator and month."""

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override
from openpyxl import load_workbook

from gongzhi.core.errors import Forbidden, NotFound, ValidationFailed
from gongzhi.core.workflow import SYSTEM
from gongzhi.services import excel_load
from gongzhi.services.models import HealthCheckTally
from gongzhi.services.selectors import load as selectors
from gongzhi.services.services.load import MAX_COUNT, import_tallies, record_tallies
from tests.conftest import login
from tests.services import factories as f

DAY = date(2026, 9, 29)


def row(n: int) -> str:
    """How an error names a sheet's row (in the language of the page, as the tests run in Chinese)."""
    with override("zh-hans"):
        return gettext("Row %(row)s") % {"row": n}


@pytest.fixture
def places(street):
    return f.place(street.area_a, "梧桐楼宇党群服务站"), f.place(street.area_b, "石库门家门口服务站")


def counts(place, day=DAY) -> dict:
    return dict(HealthCheckTally.objects.filter(place=place, day=day).values_list("indicator", "count"))


def test_a_day_is_recorded_and_a_second_entry_corrects_it(places, people):
    a, _b = places
    record_tallies(a, actor=people.insider, day=DAY, counts={"blood_pressure": 30, "blood_sugar": 8})
    rows = record_tallies(a, actor=people.insider, day=DAY, counts={"blood_pressure": 32, "ecg": 0})
    assert counts(a) == {"blood_pressure": 32, "blood_sugar": 8, "ecg": 0}
    assert [t.indicator for t in rows] == ["blood_pressure", "blood_sugar", "ecg"]
    tally = HealthCheckTally.objects.get(place=a, day=DAY, indicator="blood_pressure")
    assert [h.count for h in tally.history.order_by("history_date")] == [30, 32]  # audited
    assert tally.history.latest().history_user == people.insider


@pytest.mark.parametrize("bad, field", [
    ({"blood_sugar": 3, "blood_pressure": -1}, "blood_pressure"),
    ({"blood_sugar": 3, "blood_pressure": MAX_COUNT + 1}, "blood_pressure"),
    ({"blood_sugar": 3, "blood_pressure": "many"}, "blood_pressure"),
    ({"blood_sugar": 3, "blood_pressure": True}, "blood_pressure"),
    ({"blood_sugar": 3, "name": 3}, "counts"),
    ({}, "counts"),
])
def test_wrong_counts_are_refused_and_nothing_is_written(places, people, bad, field):
    with pytest.raises(ValidationFailed) as e:
        record_tallies(places[0], actor=people.insider, day=DAY, counts=bad)
    assert field in e.value.field_errors
    assert not HealthCheckTally.objects.exists()


def test_a_day_in_the_future_is_refused(places, people):
    with pytest.raises(ValidationFailed) as e:
        record_tallies(places[0], actor=people.insider, day=timezone.localdate() + timedelta(days=1),
                       counts={"blood_pressure": 3})
    assert "day" in e.value.field_errors


def test_only_station_workers_of_the_place_record(places, people):
    a, b = places
    with pytest.raises(NotFound):
        record_tallies(a, actor=people.outsider, day=DAY, counts={"blood_pressure": 3})
    with pytest.raises(Forbidden):
        record_tallies(a, actor=people.colleague, day=DAY, counts={"blood_pressure": 3})
    record_tallies(b, actor=people.outsider, day=DAY, counts={"blood_pressure": 3})
    record_tallies(a, actor=people.admin, day=DAY, counts={"blood_pressure": 4})
    assert (counts(a), counts(b)) == ({"blood_pressure": 4}, {"blood_pressure": 3})


def test_an_import_writes_every_row_or_none(places, people):
    a, b = places
    record_tallies(a, actor=people.admin, day=DAY, counts={"blood_pressure": 1})
    good = [(a.code, "2026-09-29", "血压", 40), (a.code, date(2026, 9, 30), "blood_sugar", 7.0),
            (b.code, "2026/9/29", "心电图", "2")]
    result = import_tallies(good, actor=people.admin)
    assert result == {"created": 2, "updated": 1, "unchanged": 0}
    assert counts(a) == {"blood_pressure": 40} and counts(b) == {"ecg": 2}
    again = import_tallies(good, actor=people.admin)
    assert again == {"created": 0, "updated": 0, "unchanged": 3}
    bad = [(a.code, "2026-09-29", "血压", 41), ("NOPE", "2026-09-29", "血压", 1), (a.code, "2026-02-30", "血压", 1),
           (a.code, "2026-09-29", "体重", 1), (a.code, "2026-09-29", "血糖", -3), (a.code, "2026-09-29", "血压", 5)]
    with pytest.raises(ValidationFailed) as e:
        import_tallies(bad, actor=people.admin, numbers=[2, 3, 4, 5, 6, 7])
    assert set(e.value.field_errors) == {row(3), row(4), row(5), row(6), row(7)}
    assert "2" in " ".join(e.value.field_errors[row(7)])  # the same place, day and indicator as row 2  # the same place, day and indicator twice
    assert counts(a)["blood_pressure"] == 40  # row 2 was fine, yet nothing was written


def test_an_import_stays_in_the_importers_scope(places, people):
    a, b = places
    with pytest.raises(ValidationFailed) as e:
        import_tallies([(b.code, "2026-09-29", "血压", 4), (a.code, "2026-09-29", "血压", 4)], actor=people.insider)
    assert list(e.value.field_errors) == [row(1)]
    assert not HealthCheckTally.objects.exists()
    with pytest.raises(Forbidden):
        import_tallies([(a.code, "2026-09-29", "血压", 4)], actor=people.colleague)


def test_tallies_per_indicator_and_month(places, people):
    a, _b = places
    import_tallies([(a.code, "2026-08-03", "血压", 10), (a.code, "2026-08-04", "血压", 12),
                    (a.code, "2026-09-01", "血压", 5), (a.code, "2026-09-01", "骨密度", 1)], actor=SYSTEM)
    grid = selectors.tallies_by_month(people.insider, a, day_from=date(2026, 8, 1), day_to=date(2026, 9, 30))
    rows = {r["indicator"]: r["counts"] for r in grid["rows"]}
    assert rows["blood_pressure"] == [22, 5] and rows["bone_density"] == [0, 1] and rows["ecg"] == [0, 0]
    assert grid["totals"] == [22, 6] and len(grid["rows"]) == 13
    with pytest.raises(NotFound):
        selectors.tallies_by_month(people.outsider, a, day_from=date(2026, 8, 1), day_to=date(2026, 9, 30))


def test_the_sheet_exports_and_imports_again_through_the_pages(client, places, people):
    a, _b = places
    import_tallies([(a.code, "2026-09-01", "blood_pressure", 10), (a.code, "2026-09-02", "vision", 3)], actor=SYSTEM)
    login(client, people.insider)
    response = client.get(reverse("services:load_cabin_export", args=[a.pk]) + "?month=2026-09")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    lines = [list(r) for r in ws.iter_rows(values_only=True)]
    assert lines == [excel_load.TALLY_HEADERS, [a.code, "2026-09-01", "血压", 10], [a.code, "2026-09-02", "视力", 3]]
    ws.cell(row=2, column=4, value=11)  # a corrected count
    data = io.BytesIO()
    ws.parent.save(data)
    data.seek(0)
    data.name = "tallies.xlsx"
    response = client.post(reverse("services:load_tallies_import"), {"file": data})
    assert response.status_code == 302
    assert counts(a, date(2026, 9, 1)) == {"blood_pressure": 11}


def test_a_bad_sheet_shows_its_rows_errors_and_writes_nothing(client, places, people):
    a, _b = places
    wb, ws = excel_load.new_sheet("x", excel_load.TALLY_HEADERS)
    excel_load.write_row(ws, [a.code, "2026-09-01", "血压", 10])
    excel_load.write_row(ws, [a.code, "2026-09-01", "血糖", "许多"])
    data = io.BytesIO(excel_load.to_bytes(wb))
    data.name = "tallies.xlsx"
    response = login(client, people.insider).post(reverse("services:load_tallies_import"), {"file": data})
    assert response.status_code == 422
    assert row(3) in response.content.decode() and row(2) not in response.content.decode()
    assert not HealthCheckTally.objects.exists()


def test_the_entry_form_records_a_day(client, places, people):
    a, _b = places
    login(client, people.insider)
    url = reverse("services:load_cabin_record", args=[a.pk])
    response = client.post(url, {"day": "2026-09-29", "blood_pressure": "25", "heart_rate": "6", "vision": ""})
    assert response.status_code == 302 and "month=2026-09" in response["Location"]
    assert counts(a) == {"blood_pressure": 25, "heart_rate": 6}
    response = client.post(url, {"day": "2026-09-29", "blood_pressure": "-2"})
    assert response.status_code == 422
    assert counts(a)["blood_pressure"] == 25
    page = client.get(reverse("services:load_cabin", args=[a.pk]) + "?month=2026-09").content.decode()
    assert 'data-day="2026-09-29"' in page and ">25<" in page
    assert login(client, people.outsider).post(url, {"day": "2026-09-29", "blood_pressure": "1"}).status_code == 404
