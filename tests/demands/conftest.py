"""Shared helpers for the demand tests: a fixed clock, an SMS outbox and a one-call intake."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from gongzhi.demands import services
from gongzhi.demands.models import Channel
from gongzhi.demands.notify import MemoryNotifier

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)  # a plain working Monday
PHONE = "13912345678"


def submit_created(street, now=MONDAY, **kw):
    """`services.submit_demand` with a resident's defaults: (demand, created)."""
    kw.setdefault("title", "楼道灯坏了")
    kw.setdefault("description", "3楼楼道灯不亮，晚上很黑。")
    kw.setdefault("channel", Channel.WEB)
    kw.setdefault("submitter_name", "王阿姨")
    kw.setdefault("submitter_phone", PHONE)
    if "building" not in kw and "member_unit" not in kw and "subdistrict" not in kw:
        kw["building"] = street.building_a1
    return services.submit_demand(now=now, **kw)


def submit(street, now=MONDAY, **kw):
    demand, _created = submit_created(street, now, **kw)
    return demand


@pytest.fixture
def sms(settings):
    settings.GONGZHI_SMS_BACKEND = "gongzhi.demands.notify.MemoryNotifier"
    MemoryNotifier.outbox.clear()
    yield MemoryNotifier.outbox
    MemoryNotifier.outbox.clear()
