"""The volunteers' pages: the register with its search (a name, or a full mobile number: the phone itself is
masked), filters and pagination; a volunteer's page with their teams, skills, consent, links and the phone masked
until revealed; registering and editing with Chinese field errors; deactivating; the scope (404 outside it)."""

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gongzhi.core.models import Reveal
from gongzhi.volunteering.models import Volunteer
from gongzhi.volunteering.services import volunteers as services
from tests.conftest import login
from tests.volunteering import factories as f

PHONE = "13812345678"
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def world(street, people):
    team = f.team(street.area_a, "梧桐党员志愿服务队")
    chen = services.register_volunteer(street.area_a, actor=people.insider, name="陈志愿", consent=True, phone=PHONE,
                                       party_member=street.member_a, teams=[team], skills="理发、法律咨询",
                                       availability="周四下午")
    wang = services.register_volunteer(street.area_a, actor=people.insider, name="王热心", consent=True,
                                       member_unit=street.unit_a, skills="义诊")
    li = services.register_volunteer(street.area_b, actor=people.outsider, name="李石库", consent=True,
                                     phone="13900000002")
    return team, chen, wang, li


def names(response) -> list[str]:
    return sorted(v.name for v in response.context["page"])


def test_the_list_is_scoped_searched_and_filtered(client, people, world):
    team, chen, wang, li = world
    c = login(client, people.insider)
    r = c.get("/volunteering/volunteers/")
    assert r.status_code == 200 and names(r) == ["王热心", "陈志愿"]
    body = r.content.decode()
    assert "138****5678" in body and PHONE not in body and "李石库" not in body
    assert names(c.get("/volunteering/volunteers/", {"q": "陈"})) == ["陈志愿"]
    assert names(c.get("/volunteering/volunteers/", {"q": PHONE})) == ["陈志愿"]
    assert names(c.get("/volunteering/volunteers/", {"q": "5678"})) == []  # only a full number finds a phone
    assert names(c.get("/volunteering/volunteers/", {"team": team.pk})) == ["陈志愿"]
    assert names(c.get("/volunteering/volunteers/", {"skill": "义诊"})) == ["王热心"]
    assert names(c.get("/volunteering/volunteers/", {"link": "member"})) == ["陈志愿"]
    assert names(c.get("/volunteering/volunteers/", {"link": "unit"})) == ["王热心"]
    assert names(c.get("/volunteering/volunteers/", {"link": "account"})) == []
    services.deactivate_volunteer(wang, actor=people.insider)
    assert names(c.get("/volunteering/volunteers/", {"active": "1"})) == ["陈志愿"]
    assert names(c.get("/volunteering/volunteers/", {"active": "0"})) == ["王热心"]
    assert c.get("/volunteering/volunteers/", {"team": "x"}).status_code == 400
    r = c.get("/volunteering/volunteers/", {"q": "陈"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "<h1>" not in r.content.decode()


def test_the_list_is_paginated(client, people, street, settings):
    settings.PAGE_SIZE = 5
    for k in range(12):
        f.volunteer(street.area_a, f"志愿者{k:02d}")
    c = login(client, people.insider)
    assert len(c.get("/volunteering/volunteers/").context["page"]) == 5
    assert len(c.get("/volunteering/volunteers/", {"page": 3}).context["page"]) == 2


def test_the_detail_page_shows_everything_with_the_phone_masked_until_revealed(client, people, world):
    team, chen, wang, li = world
    c = login(client, people.insider)
    url = f"/volunteering/volunteers/{chen.pk}/"
    body = c.get(url).content.decode()
    for text in ("梧桐党员志愿服务队", "理发", "法律咨询", "周四下午", "张梧桐", "138****5678",
                 timezone.localdate(chen.consented_at).isoformat()):
        assert text in body, text
    assert PHONE not in body
    reveal = Reveal.objects.create(user=people.insider, username="insider", kind=Reveal.Kind.OBJECT,
                                   model="volunteering.Volunteer", label="陈志愿",
                                   object_id=str(chen.pk), reason="联系志愿者", fields=["phone"])
    assert PHONE in c.get(url, {"reveal": reveal.pk}).content.decode()
    assert login(client, people.outsider).get(url).status_code == 404
    assert login(client, people.colleague).get(url).status_code == 403


def test_registering_refuses_without_consent_in_chinese(client, people, street):
    c = login(client, people.insider)
    base = {"name": "赵新人", "phone": "1381234", "region": street.area_a.pk}
    r = c.post("/volunteering/volunteers/new/", base, **ZH)
    assert r.status_code == 422 and not Volunteer.objects.exists()
    errors = r.context["form"].errors
    with translation.override("zh-hans"):  # the page answers in the visitor's language (the lead compiles 中文)
        assert errors["consent"] == [_("A volunteer's data is stored only with their consent.")]
    r = c.post("/volunteering/volunteers/new/", {**base, "consent": "on"}, **ZH)
    assert r.status_code == 422 and r.context["form"].errors["phone"] == ["请填写 11 位手机号码。"]
    r = c.post("/volunteering/volunteers/new/", {**base, "consent": "on", "phone": PHONE,
                                                 "party_member": street.member_b.pk}, **ZH)
    assert r.status_code == 422 and "party_member" in r.context["form"].errors  # not a choice of this scope
    r = c.post("/volunteering/volunteers/new/", {**base, "consent": "on", "phone": PHONE,
                                                 "party_member": street.member_a.pk})
    v = Volunteer.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/volunteering/volunteers/{v.pk}/"
    assert (v.name, v.phone, v.party_member, v.consented_at is not None) == ("赵新人", PHONE, street.member_a, True)


def test_editing_and_deactivating(client, people, world):
    team, chen, wang, li = world
    c = login(client, people.insider)
    url = f"/volunteering/volunteers/{chen.pk}/edit/"
    form = c.get(url).context["form"]
    assert form.initial["phone"] == PHONE and "consent" not in form.fields
    data = {"name": "", "phone": PHONE, "region": chen.region_id, "teams": [team.pk], "skills": "摄影"}
    r = c.post(url, data, **ZH)
    assert r.status_code == 422 and r.context["form"].errors["name"] == ["这个字段是必填项。"]
    r = c.post(url, {**data, "name": "陈志愿者"})
    chen.refresh_from_db()
    assert r.status_code == 302 and (chen.name, chen.skills, chen.party_member) == ("陈志愿者", "摄影", None)
    r = c.post(f"/volunteering/volunteers/{chen.pk}/active/", {"active": "0"})
    chen.refresh_from_db()
    assert r.status_code == 302 and not chen.active
    assert login(client, people.outsider).get(url).status_code == 404
    assert login(client, people.outsider).post(f"/volunteering/volunteers/{chen.pk}/active/",
                                               {"active": "1"}).status_code == 404
