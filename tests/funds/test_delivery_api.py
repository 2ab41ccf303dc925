"""The delivery API: a proposal's delivery in scope, spending created or refused with JSON field errors, and the
public results of an area without an account (nothing personal)."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from gongzhi.funds.models import Spending
from tests.conftest import login
from tests.funds.factories_delivery import granted


@pytest.fixture
def project(street):
    return granted(street.area_a, title="爱心铃")


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_delivery_and_spending(client, project, people):
    login(client, people.insider)
    url = reverse("api:funds_delivery_spending_create", args=[project.proposal.pk])
    data = {"budget_line_id": project.lines[0].pk, "amount": "100.10", "spent_on": str(timezone.localdate()),
            "payee": "五金店", "receipt_no": "NO-1"}
    r = post(client, url, data)
    assert r.status_code == 201 and r.json()["amount"] == "100.10" and r.json()["has_scan"] is False
    r = post(client, url, data | {"amount": "2900"})
    assert r.status_code == 422 and "amount" in r.json()["errors"]
    r = post(client, url, data | {"amount": "1.001"})
    assert r.status_code == 422 and "amount" in r.json()["errors"]
    assert Spending.objects.count() == 1
    body = client.get(reverse("api:funds_delivery_detail", args=[project.proposal.pk])).json()
    assert body["state"] == "delivering" and body["spent"] == "100.10"
    assert body["lines"][0]["remaining"] == "2899.90" and "spend" in body["actions"]


def test_scope(client, project, people):
    url = reverse("api:funds_delivery_detail", args=[project.proposal.pk])
    assert login(client, people.outsider).get(url).status_code == 404
    r = post(client, reverse("api:funds_delivery_spending_create", args=[project.proposal.pk]), {
        "budget_line_id": project.lines[0].pk, "amount": "1", "spent_on": str(timezone.localdate()), "payee": "x"})
    assert r.status_code == 404 and not Spending.objects.exists()


def test_public_results_need_no_account_and_show_nothing_personal(client, project, street):
    r = client.get(reverse("api:funds_delivery_public_area", args=[street.area_a.pk]))
    assert r.status_code == 200
    body = r.json()
    assert [p["title"] for p in body["projects"]] == ["爱心铃"] and body["projects"][0]["granted"] == "5000.00"
    text = r.content.decode()
    assert "王阿姨" not in text and "13912345678" not in text and "contact" not in text
    assert client.get(reverse("api:funds_delivery_public_area", args=[street.area_b.pk])).json()["projects"] == []
