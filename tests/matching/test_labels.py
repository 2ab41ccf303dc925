"""Matching in the user's language: categories, units, region levels and the reasons of a suggestion read in
Chinese by default and in English after the switch; the Chinese wording is the engine's own."""

import io
import re
from datetime import date, timedelta

from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from gongzhi.accounts import services as account_services
from gongzhi.core.workflow import SYSTEM
from gongzhi.matching import engine, labels, services
from gongzhi.matching.models import Need
from tests.conftest import login

CJK = re.compile(r"[\u4e00-\u9fff]")
MAY = date(2026, 5, 1)


def _suggestions() -> list[engine.Suggestion]:
    """Two suggestions that between them use every reason code."""
    need = engine.Need(1, "elderly_care", "独居老人需要助餐送餐服务", 20, 10, MAY, MAY + timedelta(days=9),
                       "/1/2/4/7/", urgency=5, unit="hours")
    partial = engine.Resource("partial", "medical", "医生上门助餐", 5, "hours", MAY + timedelta(days=5),
                              MAY + timedelta(days=60), ("/1/2/4/",), "busy")
    full = engine.Resource("full", "volunteer", "志愿者助餐送餐", 100, "hours", MAY, MAY + timedelta(days=60),
                           ("/1/2/",), "usual")
    matcher = engine.Matcher([partial, full], [need], provider_load={"busy": 2},
                             history={("usual", "/1/2/4/7/"): 1}, experience={("usual", "elderly_care"): 3})
    return [matcher.explain(1, "partial"), matcher.explain(1, "full")]


def _english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def test_every_code_has_a_label_and_its_chinese_is_the_engines():
    pairs = ((labels.RESOURCE_CATEGORY_LABELS, engine.RESOURCE_CATEGORIES),
             (labels.NEED_CATEGORY_LABELS, engine.NEED_CATEGORIES), (labels.UNIT_LABELS, engine.UNITS))
    with translation.override("zh-hans"):
        for ours, chinese in pairs:
            assert {code: str(label) for code, label in ours.items()} == chinese
        assert tuple(map(str, labels.REGION_LEVEL_LABELS)) == engine.MatchingConfig().region_labels
    with translation.override("en"):
        for ours, _chinese in pairs:
            assert not any(CJK.search(str(label)) for label in ours.values())
        assert [labels.region_level(i) for i in range(4)] == [
            "Same district", "Same sub-district", "Same residential area", "Same grid"]
        assert Need(category="elderly_care", unit="hours").get_category_display() == "Elderly care"
        assert Need(category="elderly_care", unit="hours").get_unit_display() == "hours"
    with translation.override("zh-hans"):
        assert Need(category="elderly_care", unit="hours").get_category_display() == "为老服务"


def test_reasons_read_in_chinese_as_the_engine_says_them_and_in_english_after_the_switch():
    partial, full = _suggestions()
    with translation.override("zh-hans"):
        for s in (partial, full):
            assert labels.explain(s) == s.reasons
        assert labels.explain_text(full).startswith("类别对口；同一街道；时间吻合")
    with translation.override("en"):
        assert labels.explain(partial) == [
            "Similar kind of help", "Same residential area", "Dates partly fit (50%)",
            "Covers 50% of the need", "Urgent need", "Provider already has 2 projects under way"]
        english = labels.explain(full)
        assert english[:3] == ["Right kind of help", "Same sub-district", "Dates fit"]
        assert "Enough to cover the need" in english and english[-2:] == [
            "Has completed similar projects before", "Provider has worked with this place 1 time before"]
        assert labels.explain_text(full).startswith("Right kind of help; Same sub-district; ")
        assert not any(CJK.search(r) for s in (partial, full) for r in labels.explain(s))


def test_a_secretary_reads_suggestions_in_english_after_the_switch(world, people, client):
    login(client, people.insider)
    chinese = client.get(reverse("matching:suggestions")).content.decode()
    assert "家庭医生义诊" in chinese and "类别对口；同一街道" in chinese

    english = _english(client).get(reverse("matching:suggestions")).content.decode()
    assert "家庭医生义诊" in english  # the data stays as entered
    assert "Right kind of help; Same sub-district; Dates fit" in english
    assert "同一街道" not in english and "类别对口" not in english
    resources = client.get(reverse("matching:resources")).content.decode()
    assert "Medical service" in resources and "sessions" in resources and "医疗服务" not in resources


def test_the_api_gives_reasons_in_the_requests_language(world):
    _, key = account_services.issue_token(world.liaison, actor=SYSTEM, name="t")
    url = f"/api/v1/matching/needs/{world.need_a.pk}/suggestions"
    english = Client().get(url, HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english[0]["resource_id"] == world.resource.pk
    assert english[0]["reasons"][:2] == ["Right kind of help", "Same sub-district"]
    chinese = Client().get(url, HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert chinese[0]["reasons"][:2] == ["类别对口", "同一街道"]


def test_project_page_and_results_follow_the_language_but_excel_stays_chinese(world, people, client):
    project = services.claim_need(world.need_a.pk, actor=world.liaison, resource=world.resource.pk)
    login(client, people.admin)
    page = client.get(reverse("matching:project_detail", args=[project.pk])).content.decode()
    assert "推荐理由" in page and "类别对口；同一街道" in page

    _english(client)
    page = client.get(reverse("matching:project_detail", args=[project.pk])).content.decode()
    assert "Why this match" in page and "Right kind of help; Same sub-district" in page and "同一街道" not in page
    results = client.get(reverse("matching:results"), {"campaign": world.campaign.pk}).content.decode()
    assert "Medical service" in results and "医疗服务" not in results

    # The workbooks are a Chinese format (headers, hints, labels), whatever the page's language.
    summary = client.get(reverse("matching:results_export"), {"campaign": world.campaign.pk}).content
    assert list(load_workbook(io.BytesIO(summary))["按类型"].iter_rows(min_row=2, values_only=True)) == [("医疗服务", 1)]
    export = client.get(reverse("excel:export", args=["resources"])).content
    row = next(load_workbook(io.BytesIO(export)).active.iter_rows(min_row=2, values_only=True))
    assert "医疗服务" in row and "场次" in row
