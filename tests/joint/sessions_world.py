"""Helpers of the sessions part's tests: the sub-district's joint meeting of the factories' street, a district
department with a clerk, a firm in an office building with its liaisons, and a demand of the firm."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from gongzhi.accounts.roles import Role
from gongzhi.core.workflow import SYSTEM
from gongzhi.demands import services as demand_services
from gongzhi.demands.models import Channel
from gongzhi.joint.services import sessions as services
from gongzhi.registry.models import BuildingKind, Liaison, MemberUnitKind
from tests import factories

SHANGHAI = ZoneInfo("Asia/Shanghai")


def platform(street):
    return services.default_platform(street.subdistrict, actor=SYSTEM)


def department(street, name="区市容局"):
    return factories.member_unit(street.district, kind=MemberUnitKind.GOVERNMENT_DEPARTMENT, name=name)


def clerk(unit, username="clerk", display_name="市容局科员"):
    return factories.user(username, Role.DISTRICT_DEPARTMENT, unit=unit, display_name=display_name)


@dataclass
class Firm:
    unit: object
    liaison: object
    chief: object


def firm(street):
    tower = factories.building(street.grid_a1, name="梧桐大厦", kind=BuildingKind.OFFICE)
    unit = factories.member_unit(street.grid_a1, name="梧桐科技", building=tower)
    chief_user = factories.user("chief", Role.BUILDING_LIAISON, street.subdistrict, display_name="首席联络员")
    liaison_user = factories.user("liaison", Role.BUILDING_LIAISON, street.subdistrict, display_name="楼宇联络员")
    chief = Liaison.objects.create(name="首席", region=street.subdistrict, is_chief=True, user=chief_user)
    liaison = Liaison.objects.create(name="联络员", region=street.subdistrict, chief=chief, user=liaison_user)
    liaison.buildings.add(tower)
    return Firm(unit, liaison_user, chief_user)


def enterprise_demand(street, unit, now=None, title="门前占道摊贩影响通行"):
    demand, _created = demand_services.submit_demand(
        title=title, description="写字楼门口长期有无证摊贩占道经营，员工进出不便。", channel=Channel.ENTERPRISE,
        member_unit=unit, submitter_name="梧桐科技行政", submitter_phone="13912340000", now=now)
    return demand


def subdistrict_demand(street, people):
    """A demand at the sub-district (level 2), ready to be referred."""
    demand, _created = demand_services.submit_demand(
        title="跨街区道路积水", description="雨后道路积水严重，涉及市政排水。", channel=Channel.WEB,
        building=street.building_a1, submitter_name="王阿姨", submitter_phone="13912345678")
    demand = demand_services.escalate_demand(demand, actor=people.insider, note="需街道协调")
    return demand_services.escalate_demand(demand, actor=people.admin, note="需街道协调") \
        if demand.escalation_level < 2 else demand


def planned(platform_, actor, days=7, title="第一季度联席会议"):
    return services.plan_session(platform_, actor=actor, title=title, starts_at=timezone.now() + timedelta(days=days),
                                 place="街道会议室")


def at(y, m, d, h=10):
    return datetime(y, m, d, h, tzinfo=SHANGHAI)


def excel_rows(street):
    """A held session of the sub-district's platform with a decision (tests/core/test_excel.py: a row of every
    list)."""
    from gongzhi.joint.services import sessions as session_services

    session = planned(platform(street), SYSTEM, title="联席会议")
    session_services.hold_session(session, actor=SYSTEM)
    return session_services.record_decision(session, actor=SYSTEM, text="联合整治", owner_unit=street.unit_a.pk,
                                            deadline=timezone.localdate() + timedelta(days=30))
