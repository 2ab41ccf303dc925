"""The proposals list in Excel: export, template and import (all or nothing), for the core engine
(gongzhi.core.excel).

One row per proposal. The budget lines are one cell, 预算明细, written ``item quantity×unit price`` and separated by
semicolons, e.g. ``桌椅 2×300; 油漆 1×450`` (× may be written x or *); the amount of a line is its quantity times its
unit price. 编号 identifies an existing proposal (blank: a new one, submitted to the call 征集编号 through the calls
services, as if entered on the page: the call must accept proposals and the importer manage it). An existing
proposal's descriptive cells may be changed while it waits for its review; its budget, its state and its call
cannot change by import (the review and the selection happen on the pages). A row with any error means nothing is
written.
"""

from __future__ import annotations

import re
from decimal import Decimal

from gongzhi.core.excel import CellError, Col, ImportResult, ListSpec, ModelImporter
from gongzhi.core.masking import mask
from gongzhi.core.workflow import snapshot
from gongzhi.funds.models import Call, Proposal, ProposalOrigin
from gongzhi.funds.policies import calls as policies
from gongzhi.funds.selectors import calls as selectors
from gongzhi.funds.services import calls as services
from gongzhi.funds.workflow import ProposalState
from gongzhi.registry.models import VolunteerTeam

STATE_ZH = {"collecting": "征集联署中", "submitted": "已提交", "feasible": "审核通过", "declined": "未通过审核",
            "selected": "已入选", "not_selected": "未入选", "granted": "已拨付", "delivering": "实施中",
            "completed": "已完成", "withdrawn": "已撤回"}
ORIGIN_ZH = {"residents": "居民团队", "volunteers": "志愿者团队", "topic": "议题"}
READ_ONLY = "仅供查看，导入时忽略"
LINE = re.compile(r"^(?P<item>.+?)\s*(?P<quantity>\d+(?:\.\d+)?)\s*[×xX*＊]\s*(?P<price>\d+(?:\.\d+)?)$")
DESCRIPTIVE = ("title", "summary", "team_name", "contact_name", "contact_phone", "beneficiaries", "beneficiary_count")


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def parse_budget(text: str) -> list[dict]:
    """The cell back into lines [{item, quantity, unit_price}]; CellError naming the part it cannot read."""
    rows = []
    for part in (p.strip() for p in re.split(r"[;；\n]+", text or "") if p.strip()):
        m = LINE.match(part)
        if m is None:
            raise CellError(f"无法识别「{part}」，请写成「项目 数量×单价」，多项用分号隔开")
        rows.append({"item": m["item"].strip(), "quantity": m["quantity"], "unit_price": m["price"]})
    if not rows:
        raise CellError("至少填写一项预算")
    return rows


class ProposalImporter(ModelImporter):
    """Rows keyed by 编号 (blank = a new proposal); see the module's docstring for the rules."""

    def __init__(self, spec: ListSpec, user):
        self.spec, self.user, self.model = spec, user, Proposal
        self.result, self.refs, self.objects, self.defined_at, self.plans = ImportResult(), {}, [], {}, []
        self.visible = {p.pk: p for p in selectors.proposals_for(user).prefetch_related("budget_lines")}
        self.calls = {c.pk: c for c in selectors.calls_for(user)}
        self.seen: dict = {}

    def lookup(self, col: Col, value: str, rownum: int):
        try:
            found = self.calls.get(int(value))
        except ValueError:
            found = None
        if found is None:
            raise CellError(f"找不到编号为 {value} 的项目征集，或不在您的查看范围内")
        return found

    def blank_value(self, col: Col):
        return None if col.field in ("id", "budget_text", "origin") else super().blank_value(col)

    def validate_row(self, rownum: int, values: dict, columns: list[Col]) -> None:
        parsed, errors = self.parse_row(rownum, values, columns)
        if errors:
            return self.fail(rownum, errors)
        call, pk = parsed["call"], parsed.get("id")
        try:
            lines = parse_budget(parsed.get("budget_text") or "") if parsed.get("budget_text") is not None else None
        except CellError as e:
            return self.fail(rownum, [("预算明细", str(e))])
        if pk is not None:
            return self._existing(rownum, pk, call, parsed, lines)
        return self._new(rownum, call, parsed, lines)

    def _existing(self, rownum: int, pk: int, call: Call, parsed: dict, lines) -> None:
        if pk in self.seen:
            return self.fail(rownum, [("编号", f"与第 {self.seen[pk]} 行重复")])
        self.seen[pk] = rownum
        obj = self.visible.get(pk)
        if obj is None:
            return self.fail(rownum, [("编号", f"找不到编号为 {pk} 的提案，或不在您的查看范围内")])
        errors = []
        if obj.call_id != call.pk:
            errors.append(("征集编号", "已有提案不能更换项目征集"))
        if lines is not None and obj.budget_text != "; ".join(
                f"{r['item']} {_number(Decimal(r['quantity']))}×{_number(Decimal(r['unit_price']))}" for r in lines):
            errors.append(("预算明细", "已有提案的预算不能通过导入修改"))
        before = snapshot(obj)
        changes = {}
        for name in DESCRIPTIVE:
            if name not in parsed:
                continue
            value = parsed[name] if parsed[name] is not None else ("" if name != "beneficiary_count" else 0)
            if isinstance(value, str) and "*" in value and name in ("contact_name", "contact_phone"):
                kind = "name" if name == "contact_name" else "phone"
                if mask(kind, getattr(obj, name) or "") == value:
                    continue  # an export without personal data imports again
                errors.append(({"contact_name": "联系人", "contact_phone": "联系电话"}[name],
                               "含 * 的脱敏信息不能导入，请填写完整内容"))
                continue
            changes[name] = value
        for name, value in changes.items():
            setattr(obj, name, value)
        changed = snapshot(obj) != before
        if changed and not policies.manages(self.user, obj):
            errors.append(("编号", "该提案不在您的管理范围内，不能修改"))
        elif changed and obj.state not in (ProposalState.COLLECTING, ProposalState.SUBMITTED):
            errors.append(("编号", "提案已进入审核，不能通过导入修改"))
        if errors:
            return self.fail(rownum, errors)
        self.plans.append((obj, False, {"changes": changes}, {}, changed))
        return None

    def _new(self, rownum: int, call: Call, parsed: dict, lines) -> None:
        errors = []
        if not policies.manages(self.user, call):
            errors.append(("征集编号", "该项目征集不在您的管理范围内"))
        elif not policies.accepts_proposals(call):
            errors.append(("征集编号", "该项目征集当前不接受提案"))
        if lines is None:
            errors.append(("预算明细", "新提案须填写预算明细"))
        origin = parsed.get("origin") or ProposalOrigin.RESIDENT_TEAM
        team = None
        if origin == ProposalOrigin.TOPIC:
            errors.append(("提出方", "来自议题的提案请在页面上录入"))
        elif origin == ProposalOrigin.VOLUNTEER_TEAM:
            path = call.fund.region.path
            team = next((t for t in VolunteerTeam.objects.select_related("region").filter(
                name=(parsed.get("team_name") or "").strip())
                if t.region.path.startswith(path) or path.startswith(t.region.path)), None)
            if team is None:
                errors.append(("团队", "找不到服务该征集范围的同名志愿者团队"))
        values = {"title": parsed.get("title") or "", "summary": parsed.get("summary") or "", "origin": origin,
                  "team_name": parsed.get("team_name") or "", "volunteer_team": team,
                  "contact_name": parsed.get("contact_name") or "", "contact_phone": parsed.get("contact_phone") or "",
                  "beneficiaries": parsed.get("beneficiaries") or "",
                  "beneficiary_count": parsed.get("beneficiary_count") or 0}
        if lines is not None:
            try:
                rows = services.clean_lines(lines)
            except Exception as e:  # noqa: BLE001 (a ValidationFailed, reported as the cell's error)
                errors.append(("预算明细", str(e)))
            else:
                total = sum(r["amount"] for r in rows)
                if call.max_per_proposal is not None and total > call.max_per_proposal:
                    errors.append(("预算明细", f"预算合计 {total} 元，超过每个提案上限 {call.max_per_proposal} 元"))
        if errors:
            return self.fail(rownum, errors)
        self.plans.append((Proposal(call=call), True, {"values": values, "lines": lines}, {}, True))
        return None

    def write(self) -> None:
        self.count()
        services.import_proposals([(obj, is_new, data) for obj, is_new, data, _m, changed in self.plans if changed],
                                  actor=self.user)


PROPOSALS = ListSpec(
    "fund-proposals", "自治项目提案", Proposal, (
        Col("编号", "id", "int", hint="已有提案的编号；新提案留空"),
        Col("征集编号", "call", "fk", True, "必填，项目征集的编号", ref=Call, lookup="pk"),
        Col("项目征集", "call_title", hint=READ_ONLY, value=lambda p: p.call.title),
        Col("项目名称", "title", required=True, hint="必填"),
        Col("内容与理由", "summary", required=True, hint="必填"),
        Col("提出方", "origin", "choice", hint="居民团队 / 志愿者团队，默认 居民团队", choices=ORIGIN_ZH),
        Col("团队", "team_name", hint="志愿者团队须与登记的团队同名"),
        Col("联系人", "contact_name"),
        Col("联系电话", "contact_phone"),
        Col("受益对象", "beneficiaries"),
        Col("预计受益人数", "beneficiary_count", "int"),
        Col("预算明细", "budget_text", hint="如：桌椅 2×300; 油漆 1×450"),
        Col("申请金额（元）", "asked", hint=READ_ONLY, value=lambda p: float(selectors.asked(p))),
        Col("核定金额（元）", "approved", hint=READ_ONLY,
            value=lambda p: float(p.approved_amount) if p.approved_amount is not None else None),
        Col("状态", "state_text", hint=READ_ONLY, value=lambda p: STATE_ZH.get(p.state, p.state)),
    ),
    rows=lambda user, params: selectors.filter_proposals(selectors.proposals_for(user), params).order_by("pk"),
    view=(policies.VIEW,), edit=(policies.MANAGE,), key=("id",), importer=ProposalImporter,
)
