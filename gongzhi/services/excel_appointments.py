"""The appointment list in Excel (export only): the filtered, scoped list as on its page; the resident's name and
phone masked as on every screen (gongzhi.core.masking, the model's `personal_fields`). Served by the core engine."""

from __future__ import annotations

from django.utils import timezone

from gongzhi.accounts.roles import Capability
from gongzhi.core.excel import Col, ListSpec
from gongzhi.services.models import Appointment
from gongzhi.services.selectors import appointments as selectors


def _rows(user, params):
    qs = selectors.filter_appointments(selectors.appointments_for(user), params, user)
    return qs.order_by("-starts_at", "-pk")


APPOINTMENTS = ListSpec(
    "appointments", "预约清单", Appointment, (
        Col("预约码", "code"),
        Col("服务点", "place", value=lambda a: a.place.name),
        Col("服务事项", "item", value=lambda a: a.item.name),
        Col("开始时间", "starts_at", "datetime"),
        Col("结束时间", "ends_at", value=lambda a: f"{timezone.localtime(a.ends_at):%H:%M}"),
        Col("座位", "seat", "int"),
        Col("状态", "state", "choice"),
        Col("姓名", "name"), Col("电话", "phone"),
        Col("备注", "note"),
        Col("预约时间", "created_at", "datetime"),
        Col("签到时间", "checked_in_at", "datetime"),
    ),
    rows=_rows,
    view=(Capability.VIEW_SERVICES,),
)
