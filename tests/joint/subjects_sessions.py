"""Workflow-walk subjects of the sessions part (tests/core/test_workflow.py): a session and a decision straight in
a given state, on the factories' street (the sub-district's joint meeting)."""

from datetime import timedelta

from django.utils import timezone

from gongzhi.joint.models import Decision, Platform, PlatformLevel, Session
from gongzhi.registry.models import MemberUnitKind
from tests import factories


def platform(street):
    return Platform.objects.get_or_create(region=street.subdistrict, name="示范街道联席会议",
                                          defaults={"level": PlatformLevel.SUBDISTRICT, "brand": "同心家园"})[0]


def session(street, state: str = "planned"):
    return Session.objects.create(platform=platform(street), title="第一次联席会议", place="街道会议室",
                                  starts_at=timezone.now() + timedelta(days=7), state=state)


def decision(street, state: str = "open"):
    unit = factories.member_unit(street.district, kind=MemberUnitKind.GOVERNMENT_DEPARTMENT, name="区市容局")
    return Decision.objects.create(session=session(street, "held"), text="联合整治无证摊贩", owner_unit=unit,
                                   deadline=timezone.localdate() + timedelta(days=30), state=state)


SUBJECTS = {
    "joint.Session": session,
    "joint.Decision": decision,
}
