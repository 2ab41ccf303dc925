"""The councils part's list in Excel: every council seat the user may see (export only; seats are added on the
council's page, where the shape is checked seat by seat)."""

from __future__ import annotations

from gongzhi.accounts.roles import Capability
from gongzhi.core.excel import Col, ListSpec
from gongzhi.deliberation.models.councils import CouncilSeat
from gongzhi.deliberation.selectors import councils as selectors

SEAT_KINDS = {
    "convener": "召集人（党组织书记）", "party_org": "党组织", "residents_committee": "居委会", "owners_committee": "业委会",
    "property_company": "物业公司", "professional": "专业力量", "member_unit": "共建单位",
    "resident_representative": "居民代表", "party_member": "党员", "other": "其他",
}


def _holder_kind(seat: CouncilSeat) -> str:
    return {"unit": "共建单位", "org": "党组织", "person": "个人"}[seat.holder_kind]


COUNCIL_SEATS = ListSpec(
    "council_seats", "议事会席位", CouncilSeat, (
        Col("议事会", "council", value=lambda s: s.council.name),
        Col("居民区", "area", value=lambda s: s.council.area.name),
        Col("小区", "estate", value=lambda s: s.council.estate.name if s.council.estate_id else ""),
        Col("架构", "shape", value=lambda s: s.council.shape),
        Col("层级", "tier", "int"),
        Col("席位类型", "kind", "choice", choices=SEAT_KINDS),
        Col("职务", "title"),
        Col("席位人/单位", "holder", value=lambda s: str(s.holder)),
        Col("席位类别", "holder_kind", value=_holder_kind),
        Col("所在户", "household", value=lambda s: str(s.household) if s.household_id else ""),
        Col("备注", "note"),
    ),
    rows=selectors.council_seat_rows, view=(Capability.VIEW_DELIBERATION,),
)
