"""The micro-wishes in Excel: the board's wishes (export, the beneficiary masked unless the export is revealed
with a reason) and an all-or-nothing import keyed by code (new wishes wait for approval; an existing one of the
importer's areas is corrected while it waits), written by gongzhi.volunteering.services.wishes.import_wishes."""

from __future__ import annotations

from gongzhi.accounts.scope import scope_for, scoped
from gongzhi.core.excel import Col, ListSpec
from gongzhi.registry.models import Region, RegionKind
from gongzhi.volunteering.models import Wish
from gongzhi.volunteering.policies.wishes import MANAGE, VIEW
from gongzhi.volunteering.selectors import wishes as selectors
from gongzhi.volunteering.services import wishes as services
from gongzhi.volunteering.workflow import WishState

HARDSHIPS = {"low_income": "低保", "elderly_alone": "独居老人", "child": "困境儿童", "disability": "残疾",
             "illness": "大病", "other": "其他困难"}
STATES = {"submitted": "待审核", "open": "待认领", "claimed": "已认领", "fulfilled": "已实现", "rejected": "未通过",
          "withdrawn": "已撤回"}


def _check(obj: Wish, user) -> list[tuple[str, str]]:
    problems = []
    if obj.value is not None and obj.value < 0:
        problems.append(("估计价值（元）", "金额不能为负数"))
    if obj.wanted_by is None:
        problems.append(("期望实现日期", "请填写日期"))
    return problems


WISHES = ListSpec(
    "volunteering_wishes", "微心愿", Wish, (
        Col("编号", "code", required=True, hint="必填，心愿编号（新编号即新建）"),
        Col("居民区编码", "region", "fk", True, "必填，居民区编码", ref=Region,
            kinds=(RegionKind.RESIDENTIAL_AREA,), scope=True),
        Col("居民区", "region_name", value=lambda w: w.region.name),
        Col("心愿", "title", required=True, hint="必填"),
        Col("说明", "description"),
        Col("困难类型", "hardship", "choice", True, "低保/独居老人/困境儿童/残疾/大病/其他困难", choices=HARDSHIPS),
        Col("估计价值（元）", "value", "decimal", True, "必填，最多两位小数"),
        Col("期望实现日期", "wanted_by", "date", True, "必填"),
        Col("受助人", "beneficiary_name", required=True, hint="必填；导出时脱敏"),
        Col("受助人电话", "beneficiary_phone"),
        Col("状态", "state_label", value=lambda w: STATES.get(w.state, w.state)),
        Col("逾期", "overdue", value=lambda w: "是" if w.is_overdue else "否"),
        Col("认领人", "claimer_label", value=lambda w: w.claimer_name or None),
        Col("公开承诺", "promise_text", value=lambda w: w.promise or None),
        Col("承诺日期", "promised_date", value=lambda w: w.promised_on),
        Col("实现时间", "fulfilled", value=lambda w: w.fulfilled_at.date() if w.fulfilled_at else None),
        Col("实现情况", "fulfilment", value=lambda w: w.fulfilment_note or None),
        Col("受助人感谢", "thanks_text", value=lambda w: w.thanks or None),
    ),
    rows=lambda user, params: selectors.board(user, params),
    view=(VIEW,), edit=(MANAGE,), key=("code",),
    import_scope=lambda user: scope_for(user, MANAGE),
    editable=lambda user: scoped(user, Wish, MANAGE).filter(state=WishState.SUBMITTED).values_list("pk", flat=True),
    choosable=lambda user, model: scoped(user, model.objects.filter(kind=RegionKind.RESIDENTIAL_AREA), MANAGE)
    if model is Region else model._default_manager.none(),
    check=_check, write=services.import_wishes,
)
