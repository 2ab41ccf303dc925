"""The cases list in Excel: export (the applicant's phone masked as on screen) and the import of a station's paper
register (all or nothing), for the core engine (gongzhi.core.excel).

One row per case. 编号 blank: a case of the register, taken in through `import_cases` with its timeline rebuilt
from its state: 当场办结 (done, one visit), 转办 (forwarded to the 后台承办 named, received, completed when done),
待领取 / 已领取 (ready, then picked up: two visits), 材料不全 (incomplete; a done case with one visit more was
supplied first). 编号 given: an existing case, of which only 申请人, 办理结果 and 备注 may be corrected; its other
cells are ignored (the steps of a case happen on its page). A row with any error means nothing is written.
"""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

from django.utils import timezone

from gongzhi.core.errors import ValidationFailed
from gongzhi.core.excel import CellError, Col, ImportResult, ListSpec, ModelImporter
from gongzhi.core.workflow import user_of
from gongzhi.registry.models import ServicePlace
from gongzhi.services.models import Case, ServiceItem
from gongzhi.services.policies import cases as policies
from gongzhi.services.selectors import cases as selectors
from gongzhi.services.services import cases as services
from gongzhi.services.workflow import CaseAction, CaseState

STATE_ZH = {"incomplete": "材料不全", "accepted": "已受理", "forwarded": "已转办", "processing": "后台办理中",
            "ready": "待领取", "done": "已办结", "rejected": "不予办理", "withdrawn": "已撤回"}
READ_ONLY = "仅供查看，导入时忽略"
HEADERS = {"applicant_name": "申请人", "applicant_phone": "联系电话", "applicant_id_number": "身份证号",
           "timeline": "状态", "code": "编号"}
DEFAULT_BACK_OFFICE = "一网通办后台"


def _aware(value) -> dt.datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


class CaseImporter(ModelImporter):
    """Rows keyed by 编号 (blank: a case of the paper register); see the module's docstring for the rules."""

    def __init__(self, spec: ListSpec, user):
        self.spec, self.user, self.model = spec, user, Case
        self.result, self.refs, self.objects, self.defined_at, self.plans = ImportResult(), {}, [], {}, []
        self.seen: dict[str, int] = {}
        self.records: list[services.PastCase] = []
        self.corrections: list[tuple[Case, dict]] = []

    def parse(self, col: Col, raw, rownum: int):
        if col.type != "datetime":
            return super().parse(col, raw, rownum)
        if isinstance(raw, dt.datetime):
            return _aware(raw)
        if isinstance(raw, dt.date):
            return _aware(dt.datetime.combine(raw, dt.time(9)))
        text = str(raw).strip().replace("/", "-")
        for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
            try:
                value = dt.datetime.strptime(text, fmt)
            except ValueError:
                continue
            return _aware(value if fmt != "%Y-%m-%d" else value.replace(hour=9))
        raise CellError(f"「{raw}」不是有效时间，请写成 2025-03-02 09:30")

    def blank_value(self, col: Col):
        return None if col.type in ("datetime", "int", "fk", "choice") else ""

    def validate_row(self, rownum: int, values: dict, columns: list[Col]) -> None:
        parsed, errors = self.parse_row(rownum, values, columns)
        code = (parsed.get("code") or "").strip()
        if code:
            if code in self.seen:
                return self.fail(rownum, [("编号", f"与第 {self.seen[code]} 行重复")] + errors)
            self.seen[code] = rownum
        if errors:
            return self.fail(rownum, errors)
        if code:
            return self._existing(rownum, code, parsed)
        return self._new(rownum, parsed)

    def _existing(self, rownum: int, code: str, parsed: dict) -> None:
        case = selectors.cases_for(self.user).filter(code=code).first()
        if case is None:
            return self.fail(rownum, [("编号", f"找不到编号为 {code} 的案件，或不在您的查看范围内")])
        changes = {name: (parsed.get(name) or "").strip() for name in services.CORRECTABLE if name in parsed}
        changes = {k: v for k, v in changes.items() if v != getattr(case, k)}
        if changes and not policies.at_counter(self.user, case.place):
            return self.fail(rownum, [("编号", "该案件不在您的受理范围内，不能修改")])
        if changes and not changes.get("applicant_name", case.applicant_name):
            return self.fail(rownum, [("申请人", "必填，不能为空")])
        self.plans.append((case, False, {}, {}, bool(changes)))
        if changes:
            self.corrections.append((case, changes))
        return None

    def _new(self, rownum: int, parsed: dict) -> None:
        place: ServicePlace = parsed["place"]
        item: ServiceItem = parsed["item"]
        errors = []
        if not policies.at_counter(self.user, place):
            errors.append(("受理点", f"「{place.code}」不在您的受理范围内"))
        if not item.active:
            errors.append(("事项", "该事项已停用"))
        opened, closed = parsed["created_at"], parsed.get("closed_at")
        state = parsed["state"]
        if opened > timezone.now():
            errors.append(("受理时间", "受理时间不能晚于现在"))
        closing = state in (CaseState.DONE, CaseState.REJECTED, CaseState.WITHDRAWN)
        if closing and closed is None and state == CaseState.DONE:
            closed = opened
        if closed is not None and closing and closed < opened:
            errors.append(("办结时间", "办结时间早于受理时间"))
        visits = parsed.get("visits") or 1
        back_office = (parsed.get("back_office") or "").strip()
        note = (parsed.get("note") or "").strip()
        steps, incomplete = self._timeline(state, opened, closed or opened, visits, back_office, note)
        if steps is None:
            errors.append(("跑动次数", f"跑动次数 {visits} 与状态「{STATE_ZH[state]}」不符"))
        if errors:
            return self.fail(rownum, errors)
        case = Case(place=place, item=item, state=state, applicant_name=parsed.get("applicant_name") or "",
                    applicant_phone=parsed.get("applicant_phone") or "", note=note,
                    back_office=back_office or (DEFAULT_BACK_OFFICE if any(
                        s.action == CaseAction.FORWARD for s in steps) else ""),
                    result=(parsed.get("result") or "").strip(), opened_by=user_of(self.user))
        record = services.PastCase(case=case, steps=steps, incomplete=incomplete)
        try:
            services.check_past_case(record)
        except ValidationFailed as e:
            return self.fail(rownum, [(HEADERS.get(k, k), m) for k, ms in e.field_errors.items() for m in ms])
        self.records.append(record)
        self.plans.append((case, True, {}, {}, True))
        return None

    def _timeline(self, state: str, opened, closed, visits: int, back_office: str, note: str):
        """The steps a register line stands for, and whether it opened incomplete; (None, False) when its visits
        cannot fit its state."""
        step = services.CaseStep
        actor = self.user
        forwarded = bool(back_office) or state in (CaseState.FORWARDED, CaseState.PROCESSING, CaseState.REJECTED)
        middle = opened + (closed - opened) / 2 if closed > opened else opened
        path: list[str]
        if state == CaseState.INCOMPLETE:
            return ([step(CaseAction.OPEN, opened, actor)], True) if visits == 1 else (None, False)
        if state == CaseState.WITHDRAWN:
            path = [CaseAction.WITHDRAW]
        elif state == CaseState.ACCEPTED:
            path = []
        elif state in (CaseState.FORWARDED, CaseState.PROCESSING, CaseState.REJECTED):
            path = [CaseAction.FORWARD] + ([CaseAction.RECEIVE] if state != CaseState.FORWARDED else []) + (
                [CaseAction.REJECT] if state == CaseState.REJECTED else [])
        elif state == CaseState.READY:
            path = ([CaseAction.FORWARD, CaseAction.RECEIVE] if forwarded else []) + [CaseAction.MAKE_READY]
        else:  # done: picked up (one more visit), or completed on the spot or by the back office
            picked = visits >= 2 and not forwarded and visits - 1 >= 1
            path = ([CaseAction.FORWARD, CaseAction.RECEIVE] if forwarded else []) + (
                [CaseAction.MAKE_READY, CaseAction.PICK_UP] if picked else [CaseAction.COMPLETE])
        extra = visits - 1 - path.count(CaseAction.PICK_UP)
        if extra not in (0, 1):
            return None, False
        steps = [step(CaseAction.OPEN, opened, actor)]
        if extra:
            steps.append(step(CaseAction.SUPPLY, middle if path else opened, actor))
        base = steps[-1].at
        for action in path:
            at = closed if action in (CaseAction.COMPLETE, CaseAction.PICK_UP, CaseAction.REJECT,
                                      CaseAction.WITHDRAW, CaseAction.MAKE_READY) and closed >= base else base
            if action == CaseAction.MAKE_READY and CaseAction.PICK_UP in path:
                at = max(base, closed - timedelta(minutes=1))
            reason = (note or "登记簿导入") if action in (CaseAction.REJECT, CaseAction.WITHDRAW) else ""
            steps.append(step(action, at, actor, reason))
            base = at
        return steps, bool(extra)

    def write(self) -> None:
        self.count()
        if self.records:
            services.import_cases(self.records, actor=self.user)
        if self.corrections:
            services.correct_cases(self.corrections, actor=self.user)


CASES = ListSpec(
    "service-cases", "一口受理案件", Case, (
        Col("编号", "code", hint="已有案件的编号；登记簿中的新案件留空，自动编号"),
        Col("受理点", "place", "fk", True, "必填，服务站点的编码", ref=ServicePlace, lookup="code"),
        Col("受理点名称", "place_name", hint=READ_ONLY, value=lambda c: c.place.name),
        Col("事项", "item", "fk", True, "必填，事项编码", ref=ServiceItem, lookup="code"),
        Col("事项名称", "item_name", hint=READ_ONLY, value=lambda c: c.item.name),
        Col("申请人", "applicant_name", required=True, hint="必填"),
        Col("联系电话", "applicant_phone", hint="11 位手机号"),
        Col("状态", "state", "choice", True, "必填：" + " / ".join(STATE_ZH.values()), choices=STATE_ZH),
        Col("受理时间", "created_at", "datetime", True, "必填，如 2025-03-02 09:30"),
        Col("办结时间", "closed_at", "datetime", hint="已办结、已领取、不予办理、已撤回的填写"),
        Col("跑动次数", "visits", "int", hint="默认 1；补正材料、领取各多跑一次"),
        Col("后台承办", "back_office", hint="转办的填写承办部门"),
        Col("办理结果", "result"),
        Col("备注", "note"),
        Col("办结期限", "due_on_text", hint=READ_ONLY, value=lambda c: c.due_on.isoformat() if c.due_on else None),
    ),
    rows=lambda user, params: selectors.filter_cases(selectors.cases_for(user), params).order_by("pk"),
    view=(policies.VIEW,), edit=(policies.ACCEPT,), key=("code",), importer=CaseImporter,
)
