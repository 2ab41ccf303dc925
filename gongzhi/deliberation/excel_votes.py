"""The votes part's lists in Excel (export only): vote results, and the households that signed each resident
convention. A vote's counts are written only once it is closed (before, the cells stay empty, as on every page)."""

from __future__ import annotations

from django.utils import timezone

from gongzhi.core.excel import Col, ListSpec
from gongzhi.deliberation.models import ConventionSignature, Vote
from gongzhi.deliberation.policies.votes import VIEW
from gongzhi.deliberation.selectors import votes as selectors

STATE_ZH = {"draft": "草稿", "open": "投票中", "closed": "已结束", "cancelled": "已取消"}
SCOPE_ZH = {"estate": "小区住户", "grid": "网格住户", "area": "居民区住户", "seats": "议事会席位"}
KIND_ZH = {"yes_no": "赞成/反对/弃权", "choice": "多选一"}
RESULT_ZH = {"passed": "通过", "failed": "未通过"}
CHANNEL_ZH = {"h5": "手机签署", "staff": "工作人员代录", "api": "接口"}


def _closed(fn):
    """A result cell: empty until the vote is closed."""
    def cell(vote: Vote):
        found = selectors.results(vote)
        return fn(vote, found) if found is not None else None

    return cell


def _where(vote: Vote) -> str:
    place = vote.estate or vote.grid or vote.area
    return place.name if place else ""


def _tally(vote: Vote, found) -> str:
    return "；".join(f"{label} {n}" for _key, label, n, _pct in found.rows)


VOTE_RESULTS = ListSpec(
    "vote-results", "表决结果", Vote, (
        Col("表决事项", "title"),
        Col("议题", "topic", "fk", lookup="title"),
        Col("投票范围", "scope", "choice", choices=SCOPE_ZH),
        Col("小区/网格/居民区", "where", value=_where),
        Col("表决方式", "kind", "choice", choices=KIND_ZH),
        Col("不记名", "is_secret", "bool"),
        Col("开始时间", "opens_at", "datetime"),
        Col("截止时间", "closes_at", "datetime"),
        Col("状态", "state", "choice", choices=STATE_ZH),
        Col("参与门槛(%)", "participation_threshold", "int"),
        Col("通过门槛(%)", "approval_threshold", "int"),
        Col("应投数", "eligible", value=_closed(lambda v, r: r.eligible)),
        Col("实投数", "cast", value=_closed(lambda v, r: r.cast)),
        Col("参与率(%)", "participation", value=_closed(lambda v, r: r.participation)),
        Col("各选项票数", "tally_text", value=_closed(_tally)),
        Col("赞成率(%)", "approval", value=_closed(lambda v, r: r.approval)),
        Col("结果", "result_text", value=_closed(lambda v, r: RESULT_ZH["passed" if r.passed else "failed"])),
        Col("结束时间", "closed_at", value=lambda v: timezone.localtime(v.closed_at).replace(tzinfo=None)
            if v.closed_at else None),
    ),
    rows=lambda user, params: selectors.filter_votes(selectors.votes_for(user), params).order_by("-opens_at", "-pk"),
    view=(VIEW,), key=("title",),
)

SIGNATURES = ListSpec(
    "convention-signatures", "居民公约签署户", ConventionSignature, (
        Col("居民公约", "convention", "fk", lookup="title"),
        Col("版本", "version_number", value=lambda s: s.version.number),
        Col("楼栋", "building", value=lambda s: s.household.building.name),
        Col("室号", "room", value=lambda s: s.household.room),
        Col("签署时间", "signed_at", "datetime"),
        Col("方式", "channel", "choice", choices=CHANNEL_ZH),
        Col("备注", "note"),
    ),
    rows=lambda user, params: selectors.signatures_for(user, params),
    view=(VIEW,), key=("convention", "household"),
)
