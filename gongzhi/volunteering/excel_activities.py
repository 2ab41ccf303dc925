"""The activities part's lists in Excel: the activities with their attendance, one row per sign-up (activity, date,
shift, volunteer with the phone masked, state, hours credited), filtered and scoped as on the list page (export
only). Served by the core engine."""

from __future__ import annotations

from django.utils import timezone

from gongzhi.core.excel import Col, ListSpec
from gongzhi.core.masking import mask
from gongzhi.volunteering.models import SignUp
from gongzhi.volunteering.policies.activities import STAFF
from gongzhi.volunteering.selectors import activities as selectors


def _rows(user, params):
    activities = selectors.filter_activities(selectors.activities_for(user), {"when": "all", **dict(params.items())})
    return (SignUp.objects.filter(shift__activity__in=activities.values("pk"))
            .select_related("shift__activity", "volunteer", "hours_entry")
            .order_by("-shift__activity__starts_at", "shift__activity_id", "shift__position", "pk"))


ATTENDANCE = ListSpec(
    "volunteer_attendance", "志愿活动签到表", SignUp, (
        Col("活动编号", "activity_code", value=lambda s: s.shift.activity.code),
        Col("活动", "activity", value=lambda s: s.shift.activity.title),
        Col("日期", "date", value=lambda s: f"{timezone.localtime(s.shift.starts_at):%Y-%m-%d}"),
        Col("岗位/班次", "shift", value=lambda s: s.shift.name),
        Col("时段", "time", value=lambda s: f"{timezone.localtime(s.shift.starts_at):%H:%M}–"
                                          f"{timezone.localtime(s.shift.ends_at):%H:%M}"),
        Col("志愿者", "volunteer", value=lambda s: s.volunteer.name),
        Col("电话", "phone", value=lambda s: mask("phone", s.volunteer.phone)),
        Col("状态", "state", "choice"),
        Col("签到时间", "checked_in_at", "datetime"),
        Col("签退时间", "checked_out_at", "datetime"),
        Col("时长（小时）", "hours", value=lambda s: getattr(getattr(s, "hours_entry", None), "hours", "") or ""),
        Col("备注", "note"),
    ),
    rows=_rows,
    view=STAFF,
)
