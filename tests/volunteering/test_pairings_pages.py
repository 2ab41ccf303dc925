"""Pairing and cohort pages: list filters and search, the anchor's load against capacity, creating a pairing (a
field error in Chinese over capacity), recording a contact (staff and the anchor's own member), ending, the rules
page, cohorts (create with the 五个一, progress grid)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gongzhi.accounts.roles import Role
from gongzhi.core.workflow import SYSTEM
from gongzhi.volunteering.models import Cohort, Pairing, PairingContact, PairingKind, PairingRule
from gongzhi.volunteering.services import pairings as services
from gongzhi.volunteering.workflow import PairingState
from tests import factories
from tests.conftest import login
from tests.volunteering import factories_pairings as fp

pytestmark = pytest.mark.django_db


def test_list_filters_search_and_overdue(client, street, people):
    late = fp.shop_pairing(street, name="老字号糕团店", days_ago=40)
    fp.shop_pairing(street, name="新开奶茶铺", days_ago=2)
    fp.youth_pairing(street)
    login(client, people.insider)
    page = client.get(reverse("volunteering:pairings_list")).content.decode()
    assert "老字号糕团店" in page and "新开奶茶铺" in page
    page = client.get(reverse("volunteering:pairings_list"), {"overdue": "1"}).content.decode()
    assert "老字号糕团店" in page and "新开奶茶铺" not in page and late.code in page
    page = client.get(reverse("volunteering:pairings_list"), {"q": "奶茶"}).content.decode()
    assert "新开奶茶铺" in page and "老字号糕团店" not in page
    page = client.get(reverse("volunteering:pairings_list"), {"kind": PairingKind.YOUTH}).content.decode()
    assert "新开奶茶铺" not in page
    login(client, people.outsider)
    assert "老字号糕团店" not in client.get(reverse("volunteering:pairings_list")).content.decode()


def test_anchor_page_shows_load_against_capacity(client, street, people):
    for _i in range(3):
        fp.shop_pairing(street)
    login(client, people.insider)
    page = client.get(reverse("volunteering:pairings_member", args=[street.member_a.pk])).content.decode()
    assert 'id="load-member_shop">3/50<' in page and 'id="load-youth">0/1<' in page


def test_creating_over_capacity_shows_a_chinese_field_error(client, street, people):
    services.set_rule(street.subdistrict, actor=SYSTEM, kind=PairingKind.MEMBER_SHOP, capacity=1,
                      contact_interval_days=30)
    fp.shop_pairing(street)
    login(client, people.admin)
    data = {"kind": PairingKind.MEMBER_SHOP, "region": street.area_a.pk, "member": street.member_a.pk,
            "shop_name": "第二家", "started_on": timezone.localdate().isoformat()}
    response = client.post(reverse("volunteering:pairings_new"), data)
    assert response.status_code == 422
    page = response.content.decode()
    assert 'class="form-row has-error" id="row-member"' in page and not Pairing.objects.filter(shop_name="第二家")
    services.set_rule(street.subdistrict, actor=SYSTEM, kind=PairingKind.MEMBER_SHOP, capacity=2,
                      contact_interval_days=30)
    response = client.post(reverse("volunteering:pairings_new"), data)
    assert response.status_code == 302


def test_a_member_past_the_options_cap_is_still_paired_from_their_page(client, street, people, monkeypatch):
    from gongzhi.volunteering.views import pairings as views

    monkeypatch.setattr(views, "CHOICES_MAX", 1)  # the form lists one member; 张 sorts after the first
    late = factories.party_member(street.org_a, name="张后来")
    login(client, people.admin)
    url = reverse("volunteering:pairings_new")
    form = client.get(url, {"kind": PairingKind.MEMBER_SHOP, "member": late.pk}).content.decode()
    assert f'<option value="{late.pk}" selected>' in form
    data = {"kind": PairingKind.MEMBER_SHOP, "region": street.area_a.pk, "member": late.pk, "shop_name": "弄堂小吃",
            "started_on": timezone.localdate().isoformat()}
    assert client.post(url, data).status_code == 302
    assert Pairing.objects.get(shop_name="弄堂小吃").member == late
    outside = factories.party_member(street.org_b, name="张外区")
    login(client, people.insider)  # area A's secretary: a member of area B is not offered, even when asked for
    assert f'value="{outside.pk}"' not in client.get(url, {"member": outside.pk}).content.decode()


def test_the_anchor_member_records_a_contact_and_staff_end(client, street, people):
    member_user = factories.user("member-a", Role.PARTY_MEMBER, street.grid_a1)
    street.member_a.user = member_user
    street.member_a.save()
    made = fp.shop_pairing(street, days_ago=5)
    login(client, member_user)
    assert made.code in client.get(reverse("volunteering:pairings_mine")).content.decode()
    page = client.get(reverse("volunteering:pairings_detail", args=[made.pk])).content.decode()
    assert 'id="contact-form"' in page and 'id="end-form"' not in page
    client.post(reverse("volunteering:pairings_contact", args=[made.pk]),
                {"contacted_on": timezone.localdate().isoformat(), "kind": "visit", "note": "上门走访"})
    assert PairingContact.objects.get(pairing=made).recorded_by == member_user
    response = client.post(reverse("volunteering:pairings_end", args=[made.pk]), {"reason": "不想结对了"})
    assert response.status_code == 403 and made.__class__.objects.get(pk=made.pk).state == PairingState.ACTIVE
    login(client, people.insider)
    client.post(reverse("volunteering:pairings_end", args=[made.pk]), {"reason": "商户搬迁"})
    assert made.__class__.objects.get(pk=made.pk).state == PairingState.ENDED
    login(client, people.outsider)
    assert client.get(reverse("volunteering:pairings_detail", args=[made.pk])).status_code == 404


def test_rules_page_saves_a_rule_and_refuses_bad_numbers(client, street, people):
    login(client, people.admin)
    url = reverse("volunteering:pairings_rules")
    assert f'id="rule-{street.subdistrict.pk}-member_shop"' in client.get(url).content.decode()
    client.post(url, {"region": street.subdistrict.pk, "kind": "member_shop", "capacity": 40,
                      "contact_interval_days": 14})
    rule = PairingRule.objects.get(region=street.subdistrict, kind="member_shop")
    assert (rule.capacity, rule.contact_interval_days) == (40, 14)
    response = client.post(url, {"region": street.subdistrict.pk, "kind": "member_shop", "capacity": 0,
                                 "contact_interval_days": 14})
    assert response.status_code == 422 and PairingRule.objects.get(pk=rule.pk).capacity == 40


def test_cohort_pages(client, street, people):
    login(client, people.admin)
    today = timezone.localdate()
    response = client.post(reverse("volunteering:cohorts_new"), {
        "name": "V.I.P 第二期", "region": street.subdistrict.pk, "organiser": "青年联盟",
        "starts_on": today.isoformat(), "ends_on": (today - timedelta(days=1)).isoformat()})
    assert response.status_code == 422 and not Cohort.objects.exists()
    response = client.post(reverse("volunteering:cohorts_new"), {
        "name": "V.I.P 第二期", "region": street.subdistrict.pk, "organiser": "青年联盟",
        "starts_on": today.isoformat(), "ends_on": (today + timedelta(days=90)).isoformat()})
    cohort = Cohort.objects.get()
    assert response.url == reverse("volunteering:cohorts_detail", args=[cohort.pk])
    client.post(reverse("volunteering:cohorts_participant", args=[cohort.pk]),
                {"name": "小周", "phone": "13911112222", "workplace": "滨江中心"})
    part = cohort.participants.get()
    first = cohort.requirements.order_by("position").first()
    client.post(reverse("volunteering:cohorts_progress", args=[cohort.pk]),
                {"participant": part.pk, "requirement": first.pk, "done_on": today.isoformat(), "note": "优秀"})
    page = client.get(reverse("volunteering:cohorts_detail", args=[cohort.pk])).content.decode()
    assert 'id="cohort-percent">20%<' in page and "党性理论学习" in page and "滨江定向竞技" in page
    assert "139****2222" in page and "13911112222" not in page and "data-print" in page
    login(client, people.outsider)
    assert client.get(reverse("volunteering:cohorts_detail", args=[cohort.pk])).status_code == 404
