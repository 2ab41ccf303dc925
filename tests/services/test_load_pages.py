"""The station-load pages, their Excel export, the health-cabin pages, the API and the workbench card, over HTTP:
the numbers of the factory world (tests/services/load_world.py) within each persona's scope, a place of area A
that area B's secretary cannot open (404 like a missing one), and a bounded number of queries."""

import io

import pytest
from django.urls import reverse
from django.utils.translation import gettext, override
from openpyxl import load_workbook

from gongzhi.accounts import services as account_services
from gongzhi.core.workbench import cards_for
from gongzhi.core.workflow import SYSTEM
from gongzhi.services.models import Duty, HealthCheckTally
from gongzhi.services.selectors import load as selectors
from gongzhi.services.services.load import import_tallies
from tests.conftest import login
from tests.services import factories as f
from tests.services import load_world as w

API = "/api/v1/services"
PERIOD = f"from={w.PERIOD[0]}&to={w.PERIOD[1]}"


@pytest.fixture
def world(street):
    return w.build(street)


def bearer(user) -> dict:
    _, key = account_services.issue_token(user, actor=SYSTEM, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_the_load_page_shows_the_numbers_of_the_period(client, world, people):
    page = login(client, people.insider).get(reverse("services:load_index") + "?" + PERIOD)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-key="cases">6<' in html and 'data-key="one_visit_share">50.0%<' in html
    assert 'data-key="on_time_share">75.0%<' in html and 'data-key="forwarded">1<' in html
    row = html.split(f'data-place="{world.place_a.code}" data-day="2026-09-29"')[1].split("</tr>")[0]
    cells = [c.split("</td>")[0] for c in row.split('<td class="num">')[1:]]
    assert cells[:5] == ["5", "3", "1", "66.7%", "1"]
    assert cells[5].startswith(f"3 / {w.SEATS}")
    assert "居民医保参保登记" in row
    assert "石库门家门口服务站" not in html  # area B's place
    assert 'id="month-chart"' in html


def test_the_outsider_never_sees_an_area_a_place(client, world, people):
    login(client, people.outsider)
    html = client.get(reverse("services:load_index") + "?" + PERIOD).content.decode()
    assert "梧桐家门口服务站" not in html and 'data-key="cases">1<' in html
    assert client.get(reverse("services:load_index") + f"?place={world.place_a.pk}").status_code == 404
    assert client.get(reverse("services:load_cabin", args=[world.place_a.pk])).status_code == 404
    assert client.get(reverse("services:load_cabin_export", args=[world.place_a.pk])).status_code == 404
    assert "梧桐家门口服务站" not in client.get(reverse("services:load_cabins")).content.decode()


def test_a_place_filter_and_a_bad_period(client, world, people):
    login(client, people.admin)
    html = client.get(reverse("services:load_index") + f"?place={world.place_b.pk}&{PERIOD}").content.decode()
    assert 'data-key="cases">1<' in html and f'data-place="{world.place_a.code}"' not in html
    assert client.get(reverse("services:load_index") + "?from=2026-10-01&to=2026-09-01").status_code == 400
    assert client.get(reverse("services:load_index") + "?place=abc").status_code == 400


def test_the_load_page_takes_a_bounded_number_of_queries(client, world, people, street,
                                                         django_assert_max_num_queries):
    for k in range(40):
        f.case(street, "done", place=world.place_a, item=f.item(f"事项{k}"), created_at=w.at(w.D2, 9),
               closed_at=w.at(w.D2, 10), accepted_at=w.at(w.D2, 9))
    login(client, people.insider)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("services:load_index") + "?" + PERIOD)
    assert 'data-key="cases">46<' in response.content.decode()


def test_the_load_table_exports_to_excel(client, world, people):
    response = login(client, people.insider).get(reverse("services:load_export") + "?" + PERIOD)
    assert response.status_code == 200
    lines = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert lines[0][:5] == ("日期", "站点编码", "站点", "受理件数", "已办结")
    d1 = next(line for line in lines if line[0] == "2026-09-29")
    assert d1[1:8] == (world.place_a.code, "梧桐家门口服务站", 5, 3, 1, 2, 66.7)
    assert lines[-1][0] == "合计" and lines[-1][3] == 6
    assert all(line[1] != world.place_b.code for line in lines)


def test_the_health_cabin_page_shows_the_month_per_indicator(client, world, people):
    import_tallies([(world.place_a.code, "2026-09-29", "血压", 31), (world.place_a.code, "2026-09-30", "血压", 9),
                    (world.place_a.code, "2026-09-30", "体温", 4)], actor=SYSTEM)
    login(client, people.insider)
    cabins = client.get(reverse("services:load_cabins") + "?month=2026-09").content.decode()
    assert "梧桐家门口服务站" in cabins and ">44<" in cabins
    html = client.get(reverse("services:load_cabin", args=[world.place_a.pk]) + "?month=2026-09").content.decode()
    bp = html.split('data-indicator="blood_pressure"')[1].split("</tr>")[0]
    assert '<td class="num">40</td>' in bp  # September's blood pressure checks
    assert 'data-day="2026-09-30"' in html and 'name="blood_pressure"' in html  # the entry form
    # the district viewer sees it with no form; the grid leader has no services right
    assert login(client, people.colleague).get(reverse("services:load_cabins")).status_code == 403


def test_the_api_gives_the_load_and_the_tallies(client, world, people):
    insider, outsider = bearer(people.insider), bearer(people.outsider)
    data = client.get(f"{API}/load?date_from={w.PERIOD[0]}&date_to={w.PERIOD[1]}", **insider).json()
    assert data["summary"]["cases"] == 6 and data["summary"]["one_visit_share"] == 50.0
    assert data["summary"]["on_time_share"] == 75.0
    d1 = next(r for r in data["rows"] if r["day"] == "2026-09-29")
    assert (d1["opened"], d1["waiting"], d1["appointments"], d1["seats"]) == (5, 1, 3, w.SEATS)
    assert d1["top_items"][0] == {"name": "居民医保参保登记", "cases": 3}
    assert client.get(f"{API}/load?place={world.place_a.pk}", **outsider).status_code == 404
    assert client.get(f"{API}/load?date_from=2026-10-01&date_to=2026-09-01", **insider).status_code == 422

    url = f"{API}/load/places/{world.place_a.pk}/tallies"
    made = client.post(url, {"day": "2026-09-29", "counts": {"blood_pressure": 12, "vision": 2}},
                       content_type="application/json", **insider)
    assert made.status_code == 200 and {t["indicator"]: t["count"] for t in made.json()} == {
        "blood_pressure": 12, "vision": 2}
    listed = client.get(f"{url}?date_from=2026-09-01&date_to=2026-09-30", **insider).json()
    assert [(t["day"], t["indicator"], t["count"]) for t in listed] == [
        ("2026-09-29", "blood_pressure", 12), ("2026-09-29", "vision", 2)]
    assert client.post(url, {"day": "2026-09-29", "counts": {"blood_pressure": -1}},
                       content_type="application/json", **insider).status_code == 422
    assert client.post(url, {"day": "2026-09-29", "counts": {"blood_pressure": 1}},
                       content_type="application/json", **outsider).status_code == 404
    assert client.get(url, **outsider).status_code == 404
    assert HealthCheckTally.objects.count() == 2


def test_the_workbench_card_counts_my_places_today(world, people, street):
    from django.utils import timezone

    today = timezone.localdate()
    now = w.at(today, 9)
    f.case(street, "accepted", place=world.place_a, item=world.item1, created_at=now)
    f.case(street, "done", place=world.place_a, item=world.item1, created_at=now, closed_at=now)
    f.case(street, "accepted", place=world.place_b, item=world.item1, created_at=now)
    other = f.place(street.area_a)
    f.case(street, "accepted", place=other, item=world.item1, created_at=now)
    w.appointment(world.place_a, world.item1, "booked", w.at(today, 9))
    Duty.objects.create(place=world.place_a, user=people.insider, weekday=today.weekday())
    card = next(c for c in cards_for(people.insider) if c["key"] == "services.load_today")
    assert card["count"] == 2 and card["tone"] == "urgent"  # my duty place only; one still waits
    seats = selectors.Seats([world.place_a.pk]).on(world.place_a.pk, today)
    with override("zh-hans"):
        note = gettext("Waiting: %(waiting)s · appointments: %(held)s of %(seats)s seats")
    assert card["note"] == note % {"waiting": 1, "held": 1, "seats": seats}
    admin = next(c for c in cards_for(people.admin) if c["key"] == "services.load_today")
    assert admin["count"] == 4  # no duty rows: every place in scope
    assert "services.load_today" not in {c["key"] for c in cards_for(people.colleague)}


def test_far_dates_and_huge_ids_are_bad_parameters(client, world, people):
    login(client, people.insider)
    for query in ("from=0001-01-01", "to=9999-12-31", f"place={2**70}", "place=abc"):
        assert client.get(reverse("services:load_index") + "?" + query).status_code == 400, query
    assert client.get(reverse("services:load_cabin", args=[world.place_a.pk]) + "?month=0001-01").status_code == 400
    auth = bearer(people.insider)
    assert client.get(f"{API}/load?date_from=0001-01-01", **auth).status_code == 422
    url = f"{API}/load/places/{world.place_a.pk}/tallies"
    assert client.post(url, {"day": "1999-12-31", "counts": {"ecg": 1}}, content_type="application/json",
                       **auth).status_code == 422
