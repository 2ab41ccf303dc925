"""Authorization-test fixtures of the funds delivery part (see gongzhi.core.authz): a granted proposal of area A's
autonomy fund (the calls part's ``proposal_a`` when it is granted by then, else one made here) with a milestone, a
spending row with its receipt scan and a photo; and in each zone a granted proposal with the same, its texts
carrying the zone's mark (a person's name, a payee, a note: the private mark)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongzhi.core.authz import ZONES
from gongzhi.core.workflow import SYSTEM, record_creation, transition
from gongzhi.funds.models import BudgetLine, Call, EntryKind, Fund, FundKind, PhotoStage, Proposal
from gongzhi.funds.services import delivery as services
from gongzhi.funds.services.donations import open_fund
from gongzhi.funds.services.ledger import balance, grant_from, post_entry
from gongzhi.funds.workflow import FUNDED_STATES, PROPOSAL_FLOW, ProposalAction, ProposalState

GIF = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00"
       b"\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")


def _fund(area, name: str, amount: Decimal) -> Fund:
    year = timezone.localdate().year
    fund = Fund.objects.filter(region=area, kind=FundKind.AUTONOMY, year=year).first()
    if fund is None:
        fund = open_fund(actor=SYSTEM, name=name, kind=FundKind.AUTONOMY, region=area, year=year)
    if balance(fund) < amount:
        post_entry(fund, actor=SYSTEM, kind=EntryKind.ALLOCATION, amount=amount, note=name[:200])
    return fund


def granted(area, mark=lambda label, private=False: label) -> Proposal:
    """A granted proposal of `area`'s autonomy fund, walked through its states by the shared writer."""
    today = timezone.localdate()
    fund = _fund(area, mark("自治金"), Decimal("5000.00"))
    call = Call.objects.create(fund=fund, title=mark("自治项目征集"), description=mark("说明"), budget=Decimal("5000"))
    proposal = Proposal.objects.create(
        call=call, title=mark("楼道歇歇椅"), summary=mark("楼道安装座椅"), team_name=mark("歇歇椅团队"),
        contact_name=mark("王", private=True)[:40], contact_phone="13912345678", beneficiaries=mark("老人"),
        beneficiary_count=30, starts_on=today - timedelta(days=30), ends_on=today + timedelta(days=90),
        state=ProposalState.SUBMITTED)
    record_creation(proposal, ProposalAction.PROPOSE, workflow=PROPOSAL_FLOW, actor=SYSTEM)
    BudgetLine.objects.create(proposal=proposal, item=mark("座椅"), unit_price=Decimal("800"), amount=Decimal("800"),
                              approved=Decimal("800"))
    transition(proposal, ProposalAction.REVIEW, workflow=PROPOSAL_FLOW, actor=SYSTEM, note=mark("可行", private=True),
               approved_amount=Decimal("800"))
    transition(proposal, ProposalAction.SELECT, workflow=PROPOSAL_FLOW, actor=SYSTEM)
    proposal = transition(proposal, ProposalAction.GRANT, workflow=PROPOSAL_FLOW, actor=SYSTEM)
    grant_from(fund, actor=SYSTEM, amount=Decimal("800"), proposal=proposal)
    return proposal


def _deliver(proposal, mark=lambda label, private=False: label) -> dict:
    """A milestone, a spending row with its receipt scan (a PDF), a before photo."""
    today = timezone.localdate()
    milestone = services.add_milestone(proposal, actor=SYSTEM, title=mark("采购"), due_on=today,
                                       note=mark("备注", private=True))
    spending = services.record_spending(
        proposal, actor=SYSTEM, budget_line=proposal.budget_lines.first(), amount="120.50", spent_on=today,
        payee=mark("五金店", private=True), receipt_no="R-1", note=mark("备注", private=True),
        receipt=SimpleUploadedFile("r.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"))
    services.add_photo(proposal, actor=SYSTEM, stage=PhotoStage.BEFORE, caption=mark("改造前"),
                       image=SimpleUploadedFile("p.gif", GIF, content_type="image/gif"))
    return {"milestone": milestone, "spending": spending}


def build(world) -> dict:
    found = world.objects.get("proposal_a")
    target = found if isinstance(found, Proposal) and found.state in FUNDED_STATES else granted(world["area_a"])
    made = _deliver(target)
    result = {"delivery_proposal_a": target, "delivery_milestone_a": made["milestone"],
              "delivery_spending_a": made["spending"]}
    for zone in ZONES:
        def mark(label, private=False, zone=zone):
            return world.mark(zone, label, private=private)

        other = granted(world.area(zone), mark)
        done = _deliver(other, mark)
        result |= {f"delivery_proposal_a@{zone}": other, f"delivery_milestone_a@{zone}": done["milestone"],
                   f"delivery_spending_a@{zone}": done["spending"]}
    return result
