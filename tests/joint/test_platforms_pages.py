"""The platforms part's pages: the list filters and searches, the form shows field errors, the detail and the
printable roster show counts from the data with links to their lists, members join and leave, committees, posts
with the overlap refusal on the form, a 联合党委's composition and history; out of scope is 404."""

from datetime import date

import pytest
from django.urls import reverse

from gongzhi.core.workflow import SYSTEM
from gongzhi.joint.models import PartyPost, Platform, PlatformKind, PlatformLevel, PlatformMember, PostKind
from gongzhi.joint.services import platforms as services
from gongzhi.registry.models import PartyOrgKind
from tests import factories
from tests.conftest import login
from tests.joint.platforms_support import DAY, street_platform


@pytest.fixture
def platform(street):
    return street_platform(street)


def test_the_list_filters_by_kind_and_searches(client, street, people, platform):
    services.create_platform(actor=SYSTEM, name="文化联盟", brand="文化梧桐", level=PlatformLevel.SUBDISTRICT,
                             kind=PlatformKind.THEMATIC, region=street.subdistrict)
    login(client, people.admin)
    page = client.get(reverse("joint:platforms_list")).content.decode()
    assert "示范街道区域化党建联席会议" in page and "文化联盟" in page
    page = client.get(reverse("joint:platforms_list"), {"kind": "thematic"}).content.decode()
    assert "文化联盟" in page and "示范街道区域化党建联席会议" not in page
    page = client.get(reverse("joint:platforms_list"), {"q": "同心"}, HTTP_HX_REQUEST="true").content.decode()
    assert "示范街道区域化党建联席会议" in page and "文化联盟" not in page and "<h1>" not in page


def test_an_area_secretary_does_not_see_the_sub_districts_platform(client, people, platform):
    login(client, people.insider)
    assert "示范街道区域化党建联席会议" not in client.get(reverse("joint:platforms_list")).content.decode()
    assert client.get(reverse("joint:platforms_detail", args=[platform.pk])).status_code == 404
    assert client.get(reverse("joint:platforms_create")).status_code == 403


def test_the_form_puts_a_level_mismatch_on_the_region(client, street, people):
    login(client, people.admin)
    response = client.post(reverse("joint:platforms_create"), {
        "name": "错层平台", "level": "district", "kind": "joint_meeting", "region": street.subdistrict.pk,
        "is_active": "on"})
    assert response.status_code == 422
    assert response.context["form"].errors["region"]
    assert not Platform.objects.filter(name="错层平台").exists()
    response = client.post(reverse("joint:platforms_create"), {
        "name": "街道平台", "brand": "同心家园", "level": "subdistrict", "kind": "joint_meeting",
        "region": street.subdistrict.pk, "is_active": "on"})
    assert response.status_code == 302
    assert Platform.objects.get(name="街道平台").brand == "同心家园"


def test_the_roster_counts_from_the_data_links_each_figure_and_prints(client, street, people, platform):
    services.add_member(platform, actor=SYSTEM, member_unit=street.unit_b, joined_on=DAY)
    services.create_committee(platform, actor=SYSTEM, name="商圈发展专业委员会")
    login(client, people.admin)
    response = client.get(reverse("joint:platforms_roster", args=[platform.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    formula = page[page.index('id="roster-formula"'):page.index("</p>", page.index('id="roster-formula"'))]
    assert ">1</a>+<a" in formula and ">2</a>+<a" in formula and ">1</a></strong>" in formula
    members = reverse("joint:platforms_members", args=[platform.pk])
    assert f"{members}?kind=unit&amp;role=member" in page
    assert reverse("joint:platforms_committees", args=[platform.pk]) in page
    assert "data-print" in page and "no-print" in page
    assert "石库门小学" in page and "商圈发展专业委员会" in page
    detail = client.get(reverse("joint:platforms_detail", args=[platform.pk])).content.decode()
    assert 'id="roster-units">2<' in detail


def test_members_join_and_leave_on_the_pages(client, street, people, platform):
    login(client, people.admin)
    url = reverse("joint:platforms_member_add", args=[platform.pk])
    response = client.post(url, {"member_unit": street.unit_b.pk, "area": street.area_b.pk, "role": "member",
                                 "joined_on": "2024-03-01"})
    assert response.status_code == 422 and response.context["form"].errors["area"]
    response = client.post(url, {"member_unit": street.unit_b.pk, "role": "member", "joined_on": "2024-03-01"})
    assert response.status_code == 302
    m = PlatformMember.objects.get(platform=platform, member_unit=street.unit_b)
    assert client.post(reverse("joint:platforms_member_leave", args=[m.pk]), {"left_on": "2025-01-01"}).status_code == 302
    members = reverse("joint:platforms_members", args=[platform.pk])

    def table(params=None):
        page = client.get(members, params or {}).content.decode()
        return page[page.index('id="members-table"'):]

    assert "石库门小学" not in table()
    assert "石库门小学" in table({"term": "past"})
    page = table({"kind": "area"})
    assert "梧桐居民区" in page and "梧桐社区医院" not in page


def test_committee_pages(client, street, people, platform):
    login(client, people.admin)
    response = client.post(reverse("joint:platforms_committee_create", args=[platform.pk]),
                           {"name": "为老服务专业委员会", "remit": "医养结合", "is_active": "on"})
    assert response.status_code == 302
    c = platform.committees.get()
    response = client.post(reverse("joint:platforms_committee_member_add", args=[c.pk]),
                           {"person_name": "王医生", "person_unit": street.unit_a.pk, "title": "顾问",
                            "joined_on": "2024-01-01"})
    assert response.status_code == 302
    page = client.get(reverse("joint:platforms_committee_detail", args=[c.pk])).content.decode()
    assert "王医生" in page and "医养结合" in page and "梧桐社区医院" in page


def test_a_second_secretary_overlapping_is_a_field_error_on_the_form(client, street, people):
    services.appoint(street.org_a, actor=SYSTEM, kind=PostKind.SECRETARY, party_member=street.member_a,
                     starts_on=DAY)
    other = factories.party_member(street.org_a, name="王新")
    login(client, people.admin)
    response = client.post(reverse("joint:platforms_post_create"), {
        "org": street.org_a.pk, "kind": "secretary", "party_member": other.pk, "starts_on": "2025-01-01"})
    assert response.status_code == 422
    assert "张梧桐" in response.context["form"].errors["starts_on"][0]
    assert PartyPost.objects.count() == 1


def test_a_joint_committees_composition_and_history(client, street, people):
    firm = factories.member_unit(street.grid_a1, name="金外滩国际有限公司")
    firm_org = factories.party_org(street.grid_a1, PartyOrgKind.BRANCH, member_unit=firm,
                                   name="金外滩党支部")
    head = factories.party_member(firm_org, name="陈书记")
    joint = factories.party_org(street.area_a, PartyOrgKind.JOINT_COMMITTEE, street.org_a.parent,
                                name="金外滩联合党委")
    services.appoint(joint, actor=SYSTEM, kind=PostKind.SECRETARY, party_member=street.member_a,
                     starts_on=date(2019, 1, 1), ends_on=date(2023, 12, 31))
    services.appoint(joint, actor=SYSTEM, kind=PostKind.SECRETARY, party_member=head, starts_on=date(2024, 1, 1))
    services.appoint(joint, actor=SYSTEM, kind=PostKind.DEPUTY_SECRETARY, party_member=street.member_a,
                     is_part_time=True, starts_on=date(2024, 1, 1))
    login(client, people.insider)  # the area's secretary sees the area's organizations' posts
    page = client.get(reverse("joint:platforms_joint_committees")).content.decode()
    assert "金外滩联合党委" in page and "陈书记" in page and "金外滩国际有限公司" in page
    page = client.get(reverse("joint:platforms_org_posts", args=[joint.pk])).content.decode()
    current = page[page.index('id="current-posts"'):page.index('id="past-posts"')]
    past = page[page.index('id="past-posts"'):]
    assert "陈书记" in current and "金外滩国际有限公司" in current and "张梧桐" in current
    assert "张梧桐" in past and "2023-12-31" in past and "陈书记" not in past
    assert client.get(reverse("joint:platforms_post_create")).status_code == 403
    login(client, people.outsider)
    assert client.get(reverse("joint:platforms_org_posts", args=[joint.pk])).status_code == 404
