"""Demo data of the funds calls part, written through the calls services: one call for autonomy projects per
residential area and year on the area's autonomy fund (the ledger part's, `ctx.extra["funds"]["autonomy"]`).

About 68 proposals a year over the 11 areas (seed 000: 68 autonomy projects collected in a year), from resident
teams (with co-signing households), volunteer teams and the deliberation demo's topics. Last year's calls are all
granted and delivering (the delivery part finishes them); the brand projects of seed 003 (健康小屋, 爱心铃, 楼道
歇歇椅, and the 自治花园 kept with white-collar volunteers) are in the riverside area's. This year's calls are
spread over the phases: accepting, reviewing, selecting by an open household vote, and granting.

Granted proposals go to `ctx.extra["funds"]["granted"]` for the delivery part.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from gongzhi.core.errors import DomainError
from gongzhi.core.workflow import SUBMITTER, SYSTEM
from gongzhi.deliberation.models import Topic
from gongzhi.deliberation.services import votes as vote_services
from gongzhi.demo.names import CBD_AREA_INDEX
from gongzhi.funds.models import ProposalOrigin
from gongzhi.funds.services import calls as services
from gongzhi.funds.services import ledger
from gongzhi.registry.models import Household, VolunteerTeam

PER_YEAR = 68
# (title, summary, beneficiaries, [(item, quantity, unit price)])
PROJECTS = (
    ("楼道微更新", "老旧楼道墙面粉刷、扶手加装，改善上下楼安全", "楼内老人和儿童",
     [("墙面粉刷", "120", "25"), ("不锈钢扶手", "6", "380")]),
    ("睦邻议事角", "在小区活动室设置议事角，添置桌椅和展示板", "参与议事的居民",
     [("折叠桌", "4", "260"), ("靠背椅", "16", "85"), ("展示板", "2", "450")]),
    ("为老助餐送餐", "为独居高龄老人送餐上门，补贴餐盒和保温箱", "独居高龄老人",
     [("保温送餐箱", "6", "180"), ("一次性餐盒", "2000", "0.6")]),
    ("垃圾分类宣传", "志愿者值守分类投放点，制作宣传展板和指引", "全体居民",
     [("宣传展板", "6", "320"), ("志愿者马甲", "30", "35"), ("分类指引贴", "200", "3.5")]),
    ("小区绿化认养", "居民认养公共绿地，购置花苗和园艺工具", "全体居民",
     [("花苗", "300", "8"), ("园艺工具套装", "10", "120"), ("有机肥", "20", "45")]),
    ("四点半课堂", "放学后为双职工家庭孩子提供看护和课业辅导", "小学生及其家庭",
     [("学习桌椅", "10", "320"), ("图书", "150", "28")]),
    ("文明养宠宣传", "设置宠物便袋箱，开展文明养宠宣传", "养宠家庭和邻里",
     [("宠物便袋箱", "8", "260"), ("便袋", "5000", "0.3")]),
    ("非机动车充电棚", "建设集中充电车棚，减少飞线充电隐患", "电动自行车车主",
     [("智能充电桩", "10", "680"), ("雨棚", "1", "6800")]),
    ("楼组长培训", "开展楼组长议事能力和应急知识培训", "楼组长和志愿者",
     [("培训讲师费", "4", "800"), ("培训资料", "60", "15")]),
    ("老年智能手机课", "志愿者教老年人使用智能手机、扫码就医", "60岁以上居民",
     [("教学平板", "4", "1200"), ("讲义印刷", "200", "4")]),
    ("邻里节", "举办邻里节百家宴和才艺展示，增进邻里感情", "全体居民",
     [("场地布置", "1", "1500"), ("活动物料", "1", "2200")]),
    ("微型消防站", "添置灭火器、应急照明，组织消防演练", "全体居民",
     [("灭火器", "20", "95"), ("应急灯", "12", "120"), ("演练物料", "1", "800")]),
)
BRANDS = (
    ("健康小屋", "在活动室设健康小屋，居民可自助测血压、血糖，志愿者定期值守", "社区老人和慢性病居民",
     [("电子血压计", "2", "480"), ("血糖仪", "2", "360"), ("体重秤", "1", "260"), ("值守排班物料", "1", "500")], "volunteers"),
    ("爱心铃", "为独居老人安装一键呼叫爱心铃，楼组志愿者响应", "独居老人",
     [("呼叫铃", "40", "85"), ("安装调试", "40", "30")], "volunteers"),
    ("楼道歇歇椅", "在多层住宅楼道平台放置折叠歇歇椅，方便老人上下楼歇脚", "多层住宅的老人",
     [("折叠壁挂椅", "60", "95"), ("安装", "60", "20")], "residents"),
    ("自治花园", "党员志愿者牵头，与周边单位白领党员共同设计养护沿路自治花园", "居民和周边白领",
     [("花苗绿植", "400", "12"), ("园艺工具", "1", "1800"), ("养护物料", "1", "1500")], "volunteers"),
)
TEAMS = ("楼组长团队", "睦邻互助队", "老伙伴志愿队", "巾帼志愿队", "青年议事会", "银发护绿队")


def seed(ctx) -> None:
    funds = ctx.extra.setdefault("funds", {})
    autonomy = funds["autonomy"]  # the ledger part seeds first (gongzhi.funds.apps.PARTS)
    granted = funds.setdefault("granted", [])
    today = timezone.localdate()
    this_year, last_year = today.year, today.year - 1
    counts = _spread(ctx, PER_YEAR)
    for i, area in enumerate(ctx.areas):
        actor = ctx.users.get(f"secretary{i + 1}", SYSTEM)
        fund = autonomy.get((area.pk, last_year))
        if fund is not None:
            granted += _last_year(ctx, area, fund, actor, counts[i], brands=i == CBD_AREA_INDEX)
        fund = autonomy.get((area.pk, this_year))
        if fund is not None:
            granted += _this_year(ctx, area, fund, actor, counts[i], phase=("accepting", "reviewing", "selecting",
                                                                             "granting")[i % 4])



def _spread(ctx, total: int) -> list[int]:
    n = len(ctx.areas) or 1
    counts = [total // n] * n
    for k in range(total - sum(counts)):
        counts[k % n] += 1
    return counts


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _lines(rows) -> list[dict]:
    return [{"item": item, "quantity": q, "unit_price": p} for item, q, p in rows]


def _sources(ctx, area):
    teams = list(VolunteerTeam.objects.filter(region__path__startswith=area.path).order_by("pk"))
    topics = list(Topic.objects.filter(area=area).order_by("pk")[:3])
    homes = [h for h in Household.objects.filter(building__region__path__startswith=area.path).order_by("pk")[:40]
             if h.phone][:12]
    return teams, topics, homes


def _cached_sources(ctx, area):
    cache = ctx.extra.setdefault("_funds_sources", {})
    if area.pk not in cache:
        cache[area.pk] = _sources(ctx, area)
    return cache[area.pk]


def _submit(ctx, call, area, actor, k: int, now: datetime, project=None, origin=None):
    """The k-th proposal of a call: a resident team's, a volunteer team's or one from a topic, in turn."""
    teams, topics, homes = _cached_sources(ctx, area)
    # the area's place in the street, not its primary key: PostgreSQL's sequences do not roll back, so a second seed
    # of an emptied database gets other keys and must still make the same proposals
    offset = next((i for i, a in enumerate(ctx.areas) if a.pk == area.pk), 0)
    title, summary, beneficiaries, rows, *brand = project or PROJECTS[(k + offset) % len(PROJECTS)]
    origin = origin or (brand[0] if brand else ("residents", "volunteers", "topic")[k % 3])
    names = ctx.names
    kwargs = {"title": title, "summary": summary, "beneficiaries": beneficiaries, "lines": _lines(rows),
              "beneficiary_count": ctx.rng.randint(20, 300), "contact_name": names.name(),
              "contact_phone": names.mobile(), "now": now, "starts_on": now.date() + timedelta(days=30),
              "ends_on": now.date() + timedelta(days=150)}
    if origin == "volunteers" and teams:
        team = teams[k % len(teams)]
        return services.submit_proposal(call, actor=actor, origin=ProposalOrigin.VOLUNTEER_TEAM, volunteer_team=team,
                                        **kwargs)
    if origin == "topic" and topics:
        topic = topics[k % len(topics)]
        return services.submit_proposal(call, actor=actor, origin=ProposalOrigin.TOPIC, topic=topic,
                                        **(kwargs | {"summary": f"{summary}（来自议题“{topic.title}”）"}))
    team_name = f"{ctx.rng.randint(1, 12)}号楼{TEAMS[k % len(TEAMS)]}"
    return services.submit_proposal(call, actor=actor, origin=ProposalOrigin.RESIDENT_TEAM, team_name=team_name,
                                    household=homes[k % len(homes)] if homes else None, **kwargs)


def _cosign(proposal, homes, n: int, now: datetime) -> None:
    for home in homes[:n]:
        try:
            services.cosign_proposal(proposal, actor=SUBMITTER, household=home, proven_phone=home.phone, now=now)
        except DomainError:  # submitted once enough have signed
            return


def _review(ctx, proposal, actor, now: datetime, *, decline: bool = False):
    if decline:
        return services.decline_proposal(proposal, actor=actor, reason="项目内容属于物业维修责任范围，建议由物业承担", now=now)
    lines = list(proposal.budget_lines.order_by("position"))
    cut = ctx.rng.random() < 0.3
    approved = {line.pk: (line.amount * Decimal("0.8")).quantize(Decimal("0.01")) if cut and i == 0 else line.amount
                for i, line in enumerate(lines)}
    note = "首项单价偏高，按询价结果核减" if cut else "项目可行，价格合理"
    return services.review_proposal(proposal, actor=actor, approved_lines=approved, note=note, now=now)


def _new_call(ctx, area, fund, actor, *, year: int, now: datetime, selection: str, cosigns: int):
    budget = min(ledger.balance(fund), Decimal("60000"))
    if budget <= 0:
        return None
    return services.create_call(
        fund, actor=actor, title=f"{area.name}{year}年自治项目征集", budget=budget, max_per_proposal="15000",
        cosigns_needed=cosigns, selection=selection, accepting_until=now.date() + timedelta(days=30), now=now,
        description="围绕小区公共性、公益性事项，由居民团队、志愿者团队自下而上提出项目，经审核、协商后资助实施。")


def _last_year(ctx, area, fund, actor, count: int, *, brands: bool) -> list:
    """A call of last year through every phase: reviewed, selected by the council, granted, delivering."""
    year = fund.year
    start = date(year, 3, 1)
    call = _new_call(ctx, area, fund, actor, year=year, now=_at(start), selection="council", cosigns=0)
    if call is None:
        return []
    services.transition_call(call, "open", actor=actor, now=_at(start + timedelta(days=3)))
    projects = [None] * count
    if brands:
        projects[:len(BRANDS)] = BRANDS
    proposals = [_submit(ctx, call, area, actor, k, _at(start + timedelta(days=5 + k)), project)
                 for k, project in enumerate(projects)]
    services.transition_call(call, "close_intake", actor=actor, now=_at(start + timedelta(days=40)))
    reviewed = []
    for k, p in enumerate(proposals):
        decline = k == len(proposals) - 1 and not brands
        done = _review(ctx, p, actor, _at(start + timedelta(days=45 + k % 5)), decline=decline)
        if not decline:
            reviewed.append(done)
    services.transition_call(call, "start_selection", actor=actor, now=_at(start + timedelta(days=55)))
    selected = []
    for p in reviewed:
        try:
            selected.append(services.decide_proposal(p, actor=actor, selected=True, note="居民议事会协商通过",
                                                     now=_at(start + timedelta(days=60))))
        except DomainError:  # the budget is spent: not selected
            services.decide_proposal(p, actor=actor, selected=False, note="预算已满，建议明年再申报",
                                     now=_at(start + timedelta(days=60)))
    services.transition_call(call, "start_granting", actor=actor, now=_at(start + timedelta(days=62)))
    granted = [services.grant_proposal(p, actor=actor, occurred_on=start + timedelta(days=65),
                                       now=_at(start + timedelta(days=65))) for p in selected]
    services.transition_call(call, "start_delivery", actor=actor, now=_at(start + timedelta(days=70)))
    return granted


def _this_year(ctx, area, fund, actor, count: int, *, phase: str) -> list:
    """A call of this year brought to `phase`, its proposals in the states that phase has."""
    now = timezone.now()
    start = now - timedelta(days={"accepting": 20, "reviewing": 45, "selecting": 60, "granting": 75}[phase])
    selection = "vote" if phase == "selecting" else "council"
    call = _new_call(ctx, area, fund, actor, year=fund.year, now=start, selection=selection, cosigns=3)
    if call is None:
        return []
    services.transition_call(call, "open", actor=actor, now=start + timedelta(days=1))
    _teams, _topics, homes = _cached_sources(ctx, area)
    proposals = []
    for k in range(count):
        p = _submit(ctx, call, area, actor, k, start + timedelta(days=2 + k))
        if p.state == "collecting":  # resident teams gather co-signing households
            signers = homes[k % 3:] if phase != "accepting" or k % 2 else homes[k % 3:k % 3 + 1]
            _cosign(p, signers, 3, start + timedelta(days=3 + k))
            p.refresh_from_db()
        proposals.append(p)
    if phase == "accepting":
        return []
    submitted = [p for p in proposals if p.state == "submitted"]
    services.transition_call(call, "close_intake", actor=actor, now=start + timedelta(days=20))
    if phase == "reviewing":
        for k, p in enumerate(submitted[: len(submitted) // 2]):
            _review(ctx, p, actor, start + timedelta(days=25 + k), decline=k == 0)
        return []
    reviewed = [_review(ctx, p, actor, start + timedelta(days=25), decline=k == 0) for k, p in enumerate(submitted)]
    reviewed = [p for p in reviewed if p.state == "feasible"]
    services.transition_call(call, "start_selection", actor=actor, now=start + timedelta(days=35))
    if phase == "selecting":
        for k, p in enumerate(reviewed[:2]):
            vote = services.put_to_vote(p, actor=actor, opens_at=now - timedelta(days=2), closes_at=now + timedelta(days=5),
                                        now=now - timedelta(days=2))
            for h, home in enumerate(homes[:4]):
                vote_services.cast_ballot(vote, actor=SYSTEM, option="yes" if (h + k) % 3 else "no", household=home,
                                          now=now - timedelta(days=1))
        return []
    selected = []
    when = start + timedelta(days=40)
    for k, p in enumerate(reviewed):
        if k and k == len(reviewed) - 1:  # the council chose the others
            services.decide_proposal(p, actor=actor, selected=False, note="与往年项目重复，暂不资助", now=when)
            continue
        try:
            selected.append(services.decide_proposal(p, actor=actor, selected=True, note="居民议事会协商通过", now=when))
        except DomainError:  # the budget is spent
            services.decide_proposal(p, actor=actor, selected=False, note="预算已满，建议明年再申报", now=when)
    services.transition_call(call, "start_granting", actor=actor, now=start + timedelta(days=45))
    return [services.grant_proposal(p, actor=actor, occurred_on=(start + timedelta(days=50)).date(),
                                    now=start + timedelta(days=50)) for p in selected[: len(selected) // 2 + 1]]
