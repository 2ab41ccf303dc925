"""Demo data of the councils part of deliberation, written through its services by the areas' secretaries:

* the deliberation rules (议事八则) of every residential area, revised in a few of them (seed 003);
* the 零距离家园理事会 shaped "1+4+16" in the first (old-lane) area (seed 000), and a "1+3+N" council in a
  high-rise area (seed 003: the party branch with the residents' committee, the owners' committee and the property
  company, and the units around them);
* owners' committees for about half of the estates with committees (002: a party work group sent in);
* an estate whose committee was finally elected after twelve years, the election notarized, with candidates vetted
  against seed 004's checklist and a party member with property-management experience elected director; and an
  election still vetting its candidates.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from gongzhi.core.workflow import SYSTEM
from gongzhi.deliberation.models.councils import (
    CommitteeRole,
    CouncilSeatKind,
    Opinion,
    PoliticalStatus,
    Relations,
)
from gongzhi.deliberation.services import councils as services
from gongzhi.deliberation.workflows_councils import CandidateAction
from gongzhi.demo import SEED
from gongzhi.registry.models import Household, MemberUnit, PartyMember, PartyOrgKind

K = CouncilSeatKind

RULES_V1 = """一、议事范围：涉及居民区公共利益、居民普遍关心的事项，均可提交议事会协商。
二、议题提出：居民、楼组长、党员、共建单位均可提出议题，由居民区党组织审核后列入议程。
三、事前听证：重大事项决策前召开听证会，充分听取利益相关方意见。
四、事中协调：实施过程中召开协调会，协调各方力量，及时化解矛盾。
五、事后评议：事项完成后召开评议会，由居民对实施效果进行评议。
六、议事程序：会议须有三分之二以上成员到会，决议须经到会成员过半数同意。
七、结果公示：议事结果在居民区公告栏和线上平台公示，接受居民监督。
八、跟踪落实：决议事项明确责任人和完成时限，由居委会跟踪督办。"""

RULES_V2_CHANGES = (
    ("六、议事程序：会议须有三分之二以上成员到会，决议须经到会成员过半数同意。",
     "六、议事程序：会议须有三分之二以上成员到会（含线上参会），决议须经到会成员过半数同意；涉及全体业主共有部分"
     "的事项，另按业主大会议事规则表决。"),
    ("七、结果公示：议事结果在居民区公告栏和线上平台公示，接受居民监督。",
     "七、结果公示：议事结果在居民区公告栏和线上平台公示不少于七日，接受居民监督。"),
)

SKILLS = ("商务楼宇物业管理", "财务会计", "法律", "建筑工程", "社区志愿服务", "教育", "电梯维保", "信息技术", "退休干部")
OCCUPATIONS = ("退休", "企业职员", "教师（退休）", "会计师", "律师", "工程师", "个体经营")


def seed(ctx) -> None:
    rng = random.Random(SEED * 100 + 12)  # a stream of its own: the parts after this one keep their draws
    _rules(ctx)
    _zero_distance_council(ctx, rng)
    _one_three_n_council(ctx, rng)
    _committees(ctx, rng)
    _elections(ctx, rng)


def _secretary(ctx, area):
    return ctx.users.get(f"secretary{ctx.areas.index(area) + 1}", SYSTEM)


def _area_org(ctx, area):
    return next(o for o in ctx.orgs.values() if o.region_id == area.pk and o.member_unit_id is None
                and o.kind in (PartyOrgKind.GENERAL_BRANCH, PartyOrgKind.BRANCH))


def _area_members(area):
    return list(PartyMember.objects.filter(organization__region__path__startswith=area.path,
                                           organization__member_unit__isnull=True).order_by("pk"))


def _households(area, estate=None):
    qs = Household.objects.filter(building__region__path__startswith=area.path).select_related("building")
    return list((qs.filter(building__estate=estate) if estate else qs).order_by("pk")[:400])


# --------------------------------------------------------------------------- rules

def _rules(ctx) -> None:
    for i, area in enumerate(ctx.areas):
        actor = _secretary(ctx, area)
        services.edit_rules(area, actor=actor, title="议事八则", text=RULES_V1, effective_on=date(2019, 3, 1),
                            change_note="居民区党组织牵头制定，经居民代表会议通过")
        if i % 4 == 0:  # a few areas revised theirs: meetings online too, results posted for a week
            text = RULES_V1
            for old, new in RULES_V2_CHANGES:
                text = text.replace(old, new)
            services.edit_rules(area, actor=actor, title="议事八则", text=text, effective_on=date(2025, 6, 1),
                                change_note="增加线上参会；公示期不少于七日")


# --------------------------------------------------------------------------- councils

def _zero_distance_council(ctx, rng) -> None:
    """零距离家园理事会, "1+4+16": the area party organization's secretary convenes; four bodies; sixteen members."""
    area = ctx.areas[0]
    actor, names = _secretary(ctx, area), ctx.names
    council = services.create_council(
        actor=actor, name="零距离家园理事会", area=area, shape="1+4+16", founded_on=date(2018, 5, 10),
        purpose="居民区党组织领导下的协商共治平台：邻里纠纷、油烟扰民、树木修剪、楼道堆物等老大难问题，"
                "由理事会成员集思广益、分头劝说、通力协调解决。")
    org = _area_org(ctx, area)
    services.add_seat(council, actor=actor, kind=K.CONVENER, title="理事长", party_member=org.secretary,
                      note=f"{org.name}书记")
    estate = ctx.extra["estates_by_area"][area.pk][0]
    for kind, title, name, note in (
        (K.RESIDENTS_COMMITTEE, "副理事长", names.name(), area.residents_committee),
        (K.PROPERTY_COMPANY, "理事", estate.property_contact, estate.property_company),
        (K.PROFESSIONAL, "理事", names.name(), "梧桐派出所社区民警"),
        (K.PROFESSIONAL, "理事", names.name(), "梧桐城管中队"),
    ):
        services.add_seat(council, actor=actor, kind=kind, tier=2, title=title, person_name=name, note=note)
    grids = {g.pk for g in ctx.grids_by_area[area.pk]}
    units = [u for u in MemberUnit.objects.filter(region_id__in=grids).order_by("code")][:3]
    for unit in units:
        services.add_seat(council, actor=actor, kind=K.MEMBER_UNIT, tier=3, member_unit=unit, title="理事")
    members = [m for m in _area_members(area) if m.pk != org.secretary_id][:4]
    for m in members:
        services.add_seat(council, actor=actor, kind=K.PARTY_MEMBER, tier=3, party_member=m, title="理事",
                          note="党员骨干")
    households = _households(area)
    for h in rng.sample(households, 16 - len(units) - len(members)):
        services.add_seat(council, actor=actor, kind=K.RESIDENT_REPRESENTATIVE, tier=3, title="理事",
                          person_name=h.head_name, household=h, note="楼组长" if rng.random() < 0.5 else "居民代表")
    ctx.extra["zero_distance_council"] = council


def _one_three_n_council(ctx, rng) -> None:
    """"1+3+N" (seed 003): the party organization at the core with the residents' committee, the owners'
    committee and the property company — the 'three carriages' — and the units and organizations around them."""
    area = next(a for a in ctx.areas if "弄" not in ctx.extra["estates_by_area"][a.pk][0].name)
    actor = _secretary(ctx, area)
    estate = ctx.extra["estates_by_area"][area.pk][0]
    council = services.create_council(actor=actor, name=f"{area.name}“1+3+N”协同治理议事会", area=area,
                                      shape="1+3+N", founded_on=date(2019, 11, 20),
                                      purpose="以党组织为核心，居委会、业委会、物业“三驾马车”协同破解小区物业难点，"
                                              "链接区域内各类组织和资源；小区停车管理办法正在商议中。")
    org = _area_org(ctx, area)
    services.add_seat(council, actor=actor, kind=K.PARTY_ORG, party_org=org, title="召集")
    services.add_seat(council, actor=actor, kind=K.RESIDENTS_COMMITTEE, person_name=ctx.names.name(),
                      title="居委会主任", note=area.residents_committee)
    services.add_seat(council, actor=actor, kind=K.OWNERS_COMMITTEE, person_name=ctx.names.name(),
                      title="业委会主任", note=f"{estate.name}业委会")
    services.add_seat(council, actor=actor, kind=K.PROPERTY_COMPANY, person_name=estate.property_contact,
                      title="物业经理", note=estate.property_company)
    grids = {g.pk for g in ctx.grids_by_area[area.pk]}
    for unit in MemberUnit.objects.filter(region_id__in=grids).order_by("code")[:4]:
        services.add_seat(council, actor=actor, kind=K.MEMBER_UNIT, member_unit=unit)


# --------------------------------------------------------------------------- owners' committees and elections

def _people(ctx, rng, area, estate, n: int, party_share: float) -> list[dict]:
    """Plausible committee members or candidates: owners of the estate, some of them the area's party members."""
    party = _area_members(area)
    households = _households(area, estate)
    rng.shuffle(party)
    people = []
    for i in range(n):
        h = households[(i * 7 + rng.randrange(len(households))) % len(households)] if households else None
        if party and rng.random() < party_share:
            m = party.pop()
            people.append({"name": m.name, "party_member": m, "household": h})
        else:
            people.append({"name": h.head_name if h else ctx.names.name(), "household": h})
    return people


def _committees(ctx, rng) -> None:
    """Committees for about half of the estates outside the old lanes (lane houses are public housing)."""
    estates = [e for e in ctx.extra["estates"] if "弄" not in e.name]
    chosen = estates[::2]
    ctx.extra["committee_estates"] = chosen
    for estate in chosen:
        area = estate.area
        actor = _secretary(ctx, area)
        term = rng.randint(2, 4)
        start = date(2023, rng.randint(1, 12), rng.randint(1, 28))
        party = _area_members(area)
        committee = services.create_committee(
            actor=actor, estate=estate, name=f"{estate.name}业主委员会", term_number=term, term_start=start,
            term_end=start.replace(year=start.year + 5) - timedelta(days=1),
            party_work_group=rng.sample(party, min(3, len(party))),
            party_work_group_note="居民区党组织派驻，发挥智囊团、支持队、润滑剂作用")
        for i, person in enumerate(_people(ctx, rng, area, estate, rng.randint(5, 7), 0.45)):
            role = CommitteeRole.DIRECTOR if i == 0 else CommitteeRole.DEPUTY if i == 1 else CommitteeRole.MEMBER
            services.add_committee_member(committee, actor=actor, role=role, skills=rng.choice(SKILLS), **person)


def _checklist(rng, concern: bool = False) -> dict:
    return {
        "building_leader_opinion": Opinion.OPPOSE if concern else rng.choice((Opinion.SUPPORT,) * 4
                                                                              + (Opinion.RESERVATIONS,)),
        "building_leader_note": "楼道里长期堆放杂物，邻居有意见" if concern else "为人热心，常参加楼组活动",
        "residents_opinion": "居民反映较好" if not concern else "有居民反映其占用公共部位",
        "keeps_hallway_clear": not concern, "neighbour_relations": Relations.FAIR if concern else Relations.GOOD,
    }


def _elections(ctx, rng) -> None:
    taken = set(e.pk for e in ctx.extra["committee_estates"])
    free = [e for e in ctx.extra["estates"] if e.pk not in taken and "弄" not in e.name]
    if len(free) < 2:
        return
    # 1. Seed 002: twelve years without a committee, then elected by a large majority, the vote notarized.
    estate = free[0]
    area = estate.area
    actor = _secretary(ctx, area)
    election = services.create_election(actor=actor, estate=estate, title=f"{estate.name}首届业主委员会选举", seats=7,
                                        term_number=1)
    people = _people(ctx, rng, area, estate, 9, 0.4)
    director = _area_members(area)[0]  # 004: a party member who managed commercial buildings' property
    people[0] = {"name": director.name, "party_member": director, "household": people[0]["household"]}
    candidates = []
    for i, person in enumerate(people):
        extra = {"skills": "商务楼宇物业管理" if i == 0 else rng.choice(SKILLS),
                 "occupation": "退休（原商务楼宇物业经理）" if i == 0 else rng.choice(OCCUPATIONS),
                 "birth_year": rng.randint(1952, 1988), "gender": rng.choice(("male", "female"))}
        if "party_member" not in person:
            extra["political_status"] = rng.choice((PoliticalStatus.MASSES,) * 4 + (PoliticalStatus.LEAGUE,
                                                                                    PoliticalStatus.DEMOCRATIC_PARTY))
        candidates.append(services.nominate(election, actor=actor, **person, **extra, **_checklist(rng, i == 8)))
    services.open_vetting(election, actor=actor)
    for c in candidates[:8]:
        services.vet_candidate(c, CandidateAction.APPROVE, actor=actor, note="楼组长、居民意见良好，日常表现经考察合格")
    services.vet_candidate(candidates[8], CandidateAction.REJECT, actor=actor,
                           note="楼道堆物经劝说仍未清理，楼组长不同意推荐")
    services.hold_election(election, actor=actor, held_on=date(2025, 12, 20), place=f"{area.name}党群服务站",
                           notary_present=True, notary="示范区公证处",
                           note="小区十二年来首次选举业委会，公证员现场监督计票")
    roles = {candidates[0].pk: CommitteeRole.DIRECTOR, candidates[1].pk: CommitteeRole.DEPUTY}
    roles.update({c.pk: CommitteeRole.MEMBER for c in candidates[2:7]})
    services.record_result(
        election, actor=actor, elected=roles, votes={c.pk: rng.randint(420, 610) for c in candidates[:8]},
        owners_outcome="业主大会以书面表决方式选举，参与表决业主所持专有部分面积占比超过三分之二，"
                       "七名候选人均以高票当选。",
        turnout_share=78.6, approval_share=91.3, term_start=date(2026, 1, 1), term_end=date(2030, 12, 31),
        committee_name=f"{estate.name}业主委员会",
        result_note="在街道党工委和居民区党总支指导下，党员为居民解决停水停电、水箱清洗、垃圾清运等难题，"
                    "居民逐渐向党组织靠拢，小区十二年来首次成立业委会。")
    committee = election.__class__.objects.get(pk=election.pk).committee
    party = [m for m in _area_members(area) if m.pk != director.pk]
    services.update_committee(committee, actor=actor, party_work_group=party[:2],
                              party_work_group_note="居民区党总支派驻党的工作小组")
    # 2. An election still vetting its candidates: some checklists incomplete.
    estate = free[1]
    actor = _secretary(ctx, estate.area)
    election = services.create_election(actor=actor, estate=estate, title=f"{estate.name}业主委员会换届选举", seats=5)
    for i, person in enumerate(_people(ctx, rng, estate.area, estate, 6, 0.35)):
        checklist = _checklist(rng) if i < 3 else {"residents_opinion": "待走访"}
        services.nominate(election, actor=actor, **person, birth_year=rng.randint(1955, 1990),
                          skills=rng.choice(SKILLS), **checklist)
    services.open_vetting(election, actor=actor)
