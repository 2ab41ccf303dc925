"""The ledger part's lists in Excel (gongzhi.core.excel):

* the auditor's ledger (资金台账): every row of the funds the user sees (one fund with ?fund=), in ledger order with
  the running balance and an empty 核对 column to tick off;
* the receipts list (票据清单): the delivery part's spending rows with their receipt numbers and whether a scan is
  attached;
* the donations list (捐赠清单), exported and imported: new donations only (an existing one is matched by its
  编号 and cannot be changed), all or nothing, booked through `record_donation`;
* the yearly summary workbook (not a list: built by `summary_workbook`).
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from gongzhi.accounts.scope import scope_for
from gongzhi.core.errors import ValidationFailed
from gongzhi.core.excel import CellError, Col, ListSpec, ModelImporter, new_sheet, to_bytes, write_row
from gongzhi.funds.models import Donation, DonorKind, Fund, LedgerEntry, Spending
from gongzhi.funds.policies import ledger as policies
from gongzhi.funds.selectors import ledger as selectors
from gongzhi.funds.services import donations as services
from gongzhi.funds.services.ledger import to_amount
from gongzhi.registry.models import MemberUnit

ENTRY_KINDS = {"allocation": "街道下拨", "donation": "捐赠", "grant": "项目拨付", "return": "结余退回"}
DONOR_KINDS = {"unit": "单位", "person": "个人", "event": "慈善活动"}


def _money(value):
    return float(value) if value is not None else None


FUND_LEDGER = ListSpec(
    "fund_ledger", "资金台账", LedgerEntry, (
        Col("基金", "fund", value=lambda e: e.fund.name),
        Col("日期", "occurred_on", "date"),
        Col("类型", "kind", "choice", choices=ENTRY_KINDS),
        Col("金额（元）", "amount", "decimal"),
        Col("票据号", "receipt_no"),
        Col("项目", "proposal", value=lambda e: e.proposal.title if e.proposal_id else None),
        Col("摘要", "note"),
        Col("记录人", "recorded_by", value=lambda e: str(e.recorded_by) if e.recorded_by_id else "系统"),
        Col("余额（元）", "running", value=lambda e: _money(e.running)),
        Col("已核对", "checked", value=lambda e: None),
    ),
    rows=selectors.auditor_rows,
    view=(policies.VIEW,),
    key=("id",),
)

RECEIPTS = ListSpec(
    "fund_receipts", "票据清单", Spending, (
        Col("基金", "fund", value=lambda s: s.proposal.call.fund.name),
        Col("项目", "proposal", value=lambda s: s.proposal.title),
        Col("预算科目", "budget_line", value=lambda s: s.budget_line.item),
        Col("收款方", "payee"),
        Col("金额（元）", "amount", "decimal"),
        Col("日期", "spent_on", "date"),
        Col("票据号", "receipt_no"),
        Col("有扫描件", "scan", value=lambda s: "是" if s.receipt else "否"),
        Col("已核对", "checked", value=lambda s: None),
    ),
    rows=selectors.receipts_for,
    view=(policies.VIEW,),
    key=("id",),
)


class DonationImporter(ModelImporter):
    """New donations only: a row with a 编号 must be an unchanged donation the user sees (an export imports again
    as a no-op); a blank 编号 books a new donation. Every rule of `record_donation` is checked here first, so a
    file with one bad row writes nothing."""

    def __init__(self, spec: ListSpec, user):
        super().__init__(spec, user)
        self.visible = {d.pk: d for d in selectors.donations_for(user)}
        self.keeps = {f.pk for f in selectors.funds_for(user).filter(is_active=True)
                      if policies.keeps_ledger(user, f)}
        self.seen_ids: dict[int, int] = {}

    def lookup(self, col: Col, value: str, rownum: int):
        if col.field == "fund":
            found = [f for f in selectors.funds_for(self.user) if f.name == value]
            if len(found) != 1:
                raise CellError(f"找不到基金「{value}」，或不在您的查看范围内" if not found
                                else f"有多个名为「{value}」的基金，无法确定")
            return found[0]
        return super().lookup(col, value, rownum)

    def validate_row(self, rownum: int, values: dict, columns: list[Col]) -> None:
        parsed, errors = self.parse_row(rownum, values, columns)
        if errors:
            return self.fail(rownum, errors)
        pk = parsed.get("id")
        if pk is not None:
            if pk in self.seen_ids:
                return self.fail(rownum, [("编号", f"与第 {self.seen_ids[pk]} 行重复")])
            self.seen_ids[pk] = rownum
            if pk not in self.visible:
                return self.fail(rownum, [("编号", f"找不到编号为 {pk} 的捐赠，或不在您的查看范围内")])
            return self.existing(rownum, self.visible[pk], parsed)
        fund, kind, unit = parsed.get("fund"), parsed.get("donor_kind") or "", parsed.get("donor_unit")
        if fund is None:
            errors.append(("基金", "必填，不能为空"))
        elif fund.pk not in self.keeps:
            errors.append(("基金", "该基金已关闭或不在您的记账范围内"))
        if not kind:
            kind = DonorKind.UNIT if unit else DonorKind.PERSON
        if kind == DonorKind.UNIT and unit is None:
            errors.append(("捐赠单位", "单位捐赠须填写捐赠单位"))
        elif kind == DonorKind.PERSON and not parsed.get("donor_name"):
            errors.append(("捐赠人", "个人捐赠须填写捐赠人"))
        elif kind == DonorKind.EVENT:
            errors.append(("捐赠方类型", "慈善活动的捐赠请在活动页面登记拍品成交"))
        for header, field in (("捐赠人", "donor_name"), ("联系电话", "donor_phone")):
            if "*" in (parsed.get(field) or ""):
                errors.append((header, "含 * 的脱敏信息不能导入，请填写完整内容"))
        try:
            amount = to_amount(parsed.get("amount"))
        except ValidationFailed:
            amount = None
            errors.append(("金额（元）", "应为大于零、最多两位小数的金额"))
        day = parsed.get("donated_on")
        if day and day > timezone.localdate():
            errors.append(("日期", "日期不能晚于今天"))
        if errors:
            return self.fail(rownum, errors)
        obj = Donation(fund=fund, donor_kind=kind, donor_unit=unit if kind == DonorKind.UNIT else None,
                       donor_name=parsed.get("donor_name") or "", donor_phone=parsed.get("donor_phone") or "",
                       amount=amount, donated_on=day or timezone.localdate(), purpose=parsed.get("purpose") or "",
                       receipt_no=parsed.get("receipt_no") or "")
        self.plans.append((obj, True, {}, {}, True))
        return None


    def existing(self, rownum: int, obj: Donation, parsed: dict) -> None:
        """A recorded donation: its money (fund, amount, date) never changes; its purpose may be corrected."""
        fund, amount, day = parsed.get("fund"), parsed.get("amount"), parsed.get("donated_on")
        if (fund is not None and fund.pk != obj.fund_id) or (amount is not None and amount != obj.amount) or (
                day is not None and day != obj.donated_on):
            return self.fail(rownum, [("编号", "已登记的捐赠不能修改基金、金额或日期；如有差错请另行登记更正")])
        purpose = (parsed.get("purpose") or "").strip()
        changed = "purpose" in parsed and purpose != obj.purpose
        if changed:
            if obj.fund_id not in self.keeps:
                return self.fail(rownum, [("编号", "该捐赠不在您的记账范围内，不能修改")])
            obj.purpose = purpose
        self.plans.append((obj, False, {}, {}, changed))
        return None


def _units(user, model):
    if model is MemberUnit:
        return scope_for(user, policies.LEDGER).filter(MemberUnit.objects.all())
    return selectors.funds_for(user).filter(is_active=True)


DONATIONS = ListSpec(
    "fund_donations", "捐赠清单", Donation, (
        Col("编号", "id", "int", hint="已登记捐赠的编号（导入时不变）；新捐赠留空"),
        Col("基金", "fund", "fk", True, "必填，基金名称", ref=Fund, lookup="name"),
        Col("捐赠方类型", "donor_kind", "choice", hint="单位 / 个人，默认按是否填写捐赠单位", choices=DONOR_KINDS),
        Col("捐赠单位", "donor_unit", "fk", hint="共建单位编码", ref=MemberUnit),
        Col("捐赠人", "donor_name", hint="个人捐赠必填"),
        Col("联系电话", "donor_phone"),
        Col("慈善活动", "event_name", value=lambda d: d.event.name if d.event_id else None),
        Col("金额（元）", "amount", "decimal", True, "必填，如 5000 或 49028.10"),
        Col("日期", "donated_on", "date", True, "必填，如 2026-03-01"),
        Col("用途", "purpose"),
        Col("票据号", "receipt_no"),
    ),
    rows=lambda user, params: selectors.donation_list(user, params),
    view=(policies.VIEW,),
    edit=(policies.LEDGER,),
    key=("id",),
    importer=DonationImporter,
    choosable=_units,
    write=services.import_donations,
)


def summary_workbook(rows: list, year: int) -> bytes:
    """The yearly summary as a workbook: one line per residential area, then the sub-district's total."""
    wb, ws = new_sheet(f"{year}年度汇总", ["区域", "征集项目", "资助项目", "已完成", "拨付金额（元）", "支出金额（元）",
                                         "执行率（%）"])

    def line(row, label):
        write_row(ws, [label, row.collected, row.funded, row.completed, _money(row.granted), _money(row.spent),
                       float(row.spend_rate) if row.spend_rate is not None else None])

    for sub in rows:
        for area in sub.areas:
            line(area, area.label)
        line(sub, f"{sub.label}（合计）")
    wb.properties.title = f"{year}年度自治金汇总"
    return to_bytes(wb)


def summary_file_name(year: int) -> str:
    return f"自治金年度汇总-{year}-{date.today().isoformat()}.xlsx"
