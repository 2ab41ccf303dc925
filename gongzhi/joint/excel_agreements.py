"""Co-building agreements with their commitments in Excel: export, template and import (all or nothing), for the
core engine (gongzhi.core.excel).

One row per commitment; the agreement's cells (协议编号, 协议名称, 街道编码, 共建单位编码, 起始日期, 截止日期,
工作备忘) repeat on each of its rows. 共建单位编码 lists the parties' unit codes separated by 、 or ；. A 协议编号
not yet used makes a new agreement (a draft, through the agreements services, as if drawn up on the page): its rows
must agree on the agreement's cells, and the importer must manage its sub-district and units. A row of an existing
agreement imports again unchanged when its commitment is the same; an existing agreement is changed on its page
(renewed, reported on), never by import. A row with any error means nothing is written.
"""

from __future__ import annotations

import re

from gongzhi.core.excel import Col, ImportResult, ListSpec, ModelImporter
from gongzhi.joint.models import Commitment
from gongzhi.joint.policies import agreements as policies
from gongzhi.joint.selectors import agreements as selectors
from gongzhi.joint.services import agreements as services
from gongzhi.registry.models import MemberUnit

STATE_ZH = {"draft": "草稿", "in_force": "生效中", "expired": "已到期", "renewed": "已续签", "cancelled": "已作废"}
DIRECTION_ZH = {"at_least": "达到", "at_most": "降至"}
READ_ONLY = "仅供查看，导入时忽略"
AGREEMENT_CELLS = ("agreement_title", "subdistrict_code", "party_codes", "term_from", "term_to", "work_memo")
HEADERS = {"agreement_title": "协议名称", "subdistrict_code": "街道编码", "party_codes": "共建单位编码",
           "term_from": "起始日期", "term_to": "截止日期", "work_memo": "工作备忘"}


def export_rows(user, params):
    agreements = selectors.filter_agreements(selectors.agreements_for(user), params)
    return (Commitment.objects.filter(agreement__in=agreements.values("pk"))
            .select_related("agreement__region")
            .prefetch_related("agreement__parties__member_unit")
            .order_by("agreement__code", "position", "pk"))


class AgreementImporter(ModelImporter):
    """Rows grouped by 协议编号; see the module's docstring for the rules."""

    def __init__(self, spec: ListSpec, user):
        self.spec, self.user, self.model = spec, user, Commitment
        self.result, self.refs, self.objects, self.defined_at, self.plans = ImportResult(), {}, [], {}, []
        self.visible = {a.code: a for a in selectors.agreements_for(user).prefetch_related("commitments")}
        self.regions = {r.code: r for r in selectors.subdistricts_to_manage(user)}
        self.units = {u.code: u for u in selectors.units_to_choose(user)}
        self.new: dict[str, dict] = {}  # code → the plan of a new agreement
        self.unchanged = 0
        self.renamed: list = []  # (commitment, new wording)

    def blank_value(self, col: Col):
        if col.field in ("member_unit", "term_from", "term_to"):
            return None
        if col.field in ("baseline",):
            return 0
        return ""

    def validate_row(self, rownum: int, values: dict, columns: list[Col]) -> None:
        parsed, errors = self.parse_row(rownum, values, columns)
        if errors:
            return self.fail(rownum, errors)
        code = parsed["agreement_code"]
        if code in self.visible:
            return self._existing(rownum, self.visible[code], parsed)
        from gongzhi.joint.models import Agreement

        if Agreement.objects.filter(code=code).exists():
            return self.fail(rownum, [("协议编号", f"协议编号「{code}」已被使用，或该协议不在您的查看范围内")])
        return self._new(rownum, code, parsed)

    def _commitment(self, parsed: dict) -> dict:
        unit = parsed.get("member_unit")
        return {"text": parsed.get("text"), "kpi_name": parsed.get("kpi_name"), "measure": parsed.get("measure"),
                "baseline": parsed.get("baseline") or 0, "target": parsed.get("target"),
                "direction": parsed.get("direction") or "at_least", "member_unit": unit.pk if unit else None}

    def _existing(self, rownum: int, agreement, parsed: dict) -> None:
        """A row of an existing agreement: unchanged, or only its commitment's wording (承诺事项) changed."""
        same = next((c for c in agreement.commitments.all() if c.kpi_name == parsed.get("kpi_name")), None)
        wanted = self._commitment(parsed)
        fixed = ("measure", "direction", "member_unit")
        if same is None or any(str(getattr(same, k if k != "member_unit" else "member_unit_id") or "")
                               != str(wanted[k] or "") for k in fixed) \
                or same.target != wanted["target"] or same.baseline != wanted["baseline"]:
            return self.fail(rownum, [("协议编号", "已有协议的指标和目标不能通过导入修改，请在协议页面上操作")])
        if wanted["text"] != same.text:
            if not policies.manages(self.user, agreement):
                return self.fail(rownum, [("协议编号", "该协议不在您的管理范围内，不能修改")])
            _cleaned, errors = services.clean_commitment(wanted, parties={wanted["member_unit"]})
            if "text" in errors:
                return self.fail(rownum, [("承诺事项", m) for m in errors["text"]])
            self.renamed.append((same, wanted["text"]))
        else:
            self.unchanged += 1
        return None

    def _new(self, rownum: int, code: str, parsed: dict) -> None:
        errors = []
        plan = self.new.get(code)
        cells = {k: parsed.get(k) for k in AGREEMENT_CELLS}
        if plan is None:
            region = self.regions.get(cells["subdistrict_code"] or "")
            if region is None:
                errors.append(("街道编码", "找不到该街道，或不在您的管理范围内"))
            codes = [p for p in re.split(r"[、,，;；\s]+", cells["party_codes"] or "") if p]
            units = [self.units.get(c) for c in codes]
            if not codes:
                errors.append(("共建单位编码", "必填，至少一个共建单位"))
            for c, u in zip(codes, units, strict=True):
                if u is None:
                    errors.append(("共建单位编码", f"找不到共建单位「{c}」，或不在您的管理范围内"))
            if not cells["agreement_title"]:
                errors.append(("协议名称", "必填，不能为空"))
            if cells["term_from"] and cells["term_to"] and cells["term_to"] <= cells["term_from"]:
                errors.append(("截止日期", "截止日期须晚于起始日期"))
            plan = {"cells": cells, "row": rownum, "region": region, "units": [u for u in units if u],
                    "commitments": [], "rows": 0}
            if not errors:
                self.new[code] = plan
        elif cells != plan["cells"]:
            errors.append(("协议编号", f"同一协议的各行须一致，请与第 {plan['row']} 行相同"))
        if not errors:
            commitment = self._commitment(parsed)
            unit_pks = {u.pk for u in plan["units"]}
            _cleaned, found = services.clean_commitment(commitment, parties=unit_pks)
            headers = {"text": "承诺事项", "kpi_name": "指标", "measure": "计量单位", "baseline": "基线",
                       "target": "目标值", "direction": "方向", "member_unit": "承诺单位编码"}
            errors += [(headers.get(k, k), m) for k, ms in found.items() for m in ms]
            if any(c["kpi_name"] == commitment["kpi_name"] for c in plan["commitments"]):
                errors.append(("指标", "同一协议中指标名称不能重复"))
            if not errors:
                plan["commitments"].append(commitment)
                plan["rows"] += 1
        if errors:
            return self.fail(rownum, errors)
        return None

    def write(self) -> None:
        self.result.created = sum(p["rows"] for p in self.new.values())
        self.result.unchanged = self.unchanged
        self.result.updated = len(self.renamed)
        if self.renamed:
            services.reword_commitments(self.renamed, actor=self.user)
        plans = [{"region": p["region"], "code": code, "title": p["cells"]["agreement_title"],
                  "starts_on": p["cells"]["term_from"], "ends_on": p["cells"]["term_to"],
                  "memo": p["cells"]["work_memo"] or "", "units": p["units"], "commitments": p["commitments"]}
                 for code, p in self.new.items()]
        if plans:
            services.import_agreements(plans, actor=self.user)


AGREEMENTS = ListSpec(
    "joint-agreements", "共建协议", Commitment, (
        Col("协议编号", "agreement_code", required=True, hint="必填；新编号即新协议（草稿）"),
        Col("承诺事项", "text", required=True, hint="必填；已有协议仅此项可通过导入修改"),
        Col("协议名称", "agreement_title", required=True, hint="必填，同一协议各行相同"),
        Col("街道编码", "subdistrict_code", required=True, hint="必填，签约街道的编码"),
        Col("共建单位编码", "party_codes", required=True, hint="必填，多个用、隔开"),
        Col("起始日期", "term_from", "date", True, "必填，如 2025-01-01"),
        Col("截止日期", "term_to", "date", True, "必填，晚于起始日期"),
        Col("工作备忘", "work_memo"),
        Col("状态", "agreement_state", hint=READ_ONLY, value=lambda c: STATE_ZH.get(c.agreement_state, "")),
        Col("指标", "kpi_name", required=True, hint="必填，如 清理无证摊点"),
        Col("计量单位", "measure", required=True, hint="必填，如 个、人、件"),
        Col("基线", "baseline", "decimal", hint="不小于 0，默认 0"),
        Col("目标值", "target", "decimal", True, "必填，不小于 0"),
        Col("方向", "direction", "choice", hint="达到 / 降至，默认 达到", choices=DIRECTION_ZH),
        Col("承诺单位编码", "member_unit", "fk", hint="留空为各方共同承诺", ref=MemberUnit, lookup="code"),
    ),
    rows=export_rows, view=(policies.VIEW,), edit=(policies.MANAGE,), key=("agreement_code",),
    importer=AgreementImporter,
)
