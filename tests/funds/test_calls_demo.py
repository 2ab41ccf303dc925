"""The calls part's demo: a call per area and year, about 68 proposals a year from resident teams, volunteer teams
and topics; last year's calls granted and delivering with seed 003's brand projects; this year's spread over the
phases with an open household vote; the granted proposals handed to the delivery part; quick to seed."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from gongzhi.demo.names import CBD_AREA_INDEX
from gongzhi.funds.models import Call, LedgerEntry, Proposal
from tests.dbutil import settle_constraints


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    from gongzhi.demo import run_seed
    from gongzhi.demo.funds import calls as demo_calls
    from gongzhi.demo.funds import ledger as demo_ledger

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            ctx = run_seed(steps=["registry", "accounts", "deliberation"])
            demo_ledger.seed(ctx)
            started = time.perf_counter()
            demo_calls.seed(ctx)
            settle_constraints()  # tests/dbutil.py
            yield ctx, time.perf_counter() - started
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.mark.django_db
def test_a_call_per_area_and_year_with_about_68_proposals_a_year(seeded):
    ctx, seconds = seeded
    print(f"calls demo seeded in {seconds:.1f} s")
    year = timezone.localdate().year
    for y in (year - 1, year):
        calls = Call.objects.filter(fund__year=y)
        assert calls.count() == len(ctx.areas) == 11
        assert 60 <= Proposal.objects.filter(call__fund__year=y).count() <= 75
    origins = set(Proposal.objects.values_list("origin", flat=True))
    assert origins == {"residents", "volunteers", "topic"}
    assert Proposal.objects.filter(origin="topic", topic__isnull=False).exists()


@pytest.mark.django_db
def test_last_years_calls_are_granted_and_delivering_with_the_brand_projects(seeded):
    ctx, _seconds = seeded
    last = timezone.localdate().year - 1
    assert set(Call.objects.filter(fund__year=last).values_list("state", flat=True)) == {"delivering"}
    assert not Proposal.objects.filter(call__fund__year=last, state__in=("submitted", "feasible", "selected")).exists()
    cbd = ctx.areas[CBD_AREA_INDEX]
    brands = Proposal.objects.filter(call__fund__region=cbd, call__fund__year=last,
                                     title__in=("健康小屋", "爱心铃", "楼道歇歇椅", "自治花园"))
    assert set(brands.values_list("state", flat=True)) == {"granted"} and brands.count() == 4
    assert "白领" in brands.get(title="自治花园").summary
    for call in Call.objects.all():
        granted = -(LedgerEntry.objects.filter(proposal__call=call).aggregate(s=Sum("amount"))["s"] or Decimal("0"))
        assert granted <= call.budget
    handed = ctx.extra["funds"]["granted"]
    assert handed and all(p.state == "granted" for p in handed)
    assert {p.pk for p in handed} == set(Proposal.objects.filter(state="granted").values_list("pk", flat=True))


@pytest.mark.django_db
def test_this_years_calls_spread_over_the_phases_with_an_open_vote(seeded):
    year = timezone.localdate().year
    phases = set(Call.objects.filter(fund__year=year).values_list("state", flat=True))
    assert phases == {"accepting", "reviewing", "selecting", "granting"}
    assert Proposal.objects.filter(call__fund__year=year, state="collecting").exists()
    voting = Proposal.objects.filter(call__state="selecting", vote__state="open")
    assert voting.exists() and voting.first().vote.area == voting.first().call.fund.region
    assert Proposal.objects.filter(call__fund__year=year, state="granted").exists()
    assert Proposal.objects.filter(call__fund__year=year, state="declined").exists()
