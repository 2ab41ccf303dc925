"""A member of area A with a year of work in the other apps (made with those apps' own factories and services):
a claimed demand, a promised micro-item, a claimed wish, volunteer hours from an activity in the area they
registered at, a council seat, meetings attended (present, on leave), a study record; plus a mobile member."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from gongzhi.accounts.roles import Role
from gongzhi.core.workflow import SYSTEM
from gongzhi.deliberation.models import Council, CouncilSeat, MicroItem
from gongzhi.orglife.models import StudyRecord
from gongzhi.volunteering.services import volunteers as vol_services
from gongzhi.volunteering.workflow import WishState
from tests import factories
from tests.core.workbench_world import demand
from tests.deliberation.subjects_grid import grid_topic
from tests.orglife.factories import meeting
from tests.volunteering import factories as vf
from tests.volunteering import wish_factories as wf


@dataclass
class Work:
    member: object
    account: object
    demand: object
    item: object
    wish: object
    other_demand: object
    council: object


def member_with_work(street) -> Work:
    today = timezone.localdate()
    m = street.member_a
    account = factories.user("member-a", Role.PARTY_MEMBER, street.grid_a1)
    m.user, m.registered_area, m.registered_on = account, street.area_a, today.replace(month=1, day=1)
    m.save()
    d = demand(street.grid_a1, days_ago=0, title="楼道灯不亮", claimed_by=account, promise="三天内修好")
    other = demand(street.grid_a1, days_ago=0, title="别人的诉求", claimed_by=factories.user())
    item = MicroItem.objects.create(grid_topic=grid_topic(street, "published"), title="清理楼道堆物",
                                    due_on=today + timedelta(days=30), state="claimed", claimed_by=account,
                                    promise="本周内完成", claimed_at=timezone.now())
    w = wf.wish(street.area_a, WishState.CLAIMED, title="一台轮椅", member=m)
    vol = vf.volunteer(street.area_a, party_member=m)
    act = vf.activity(street.area_a, title="社区义诊", starts_in=-timedelta(days=1))
    vol_services.credit_hours(vol, actor=SYSTEM, hours=Decimal("2.5"), served_on=today, activity=act,
                              organiser="梧桐志愿服务队")
    council = Council.objects.create(name="梧桐居民区议事会", area=street.area_a, shape="1+4+N")
    CouncilSeat.objects.create(council=council, kind="party_member", tier=3, title="议事员", person_name=m.name,
                               party_member=m)
    meeting(street.org_a, present=[m], topic="主题党日：学习四史")
    meeting(street.org_a, leave=[m], topic="支委会扩大会议")
    StudyRecord.objects.create(member=m, subject="四史", title="中国共产党简史", studied_on=today, hours=3)
    return Work(m, account, d, item, w, other, council)


def mobile_member(street, *, name: str = "周流动", whereabouts: str = "江苏省苏州市工业园区", contacted_days_ago=None):
    from gongzhi.orglife.services import records as services

    m = factories.party_member(street.org_a, name=name, is_mobile=True)
    services.save_mobile(m, actor=SYSTEM, home_org_name="安徽省六安市某村党支部", whereabouts=whereabouts,
                         left_on=timezone.localdate() - timedelta(days=400))
    if contacted_days_ago is not None:
        services.add_contact(m, actor=SYSTEM, contacted_on=timezone.localdate() - timedelta(days=contacted_days_ago),
                             note="电话联系")
    return m
