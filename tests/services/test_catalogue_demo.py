"""The demo catalogue: 10 categories, 86 city-wide items, the demo street serving exactly 184 active items, a
34-item office workers' list, realistic shares of bookable and remote items; seeded through the import service in
well under the part's time budget, and the same twice."""

import time

import pytest
from django.db import transaction

from gongzhi.services.models import ServiceCategory, ServiceItem
from gongzhi.services.selectors.catalogue import items_for
from tests.dbutil import settle_constraints


class Rollback(Exception):
    pass


def _seed():
    from gongzhi.demo import run_seed
    from gongzhi.demo.services import catalogue as demo

    ctx = run_seed(["registry"])
    started = time.perf_counter()
    demo.seed(ctx)
    return ctx, time.perf_counter() - started


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        try:  # a first seed, rolled back, to compare with the second
            with transaction.atomic():
                _seed()
                first = sorted(ServiceItem.objects.values_list("code", "name", "time_limit_days", "bookable", "remote"))
                raise Rollback
        except Rollback:
            pass
        outer = transaction.atomic()
        outer.__enter__()
        try:
            ctx, seconds = _seed()
            settle_constraints()  # tests/dbutil.py
            yield ctx, seconds, first
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.mark.django_db
def test_the_demo_street_serves_184_items_of_which_80_plus_city_wide(seeded):
    ctx, _seconds, _first = seeded
    served = items_for(None, region=ctx.subdistrict)
    assert served.count() == 184
    assert served.filter(region__isnull=True).count() >= 80
    assert ServiceCategory.objects.count() == 10
    assert served.values("category").distinct().count() == 10
    assert served.filter(for_office_workers=True).count() == 34
    assert ServiceItem.objects.filter(active=False).exists()
    assert 0.2 <= served.filter(bookable=True).count() / 184 <= 0.4
    assert 0.08 <= served.filter(remote=True).count() / 184 <= 0.25
    assert served.get(name="医保账单打印").remote and served.get(name="长护险可视化咨询").remote
    for item in served.prefetch_related("materials"):
        assert 1 <= len(item.materials.all()) <= 5 and 0 <= item.time_limit_days <= 20


@pytest.mark.django_db
def test_the_items_are_handed_on_in_code_order_and_seed_the_same_twice(seeded):
    ctx, _seconds, first = seeded
    handed = [i.code for i in ctx.extra["services"]["items"]]
    assert handed == sorted(handed) and len(handed) == ServiceItem.objects.count()
    assert sorted(ServiceItem.objects.values_list("code", "name", "time_limit_days", "bookable", "remote")) == first
