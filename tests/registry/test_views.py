"""User stories for the registry pages: lists, search, filters, pagination, details, forms, history."""

import pytest
from django.urls import reverse

from gongzhi.registry.models import MemberUnit, MemberUnitKind, PartyMember, Region, RegionKind
from tests import factories
from tests.conftest import login
from tests.reveal import reveal_page


def test_secretary_lists_only_members_of_her_area(client, street, people):
    r = login(client, people.insider).get(reverse("registry:partymember_list"))
    assert r.status_code == 200
    html = r.content.decode()
    assert "张梧桐" in html and "李石库" not in html


def test_search_by_name_narrows_the_list(client, street, people):
    factories.member_unit(street.grid_a1, name="梧桐菜场")
    r = login(client, people.admin).get(reverse("registry:memberunit_list"), {"q": "菜场"})
    html = r.content.decode()
    assert "梧桐菜场" in html and "梧桐社区医院" not in html and "石库门小学" not in html


def test_search_by_code(client, street, people):
    r = login(client, people.admin).get(reverse("registry:building_list"), {"q": street.building_b1.code})
    assert "石库门1号楼" in r.content.decode() and "梧桐1号楼" not in r.content.decode()


def test_filters_by_kind_region_and_flags(client, street, people):
    factories.member_unit(street.grid_a2, name="联席企业", in_joint_meeting=True)
    login(client, people.admin)
    url = reverse("registry:memberunit_list")
    html = client.get(url, {"kind": MemberUnitKind.SCHOOL}).content.decode()
    assert "石库门小学" in html and "梧桐社区医院" not in html
    html = client.get(url, {"region": street.area_a.pk}).content.decode()
    assert "梧桐社区医院" in html and "联席企业" in html and "石库门小学" not in html
    html = client.get(url, {"in_joint_meeting": "1"}).content.decode()
    assert "联席企业" in html and "梧桐社区医院" not in html


def test_filter_by_a_region_outside_scope_shows_nothing(client, street, people):
    html = login(client, people.insider).get(reverse("registry:memberunit_list"),
                                              {"region": street.area_b.pk}).content.decode()
    assert "石库门小学" not in html and "梧桐社区医院" not in html


def test_mobile_member_filter(client, street, people):
    factories.party_member(street.org_a, name="流动老王", is_mobile=True)
    html = login(client, people.insider).get(reverse("registry:partymember_list"),
                                              {"is_mobile": "1"}).content.decode()
    assert "流动老王" in html and "张梧桐" not in html


def test_lists_are_paginated(client, street, people, settings):
    settings.PAGE_SIZE = 5
    for i in range(7):
        factories.party_member(street.org_a, name=f"分页党员{i:02d}")
    login(client, people.insider)
    first = client.get(reverse("registry:partymember_list")).content.decode()
    second = client.get(reverse("registry:partymember_list"), {"page": 2}).content.decode()
    assert first.count("分页党员") == 5
    assert second.count("分页党员") == 2  # 8 members in area A: 5 + 3, one of them 张梧桐
    assert "page=2" in first


def test_htmx_request_gets_only_the_table(client, street, people):
    login(client, people.insider)
    full = client.get(reverse("registry:partymember_list"))
    partial = client.get(reverse("registry:partymember_list"), {"q": "张"}, HTTP_HX_REQUEST="true")
    assert "<html" in full.content.decode() and 'hx-get="/registry/members/"' in full.content.decode()
    assert "<html" not in partial.content.decode() and "张梧桐" in partial.content.decode()


def test_grid_leader_sees_masked_phones(client, street, people):
    factories.member_unit(street.grid_a1, name="电话单位", contact_phone="13800001111")
    html = login(client, people.colleague).get(reverse("registry:memberunit_list")).content.decode()
    assert "电话单位" in html and "138****1111" in html and "13800001111" not in html
    # Lists never need full phones, not even for the secretary; her detail page shows it once she reveals it.
    unit = street.unit_a.__class__.objects.get(name="电话单位")
    html = login(client, people.insider).get(reverse("registry:memberunit_list")).content.decode()
    assert "13800001111" not in html
    url = reverse("registry:memberunit_detail", args=[unit.pk])
    assert "13800001111" not in client.get(url).content.decode()
    assert "13800001111" in reveal_page(client, url)


def test_outsider_gets_404_for_a_detail_in_area_a(client, street, people):
    login(client, people.outsider)
    assert client.get(reverse("registry:partymember_detail", args=[street.member_a.pk])).status_code == 404
    assert client.get(reverse("registry:region_detail", args=[street.area_a.pk])).status_code == 404
    assert client.get(reverse("registry:partymember_detail", args=[street.member_b.pk])).status_code == 200


def test_region_detail_shows_its_contents(client, street, people):
    factories.party_member(street.org_b, name="报到党员", registered_area=street.area_a)
    html = login(client, people.insider).get(reverse("registry:region_detail", args=[street.area_a.pk])).content.decode()
    for text in ("梧桐一网格", "梧桐二网格", "梧桐1号楼", "梧桐居民区党总支", "梧桐社区医院", "报到党员"):
        assert text in html
    assert "石库门小学" not in html and "石库门一网格" not in html  # only the registered member crosses over


def test_party_org_detail_shows_members_secretary_and_committee(client, street, people):
    org = street.org_a
    deputy = factories.party_member(org, name="委员甲")
    org.secretary = street.member_a
    org.save()
    org.committee_members.add(deputy)
    child = factories.party_org(street.grid_a1, parent=org, name="梧桐第一支部")
    html = login(client, people.insider).get(reverse("registry:partyorg_detail", args=[org.pk])).content.decode()
    assert "张梧桐" in html and "委员甲" in html and child.name in html


def test_tree_shows_the_visible_subtree_with_counts(client, street, people):
    html = login(client, people.insider).get(reverse("registry:tree")).content.decode()
    assert "梧桐居民区" in html and "梧桐一网格" in html and "石库门居民区" not in html
    assert "<details" in html
    html = login(client, people.admin).get(reverse("registry:tree")).content.decode()
    assert "示范街道" in html and "石库门居民区" in html


def test_more_page_links_to_team_and_place_lists(client, street, people):
    html = login(client, people.insider).get(reverse("registry:more")).content.decode()
    for name in ("liaison_list", "professionalteam_list", "volunteerteam_list", "serviceplace_list"):
        assert reverse(f"registry:{name}") in html


def test_resident_is_forbidden(client, street, people):
    login(client, people.resident)
    assert client.get(reverse("registry:partymember_list")).status_code == 403
    assert client.get(reverse("registry:memberunit_create")).status_code == 403


def test_grid_leader_cannot_edit(client, street, people):
    login(client, people.colleague)
    assert client.get(reverse("registry:memberunit_edit", args=[street.unit_a.pk])).status_code == 403
    r = client.post(reverse("registry:memberunit_create"), {"code": "X1", "name": "x", "kind": "school",
                                                            "region": street.grid_a1.pk})
    assert r.status_code == 403 and not MemberUnit.objects.filter(code="X1").exists()


def test_secretary_creates_a_member_unit_in_her_area(client, street, people):
    login(client, people.insider)
    r = client.post(reverse("registry:memberunit_create"), {
        "code": "U-NEW", "name": "新共建单位", "kind": MemberUnitKind.ENTERPRISE, "region": street.grid_a2.pk,
        "headcount": 12, "contact_phone": "13700000000",
    })
    unit = MemberUnit.objects.get(code="U-NEW")
    assert r.status_code == 302 and r["Location"] == reverse("registry:memberunit_detail", args=[unit.pk])
    assert unit.history.first().history_user == people.insider


def test_invalid_data_re_renders_with_chinese_field_errors(client, street, people):
    login(client, people.insider)
    r = client.post(reverse("registry:memberunit_create"), {"code": "", "name": "", "kind": "",
                                                            "contact_phone": "12"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = r.content.decode()
    assert r.status_code == 200
    assert 'class="errorlist' in html and "这个字段是必填项。" in html
    assert not MemberUnit.objects.filter(name="").exists()


def test_creating_outside_ones_scope_is_refused(client, street, people):
    login(client, people.insider)
    r = client.post(reverse("registry:memberunit_create"), {
        "code": "U-OUT", "name": "越界单位", "kind": MemberUnitKind.ENTERPRISE, "region": street.grid_b1.pk,
        "headcount": 1,
    })
    assert r.status_code == 200 and 'class="errorlist' in r.content.decode()
    assert not MemberUnit.objects.filter(code="U-OUT").exists()
    # the form does not even offer area B
    form = client.get(reverse("registry:memberunit_create")).content.decode()
    assert "梧桐一网格" in form and "石库门一网格" not in form


def test_outsider_cannot_edit_or_delete_area_a_objects(client, street, people):
    login(client, people.outsider)
    assert client.get(reverse("registry:memberunit_edit", args=[street.unit_a.pk])).status_code == 404
    assert client.post(reverse("registry:memberunit_delete", args=[street.unit_a.pk])).status_code == 404
    assert MemberUnit.objects.filter(pk=street.unit_a.pk).exists()


def test_edit_shows_old_and_new_in_history(client, street, people):
    login(client, people.insider)
    unit = street.unit_a
    r = client.post(reverse("registry:memberunit_edit", args=[unit.pk]), {
        "code": unit.code, "name": "梧桐社区卫生服务中心", "kind": unit.kind, "region": unit.region_id,
        "headcount": 40,
    })
    assert r.status_code == 302
    html = client.get(reverse("registry:memberunit_detail", args=[unit.pk])).content.decode()
    assert "梧桐社区医院 → 梧桐社区卫生服务中心" in html
    assert "梧桐书记" in html  # who changed it


def test_region_kind_follows_the_parent(client, street, people):
    login(client, people.insider)
    form = client.get(reverse("registry:region_create"), {"parent": street.area_a.pk}).content.decode()
    assert f'<option value="{RegionKind.GRID}" selected' in form
    r = client.post(reverse("registry:region_create"), {"parent": street.area_a.pk, "code": "G-NEW",
                                                        "name": "梧桐三网格"})
    assert r.status_code == 302
    assert Region.objects.get(code="G-NEW").kind == RegionKind.GRID


def test_region_under_wrong_parent_kind_is_a_field_error(client, street, people):
    login(client, people.admin)
    r = client.post(reverse("registry:region_create"), {"parent": street.grid_a1.pk, "code": "BAD",
                                                        "name": "坏", "kind": RegionKind.RESIDENTIAL_AREA})
    assert r.status_code == 200 and 'class="errorlist' in r.content.decode()
    assert not Region.objects.filter(code="BAD").exists()


def test_secretary_cannot_create_a_region_outside_her_area(client, street, people):
    login(client, people.insider)
    r = client.post(reverse("registry:region_create"), {"parent": street.area_b.pk, "code": "G-OUT",
                                                        "name": "越界网格"})
    assert r.status_code == 200 and not Region.objects.filter(code="G-OUT").exists()


def test_deleting_a_protected_object_shows_a_clear_message(client, street, people):
    login(client, people.insider)
    r = client.post(reverse("registry:partyorg_delete", args=[street.org_a.pk]), follow=True)
    assert r.status_code == 200
    assert "张梧桐" in r.content.decode() and 'msg-error' in r.content.decode()
    assert PartyMember.objects.filter(pk=street.member_a.pk).exists()


def test_deleting_a_free_object(client, street, people):
    login(client, people.insider)
    b = factories.building(street.grid_a2, name="待拆楼")
    assert client.get(reverse("registry:building_delete", args=[b.pk])).status_code == 200
    r = client.post(reverse("registry:building_delete", args=[b.pk]))
    assert r.status_code == 302 and r["Location"] == reverse("registry:building_list")
    assert not type(b).objects.filter(pk=b.pk).exists()


@pytest.mark.parametrize("key", ["region", "building", "memberunit", "partyorg", "partymember", "liaison",
                                 "professionalteam", "volunteerteam", "serviceplace"])
def test_every_kind_has_list_and_create_pages(client, street, people, key):
    login(client, people.admin)
    assert client.get(reverse(f"registry:{key}_list")).status_code == 200
    assert client.get(reverse(f"registry:{key}_create")).status_code == 200


def test_team_and_place_details_show_history(client, street, people):
    login(client, people.admin)
    r = client.post(reverse("registry:professionalteam_create"), {
        "name": "城管中队", "kind": "urban_management", "region": street.subdistrict.pk,
        "grids": [street.grid_a1.pk], "leader_phone": "13600001111"})
    assert r.status_code == 302
    html = client.get(r["Location"]).content.decode()
    assert "城管中队" in html and "梧桐一网格" in html and "街道管理员" in html
    # the grid leader of a served grid sees the team, with the leader's phone masked
    html = login(client, people.colleague).get(r["Location"]).content.decode()
    assert "136****1111" in html and "13600001111" not in html


def test_history_masks_personal_data_for_users_without_the_right(client, street, people):
    from gongzhi.registry import services

    unit = street.unit_a
    services.update_member_unit(unit.pk, {"contact_phone": "13512345678"}, actor=people.insider)
    html = login(client, people.colleague).get(reverse("registry:memberunit_detail", args=[unit.pk])).content.decode()
    assert "135****5678" in html and "13512345678" not in html
    url = reverse("registry:memberunit_detail", args=[unit.pk])
    assert "13512345678" not in login(client, people.insider).get(url).content.decode()  # masked until revealed
    assert "13512345678" in reveal_page(client, url)
