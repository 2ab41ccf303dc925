"""The agreements part's demo: the hospital agreement modelled on seed 002 with its trial quarter (420 stalls, 58
persons, 0 complaints) renewed into a year in force, the other agreements (one expired), and three crowd-funded
projects with the pledges of several units."""

import time
from decimal import Decimal

import pytest
from django.db import transaction

from gongzhi.joint.models import Agreement, CrowdProject
from gongzhi.joint.selectors import agreements as selectors
from tests.dbutil import settle_constraints


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from gongzhi.demo import run_seed
    from gongzhi.demo.joint import agreements as demo_agreements

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            ctx = run_seed(steps=["registry", "accounts"])
            started = time.perf_counter()
            demo_agreements.seed(ctx)
            settle_constraints()  # tests/dbutil.py
            yield time.perf_counter() - started
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.mark.django_db
def test_the_hospital_agreement_reaches_the_seed_figures_in_a_quarter(demo):
    trial = Agreement.objects.get(title__contains="示范区第二人民医院", title__endswith="（试运行）")
    assert trial.state == "renewed" and "工作站" in trial.memo
    last = trial.reports.order_by("-period").first()
    assert trial.reports.count() == 3
    assert {v.commitment.kpi_name: v.value for v in last.values.all()} == {
        "清理无证摊点": Decimal("420"), "劝离流浪乞讨人员": Decimal("58"), "周边环境投诉": Decimal("0")}
    renewal = Agreement.objects.get(previous=trial)
    assert renewal.state == "in_force" and renewal.commitments.count() == 3


@pytest.mark.django_db
def test_the_other_agreements_and_the_projects(demo):
    states = sorted(Agreement.objects.values_list("state", flat=True))
    assert states.count("expired") == 1 and states.count("draft") == 1 and states.count("in_force") >= 2
    assert 5 <= len(states) <= 7
    projects = CrowdProject.objects.all()
    assert projects.count() == 3
    for project in projects:
        assert project.pledges.values("member_unit").distinct().count() >= 3
        assert any(t["pledged"] > 0 for t in selectors.totals(project))
