"""The coverage check (seed 001: one or two liaisons per key office building): the key office buildings with
fewer than one or more than two liaisons with their firms, the visits per firm in the last 12 months, its Excel
and its API."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongzhi.accounts import services as account_services
from gongzhi.core.workflow import SYSTEM
from gongzhi.joint.selectors import enterprise as selectors
from gongzhi.joint.services import enterprise as services
from gongzhi.registry.models import BuildingKind, Liaison
from tests import factories
from tests.conftest import login

TODAY = timezone.localdate()


@pytest.fixture
def towers(street):
    """Four key towers with 0, 1, 2 and 3 liaisons (a firm in each), and a tower that is not a key building."""
    made = {}
    for n in range(4):
        tower = factories.building(street.grid_a1, name=f"{n}人大厦", kind=BuildingKind.OFFICE, is_key_building=True)
        factories.member_unit(street.grid_a1, name=f"{n}人大厦企业", building=tower)
        for k in range(n):
            Liaison.objects.create(name=f"联络员{n}-{k}", region=street.subdistrict).buildings.add(tower)
        made[n] = tower
    plain = factories.building(street.grid_a1, name="普通写字楼", kind=BuildingKind.OFFICE)
    factories.member_unit(street.grid_a1, name="普通写字楼企业", building=plain)
    return made


def test_flags_buildings_outside_one_to_two_liaisons_and_counts_a_years_visits(street, people, towers):
    firm = towers[1].member_units.get()
    for days in (3, 200, 400):  # the last one is more than 12 months ago
        services.record_visit(actor=SYSTEM, member_unit_id=firm.pk, visited_on=TODAY - timedelta(days=days))
    data = selectors.coverage(people.admin)
    assert data["buildings"] == 4
    assert [(b.name, b.n_liaisons) for b in data["flagged"]] == [("0人大厦", 0), ("3人大厦", 3)]
    assert [[u.name for u in b.firms] for b in data["flagged"]] == [["0人大厦企业"], ["3人大厦企业"]]
    visits = {f.name: f.n_visits for f in data["firms"]}
    assert visits == {"0人大厦企业": 0, "1人大厦企业": 2, "2人大厦企业": 0, "3人大厦企业": 0}
    assert data["unvisited"] == 3
    assert selectors.coverage(people.outsider)["buildings"] == 0  # the towers lie in area A


def test_the_page_the_excel_and_the_api(client, people, towers):
    login(client, people.insider)
    html = client.get(reverse("joint:enterprise_coverage")).content.decode()
    assert "0人大厦" in html and "3人大厦" in html and "联络员3-2" in html and "普通写字楼" not in html
    book = load_workbook(io.BytesIO(client.get(reverse("joint:enterprise_coverage_export")).content))
    flagged = list(book["联络员配备"].iter_rows(values_only=True))
    assert [r[1] for r in flagged[1:]] == ["0人大厦", "3人大厦"] and flagged[2][3] == 3
    assert len(list(book["企业走访"].iter_rows(values_only=True))) == 1 + 4
    _, key = account_services.issue_token(people.insider, actor=SYSTEM, name="t")
    body = client.get("/api/v1/joint/enterprise/coverage", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert [(b["name"], b["liaisons"]) for b in body["flagged"]] == [("0人大厦", 0), ("3人大厦", 3)]
    assert body["key_buildings"] == 4 and len(body["firms"]) == 4
    client.force_login(people.colleague)
    assert client.get(reverse("joint:enterprise_coverage")).status_code == 403
