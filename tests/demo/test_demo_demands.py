"""The demo street's two years of resident demands: many, varied, with consistent timelines, reproducible.

The street is seeded once for the package (tests/demo/conftest.py).
"""

import hashlib
import re
from collections import Counter, defaultdict
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone

from gongzhi.demands.models import Category, Channel, Demand, DemandTransition, Follower, Priority, Support
from gongzhi.demands.workflow import OPEN_STATES, TRANSITIONS, Action, State
from gongzhi.demo.demands import anchor
from gongzhi.registry.models import Region, RegionKind

TODAY, NOW = anchor()  # the seed's "today" (yesterday) and "now" (the start of today), whenever the tests run


def digest() -> str:
    rows = [
        "|".join(map(str, r)) for r in Demand.objects.order_by("tracking_code").values_list(
            "tracking_code", "title", "description", "state", "category__code", "grid__code", "region__code",
            "channel", "priority", "created_at", "due_on", "satisfaction", "support_count", "submitter_name",
            "submitter_phone", "merged_into__tracking_code", "updated_at")
    ]
    rows += [
        "|".join(map(str, r)) for r in DemandTransition.objects.order_by("demand__tracking_code", "created_at").values_list(
            "demand__tracking_code", "action", "to_state", "actor__username", "actor_label", "note", "created_at")
    ]
    rows += sorted(f"{c}|{k}|{t}" for c, k, t in Support.objects.values_list("demand__tracking_code", "key", "created_at"))
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def test_the_seed_reports_its_time_and_two_seeds_are_identical(street, db):
    print(street["output"])  # the seed time, visible with -s; not asserted
    assert re.search(r"seeded in \d+\.\d s", street["output"])
    first, second = street["digests"]
    assert first == second


def test_two_years_of_demands_in_every_grid_state_and_category(street, db):
    demands = Demand.objects.all()
    assert demands.count() >= 5000
    grids = set(Region.objects.filter(kind=RegionKind.GRID).values_list("pk", flat=True))
    assert len(grids) == 35 and set(demands.values_list("grid", flat=True)) == grids
    assert set(demands.values_list("state", flat=True)) == set(State.values)
    now = timezone.make_aware(NOW)
    first, last = demands.order_by("created_at")[0].created_at, demands.latest("created_at").created_at
    assert first.date() <= TODAY - timedelta(days=720) and last <= now and last.date() >= TODAY - timedelta(days=2)
    months = {(d.year, d.month) for d in demands.dates("created_at", "month")}
    assert len(months) >= 24
    # Every top-level category, the usual ones far more often than the rare ones.
    by_parent = Counter(demands.values_list("category__parent__code", flat=True))
    assert set(by_parent) == set(Category.objects.filter(parent=None, subdistrict=None).values_list("code", flat=True))
    for frequent in ("property", "stairwell", "fumes_noise", "traffic", "elevator"):
        for rare in ("animals", "enterprise_service"):
            assert by_parent[frequent] > 1.5 * by_parent[rare]
    # Seasons: fumes and noise in summer, help for the elderly in winter (a hot spot counts once).
    def by_month(parent):
        places = set(demands.filter(category__parent__code=parent).values_list("created_at__month", "building", "category"))
        return Counter(month for month, *_ in places)

    fumes, elderly = by_month("fumes_noise"), by_month("elderly")
    assert fumes[7] + fumes[8] > 2 * (fumes[1] + fumes[2])
    assert elderly[12] + elderly[1] > 1.5 * (elderly[6] + elderly[7])
    assert set(demands.values_list("channel", flat=True)) == set(Channel.values) - {Channel.OPEN311}
    assert set(demands.values_list("priority", flat=True)) == set(Priority.values)
    assert set(demands.values_list("escalation_level", flat=True)) == {0, 1, 2, 3}
    enterprise = demands.filter(channel=Channel.ENTERPRISE)
    assert enterprise.exists() and not enterprise.filter(member_unit__isnull=True).exists()


def test_old_demands_are_mostly_closed_and_reviewed_recent_ones_open(street, db):
    old = Demand.objects.filter(created_at__date__lt=TODAY - timedelta(days=60))
    closed = old.filter(state__in=[State.CLOSED, State.MERGED]).count()
    assert closed / old.count() > 0.97
    reviewed = Demand.objects.filter(satisfaction__isnull=False)
    assert reviewed.filter(satisfaction__gte=4).count() > 0.8 * reviewed.count()
    assert reviewed.filter(satisfaction__lte=2).exists()
    recent_open = Demand.objects.filter(state__in=OPEN_STATES)
    assert recent_open.filter(created_at__date__gte=TODAY - timedelta(days=30)).count() > 0.5 * recent_open.count()
    overdue = recent_open.filter(is_overdue=True, overdue_since__isnull=False)
    assert overdue.exists() and all(min(d.due_on, d.response_due_on) < d.overdue_since <= TODAY for d in overdue)
    assert Demand.objects.filter(reopen_count=1, transitions__action=Action.REOPEN).exists()


def test_timelines_chain_from_submission_to_the_current_state(street, db):
    demands = {d["pk"]: d for d in Demand.objects.values(
        "pk", "state", "created_at", "closed_at", "escalation_level", "first_response_at", "resolved_at")}
    steps = defaultdict(list)
    for row in DemandTransition.objects.order_by("demand_id", "created_at", "id").values_list(
            "demand_id", "action", "from_state", "to_state", "created_at", "escalation_level", "actor_id", "actor_label"):
        steps[row[0]].append(row[1:])
    now = timezone.make_aware(NOW)
    assert set(steps) == set(demands)
    for pk, d in demands.items():
        timeline = steps[pk]
        action, from_state, to_state, when, *_ = timeline[0]
        assert (action, from_state, to_state, when) == (Action.SUBMIT, "", State.SUBMITTED, d["created_at"])
        previous, before = State.SUBMITTED, when
        for action, from_state, to_state, when, _level, actor, label in timeline[1:]:
            assert from_state == previous and TRANSITIONS[(from_state, action)] == to_state, (pk, timeline)
            assert before < when <= now and (actor or label)
            previous, before = to_state, when
        assert previous == d["state"] and timeline[-1][4] == d["escalation_level"]
        if d["state"] == State.CLOSED:
            assert d["closed_at"] == timeline[-1][3]
        responses = [s[3] for s in timeline if s[0] in (Action.CLAIM, Action.START, Action.RESOLVE, Action.REJECT)]
        assert d["first_response_at"] == (responses[0] if responses else None)


def test_reasons_promises_reviews_and_merged_duplicates(street, db):
    for action in (Action.RETURN, Action.REJECT, Action.REOPEN, Action.ESCALATE):
        entries = DemandTransition.objects.filter(action=action)
        assert entries.exists() and not entries.filter(note="").exists(), action
    claims = Demand.objects.exclude(promise="")
    assert claims.filter(transitions__action=Action.CLAIM, transitions__actor_label__startswith="党员").exists()
    assert DemandTransition.objects.filter(action=Action.ESCALATE, actor__isnull=True, actor_label="system").exists()
    merged = Demand.objects.filter(state=State.MERGED)
    assert merged.exists() and not merged.filter(merged_into__isnull=True).exists()
    assert Follower.objects.filter(from_demand__in=merged).count() == merged.count()
    counted = dict(Demand.objects.filter(support_count__gt=0).values_list("pk", "support_count"))
    assert counted and dict(Support.objects.values("demand").annotate(n=Count("id")).values_list("demand", "n")) == counted


def test_hot_spots_many_residents_one_building_one_problem(street, db):
    groups = defaultdict(list)
    for building, category, created in Demand.objects.values_list("building", "category", "created_at"):
        groups[(building, category)].append(created)
    hot = [times for times in groups.values()
           if any(sum(t0 <= t <= t0 + timedelta(days=21) for t in times) >= 10 for t0 in times)]
    assert len(hot) >= 5


def test_texts_read_naturally_and_contacts_are_well_formed(street, db):
    rows = Demand.objects.values_list("title", "description", "resolution", "submitter_name", "submitter_phone",
                                      "tracking_code", "channel")
    for title, description, resolution, name, phone, code, channel in rows:
        assert title and description and name
        assert "{" not in title + description + resolution
        assert re.fullmatch(r"1\d{10}", phone) or (channel == Channel.GRID_PATROL and phone == "")
        assert re.fullmatch(r"GZ\d{6}[0-9A-Z]{6}", code)
    assert len({r[1] for r in rows}) > 0.6 * len(rows)  # the descriptions vary
    for demand in Demand.objects.order_by("?")[:50]:
        demand.full_clean()


def test_deadlines_follow_the_policies_in_working_days(street, db):
    for created, response_due, due, kind, level, reopened in Demand.objects.values_list(
            "created_at", "response_due_on", "due_on", "kind", "escalation_level", "reopen_count"):
        day = timezone.localdate(created)
        assert response_due > day and response_due.weekday() < 5 and due.weekday() < 5
        if level == 0 and not reopened:
            assert (due - day).days <= (3 if kind == "consultation" else 9)
    assert Demand.history.filter(history_type="+").count() == Demand.objects.count()


# --- A fresh demo (issue 11, new-user item 16) ----------------------------------------------------------------


def test_the_demo_is_fresh_on_the_day_it_is_seeded(street, db):
    """The newest demand was weeks old on the day the demo was run: the history now ends yesterday evening."""
    newest = timezone.localtime(Demand.objects.latest("created_at").created_at).date()
    assert newest >= timezone.localdate() - timedelta(days=1)
    assert Demand.objects.filter(created_at__date__gte=timezone.localdate() - timedelta(days=7)).count() > 20


def test_the_triage_model_is_trained_at_seed_time_so_new_demands_get_suggestions(street, db):
    from gongzhi.demands.models import Channel
    from gongzhi.demands.services import submit_demand
    from gongzhi.registry.models import Building
    from gongzhi.triage.models import TriageModel
    from gongzhi.triage.services import classify_demand

    sub = Region.objects.get(kind=RegionKind.SUBDISTRICT, code="WT")  # the demo street (see the joint demo)
    assert TriageModel.objects.filter(subdistrict=sub, active=True).exists()
    demand, _ = submit_demand(title="楼道灯坏了", description="3楼楼道灯不亮，晚上很黑。", channel=Channel.GRID_PATROL,
                              building=Building.objects.filter(region__kind=RegionKind.GRID).first())
    row = classify_demand(demand.pk)
    assert row.suggested_category is not None and row.top3


def test_one_matching_campaign_is_open_for_claims(street, db):
    from django.contrib.auth import get_user_model

    from gongzhi.matching import policies
    from gongzhi.matching.models import Campaign

    today = timezone.localdate()
    open_ = Campaign.objects.filter(state="claiming", starts_on__lte=today, ends_on__gt=today)
    assert open_.count() == 1
    campaign = open_.get()
    street_staff = get_user_model().objects.get(username="street")
    claimable = [r for r in campaign.resources.all() if r.ends_on >= today and policies.can(street_staff, r, "claim")]
    assert len(claimable) >= 10
    needs = [n for n in campaign.needs.all() if n.ends_on >= today]
    assert len(needs) >= 20


def test_every_demo_account_has_unread_messages(street, db):
    from gongzhi.demands.models import Notification
    from gongzhi.demo.accounts import demo_account_rows

    accounts = {row[1] for row in demo_account_rows()}
    assert len(accounts) >= 10
    unread = set(Notification.objects.filter(read_at=None).values_list("user__username", flat=True))
    assert accounts <= unread
