"""A granted proposal for the delivery tests, built directly (the calls part's services are written in parallel):
a fund with its allocation, a call, a proposal with approved budget lines, walked through its states with the
shared transition writer, and the grant booked on the ledger."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from gongzhi.core.workflow import SYSTEM, record_creation, transition
from gongzhi.funds.models import BudgetLine, Call, EntryKind, Fund, FundKind, Proposal
from gongzhi.funds.services.ledger import grant_from, post_entry
from gongzhi.funds.workflow import PROPOSAL_FLOW, ProposalAction, ProposalState

_n = itertools.count(1)


def fund(area, *, year: int | None = None, allocation="50000.00") -> Fund:
    year = year or timezone.localdate().year
    found = Fund.objects.filter(region=area, kind=FundKind.AUTONOMY, year=year).first()
    if found is None:
        found = Fund.objects.create(name=f"{area.name}{year}年自治金", kind=FundKind.AUTONOMY, region=area, year=year)
    post_entry(found, actor=SYSTEM, kind=EntryKind.ALLOCATION, amount=allocation, note="街道下拨")
    return found


@dataclass
class Granted:
    proposal: Proposal
    fund: Fund
    lines: list[BudgetLine]


def granted(area, *, lines=(("材料", "3000.00"), ("劳务", "2000.00")), submitted_by=None, title: str = "",
            starts_on: date | None = None, ends_on: date | None = None, topic=None, fund_=None,
            granted_on: date | None = None, **proposal_fields) -> Granted:
    """A proposal of `area`'s autonomy fund, granted the sum of its approved `lines` ((item, approved) pairs);
    the project runs from 30 days ago to 90 days ahead unless told otherwise."""
    today = timezone.localdate()
    fund_ = fund_ or fund(area)
    call = Call.objects.create(fund=fund_, title=f"{fund_.year}年自治项目征集{next(_n)}", budget=Decimal("50000"))
    proposal = Proposal.objects.create(
        call=call, title=title or f"楼道歇歇椅{next(_n)}", summary="在楼道转角安装折叠座椅，方便老人上楼歇脚。",
        team_name="歇歇椅志愿者团队", contact_name="王阿姨", contact_phone="13912345678",
        beneficiaries="3至5号楼老人", beneficiary_count=60, starts_on=starts_on or today - timedelta(days=30),
        ends_on=ends_on or today + timedelta(days=90), submitted_by=submitted_by, topic=topic,
        state=ProposalState.SUBMITTED, **proposal_fields)
    record_creation(proposal, ProposalAction.PROPOSE, workflow=PROPOSAL_FLOW, actor=SYSTEM)
    made = [BudgetLine.objects.create(proposal=proposal, item=item, quantity=1, unit_price=Decimal(amount),
                                      amount=Decimal(amount), approved=Decimal(amount), position=i)
            for i, (item, amount) in enumerate(lines)]
    total = sum((line.approved for line in made), Decimal("0"))
    transition(proposal, ProposalAction.REVIEW, workflow=PROPOSAL_FLOW, actor=SYSTEM, note="可行，价格合理",
               approved_amount=total)
    transition(proposal, ProposalAction.SELECT, workflow=PROPOSAL_FLOW, actor=SYSTEM)
    proposal = transition(proposal, ProposalAction.GRANT, workflow=PROPOSAL_FLOW, actor=SYSTEM)
    grant_from(fund_, actor=SYSTEM, amount=total, proposal=proposal, occurred_on=granted_on)
    proposal.refresh_from_db()
    return Granted(proposal, fund_, made)


def held_review(area, convener, *, title: str = "年度自治项目评议会"):
    """A review meeting (事后评议) held on a topic of `area`, written directly in the state the completion needs."""
    from gongzhi.deliberation.models import Meeting, MeetingKind, Topic
    from gongzhi.deliberation.workflow import MeetingState, TopicState

    topic = Topic.objects.create(title=f"{area.name}自治项目评议", area=area, state=TopicState.IMPLEMENTING)
    return Meeting.objects.create(topic=topic, kind=MeetingKind.REVIEW, title=title, starts_at=timezone.now(),
                                  convener=convener, state=MeetingState.HELD)


def png(name: str = "photo.png", size=(8, 8)):
    """A small real PNG upload."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def pdf(name: str = "receipt.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n", content_type="application/pdf")
