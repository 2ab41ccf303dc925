"""The platforms part's services: platforms serve a region of their level and hang only from their district's
platform; members join and leave (kept as history); the roster is counted from the data; party posts refuse
overlapping terms where one person holds the post."""

from datetime import date

import pytest

from gongzhi.core.errors import Forbidden, NotFound, ValidationFailed
from gongzhi.core.workflow import SYSTEM
from gongzhi.joint.models import MemberRole, PartyPost, PlatformKind, PlatformLevel, PlatformMember, PostKind
from gongzhi.joint.selectors import platforms as selectors
from gongzhi.joint.services import platforms as services
from gongzhi.registry.models import RegionKind
from tests import factories
from tests.joint.platforms_support import DAY, street_platform


def test_a_platform_region_must_match_its_level(street, people):
    with pytest.raises(ValidationFailed) as e:
        services.create_platform(actor=people.admin, name="错层平台", level=PlatformLevel.DISTRICT,
                                 region=street.subdistrict)
    assert "region" in e.value.field_errors
    p = services.create_platform(actor=people.admin, name="街道平台", level=PlatformLevel.SUBDISTRICT,
                                 region=street.subdistrict)
    assert p.pk and p.history.count() == 1


def test_the_sub_district_admin_cannot_set_up_a_district_platform(street, people):
    with pytest.raises(ValidationFailed) as e:
        services.create_platform(actor=people.admin, name="区平台", level=PlatformLevel.DISTRICT, region=street.district)
    assert "region" in e.value.field_errors
    with pytest.raises(Forbidden):
        services.create_platform(actor=people.insider, name="居民区平台", level=PlatformLevel.SUBDISTRICT,
                                 region=street.subdistrict)


def test_a_sub_district_platform_hangs_only_from_its_districts_platform(street, people):
    district = services.create_platform(actor=SYSTEM, name="区联席会议", level=PlatformLevel.DISTRICT,
                                        region=street.district)
    other_district = factories.region(RegionKind.DISTRICT, name="邻区")
    elsewhere = services.create_platform(actor=SYSTEM, name="邻区联席会议", level=PlatformLevel.DISTRICT,
                                         region=other_district)
    sub = services.create_platform(actor=people.admin, name="街道平台", level=PlatformLevel.SUBDISTRICT,
                                   region=street.subdistrict, parent=district)
    assert sub.parent == district
    with pytest.raises(ValidationFailed) as e:
        services.create_platform(actor=SYSTEM, name="文化平台", level=PlatformLevel.SUBDISTRICT,
                                 kind=PlatformKind.THEMATIC, region=street.subdistrict, parent=elsewhere)
    assert list(e.value.field_errors) == ["parent"]
    with pytest.raises(ValidationFailed) as e:
        services.create_platform(actor=SYSTEM, name="子平台", level=PlatformLevel.SUBDISTRICT,
                                 region=street.subdistrict, parent=sub)
    assert list(e.value.field_errors) == ["parent"]
    with pytest.raises(ValidationFailed) as e:
        services.update_platform(district, actor=SYSTEM, parent=elsewhere)
    assert list(e.value.field_errors) == ["parent"]


def test_a_member_is_exactly_one_of_unit_org_area_inside_the_region(street, people):
    platform = street_platform(street)
    with pytest.raises(ValidationFailed) as e:
        services.add_member(platform, actor=people.admin)
    assert "member_unit" in e.value.field_errors
    with pytest.raises(ValidationFailed) as e:
        services.add_member(platform, actor=people.admin, member_unit=street.unit_b, area=street.area_b)
    assert {"member_unit", "area"} <= set(e.value.field_errors)
    with pytest.raises(ValidationFailed) as e:
        services.add_member(platform, actor=people.admin, member_unit=street.unit_a)
    assert e.value.field_errors["member_unit"]  # already a member
    far = factories.region(RegionKind.RESIDENTIAL_AREA, factories.region(RegionKind.SUBDISTRICT, street.district))
    with pytest.raises(ValidationFailed) as e:
        services.add_member(platform, actor=SYSTEM, area=far)
    assert "area" in e.value.field_errors
    with pytest.raises(ValidationFailed):
        services.add_member(platform, actor=SYSTEM, area=street.grid_a1)
    m = services.add_member(platform, actor=people.admin, member_unit=street.unit_b, joined_on=DAY)
    assert (m.member_kind, m.role) == ("unit", MemberRole.MEMBER)


def test_the_roster_counts_current_members_and_committees_from_the_data(street, people):
    platform = street_platform(street)
    assert selectors.roster(platform).formula == "1+1+1+0"
    services.add_member(platform, actor=people.admin, area=street.area_b, joined_on=DAY)
    services.add_member(platform, actor=people.admin, member_unit=street.unit_b, joined_on=DAY)
    services.add_member(platform, actor=people.admin, party_org=street.org_b, joined_on=DAY)
    services.create_committee(platform, actor=people.admin, name="商圈发展专业委员会")
    services.create_committee(platform, actor=people.admin, name="停用委员会", is_active=False)
    assert selectors.roster(platform).formula == "1+2+3+1"
    leaving = PlatformMember.objects.get(platform=platform, member_unit=street.unit_b)
    services.leave_platform(leaving, actor=people.admin, left_on=date(2025, 1, 1))
    roster = selectors.roster(platform)
    assert (roster.conveners, roster.areas, roster.units, roster.committees) == (1, 2, 2, 1)
    # the row is kept as history, and the unit may join again
    assert list(selectors.members_of(platform, {"term": "past"})) == [leaving]
    services.add_member(platform, actor=people.admin, member_unit=street.unit_b, joined_on=date(2026, 1, 1))
    assert selectors.roster(platform).units == 3


def test_leaving_needs_a_date_after_joining_and_happens_once(street, people):
    platform = street_platform(street)
    m = PlatformMember.objects.get(platform=platform, member_unit=street.unit_a)
    with pytest.raises(ValidationFailed) as e:
        services.leave_platform(m, actor=people.admin, left_on=date(2023, 1, 1))
    assert "left_on" in e.value.field_errors
    services.leave_platform(m, actor=people.admin, left_on=date(2025, 1, 1))
    with pytest.raises(ValidationFailed):
        services.leave_platform(m, actor=people.admin)
    with pytest.raises(NotFound):  # out of the area secretary's scope, like a missing one
        services.leave_platform(m, actor=people.insider)


def test_committee_members_are_one_of_unit_org_or_named_person(street, people):
    platform = street_platform(street)
    c = services.create_committee(platform, actor=people.admin, name="平安建设专业委员会", remit="联防联控")
    with pytest.raises(ValidationFailed) as e:
        services.create_committee(platform, actor=people.admin, name="平安建设专业委员会")
    assert "name" in e.value.field_errors
    with pytest.raises(ValidationFailed):
        services.add_committee_member(c, actor=people.admin, member_unit=street.unit_a, person_name="王警官")
    with pytest.raises(ValidationFailed) as e:
        services.add_committee_member(c, actor=people.admin, member_unit=street.unit_a, person_unit=street.unit_b)
    assert "person_unit" in e.value.field_errors
    person = services.add_committee_member(c, actor=people.admin, person_name="王警官", person_unit=street.unit_a,
                                           title="顾问")
    services.leave_committee(person, actor=people.admin)
    assert list(selectors.committee_members(c, {"term": "current"})) == []
    assert list(selectors.committee_members(c, {"term": "past"})) == [person]


def test_only_one_secretary_at_a_time(street, people):
    first = services.appoint(street.org_a, actor=people.admin, kind=PostKind.SECRETARY,
                             party_member=street.member_a, starts_on=date(2021, 1, 1), ends_on=date(2023, 12, 31))
    other = factories.party_member(street.org_a, name="王新")
    with pytest.raises(ValidationFailed) as e:
        services.appoint(street.org_a, actor=people.admin, kind=PostKind.SECRETARY, party_member=other,
                         starts_on=date(2023, 6, 1))
    assert "张梧桐" in e.value.field_errors["starts_on"][0]
    second = services.appoint(street.org_a, actor=people.admin, kind=PostKind.SECRETARY, party_member=other,
                              starts_on=date(2024, 1, 1))
    # an open term blocks any later one, and extending the first into it is refused too
    with pytest.raises(ValidationFailed) as e:
        services.appoint(street.org_a, actor=people.admin, kind=PostKind.SECRETARY, party_member=street.member_a,
                         starts_on=date(2030, 1, 1))
    assert "starts_on" in e.value.field_errors
    with pytest.raises(ValidationFailed):
        services.update_post(first, actor=people.admin, ends_on=date(2024, 6, 30))
    posts = selectors.posts_of(street.org_a)
    assert posts["current"] == [second] and posts["past"] == [first]


def test_deputies_may_be_several_but_not_the_same_person_twice(street, people):
    police = factories.member_unit(street.subdistrict, name="示范派出所")
    services.appoint(street.org_a, actor=people.admin, kind=PostKind.DEPUTY_SECRETARY, person_name="李警官",
                     unit=police, is_part_time=True, starts_on=DAY)
    services.appoint(street.org_a, actor=people.admin, kind=PostKind.DEPUTY_SECRETARY,
                     party_member=street.member_a, starts_on=DAY)
    with pytest.raises(ValidationFailed) as e:
        services.appoint(street.org_a, actor=people.admin, kind=PostKind.DEPUTY_SECRETARY, person_name="李警官",
                         unit=police, starts_on=date(2025, 1, 1))
    assert "starts_on" in e.value.field_errors
    with pytest.raises(ValidationFailed) as e:  # a named person needs the unit they come from
        services.appoint(street.org_a, actor=people.admin, kind=PostKind.COMMITTEE_MEMBER, person_name="赵经理")
    assert "unit" in e.value.field_errors
    with pytest.raises(ValidationFailed) as e:
        services.appoint(street.org_a, actor=people.admin, kind=PostKind.COMMITTEE_MEMBER,
                         party_member=street.member_a, starts_on=date(2024, 5, 1), ends_on=date(2024, 1, 1))
    assert "ends_on" in e.value.field_errors
    assert PartyPost.objects.filter(org=street.org_a, kind=PostKind.DEPUTY_SECRETARY).count() == 2


def test_ending_a_term_keeps_it_in_the_history(street, people):
    post = services.appoint(street.org_a, actor=people.admin, kind=PostKind.SECRETARY, party_member=street.member_a,
                            starts_on=DAY)
    services.end_post(post, actor=people.admin, ends_on=date(2025, 12, 31))
    post.refresh_from_db()
    assert post.ends_on == date(2025, 12, 31) and selectors.posts_of(street.org_a)["past"] == [post]
    with pytest.raises(ValidationFailed):
        services.end_post(post, actor=people.admin, ends_on=date(2026, 1, 5))


def test_posts_are_scoped_by_the_organizations_region(street, people):
    a = services.appoint(street.org_a, actor=SYSTEM, kind=PostKind.SECRETARY, party_member=street.member_a,
                         starts_on=DAY)
    b = services.appoint(street.org_b, actor=SYSTEM, kind=PostKind.SECRETARY, party_member=street.member_b,
                         starts_on=DAY)
    assert list(selectors.posts_for(people.insider)) == [a]
    assert set(selectors.posts_for(people.admin)) == {a, b}
    with pytest.raises(Forbidden):  # the area's secretary sees the posts, the sub-district appoints
        services.appoint(street.org_a, actor=people.insider, kind=PostKind.COMMITTEE_MEMBER,
                         party_member=street.member_a)
