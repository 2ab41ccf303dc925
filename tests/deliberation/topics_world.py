"""Builders for the topics part's tests, on the factories' street: households with phones, a service station in
area A, topics and meetings written through the services (as SYSTEM unless told otherwise)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from gongzhi.core.workflow import SYSTEM
from gongzhi.deliberation.models import MeetingKind, TopicSource
from gongzhi.deliberation.services import topics as services
from gongzhi.deliberation.workflow import MeetingAction, TopicAction
from gongzhi.registry.models import Estate, Household, ServicePlace
from tests import factories

PHONES = [f"1390000{n:04d}" for n in range(1, 200)]


def households(building, n: int = 3, start: int = 101) -> list[Household]:
    return [Household.objects.create(building=building, room=str(start + i), head_name=f"户主{i}",
                                     phone=PHONES[(start + i) % len(PHONES)]) for i in range(n)]


def place(region, code: str | None = None) -> ServicePlace:
    return ServicePlace.objects.create(code=code or f"SP{factories.seq()}", name=f"{region.name}党群服务站",
                                       region=region)


def estate(street, **kw) -> Estate:
    kw.setdefault("name", "梧桐花园")
    kw.setdefault("code", f"E{factories.seq()}")
    kw.setdefault("property_company", "梧桐物业")
    return Estate.objects.create(area=street.area_a, **kw)


def topic(street, actor=SYSTEM, **kw):
    kw.setdefault("title", "兰花餐厅油烟扰民")
    kw.setdefault("description", "餐厅开了38年，油烟和消防隐患屡遭投诉。")
    kw.setdefault("area", street.area_a)
    kw.setdefault("grid", street.grid_a1)
    kw.setdefault("source", TopicSource.COUNCIL)
    return services.create_topic(actor=actor, **kw)


def accepted(street, actor=SYSTEM, **kw):
    t = topic(street, actor, **kw)
    return services.transition_topic(t, TopicAction.ACCEPT, actor=actor)


def meeting(topic_, where, actor=SYSTEM, kind=MeetingKind.HEARING, quorum: int = 2, days: int = 3, convener=None,
            invitees=None, **kw):
    return services.schedule_meeting(
        topic_, actor=actor, kind=kind, starts_at=timezone.now() + timedelta(days=days), quorum=quorum, place=where,
        convener=convener, invitees=invitees or {}, **kw)


def held(meeting_, n: int | None = None, actor=SYSTEM):
    """Check in the quorum (by name and phone) and hold the meeting."""
    for i in range(n if n is not None else meeting_.quorum):
        services.check_in(meeting_, actor=actor, name=f"居民{i}", phone=f"1370000{i:04d}")
    return services.transition_meeting(meeting_, MeetingAction.HOLD, actor=actor)
