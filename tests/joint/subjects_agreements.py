"""Workflow-walk subjects of the agreements part (tests/core/test_workflow.py): a co-building agreement straight in
a given state, on the factories' street (the sub-district and its hospital)."""

import datetime as dt

from gongzhi.joint.models import Agreement, AgreementParty, Commitment


def agreement(street, state: str = "draft"):
    made = Agreement.objects.create(code=f"WALK-{Agreement.objects.count() + 1}", title="医院周边环境治理共建协议",
                                    region=street.subdistrict, starts_on=dt.date(2025, 1, 1),
                                    ends_on=dt.date(2025, 3, 31), memo="联合工作站", state=state)
    AgreementParty.objects.create(agreement=made, member_unit=street.unit_a)
    Commitment.objects.create(agreement=made, text="清理无证摊点", kpi_name="清理无证摊点", measure="个", target=400)
    return made


SUBJECTS = {
    "joint.Agreement": agreement,
}
