"""The batch page: staff create the year's topic of every grid of their scope at once, each row prefilled from the
grid's own top concerns (else its area's), all or nothing, with the errors on the rows that caused them."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from gongzhi.core.errors import NotFound, ValidationFailed
from gongzhi.deliberation.models import GridTopic, GridTopicTransition, MicroItem
from gongzhi.deliberation.services import grid as services
from gongzhi.deliberation.workflows_grid import GridTopicState
from tests.conftest import login
from tests.deliberation.grid_support import DUE, YEAR, demands, grid_topic

URL = reverse("deliberation:grid_topic_batch")


@pytest.fixture
def concerns(street):
    """Last year: grid A1 mostly raised stairwell clutter; area A as a whole (messages without a grid) parking;
    area B waste sorting (out of area A's sight)."""
    demands(street.grid_a1, "楼道堆物", 3)
    demands(street.grid_a1, "物业管理", 1)
    demands(street.area_a, "停车交通", 5, grid=False)
    demands(street.grid_b1, "垃圾分类", 9)


def post_data(response, **overrides) -> dict:
    """The batch form as the page filled it in, with `overrides` ({"rows-0-title": …})."""
    formset = response.context["formset"]
    data = {"year": YEAR, "basis": YEAR - 1, "publish": "on", "due_on": DUE.isoformat(),
            "rows-TOTAL_FORMS": len(formset.forms), "rows-INITIAL_FORMS": len(formset.forms),
            "rows-MIN_NUM_FORMS": 0, "rows-MAX_NUM_FORMS": 500}
    for i, form in enumerate(formset.forms):
        for name, value in form.initial.items():
            if name == "include":
                if value:
                    data[f"rows-{i}-include"] = "on"
            elif value is not None:
                data[f"rows-{i}-{name}"] = value
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_rows_are_prefilled_from_the_grids_and_areas_top_concerns(client, people, street, concerns):
    r = login(client, people.insider).get(URL, {"year": YEAR, "basis": YEAR - 1})
    assert r.status_code == 200
    rows = {grid.pk: form.initial for form, grid, _existing in r.context["rows"]}
    assert set(rows) == {street.grid_a1.pk, street.grid_a2.pk}  # area A's grids only
    assert rows[street.grid_a1.pk]["concern"] == "楼道堆物"  # the grid's own first concern
    assert rows[street.grid_a1.pk]["concern_rank"] == 2  # its rank among area A's top 10
    assert rows[street.grid_a2.pk]["concern"] == "停车交通"  # no messages of its own: its area's first
    assert "楼道堆物" in rows[street.grid_a1.pk]["title"] and all(r["include"] for r in rows.values())
    top = [c.category for c in r.context["basis"].top]
    assert top == ["停车交通", "楼道堆物", "物业管理"]
    assert "垃圾分类" not in r.content.decode()  # area B's concerns are not area A's


def test_the_checked_rows_are_created_at_once_and_published(client, people, street, concerns):
    page = login(client, people.insider).get(URL, {"year": YEAR, "basis": YEAR - 1})
    data = post_data(page, **{"rows-0-items": "楼道堆物清理\n电瓶车充电宣传", "rows-1-title": "停车难：共商停车规则"})
    r = client.post(URL, data)
    assert r.status_code == 302 and r.url == reverse("deliberation:grid_topics") + f"?year={YEAR}"
    topics = {t.grid_id: t for t in GridTopic.objects.all()}
    assert set(topics) == {street.grid_a1.pk, street.grid_a2.pk}
    a1, a2 = topics[street.grid_a1.pk], topics[street.grid_a2.pk]
    assert (a1.year, a1.concern, a1.state, a1.created_by) == (YEAR, "楼道堆物", GridTopicState.PUBLISHED, people.insider)
    assert a2.title == "停车难：共商停车规则" and a2.concern == "停车交通"
    assert list(a1.micro_items.values_list("title", "due_on", "state")) == [
        ("楼道堆物清理", DUE, "open"), ("电瓶车充电宣传", DUE, "open")]
    assert list(GridTopicTransition.objects.filter(grid_topic=a1).values_list("action", "to_state")) == [
        ("create", "draft"), ("publish", "published")]


def test_one_bad_row_saves_nothing_and_says_which(client, people, street, concerns):
    grid_topic(street.grid_a2, title="停车难：共商停车规则")  # already this year
    page = login(client, people.insider).get(URL, {"year": YEAR, "basis": YEAR - 1})
    rows = [grid for _f, grid, _e in page.context["rows"]]
    a1, a2 = rows.index(street.grid_a1), rows.index(street.grid_a2)
    assert page.context["rows"][a2][2][0].title == "停车难：共商停车规则"  # the page shows what the grid has
    before = (GridTopic.objects.count(), MicroItem.objects.count())
    r = client.post(URL, post_data(page, **{f"rows-{a1}-title": "", f"rows-{a1}-items": "楼道堆物清理",
                                            f"rows-{a2}-include": "on", f"rows-{a2}-title": "停车难：共商停车规则"}))
    assert r.status_code == 200
    forms = r.context["formset"].forms
    assert forms[a1].errors["title"] and forms[a2].errors["title"]
    assert "停车难：共商停车规则" in forms[a2].errors["title"][0] or str(YEAR) in forms[a2].errors["title"][0]
    assert (GridTopic.objects.count(), MicroItem.objects.count()) == before


def test_micro_items_need_a_due_date(client, people, street, concerns):
    page = login(client, people.insider).get(URL, {"year": YEAR, "basis": YEAR - 1})
    r = client.post(URL, post_data(page, due_on="", **{"rows-0-items": "楼道堆物清理"}))
    assert r.status_code == 200 and r.context["settings_form"].errors["due_on"]
    assert not GridTopic.objects.exists()


def test_a_grid_outside_the_scope_is_not_found_and_nothing_is_written(client, people, street, concerns):
    page = login(client, people.insider).get(URL, {"year": YEAR, "basis": YEAR - 1})
    r = client.post(URL, post_data(page, **{"rows-0-grid": street.grid_b1.pk}))
    assert r.status_code == 404
    assert not GridTopic.objects.exists()


def test_grid_leaders_and_residents_may_not_open_it(client, people):
    assert login(client, people.colleague).get(URL).status_code == 403
    assert login(client, people.resident).get(URL).status_code == 403


def test_the_service_names_each_bad_field_by_row(street, people):
    with pytest.raises(ValidationFailed) as e:
        services.create_grid_topics(YEAR, actor=people.insider, rows=[
            {"grid": street.grid_a1, "title": "议题甲"},
            {"grid": street.grid_a1, "title": "议题甲"},  # twice for one grid
            {"grid": street.grid_a2, "title": " ", "items": ["x" * 121]},
        ], due_on=DUE)
    assert set(e.value.field_errors) == {"1.title", "2.title", "2.items"}
    assert not GridTopic.objects.exists()
    with pytest.raises(NotFound):
        services.create_grid_topics(YEAR, actor=people.insider, rows=[{"grid": street.grid_b1, "title": "议题乙"}])


def test_one_title_per_grid_and_year_in_the_database(street):
    grid_topic(street.grid_a1, title="议题甲")
    with pytest.raises(IntegrityError), transaction.atomic():
        GridTopic.objects.create(year=YEAR, grid=street.grid_a1, title="议题甲")
    GridTopic.objects.create(year=YEAR + 1, grid=street.grid_a1, title="议题甲")  # next year's is another topic
