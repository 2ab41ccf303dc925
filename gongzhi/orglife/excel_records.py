"""The records part's lists in Excel (gongzhi.core.excel): democratic appraisal results (export, and an
all-or-nothing import) and mobile members (export; the whereabouts masked unless the export is revealed).

Appraisals, one row per member and year. The member is named by their name and the code of their party
organization (it must be in the importer's ``orglife.record`` scope); a row of a member and year already
recorded corrects that result (one row per member and year). Nothing is written unless every row passes.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import override

from gongzhi.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from gongzhi.core.excel import Col, ImportResult, ListSpec, ModelImporter
from gongzhi.orglife.models import Appraisal, MobileMember
from gongzhi.orglife.policies.records import RECORD, VIEW
from gongzhi.orglife.selectors import records as selectors
from gongzhi.orglife.services import records as services
from gongzhi.registry.models import PartyOrg

RESULT_ZH = {"excellent": "优秀", "qualified": "合格", "basically_qualified": "基本合格", "unqualified": "不合格"}
HEADERS = {"member": "党员姓名", "member_name": "党员姓名", "member_org": "党组织编码", "year": "年度",
           "result": "评议结果", "note": "备注"}
READ_ONLY = "仅供查看，导入时忽略"


class AppraisalImporter(ModelImporter):
    """Rows keyed by member (name + organization code) and year; see the module's docstring."""

    def __init__(self, spec: ListSpec, user):
        self.spec, self.user, self.model = spec, user, Appraisal
        self.result, self.refs, self.objects, self.defined_at, self.plans = ImportResult(), {}, [], {}, []
        self.scoped, self.seen = {}, {}
        self.rows: list[dict] = []
        self.rownums: list[int] = []

    def blank_value(self, col: Col):
        return None if col.type in ("int", "choice") else ""

    def validate_row(self, rownum: int, values: dict, columns: list[Col]) -> None:
        parsed, errors = self.parse_row(rownum, values, columns)
        if errors:
            return self.fail(rownum, errors)
        name, code = (parsed.get("member_name") or "").strip(), (parsed.get("member_org") or "").strip()
        found = list(selectors.members_for(self.user, RECORD).filter(
            name=name, **({"organization__code": code} if code else {}))[:2])
        if not found:
            return self.fail(rownum, [("党员姓名", f"找不到党员「{name}」，或不在您的管理范围内")])
        if len(found) > 1:
            return self.fail(rownum, [("党组织编码", f"有多名党员叫「{name}」，请填写其党组织编码")])
        year = parsed.get("year")
        if year is None or not 1949 <= year <= timezone.localdate().year:
            return self.fail(rownum, [("年度", "请填写不晚于今年的年度，如 2024")])
        key = (found[0].pk, year)
        if key in self.seen:
            return self.fail(rownum, [("党员姓名", f"与第 {self.seen[key]} 行重复")])
        self.seen[key] = rownum
        existing = Appraisal.objects.filter(member=found[0], year=year).first()
        row = {"member": found[0], "year": year, "result": parsed["result"], "note": parsed.get("note") or ""}
        changed = existing is None or (existing.result, existing.note) != (row["result"], row["note"].strip())
        self.rows.append(row)
        self.rownums.append(rownum)
        self.plans.append((existing or Appraisal(), existing is None, {}, {}, changed))
        return None

    def validate(self, positions, rows, progress=None) -> None:
        super().validate(positions, rows, progress)
        if not self.result.ok or not self.rows:
            return
        with transaction.atomic(), override("zh-hans"):  # a dry run of the whole file, rolled back
            for rownum, row in zip(self.rownums, self.rows, strict=True):
                try:
                    with transaction.atomic():
                        services.import_appraisals([row], actor=self.user)
                except (ValidationFailed, Forbidden, Conflict, NotFound) as e:
                    self.fail(rownum, [(HEADERS.get(k, k), m) for k, ms in (e.field_errors or {"": [e.message]})
                                      .items() for m in ms])
            transaction.set_rollback(True)

    def write(self) -> None:
        self.count()
        services.import_appraisals(self.rows, actor=self.user)


def _appraisal_rows(user, params):
    return selectors.appraisal_rows(user, params).select_related("member__organization")


APPRAISALS = ListSpec(
    "orglife-appraisals", "民主评议结果", Appraisal, (
        Col("党员姓名", "member_name", required=True, hint="必填"),
        Col("党组织编码", "member_org", hint="党员重名时填写其党组织编码"),
        Col("年度", "year", "int", True, "必填，如 2024"),
        Col("评议结果", "result", "choice", True, "必填：" + " / ".join(RESULT_ZH.values()), choices=RESULT_ZH),
        Col("备注", "note"),
        Col("党组织", "org_name", hint=READ_ONLY, value=lambda a: a.member.organization.name),
    ),
    rows=_appraisal_rows, view=(VIEW,), edit=(RECORD,), key=("member_name", "member_org", "year"),
    importer=AppraisalImporter,
)


def _mobile_rows(user, params):
    return selectors.mobile_export_rows(user, params)


def _home(m: MobileMember) -> str | None:
    return m.home_org.name if m.home_org_id else None


MOBILE_MEMBERS = ListSpec(
    "orglife-mobile-members", "流动党员", MobileMember, (
        Col("姓名", "member_name", value=lambda m: m.member.name),
        Col("党组织", "org_name", value=lambda m: m.member.organization.name),
        Col("流出地党组织", "home_org", "fk", ref=PartyOrg),
        Col("流出地党组织（平台外）", "home_org_name"),
        Col("外出去向", "whereabouts"),
        Col("外出日期", "left_on", "date"),
        Col("仍在流动", "active", "bool"),
        Col("最近联系", "last_contact_text",
            value=lambda m: m.last_contact.isoformat() if getattr(m, "last_contact", None) else None),
        Col("未联系天数", "days_text", value=lambda m: (timezone.localdate() - m.last_contact).days
            if getattr(m, "last_contact", None) else None),
    ),
    rows=_mobile_rows, view=(VIEW,),
)
