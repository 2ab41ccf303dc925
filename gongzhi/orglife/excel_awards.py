"""The awards part's list in Excel: award scores, one row per entry and criterion (the round, the organization, the
criterion, its source, the indicator's value, target, weight and points), exported as the exporting user sees the
score pages (export only); and the reviewers' scores (评审打分: one row per self-assessed criterion and entry a
reviewer scores, exported as the reviewer gave them and imported again; the entry's and criterion's numbers are on
the scores export). The whole file is tried first inside a transaction that is rolled
back, so every row's error is reported and nothing is written unless all pass (all or nothing)."""

from __future__ import annotations

import time
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils.translation import override

from gongzhi.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from gongzhi.core.excel import Col, ImportResult, ListSpec, ModelImporter
from gongzhi.orglife.models import AwardEntry, Criterion, CriterionSource, ReviewScore
from gongzhi.orglife.policies.awards import ASSESS, MANAGE, VIEW
from gongzhi.orglife.selectors import awards as selectors
from gongzhi.orglife.services import awards as services

READ_ONLY = "仅供查看，导入时忽略"
SOURCE_ZH = {CriterionSource.INDICATOR: "平台数据指标", CriterionSource.SELF: "自评＋评审打分"}

_cache: dict[int, tuple[float, object]] = {}


def _row(obj):
    """The breakdown row of the (entry, criterion) pair; an entry's breakdown is computed once per export."""
    now = time.monotonic()
    hit = _cache.get(obj.entry_pk)
    if hit is None or now - hit[0] > 5:
        entry = AwardEntry.objects.select_related("round", "org", "org__region", "org__member_unit").get(
            pk=obj.entry_pk)
        hit = (now, {r.criterion_id: r for r in selectors.breakdown(entry).rows})
        _cache[obj.entry_pk] = hit
    return hit[1].get(obj.pk)


def _entry_ids(user, params) -> list[int]:
    rounds = selectors.rounds_for(user)
    if (r := str(params.get("round") or "").strip()).isdigit():
        rounds = rounds.filter(pk=int(r))
    return [e.pk for rnd in rounds for e in selectors.entries_for(user, rnd)]


def _rows(user, params):
    return (Criterion.objects.filter(round__entries__pk__in=_entry_ids(user, params))
            .annotate(entry_pk=F("round__entries__pk"), entry_org=F("round__entries__org__name"))
            .select_related("round").order_by("round__scheme__code", "round__number", "entry_org", "order", "pk"))


def _score_rows(user, params):
    return (ReviewScore.objects.filter(entry__in=_entry_ids(user, params), reviewer__user=user)
            .select_related("entry__org", "criterion", "entry__round").order_by("entry__round", "entry", "criterion"))


def _value(obj):
    row = _row(obj)
    return (row.display if row.source == CriterionSource.INDICATOR else "") if row else ""


def _points(obj):
    row = _row(obj)
    return Decimal(row.points) if row else None


class ScoreImporter(ModelImporter):
    """Rows keyed by 条目编号 and 评价项编号; a blank 我的评分 leaves the row alone."""

    def __init__(self, spec: ListSpec, user):
        self.spec, self.user, self.model = spec, user, ReviewScore
        self.result, self.refs, self.objects, self.defined_at, self.plans = ImportResult(), {}, [], {}, []
        self.scoped, self.seen = {}, {}
        self.rows: list[tuple[int, dict]] = []

    def blank_value(self, col: Col):
        return None if col.type in ("int", "decimal") else ""

    def validate_row(self, rownum: int, values: dict, columns: list[Col]) -> None:
        parsed, errors = self.parse_row(rownum, values, columns)
        if errors:
            return self.fail(rownum, errors)
        if parsed.get("points") is None:
            return self.fail(rownum, [("评分", "必填，不能为空")])
        key = (parsed.get("entry_id"), parsed.get("criterion_id"))
        if key in self.seen:
            return self.fail(rownum, [("评价项编号", f"与第 {self.seen[key]} 行重复")])
        self.seen[key] = rownum
        try:
            entry = selectors.entry_detail(self.user, parsed.get("entry_id"))
        except NotFound:
            return self.fail(rownum, [("条目编号", "找不到该参评组织，或不在您的查看范围内")])
        criterion = entry.round.criteria.filter(pk=parsed.get("criterion_id"), source=CriterionSource.SELF).first()
        if criterion is None:
            return self.fail(rownum, [("评价项编号", "不是该轮次的自评项，平台数据指标不需打分")])
        self.rows.append((rownum, {"entry": entry, "criterion": criterion, "points": parsed["points"],
                                   "comment": parsed.get("comment") or ""}))
        self.plans.append((ReviewScore(), False, {}, {}, True))
        return None

    def validate(self, positions, rows, progress=None) -> None:
        super().validate(positions, rows, progress)
        if not self.result.ok or not self.rows:
            return
        with transaction.atomic(), override("zh-hans"):  # a dry run of the whole file, rolled back
            for rownum, row in self.rows:
                try:
                    with transaction.atomic():
                        services.score(row["entry"], row["criterion"], actor=self.user, points=row["points"],
                                       comment=row["comment"])
                except (ValidationFailed, Forbidden, Conflict, NotFound) as e:
                    self.fail(rownum, [("评分", m) for ms in (e.field_errors or {"": [e.message]}).values()
                                       for m in ms])
            transaction.set_rollback(True)

    def write(self) -> None:
        self.count()
        services.import_scores([row for _n, row in self.rows], actor=self.user)


SCORES = ListSpec(
    "award-scores", "评选得分", Criterion, (
        Col("条目编号", "entry_text", hint=READ_ONLY, value=lambda c: c.entry_pk),
        Col("评价项编号", "criterion_text", hint=READ_ONLY, value=lambda c: c.pk),
        Col("评选轮次", "round_text", hint=READ_ONLY, value=lambda c: c.round.name),
        Col("参评组织", "org_text", hint=READ_ONLY, value=lambda c: c.entry_org),
        Col("评价项", "name"),
        Col("来源", "source_text", hint=READ_ONLY, value=lambda c: SOURCE_ZH.get(c.source, c.source)),
        Col("指标值", "value_text", hint=READ_ONLY, value=_value),
        Col("目标值", "target_text", hint=READ_ONLY, value=lambda c: c.target),
        Col("权重", "weight_text", hint=READ_ONLY, value=lambda c: c.weight),
        Col("得分", "points_text", hint=READ_ONLY, value=_points),
    ),
    rows=_rows, view=(VIEW, MANAGE, ASSESS),
)

REVIEW_SCORES = ListSpec(
    "award-review-scores", "评审打分", ReviewScore, (
        Col("条目编号", "entry_id", "int", True, "必填：参评组织的条目编号（见“评选得分”导出表）"),
        Col("评价项编号", "criterion_id", "int", True, "必填：自评项的编号（见“评选得分”导出表）"),
        Col("参评组织", "org_text", hint=READ_ONLY, value=lambda s: s.entry.org.name),
        Col("评价项", "criterion_text", hint=READ_ONLY, value=lambda s: s.criterion.name),
        Col("评分", "points", "decimal", True, "必填：0 至该项权重，保留一位小数"),
        Col("评语", "comment", hint="可空"),
    ),
    rows=_score_rows, view=(VIEW, MANAGE, ASSESS), edit=(VIEW, MANAGE, ASSESS), key=("entry_id", "criterion_id"),
    importer=ScoreImporter,
)
