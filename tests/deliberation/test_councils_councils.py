"""Councils (议事会/理事会) with seats in tiers of their shape ("1+4+16", "1+3+N"), and the deliberation rules
(议事八则) of each residential area in versions with their differences, shown wherever a topic or meeting is."""

from datetime import date, timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from gongzhi.accounts import services as account_services
from gongzhi.core.errors import Forbidden, NotFound, NothingChanged, ValidationFailed
from gongzhi.core.excel import export_workbook, get_spec
from gongzhi.core.workflow import SYSTEM
from gongzhi.deliberation.models.councils import Council, CouncilSeat, CouncilSeatKind, DeliberationRules
from gongzhi.deliberation.selectors import councils as selectors
from gongzhi.deliberation.services import councils as services
from gongzhi.registry.models import Household
from tests.conftest import login

K = CouncilSeatKind


@pytest.fixture
def council(street, people):
    return services.create_council(actor=people.insider, name="零距离家园理事会", area=street.area_a, shape="1+4+16")


# --- councils and seats ---------------------------------------------------------------------------------------

def test_a_council_is_shaped_and_seated_tier_by_tier(street, people, council):
    services.add_seat(council, actor=people.insider, kind=K.CONVENER, party_member=street.member_a, title="理事长")
    services.add_seat(council, actor=people.insider, kind=K.RESIDENTS_COMMITTEE, person_name="居委会主任甲")
    services.add_seat(council, actor=people.insider, kind=K.MEMBER_UNIT, member_unit=street.unit_a)
    seats = {s.kind: s for s in council.seats.all()}
    assert seats[K.CONVENER].tier == 1 and seats[K.CONVENER].person_name == "张梧桐"  # the member's name
    assert seats[K.RESIDENTS_COMMITTEE].tier == 2 and seats[K.MEMBER_UNIT].tier == 3
    assert seats[K.MEMBER_UNIT].holder == street.unit_a and seats[K.MEMBER_UNIT].holder_kind == "unit"
    assert [(t.number, t.expected, t.seated) for t in selectors.tiers(council)] == [(1, 1, 1), (2, 4, 1), (3, 16, 1)]
    assert selectors.seated_shape(council) == "1+1+1"


def test_a_full_tier_takes_no_more_seats(street, people, council):
    services.add_seat(council, actor=people.insider, kind=K.CONVENER, person_name="书记甲")
    with pytest.raises(ValidationFailed) as e:
        services.add_seat(council, actor=people.insider, kind=K.PARTY_ORG, party_org=street.org_a)
    assert "tier" in e.value.field_errors
    with pytest.raises(ValidationFailed) as e:
        services.add_seat(council, actor=people.insider, kind=K.OTHER, tier=4, person_name="某人")
    assert "tier" in e.value.field_errors
    n_plus = services.create_council(actor=people.insider, name="1+3+N", area=street.area_a, shape="1+3+n")
    assert n_plus.shape == "1+3+N"
    for i in range(20):  # "N": as many as needed
        services.add_seat(n_plus, actor=people.insider, kind=K.RESIDENT_REPRESENTATIVE, person_name=f"代表{i}")
    assert council.seats.count() == 1 and n_plus.seats.count() == 20


def test_a_seat_has_exactly_one_holder_from_the_councils_area(street, people, council):
    h_b = Household.objects.create(building=street.building_b1, room="101", head_name="石库门居民")
    cases = [
        ({}, "person_name"),  # nobody
        ({"person_name": "甲", "member_unit": street.unit_a}, "person_name"),  # two holders
        ({"person_name": "乙", "household": h_b}, "household"),  # lives in area B (and is outside her scope)
        ({"member_unit": street.unit_b}, "member_unit"),  # a unit she may not see
    ]
    for values, field in cases:
        with pytest.raises(ValidationFailed) as e:
            services.add_seat(council, actor=people.insider, kind=K.OTHER, **values)
        assert field in e.value.field_errors, (values, e.value.field_errors)
    assert not CouncilSeat.objects.exists()


def test_a_new_shape_must_hold_the_seats_taken(people, council):
    for i in range(3):
        services.add_seat(council, actor=people.insider, kind=K.OWNERS_COMMITTEE, person_name=f"主任{i}")
    with pytest.raises(ValidationFailed) as e:
        services.update_council(council, actor=people.insider, shape="1+2+16")
    assert "shape" in e.value.field_errors
    with pytest.raises(ValidationFailed):
        services.update_council(council, actor=people.insider, shape="1+four")
    with pytest.raises(NothingChanged):
        services.update_council(council, actor=people.insider, shape="1+4+16")
    services.update_council(council, actor=people.insider, shape="1+3+N")
    assert Council.objects.get(pk=council.pk).shape == "1+3+N"


def test_only_the_areas_managers_create_and_change_councils(street, people, council):
    with pytest.raises(ValidationFailed) as e:  # area B is not hers
        services.create_council(actor=people.insider, name="石库门议事会", area=street.area_b, shape="1+3+N")
    assert "area" in e.value.field_errors
    with pytest.raises(Forbidden):  # a grid leader may view deliberation, not manage it
        services.create_council(actor=people.colleague, name="网格议事会", area=street.area_a, shape="1+3+N")
    with pytest.raises(NotFound):
        services.update_council(council, actor=people.outsider, name="改名")
    with pytest.raises(NotFound):
        services.add_seat(council, actor=people.colleague, kind=K.OTHER, person_name="某人")
    assert Council.objects.get(pk=council.pk).name == "零距离家园理事会"


def test_council_form_creates_and_shows_field_errors(client, street, people):
    login(client, people.insider)
    url = reverse("deliberation:councils_create")
    r = client.post(url, {"name": "梧桐议事会", "area": street.area_a.pk, "shape": "1+four", "is_active": "on"})
    assert r.status_code == 422 and "errorlist" in r.content.decode() and not Council.objects.exists()
    r = client.post(url, {"name": "梧桐议事会", "area": street.area_b.pk, "shape": "1+3+N"})
    assert r.status_code == 422 and not Council.objects.exists()  # area B is not among her choices
    r = client.post(url, {"name": "梧桐议事会", "area": street.area_a.pk, "shape": "1+3+N", "is_active": "on"})
    assert r.status_code == 302 and Council.objects.get().shape == "1+3+N"


def test_council_pages_are_scoped_and_printable(client, street, people, council):
    services.add_seat(council, actor=people.insider, kind=K.CONVENER, person_name="书记甲", title="理事长")
    login(client, people.insider)
    html = client.get(reverse("deliberation:councils")).content.decode()
    assert "零距离家园理事会" in html and "1+4+16" in html
    html = client.get(reverse("deliberation:councils_detail", args=[council.pk])).content.decode()
    assert "书记甲" in html and 'media="print"' in html and 'id="seated-shape">1+0+0' in html
    for persona in ("outsider", "colleague"):
        login(client, getattr(people, persona))
        assert client.get(reverse("deliberation:councils_detail", args=[council.pk])).status_code == 404
        assert "零距离" not in client.get(reverse("deliberation:councils")).content.decode()


def test_seat_form_shows_a_full_tier_as_a_field_error(client, people, council):
    login(client, people.insider)
    url = reverse("deliberation:councils_seat_add", args=[council.pk])
    assert client.post(url, {"kind": K.CONVENER, "person_name": "书记甲"}).status_code == 302
    r = client.post(url, {"kind": K.CONVENER, "person_name": "书记乙"})
    assert r.status_code == 422 and "errorlist" in r.content.decode()
    assert council.seats.count() == 1


def test_the_seats_export_lists_only_seats_in_scope(street, people, council):
    services.add_seat(council, actor=people.insider, kind=K.CONVENER, person_name="书记甲")
    b = services.create_council(actor=people.outsider, name="石库门议事会", area=street.area_b, shape="1+3+N")
    services.add_seat(b, actor=people.outsider, kind=K.CONVENER, person_name="书记乙")

    def text(user):
        import io

        from openpyxl import load_workbook
        data = export_workbook(get_spec("council_seats"), user)
        return " ".join(str(v) for row in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)
                        for v in row if v is not None)

    assert "书记甲" in text(people.insider) and "书记乙" not in text(people.insider)
    assert "书记甲" in text(people.admin) and "书记乙" in text(people.admin)


# --- deliberation rules -----------------------------------------------------------------------------------------

RULES = "一、议事范围\n二、议题提出\n三、事前听证"


def test_every_edit_makes_a_version_and_the_history_shows_the_difference(client, street, people):
    v1 = services.edit_rules(street.area_a, actor=people.insider, text=RULES, effective_on=date(2024, 1, 1))
    v2 = services.edit_rules(street.area_a, actor=people.insider, text=RULES.replace("二、议题提出", "二、议题由居民提出"),
                             change_note="居民可直接提议")
    assert (v1.number, v2.number, v1.title) == (1, 2, "议事八则")
    assert DeliberationRules.objects.get(pk=v1.pk).text == RULES  # the old version stays as it was
    assert selectors.rules_diff(v1.text, v2.text) == [
        ("same", "一、议事范围"), ("removed", "二、议题提出"), ("added", "二、议题由居民提出"), ("same", "三、事前听证")]
    html = login(client, people.insider).get(reverse("deliberation:councils_rules_area", args=[street.area_a.pk]))
    html = html.content.decode()
    assert '<span class="removed">− 二、议题提出</span>' in html and '<span class="added">+ 二、议题由居民提出</span>' in html
    assert "居民可直接提议" in html


def test_unchanged_or_backdated_rules_are_refused(street, people):
    services.edit_rules(street.area_a, actor=people.insider, text=RULES, effective_on=date(2024, 6, 1))
    with pytest.raises(NothingChanged):
        services.edit_rules(street.area_a, actor=people.insider, text=RULES + "\n")
    with pytest.raises(ValidationFailed) as e:
        services.edit_rules(street.area_a, actor=people.insider, text=RULES + "\n四", effective_on=date(2024, 1, 1))
    assert "effective_on" in e.value.field_errors
    with pytest.raises(ValidationFailed):
        services.edit_rules(street.area_a, actor=people.insider, text="  ")
    with pytest.raises(NotFound):
        services.edit_rules(street.area_a, actor=people.outsider, text="改")
    with pytest.raises(NotFound):  # the grid leader's scope is one grid: the area's rules are not his
        services.edit_rules(street.area_a, actor=people.colleague, text="改")
    assert DeliberationRules.objects.count() == 1


def test_rules_in_force_are_the_newest_that_has_come(street, people):
    today = timezone.localdate()
    assert selectors.rules_in_force(street.area_a) is None
    services.edit_rules(street.area_a, actor=people.insider, text="旧规则", effective_on=today - timedelta(days=30))
    services.edit_rules(street.area_a, actor=people.insider, text="新规则", effective_on=today + timedelta(days=10))
    assert selectors.rules_in_force(street.area_a).text == "旧规则"
    assert selectors.rules_in_force(street.grid_a1).text == "旧规则"  # a grid's area
    assert selectors.rules_in_force(street.area_a, today + timedelta(days=10)).text == "新规则"
    assert selectors.rules_in_force(street.area_b) is None


def test_the_rules_panel_tag_shows_the_rules_in_force(street, people):
    services.edit_rules(street.area_a, actor=people.insider, text="一、议事规则甲\n二、议事规则乙")
    html = Template("{% load deliberation_rules %}{% deliberation_rules area %}").render(
        Context({"area": street.area_a}))
    assert "rules-panel" in html and "议事规则甲" in html and "议事规则乙" in html
    assert Template("{% load deliberation_rules %}{% deliberation_rules area %}").render(
        Context({"area": street.area_b})).strip() == ""


def test_rules_edit_page_makes_a_version(client, street, people):
    login(client, people.insider)
    url = reverse("deliberation:councils_rules_edit", args=[street.area_a.pk])
    assert client.get(url).status_code == 200
    r = client.post(url, {"title": "议事八则", "text": RULES, "change_note": "初版"})
    assert r.status_code == 302 and DeliberationRules.objects.get().number == 1
    r = client.post(url, {"title": "议事八则", "text": RULES})
    assert r.status_code == 302 and DeliberationRules.objects.count() == 1  # unchanged: no new version
    assert client.get(reverse("deliberation:councils_rules_edit", args=[street.area_b.pk])).status_code == 404


def test_api_gives_councils_and_rules_in_scope(client, street, people, council):
    services.add_seat(council, actor=people.insider, kind=K.CONVENER, person_name="书记甲")
    services.edit_rules(street.area_a, actor=people.insider, text=RULES)
    _token, key = account_services.issue_token(people.insider, actor=SYSTEM, name="test")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    body = client.get("/api/v1/deliberation/councils", **auth).json()
    assert [c["name"] for c in body["items"]] == ["零距离家园理事会"]
    detail = client.get(f"/api/v1/deliberation/councils/{council.pk}", **auth).json()
    assert detail["seats"][0]["holder"] == "书记甲" and detail["tiers"][1] == {"number": 2, "expected": 4, "seated": 0}
    rules = client.get(f"/api/v1/deliberation/rules/{street.area_a.pk}", **auth).json()
    assert rules["in_force"]["number"] == 1
    r = client.post(f"/api/v1/deliberation/rules/{street.area_a.pk}/versions", {"text": RULES + "\n四、结果公示"},
                    content_type="application/json", **auth)
    assert r.status_code == 201 and [v["number"] for v in r.json()["versions"]] == [2, 1]
    r = client.post(f"/api/v1/deliberation/rules/{street.area_a.pk}/versions", {"text": RULES + "\n四、结果公示"},
                    content_type="application/json", **auth)
    assert r.status_code == 409  # unchanged
    assert client.get(f"/api/v1/deliberation/rules/{street.area_b.pk}", **auth).status_code == 404
