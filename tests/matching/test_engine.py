"""The matching engine (双向认领) as the platform's staff would use it: suggestions with reasons, fairness
between member units, and a project list that respects every offer's capacity."""

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongzhi.matching import Matcher, MatchingConfig, Need, Resource
from gongzhi.matching.synthetic import generate
from gongzhi.matching.text import tokens

GRID, OTHER_GRID, AREA, OTHER_AREA, SUBDISTRICT, DISTRICT = (
    "/1/2/4/7/", "/1/2/4/8/", "/1/2/4/", "/1/2/5/", "/1/2/", "/1/")
MAY = date(2026, 5, 1)


def need(id=1, category="elderly_care", text="独居老人需要助餐送餐服务", quantity=10, place=GRID, days=10,
         start=MAY, unit="hours", urgency=3, beneficiaries=20):
    return Need(id, category, text, beneficiaries, quantity, start, start + timedelta(days=days - 1), place,
                urgency, unit)


def offer(id, category="volunteer", text="志愿者提供助餐送餐上门服务", capacity=100, regions=(GRID,), start=MAY,
          days=60, provider="红十字会", unit="hours"):
    return Resource(id, category, text, capacity, unit, start, start + timedelta(days=days - 1), tuple(regions),
                    provider)


def ranking(matcher, need_id=1, k=10):
    return [s.resource_id for s in matcher.suggest_for_needs(k).get(need_id, [])]


def test_the_best_match_is_compatible_nearby_overlapping_and_similar():
    resources = [
        offer("far", regions=(DISTRICT,)),
        offer("other text", text="青年志愿服务队周末上门"),
        offer("late", start=MAY + timedelta(days=5)),
        offer("weaker category", category="funds", unit="hours"),
        offer("best"),
    ]
    matcher = Matcher(resources, [need()])
    order = ranking(matcher)
    assert order[0] == "best"
    assert set(order) == {r.id for r in resources}
    best = matcher.explain(1, "best")
    for worse in ("far", "other text", "late", "weaker category"):
        assert matcher.explain(1, worse).score < best.score


def test_ineligible_pairs_never_appear():
    resources = [
        offer("no overlap", start=MAY + timedelta(days=30)),
        offer("incompatible", category="legal", unit="hours"),
        offer("other area", regions=(OTHER_AREA,)),
        offer("other grid", regions=(OTHER_GRID,)),
        offer("other unit", unit="sessions"),
        offer("empty", capacity=0),
        offer("ok", regions=(SUBDISTRICT,)),
    ]
    area_need = need(2, place=AREA)  # a resource serving one grid does not cover the whole area
    matcher = Matcher(resources, [need(), area_need])
    assert ranking(matcher, 1) == ["ok"]
    assert ranking(matcher, 2) == ["ok"]
    assert set(matcher.suggest_for_resources(5)) == {"ok"}
    assert {a.resource_id for a in matcher.assign().allocations} == {"ok"}
    for bad in ("no overlap", "incompatible", "other area", "other grid", "other unit", "empty"):
        assert matcher.explain(1, bad) is None
    assert np.isinf(matcher.score_matrix()[:, :-1]).all()


def test_reasons_name_the_factors():
    matcher = Matcher([offer("r", start=MAY + timedelta(days=5), days=30, capacity=5)], [need(urgency=5)])
    (suggestion,) = matcher.suggest_for_needs()[1]
    reasons = suggestion.reasons
    assert reasons[:4] == ["类别对口", "同一网格", "时间部分吻合（50%）", "内容相近"]  # the same words: similar texts
    assert "可满足所需的 50%" in reasons and "需求紧急" in reasons
    assert not any(ch.isdigit() for r in reasons[:2] + reasons[3:4] for ch in r)  # plain words, no scores
    assert set(suggestion.components) >= {"category", "text", "region", "capacity", "time", "load_penalty"}
    assert suggestion.components["time"] == pytest.approx(0.5)

    wide = Matcher([offer("r", regions=(AREA,))], [need()]).suggest_for_needs()[1][0]
    assert wide.reasons[1] == "同一居民区" and "时间吻合" in wide.reasons and "数量够用" in wide.reasons
    unlike = Matcher([offer("r", text="青年志愿服务队")], [need()]).suggest_for_needs()[1][0]
    assert unlike.components["text"] < 0.15 and "内容相近" not in unlike.reasons  # no "文本相似度 0.04"
    assert not any("相似度" in r for r in unlike.reasons)


def test_fairness_prefers_the_idle_unit_over_a_busy_one():
    resources = [offer("busy 1", provider="busy"), offer("busy 2", provider="busy"), offer("idle", provider="idle")]
    load = {"busy": 8, "idle": 0}
    assert ranking(Matcher(resources, [need()], provider_load=load)) == ["idle", "busy 1", "busy 2"]
    # Without the load penalty the tie goes to input order: the penalty is what moved the idle unit up.
    no_fairness = MatchingConfig(load=0.0)
    assert ranking(Matcher(resources, [need()], no_fairness, provider_load=load))[0] == "busy 1"
    busy = Matcher(resources, [need()], provider_load=load).explain(1, "busy 1")
    assert "对方手上已有 8 个项目" in busy.reasons


def test_the_same_two_are_not_paired_again_and_again():
    resources = [offer("usual", provider="usual unit"), offer("new", provider="new unit")]
    history = {("usual unit", GRID): 3, ("new unit", OTHER_GRID): 5}  # elsewhere does not count
    matcher = Matcher(resources, [need()], history=history)
    assert ranking(matcher) == ["new", "usual"]
    usual = matcher.explain(1, "usual")
    assert usual.components["repeat_penalty"] == 1.0 and "对方已在此地对接 3 次" in usual.reasons
    assert matcher.explain(1, "new").components["repeat_penalty"] == 0.0


def test_reasons_also_come_as_codes_that_say_the_same():
    """Each Chinese reason has a (code, value) twin, so a UI can word it in its own language."""
    resources = [offer("partial", category="medical", start=MAY + timedelta(days=5), capacity=5, regions=(AREA,),
                       provider="busy"),
                 offer("full", regions=(SUBDISTRICT,), provider="usual")]
    matcher = Matcher(resources, [need(urgency=5)], provider_load={"busy": 2}, history={("usual", GRID): 1},
                      experience={("usual", "elderly_care"): 2, ("busy", "health"): 4})
    partial, full = matcher.explain(1, "partial"), matcher.explain(1, "full")
    items = partial.reason_items
    assert [code for code, _ in items] == ["category_compatible", "region", "time_overlap", "text",
                                           "capacity_partial", "urgency", "provider_load"]
    assert dict(items)["category_compatible"] == pytest.approx(0.8) and dict(items)["region"] == 2
    assert dict(items)["time_overlap"] == pytest.approx(0.5) and dict(items)["capacity_partial"] == pytest.approx(0.5)
    assert (dict(items)["urgency"], dict(items)["provider_load"]) == (5, 2)
    assert partial.reasons == ["类别相近", "同一居民区", "时间部分吻合（50%）", "内容相近", "可满足所需的 50%",
                               "需求紧急", "对方手上已有 2 个项目"]
    assert [code for code, _ in full.reason_items] == ["category_match", "region", "time_full", "text",
                                                       "capacity_full", "urgency", "experience", "repeat"]
    assert dict(full.reason_items)["region"] == 1 and dict(full.reason_items)["repeat"] == 1
    assert dict(full.reason_items)["experience"] == 2  # only projects of the need's own category count
    assert full.reasons[:3] == ["类别对口", "同一街道", "时间吻合"] and full.reasons[-2:] == [
        "对方曾完成同类项目", "对方已在此地对接 1 次"]
    # The batch path and the one-pair path agree, codes and text alike.
    for s in matcher.suggest_for_needs(5)[1]:
        one = matcher.explain(1, s.resource_id)
        assert [c for c, _ in s.reason_items] == [c for c, _ in one.reason_items]
        assert s.region_level == one.region_level and len(s.reasons) == len(s.reason_items)
        assert s.region_label == MatchingConfig().region_labels[s.region_level]


def test_top_needs_for_a_resource_put_the_urgent_one_first():
    needs = [need(1, urgency=1), need(2, urgency=5), need(3, place=OTHER_AREA)]
    by_resource = Matcher([offer("r")], needs).suggest_for_resources(5)
    assert [s.need_id for s in by_resource["r"]] == [2, 1]


def test_global_assignment_beats_greedy_when_greedy_blocks_a_need():
    # The volunteers are the first choice of both needs but can serve only one; the clean-up need cannot use
    # a venue. Greedy gives the volunteers to the urgent elderly need and leaves the clean-up unserved.
    # (The volunteers' text names no topic, so they may serve both: "助餐" would make them elderly-only.)
    resources = [offer("volunteers", text="志愿者提供上门服务", capacity=10),
                 offer("venue", category="venue", unit="sessions", capacity=10)]
    needs = [need(1, urgency=5, beneficiaries=200, unit=None),
             need(2, category="environment", text="楼道清洁需要志愿者", urgency=1, beneficiaries=5, unit=None)]
    matcher = Matcher(resources, needs)
    assert matcher.explain(2, "venue") is None
    best, greedy = matcher.assign(), matcher.greedy_assign()
    assert [(a.need_id, a.resource_id) for a in greedy.allocations] == [(1, "volunteers")]
    assert best.optimal
    assert [(a.need_id, a.resource_id, a.amount, a.share) for a in best.allocations] == [
        (1, "venue", 10.0, 1.0), (2, "volunteers", 10.0, 1.0)]
    assert best.total_score > greedy.total_score + 0.1
    assert best.used == {"venue": 10.0, "volunteers": 10.0}


def test_assignment_on_synthetic_lists_is_feasible_and_at_least_greedy():
    data = generate(400, 120, subdistricts=2, areas=3, providers=30, seed=3)
    matcher = Matcher(data.resources, data.needs, provider_load=data.provider_load, history=data.history)
    best, greedy = matcher.assign(k=5), matcher.greedy_assign(k=5)
    assert best.optimal and best.allocations
    assert best.total_score >= greedy.total_score - 1e-6
    capacity = {r.id: r.capacity for r in data.resources}
    quantity = {n.id: n.quantity for n in data.needs}
    assert all(used <= capacity[rid] + 1e-6 for rid, used in best.used.items())
    given_to = {}
    for a in best.allocations:
        assert matcher.explain(a.need_id, a.resource_id) is not None and a.suggestion.score > 0
        assert a.amount == int(a.amount)  # whole units: the transportation LP has integral vertices
        given_to[a.need_id] = given_to.get(a.need_id, 0) + a.amount
    assert all(amount <= quantity[nid] + 1e-6 for nid, amount in given_to.items())


def test_a_need_larger_than_any_offer_is_split_across_resources():
    resources = [offer("a", capacity=6), offer("b", capacity=6, provider="另一单位")]
    result = Matcher(resources, [need(quantity=10)]).assign()
    assert sorted((a.resource_id, a.amount) for a in result.allocations) in (
        [("a", 6.0), ("b", 4.0)], [("a", 4.0), ("b", 6.0)])
    assert sum(a.share for a in result.allocations) == pytest.approx(1.0)


def test_results_are_deterministic():
    data = generate(300, 80, subdistricts=2, areas=3, providers=20, seed=5)
    again = generate(300, 80, subdistricts=2, areas=3, providers=20, seed=5)
    assert data == again

    def run():
        m = Matcher(data.resources, data.needs, provider_load=data.provider_load, history=data.history)
        top = {k: [(s.resource_id, s.score, tuple(s.reasons)) for s in v] for k, v in m.suggest_for_needs(5).items()}
        plan = [(a.need_id, a.resource_id, a.amount) for a in m.assign(k=5).allocations]
        return top, plan

    assert run() == run()


def test_tokens_drop_punctuation():
    assert tokens("为社区老人提供助餐，服务！") == ["为", "社区", "老人", "提供", "助餐", "服务"]


# ---------------------------------------------------------------- fast path == brute force
NODES = ["/1/", "/1/2/", "/1/3/", "/1/2/4/", "/1/2/5/", "/1/3/6/", "/1/2/4/7/", "/1/2/4/8/", "/1/2/5/9/", "/1/3/6/10/"]
WORDS = ["助餐", "探访", "活动室", "法律", "咨询", "老人", "儿童", "场地", "志愿者", "清洁"]


@st.composite
def instances(draw):
    day = st.integers(0, 40)
    text = st.lists(st.sampled_from(WORDS), max_size=4).map("".join)
    needs = [
        Need(i, draw(st.sampled_from(["elderly_care", "culture", "legal_aid", "venue"])), draw(text),
             draw(st.integers(0, 300)), draw(st.integers(0, 20)), MAY + timedelta(days=(s := draw(day))),
             MAY + timedelta(days=s + draw(st.integers(0, 15))), draw(st.sampled_from(NODES)),
             draw(st.integers(1, 5)), draw(st.sampled_from([None, "hours", "sessions"])))
        for i in range(draw(st.integers(1, 12)))
    ]
    resources = [
        Resource(100 + i, draw(st.sampled_from(["volunteer", "venue", "legal", "funds"])), draw(text),
                 draw(st.integers(0, 30)), draw(st.sampled_from(["hours", "sessions"])),
                 MAY + timedelta(days=(s := draw(day))), MAY + timedelta(days=s + draw(st.integers(0, 30))),
                 tuple(draw(st.lists(st.sampled_from(NODES), min_size=1, max_size=2))), draw(st.integers(1, 3)))
        for i in range(draw(st.integers(1, 10)))
    ]
    load = {p: draw(st.integers(0, 12)) for p in (1, 2, 3)}
    history = {(draw(st.integers(1, 3)), draw(st.sampled_from(NODES))): draw(st.integers(1, 4)) for _ in range(3)}
    return needs, resources, load, history, draw(st.integers(1, 4))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_fast_top_k_equals_brute_force(instance):
    needs, resources, load, history, k = instance
    matcher = Matcher(resources, needs, provider_load=load, history=history)
    fast = matcher.top_pairs(k, for_needs=True, for_resources=True)
    n, r, s = matcher.brute_force_top(k)
    assert np.array_equal(fast["needs"][0], n) and np.array_equal(fast["needs"][1], r)
    assert np.allclose(fast["needs"][2], s)

    full = matcher.score_matrix()
    expected = sorted((j, -full[i, j], i) for i, j in zip(*np.nonzero(np.isfinite(full)), strict=True))
    per_resource: dict[int, list] = {}
    for j, _neg, i in expected:
        if len(per_resource.setdefault(j, [])) < k:
            per_resource[j].append(i)
    fn, fr, _ = fast["resources"]
    got: dict[int, list] = {}
    for i, j in zip(fn.tolist(), fr.tolist(), strict=True):
        got.setdefault(j, []).append(i)
    assert got == per_resource

    # The dense matrix agrees with the pair-by-pair explanation, eligibility included.
    for a, nd in enumerate(needs):
        for b, rs in enumerate(resources):
            one = matcher.explain(nd.id, rs.id)
            assert (one is None) == np.isinf(full[a, b])
            if one is not None:
                assert one.score == pytest.approx(full[a, b])


def test_empty_lists_and_resources_without_regions_give_nothing():
    nowhere = offer("nowhere", regions=())
    for resources, needs in (([], [need()]), ([nowhere], []), ([nowhere], [need()])):
        matcher = Matcher(resources, needs)
        assert matcher.suggest_for_needs() == {} and matcher.suggest_for_resources() == {}
        assert matcher.assign().allocations == [] and matcher.assign().total_score == 0.0


def test_suggestions_for_chosen_needs_or_resources_equal_the_full_run():
    data = generate(300, 80, subdistricts=2, areas=3, providers=20, seed=11)
    matcher = Matcher(data.resources, data.needs, provider_load=data.provider_load, history=data.history)
    everything, by_resource = matcher.suggest_for_needs(3), matcher.suggest_for_resources(3)
    some_needs, some_resources = [n.id for n in data.needs[::7]], [r.id for r in data.resources[::5]]
    assert matcher.suggest_for_needs(3, some_needs) == {i: everything[i] for i in some_needs if i in everything}
    assert matcher.suggest_for_resources(3, some_resources) == {
        i: by_resource[i] for i in some_resources if i in by_resource}


def test_unrelated_things_are_never_paired():
    """Issue 11, new-user item 18: 绿化补种 was matched with 助老服务, and 课后作业辅导 with 垃圾分类培训 at 0.70. A
    resource's kind (volunteers, training) fits many needs, but its title says whom it is for."""
    greening = need(1, "environment", "小区绿化补种", quantity=20)
    homework = need(2, "child_care", "课后作业辅导", quantity=2, unit="sessions")
    resources = [offer("elderly", text="党员志愿者助老服务"), offer("sorting", "training", "垃圾分类培训", unit="sessions"),
                 offer("cleaning", text="周末清洁志愿行动"), offer("science", "training", "少儿科普课堂", unit="sessions"),
                 offer("team", text="青年志愿服务队")]
    matcher = Matcher(resources, [greening, homework])
    top = matcher.suggest_for_needs(5)
    assert [s.resource_id for s in top[1]] == ["cleaning", "team"]  # the team names no topic: its kind decides
    assert [s.resource_id for s in top[2]] == ["science"]
    assert matcher.explain(1, "elderly") is None and matcher.explain(2, "sorting") is None
    assert np.isinf(matcher.score_matrix()[0, [0, 1, 3]]).all() and np.isinf(matcher.score_matrix()[1, [0, 1, 2, 4]]).all()
    assert {(a.need_id, a.resource_id) for a in matcher.assign().allocations} <= {
        (1, "cleaning"), (1, "team"), (2, "science")}
    cfg = MatchingConfig()
    assert cfg.fits("environment", "volunteer", "党员志愿者助老服务") == 0
    assert cfg.fits("elderly_care", "volunteer", "党员志愿者助老服务") == 1.0
    assert cfg.fits("child_care", "training", "垃圾分类培训") == 0 and cfg.fits("environment", "volunteer", "垃圾分类指导") > 0
    # Topics are read from the title when there is one: a law firm's hall is a venue, not legal help.
    dance = need(3, "culture", "广场舞队活动", quantity=2, unit="sessions")
    hall = Resource("hall", "venue", "活动大厅周末开放 上海星渡律师事务所提供的场地资源", 5, "sessions", MAY,
                    MAY + timedelta(days=60), (GRID,), "律所", title="活动大厅周末开放")
    assert Matcher([hall], [dance]).explain(3, "hall") is not None
    assert Matcher([hall.__class__(**{**hall.__dict__, "title": None})], [dance]).explain(3, "hall") is None
