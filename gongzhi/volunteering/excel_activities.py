"""The activities part's lists in Excel, served by the core engine: the attendance, one row per sign-up (activity,
date, shift, volunteer with the phone masked, state, hours credited, the roster's note), filtered and scoped as on
the list page (export only); and the activities themselves (活动编号, name, organiser, start, end, place, places),
exported and imported all or nothing with Chinese row errors (see `ActivityImporter`)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import override

from gongzhi.core.errors import ValidationFailed
from gongzhi.core.excel import CellError, Col, ImportResult, ListSpec, ModelImporter
from gongzhi.core.masking import mask
from gongzhi.core.workflow import SYSTEM
from gongzhi.volunteering.models import Activity, SignUp
from gongzhi.volunteering.policies import activities as policies
from gongzhi.volunteering.policies.activities import ORGANISE, STAFF
from gongzhi.volunteering.selectors import activities as selectors
from gongzhi.volunteering.services import activities as services
from gongzhi.volunteering.workflow import ActivityState


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


# --- The activities (import and export) -------------------------------------------------------------------------

READ_ONLY_STATES = (ActivityState.FINISHED, ActivityState.CANCELLED)
HEADERS = {"title": "活动名称", "organiser_kind": "组织方类型", "team": "组织方", "unit": "组织方", "place": "组织方",
           "organization": "组织方", "starts_at": "开始时间", "ends_at": "结束时间", "location": "地点",
           "shifts": "名额", "capacity": "名额", "code": "活动编号"}


def _aware(value) -> dt.datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _activity_rows(user, params):
    return selectors.filter_activities(selectors.activities_for(user), {"when": "all", **dict(params.items())}) \
        .select_related("team", "unit", "place", "organization").prefetch_related("shifts").order_by("-starts_at",
                                                                                                   "-pk")


class ActivityImporter(ModelImporter):
    """Rows keyed by 活动编号: blank or new, an activity created open for sign-up with one shift of 名额 places;
    an existing one (open or closed, in the user's organise scope), changed through the service (名额: of its only
    shift). Every row is checked first; a row with an error means nothing is written."""

    def __init__(self, spec: ListSpec, user):
        self.spec, self.user, self.model = spec, user, Activity
        self.result, self.refs, self.objects, self.defined_at, self.plans = ImportResult(), {}, [], {}, []
        self.seen: dict[str, int] = {}
        self.todo: list[tuple] = []

    def parse(self, col: Col, raw, rownum: int):
        if col.type != "datetime":
            return super().parse(col, raw, rownum)
        if isinstance(raw, dt.datetime):
            return _aware(raw)
        text = str(raw).strip().replace("/", "-")
        for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"):
            try:
                return _aware(dt.datetime.strptime(text, fmt))
            except ValueError:
                continue
        raise CellError(f"「{raw}」不是有效时间，请写成 2025-03-02 09:30")

    def blank_value(self, col: Col):
        return None if col.type in ("datetime", "int", "choice") else ""

    def _organiser(self, kind: str, name: str):
        model = services.ORGANISER_MODELS[kind]
        found = list(model.objects.select_related("region").filter(name=name)[:2])
        if not found:
            raise CellError(f"找不到组织方「{name}」")
        if len(found) > 1:
            raise CellError(f"有多个名为「{name}」的组织方，无法确定")
        return found[0]

    def validate_row(self, rownum: int, values: dict, columns: list[Col]) -> None:
        parsed, errors = self.parse_row(rownum, values, columns)
        code = (parsed.get("code") or "").strip()
        if code:
            if code in self.seen:
                return self.fail(rownum, [("活动编号", f"与第 {self.seen[code]} 行重复")] + errors)
            self.seen[code] = rownum
        if errors:
            return self.fail(rownum, errors)
        try:
            organiser = self._organiser(parsed["organiser_kind"], (parsed.get("organiser_name") or "").strip())
        except CellError as e:
            return self.fail(rownum, [("组织方", str(e))])
        existing = Activity.objects.select_related("region").filter(code=code).first() if code else None
        places = parsed.get("places")
        shift = services.ShiftInput("志愿者", parsed["starts_at"], parsed["ends_at"], places)
        if existing is not None:
            if not policies.may_see(self.user, existing) and self.user is not SYSTEM:
                return self.fail(rownum, [("活动编号", f"找不到编号为 {code} 的活动，或不在您的范围内")])
            shifts = list(existing.shifts.order_by("position", "pk"))
            unchanged = (existing.title == parsed["title"] and existing.location == parsed["location"]
                         and existing.starts_at == parsed["starts_at"] and existing.ends_at == parsed["ends_at"]
                         and existing.organiser_kind == parsed["organiser_kind"]
                         and existing.organiser == organiser and existing.places == places)
            if unchanged:
                self.plans.append((existing, False, {}, {}, False))
                return None
            if existing.state in READ_ONLY_STATES or not policies.may_edit(self.user, existing):
                return self.fail(rownum, [("活动编号", "已结束、已取消或不在您组织范围内的活动不能修改")])
            if len(shifts) != 1:
                return self.fail(rownum, [("名额", "有多个班次的活动请在活动页面上修改")])
            shift = services.ShiftInput(shifts[0].name, parsed["starts_at"], parsed["ends_at"], places)
        with override("zh-hans"):
            try:
                services.check_activity(parsed["title"], parsed["location"], parsed["starts_at"], parsed["ends_at"],
                                        [shift])
                services.resolve_organiser(self.user, parsed["organiser_kind"], organiser)
            except ValidationFailed as e:
                found = dict(e.field_errors)
                if {"starts_at", "ends_at"} & set(found):
                    found.pop("shifts", None)  # the row's one shift spans the activity: its time error is said once
                return self.fail(rownum, [(HEADERS.get(k, k), str(m)) for k, ms in found.items()
                                          for m in ms] or [("", str(e))])
        self.plans.append((existing or Activity(code=code), existing is None, {}, {}, True))
        self.todo.append((existing, code, parsed, organiser, shift))
        return None

    def write(self) -> None:
        self.count()
        with transaction.atomic():
            for existing, code, parsed, organiser, shift in self.todo:
                kwargs = dict(actor=self.user, title=parsed["title"], organiser_kind=parsed["organiser_kind"],
                              organiser=organiser, starts_at=parsed["starts_at"], ends_at=parsed["ends_at"],
                              location=parsed["location"], shifts=[shift])
                if existing is None:
                    services.create_activity(code=code, **kwargs)
                else:
                    services.update_activity(existing, shift_ids=[existing.shifts.get().pk],
                                             description=existing.description, **kwargs)


ACTIVITIES = ListSpec(
    "volunteer_activities", "志愿活动", Activity, (
        Col("活动编号", "code", hint="留空则新建"),
        Col("活动名称", "title", required=True),
        Col("组织方类型", "organiser_kind", "choice", required=True,
            aliases={"志愿服务队": "team", "队伍": "team", "单位": "unit", "服务站": "place", "服务站点": "place"}),
        Col("组织方", "organiser_name", required=True, hint="志愿服务队、单位、服务站点或党组织的名称"),
        Col("开始时间", "starts_at", "datetime", required=True, hint="2025-03-02 09:00"),
        Col("结束时间", "ends_at", "datetime", required=True, hint="2025-03-02 11:00"),
        Col("地点", "location", required=True),
        Col("名额", "places", "int", required=True),
        Col("状态", "state", "choice", value=lambda a: a.get_state_display()),
    ),
    rows=_activity_rows,
    view=STAFF,
    edit=(ORGANISE,),
    key=("code",),
    importer=ActivityImporter,
)
