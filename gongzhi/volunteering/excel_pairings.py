"""The pairings part's lists in Excel: pairings (export, and an all-or-nothing import) and the progress of cohorts
(export), for the core engine (gongzhi.core.excel).

Pairings, one row each. 编号 blank: a new pairing, made exactly as on the page (the anchor's capacity counted
with the rows above it in the file, the partner's kind, the date); the whole file is tried first inside a
transaction that is rolled back, so every row's error is reported and nothing is written unless all pass.
编号 given: an existing pairing, of which only 备注 and 商户地址 may be corrected. The anchor is named by the
party member's name (with the code of their party organization when names repeat) or the member unit's code; the
household by "楼栋编码/室号"; the young volunteer by name.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils.translation import override

from gongzhi.accounts.scope import scope_for, scoped
from gongzhi.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from gongzhi.core.excel import Col, ImportResult, ListSpec, ModelImporter
from gongzhi.registry.models import Household, MemberUnit, PartyMember, Region
from gongzhi.volunteering.models import PARTNER_OF, UNIT_ANCHORED, CohortParticipant, Pairing, Volunteer
from gongzhi.volunteering.policies.pairings import MANAGE, VIEW
from gongzhi.volunteering.selectors import pairings as selectors
from gongzhi.volunteering.services import pairings as services

KIND_ZH = {"youth": "青年-党员一对一", "unit_household": "单位-困难家庭", "member_household": "党员联系户",
           "member_shop": "党员联系商户"}
STATE_ZH = {"active": "结对中", "ended": "已结束"}
READ_ONLY = "仅供查看，导入时忽略"
HEADERS = {"kind": "类型", "region": "所属区域", "member": "党员", "unit": "共建单位", "volunteer": "青年志愿者",
           "household": "结对户", "shop_name": "商户名称", "shop_address": "商户地址", "started_on": "结对日期",
           "note": "备注", "": "编号"}
CORRECTABLE = ("note", "shop_address")


class PairingImporter(ModelImporter):
    """Rows keyed by 编号 (blank: a new pairing); see the module's docstring."""

    def __init__(self, spec: ListSpec, user):
        self.spec, self.user, self.model = spec, user, Pairing
        self.result, self.refs, self.objects, self.defined_at, self.plans = ImportResult(), {}, [], {}, []
        self.scope = scope_for(user, MANAGE)
        self.scoped, self.seen = {}, {}
        self.new: list[tuple[int, dict]] = []
        self.corrections: list[tuple[Pairing, dict]] = []

    def blank_value(self, col: Col):
        return None if col.type in ("date", "fk", "choice") else ""

    def validate_row(self, rownum: int, values: dict, columns: list[Col]) -> None:
        parsed, errors = self.parse_row(rownum, values, columns)
        code = (parsed.get("code") or "").strip()
        if code:
            if code in self.seen:
                return self.fail(rownum, [("编号", f"与第 {self.seen[code]} 行重复")] + errors)
            self.seen[code] = rownum
        if errors:
            return self.fail(rownum, errors)
        return self._existing(rownum, code, parsed) if code else self._new(rownum, parsed)

    def _existing(self, rownum: int, code: str, parsed: dict) -> None:
        found = selectors.pairings_for(self.user).filter(code=code).first()
        if found is None:
            return self.fail(rownum, [("编号", f"找不到编号为 {code} 的结对，或不在您的查看范围内")])
        changes = {k: (parsed.get(k) or "").strip() for k in CORRECTABLE if k in parsed}
        changes = {k: v for k, v in changes.items() if v != getattr(found, k)}
        if changes and not services.policies.manages(self.user, found.region):
            return self.fail(rownum, [("编号", "该结对不在您的管理范围内，不能修改")])
        self.plans.append((found, False, {}, {}, bool(changes)))
        if changes:
            self.corrections.append((found, changes))
        return None

    def _new(self, rownum: int, parsed: dict) -> None:
        kind, errors = parsed.get("kind"), []
        if not kind:
            return self.fail(rownum, [("类型", "必填，不能为空")])
        row = {"kind": kind, "region": parsed.get("region"), "started_on": parsed.get("started_on"),
               "note": parsed.get("note") or "", "shop_name": parsed.get("shop_name") or "",
               "shop_address": parsed.get("shop_address") or ""}
        if kind in UNIT_ANCHORED:
            row["unit"] = parsed.get("unit")
        else:
            name, org = (parsed.get("member_name") or "").strip(), (parsed.get("member_org") or "").strip()
            found = list(PartyMember.objects.filter(name=name, **({"organization__code": org} if org else {}))[:2])
            if not name:
                errors.append(("党员", "必填，不能为空"))
            elif not found:
                errors.append(("党员", f"找不到党员「{name}」"))
            elif len(found) > 1:
                errors.append(("党员", f"有多名党员叫「{name}」，请填写其党组织编码"))
            else:
                row["member"] = found[0]
        partner = PARTNER_OF[kind]
        if partner == "volunteer":
            name = (parsed.get("volunteer_name") or "").strip()
            found = list(scoped(self.user, Volunteer, MANAGE).filter(name=name)[:2]) if name else []
            if len(found) != 1:
                errors.append(("青年志愿者", f"找不到志愿者「{name}」" if not found else f"有多名志愿者叫「{name}」"))
            else:
                row["volunteer"] = found[0]
        if partner == "household":
            ref = (parsed.get("household_ref") or "").strip()
            building, _sep, room = ref.partition("/")
            found = Household.objects.filter(building__code=building.strip(), room=room.strip()).first()
            if found is None:
                errors.append(("结对户", f"找不到户「{ref}」，请写成 楼栋编码/室号"))
            else:
                row["household"] = found
        if errors:
            return self.fail(rownum, errors)
        self.new.append((rownum, row))
        self.plans.append((Pairing(), True, {}, {}, True))
        return None

    def validate(self, positions, rows, progress=None) -> None:
        super().validate(positions, rows, progress)
        if not self.result.ok or not self.new:
            return
        with transaction.atomic(), override("zh-hans"):  # a dry run of the whole file, rolled back
            for rownum, row in self.new:
                try:
                    with transaction.atomic():
                        services.pair(actor=self.user, **row)
                except (ValidationFailed, Forbidden, Conflict, NotFound) as e:
                    self.fail(rownum, [(HEADERS.get(k, k), m) for k, ms in (e.field_errors or {"": [e.message]})
                                       .items() for m in ms])
            transaction.set_rollback(True)

    def write(self) -> None:
        self.count()
        services.import_pairings([row for _n, row in self.new], self.corrections, actor=self.user)


def _pairing_rows(user, params):
    return selectors.filter_pairings(selectors.pairings_for(user), params).select_related(
        "member__organization", "household__building").order_by("pk")


PAIRINGS = ListSpec(
    "volunteer-pairings", "结对名单", Pairing, (
        Col("编号", "code", hint="已有结对的编号；新结对留空，自动编号"),
        Col("类型", "kind", "choice", True, "必填：" + " / ".join(KIND_ZH.values()), choices=KIND_ZH),
        Col("所属区域", "region", "fk", True, "必填，街道或居民区编码", ref=Region, scope=True),
        Col("备注", "note"),
        Col("党员", "member_name", hint="党员结对填写党员姓名"),
        Col("党员所在党组织", "member_org", hint="党员重名时填写其党组织编码"),
        Col("共建单位", "unit", "fk", hint="单位-困难家庭填写共建单位编码", ref=MemberUnit),
        Col("青年志愿者", "volunteer_name", hint="青年-党员一对一填写青年姓名"),
        Col("结对户", "household_ref", hint="结对户填写 楼栋编码/室号"),
        Col("商户名称", "shop_name", hint="党员联系商户填写"),
        Col("商户地址", "shop_address", hint="经营地址"),
        Col("结对日期", "started_on", "date", hint="默认今天，如 2025-03-01"),
        Col("状态", "state_text", hint=READ_ONLY, value=lambda p: STATE_ZH.get(p.state, p.state)),
        Col("最近联系", "last_contact_text", hint=READ_ONLY,
            value=lambda p: p.last_contact.isoformat() if getattr(p, "last_contact", None) else None),
    ),
    rows=_pairing_rows, view=(VIEW,), edit=(MANAGE,), key=("code",), importer=PairingImporter,
)


def _progress_rows(user, params):
    qs = scoped(user, CohortParticipant, VIEW).select_related("cohort").prefetch_related(
        "progress__requirement", "cohort__requirements")
    if (cohort := (params.get("cohort") or "").strip()).isdigit():
        qs = qs.filter(cohort_id=int(cohort))
    if q := (params.get("q") or "").strip()[:60]:
        qs = qs.filter(Q(name__icontains=q) | Q(cohort__name__icontains=q))
    return qs.order_by("cohort__starts_on", "cohort_id", "name", "pk")


def _done(p: CohortParticipant) -> tuple[int, int]:
    return len(p.progress.all()), len(p.cohort.requirements.all())


def _details(p: CohortParticipant) -> str:
    done = {row.requirement_id: row for row in p.progress.all()}
    return "；".join(f"{r.title} {done[r.pk].done_on.isoformat() if r.pk in done else '未完成'}"
                    for r in sorted(p.cohort.requirements.all(), key=lambda r: (r.position, r.pk)))


COHORT_PROGRESS = ListSpec(
    "cohort-progress", "孵化培养进度", CohortParticipant, (
        Col("孵化班", "cohort_name", value=lambda p: p.cohort.name),
        Col("姓名", "name"),
        Col("联系电话", "phone"),
        Col("工作单位", "workplace"),
        Col("已完成", "done_text", value=lambda p: "{}/{}".format(*_done(p))),
        Col("完成率", "percent_text", value=lambda p: f"{selectors.percent(*_done(p))}%"),
        Col("明细", "details_text", value=_details),
    ),
    rows=_progress_rows, view=(VIEW,),
)
