"""A small two-way matching world on the factories' street: one campaign, a hospital's resource (unit A),
needs in area A and area B, and a liaison of the hospital."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from gongzhi.accounts.roles import Role
from gongzhi.matching.models import Campaign, Need, Resource
from tests import factories


@dataclass
class World:
    campaign: Campaign
    resource: Resource
    need_a: Need
    need_b: Need
    liaison: object


def make_world(street) -> World:
    campaign = Campaign.objects.create(name="2026双向认领", year=2026, subdistrict=street.subdistrict,
                                       state="claiming", starts_on=date(2026, 3, 1), ends_on=date(2026, 12, 31))
    resource = Resource.objects.create(
        code="R-1", campaign=campaign, title="家庭医生义诊", description="社区医院医生上门义诊", category="medical",
        provider_unit=street.unit_a, capacity=10, unit="sessions", starts_on=date(2026, 1, 1),
        ends_on=date.today() + timedelta(days=365),  # open for claims whenever the tests run
        contact_name="王医生", contact_phone="13912345678",
    )
    resource.regions.set([street.subdistrict])
    need_a = Need.objects.create(
        code="N-A", campaign=campaign, title="老人健康义诊", description="梧桐一网格老人健康义诊", category="health",
        place=street.grid_a1, beneficiaries=40, quantity=4, unit="sessions", starts_on=date(2026, 5, 1),
        ends_on=date(2026, 6, 30), urgency=4,
    )
    need_b = Need.objects.create(
        code="N-B", campaign=campaign, title="石库门义诊", description="石库门居民健康义诊", category="health",
        place=street.grid_b1, beneficiaries=20, quantity=2, unit="sessions", starts_on=date(2026, 5, 1),
        ends_on=date(2026, 6, 30),
    )
    liaison = factories.user("liaison", Role.UNIT_LIAISON, unit=street.unit_a, display_name="医院联络人")
    return World(campaign, resource, need_a, need_b, liaison)


@pytest.fixture
def world(street):
    return make_world(street)
