"""Authorization-test fixtures of the funds calls part (see gongzhi.core.authz), written through the calls
services: in area A, on the ledger part's fund ``fund_a``, the call ``call_a`` (selecting by council, now granting)
and its proposal ``proposal_a``, reviewed, selected and granted (the delivery part carries it on); a call open
for proposals, ``call_open_a``, with a residents' proposal collecting co-signatures; in each zone
the same call and a granted proposal on a fund of the zone, every text carrying the zone's mark (the contact
person privately: no public page may show it)."""

from __future__ import annotations

from gongzhi.core.authz import ZONES
from gongzhi.core.workflow import SYSTEM
from gongzhi.funds.services import calls as services

LINES = [{"item": "桌椅", "quantity": "2", "unit_price": "300"}, {"item": "油漆", "quantity": "1", "unit_price": "450"}]


def _granted(fund, *, title: str, proposal: str, summary: str, team: str, contact: str, note: str):
    """A call through its phases to granting, with one proposal reviewed, selected by the council and granted."""
    call = services.create_call(fund, actor=SYSTEM, title=title, budget="20000", description=summary,
                                selection="council")
    services.transition_call(call, "open", actor=SYSTEM)
    made = services.submit_proposal(call, actor=SYSTEM, title=proposal, summary=summary, origin="residents",
                                    team_name=team, contact_name=contact, contact_phone="13900000001", lines=LINES)
    services.transition_call(call, "close_intake", actor=SYSTEM)
    lines = {line.pk: line.amount for line in made.budget_lines.all()}
    services.review_proposal(made, actor=SYSTEM, approved_lines=lines, note=note)
    services.transition_call(call, "start_selection", actor=SYSTEM)
    services.decide_proposal(made, actor=SYSTEM, selected=True, note=note)
    services.transition_call(call, "start_granting", actor=SYSTEM)
    made = services.grant_proposal(made, actor=SYSTEM)
    call.refresh_from_db()
    return call, made


def build(world) -> dict:
    fund = world.objects["fund_a"]  # the ledger part builds first (gongzhi.funds.apps.PARTS)
    call, proposal = _granted(fund, title="梧桐居民区自治项目征集", proposal="楼道歇歇椅", summary="每层楼道放折叠椅",
                              team="梧桐睦邻队", contact="王阿姨", note="价格合理")
    accepting = services.create_call(fund, actor=SYSTEM, title="梧桐居民区微更新征集", budget="5000", cosigns_needed=3)
    services.transition_call(accepting, "open", actor=SYSTEM)
    collecting = services.submit_proposal(accepting, actor=SYSTEM, title="自治花园", summary="楼前空地种花",
                                          team_name="3号楼居民", contact_name="李老师", contact_phone="13900000002",
                                          lines=LINES)
    accepting.refresh_from_db()
    made = {"call_a": call, "proposal_a": proposal, "call_open_a": accepting, "proposal_collecting_a": collecting}
    for zone in ZONES:
        made.update(_zone(world, zone))
    return made


def _zone(world, zone: str) -> dict:
    def mark(label):
        return world.mark(zone, label)

    fund = world.objects[f"fund_a@{zone}"]
    call, proposal = _granted(fund, title=mark("项目征集"), proposal=mark("提案"), summary=mark("提案说明"),
                              team=mark("团队"), contact=world.mark(zone, "联系人", private=True),
                              note=world.mark(zone, "审核意见", private=True))
    return {f"call_a@{zone}": call, f"proposal_a@{zone}": proposal}
