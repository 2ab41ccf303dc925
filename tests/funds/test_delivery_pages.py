"""The delivery pages: the list of the user's scope with its filters, the delivery page with its forms shown by
policy and Chinese field errors, the scope-checked receipt scans, and the public results page of a residential
area (no account, no person's name, no contact)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from gongzhi.funds.models import PhotoStage, Spending
from gongzhi.funds.services import delivery as services
from gongzhi.funds.workflow import ProposalState
from tests.conftest import login
from tests.funds.factories_delivery import granted, held_review, pdf, png

TODAY = timezone.localdate


@pytest.fixture
def project(street, people):
    made = granted(street.area_a, submitted_by=people.resident, title="健康小屋")
    services.record_spending(made.proposal, actor=people.insider, budget_line=made.lines[0], amount="800.00",
                             spent_on=TODAY(), payee="健康器械商行", receipt_no="NO-7", receipt=pdf())
    return made


def test_delivery_page_shows_lines_receipts_and_forms_by_policy(client, project, people):
    url = reverse("funds:delivery_detail", args=[project.proposal.pk])
    html = login(client, people.insider).get(url).content.decode()
    assert "健康小屋" in html and "健康器械商行" in html and "NO-7" in html
    assert "2200.00" in html  # 3000 approved on the line, 800 spent: what remains
    row = Spending.objects.get()
    assert row.receipt.url in html
    for form in ("spending-form", "milestone-form", "progress-form", "photo-form"):
        assert f'id="{form}"' in html
    # the team's account: progress and photos, no spending or milestones
    client.logout()
    team = login(client, people.resident).get(url).content.decode()
    assert 'id="progress-form"' in team and 'id="photo-form"' in team
    assert 'id="spending-form"' not in team and 'id="milestone-form"' not in team


@pytest.mark.parametrize(("persona", "status"), [("insider", 200), ("admin", 200), ("outsider", 404),
                                                 ("colleague", 404)])
def test_delivery_page_scope(client, street, people, persona, status):
    made = granted(street.area_a)
    login(client, getattr(people, persona))
    assert client.get(reverse("funds:delivery_detail", args=[made.proposal.pk])).status_code == status


def test_receipt_scans_open_only_in_scope(client, project, people):
    url = Spending.objects.get().receipt.url
    assert login(client, people.insider).get(url).status_code == 200
    client.logout()
    assert login(client, people.outsider).get(url).status_code == 404


def test_spending_form_field_errors_in_chinese_and_nothing_written(client, project, people):
    login(client, people.insider)
    r = client.post(reverse("funds:delivery_spending_add", args=[project.proposal.pk]), {
        "budget_line": project.lines[0].pk, "amount": "2200.01", "spent_on": TODAY().isoformat(), "payee": "五金店"})
    assert r.status_code == 422
    assert "2200.00" in r.content.decode() and "剩" in r.content.decode() or "¥2200.00" in r.content.decode()
    r = client.post(reverse("funds:delivery_spending_add", args=[project.proposal.pk]), {
        "budget_line": project.lines[0].pk, "amount": "10.005", "spent_on": TODAY().isoformat(), "payee": "五金店"})
    assert r.status_code == 422 and "分" in r.content.decode()
    assert Spending.objects.count() == 1
    r = client.post(reverse("funds:delivery_spending_add", args=[project.proposal.pk]), {
        "budget_line": project.lines[1].pk, "amount": "10.50", "spent_on": TODAY().isoformat(), "payee": "五金店"})
    assert r.status_code == 302 and Spending.objects.count() == 2


def main(response) -> str:
    """The page's main content, without the navigation (whose 健康小屋 is the doorstep services' health cabins)."""
    return response.content.decode().split("<main", 1)[1]


def test_delivery_list_filters(client, street, people, project):
    idle = granted(street.area_a, title="楼道歇歇椅")
    late = granted(street.area_a, title="自治花园")
    services.add_milestone(late.proposal, actor=people.insider, title="翻土", due_on=TODAY() - timedelta(days=5))
    granted(street.area_b, title="石库门爱心铃")
    login(client, people.insider)
    url = reverse("funds:delivery_list")
    page = main(client.get(url))
    assert "健康小屋" in page and "楼道歇歇椅" in page and "自治花园" in page and "石库门爱心铃" not in page
    page = main(client.get(url, {"late": "1"}))
    assert "自治花园" in page and "健康小屋" not in page
    page = main(client.get(url, {"state": ProposalState.DELIVERING}))
    assert "健康小屋" in page and "楼道歇歇椅" not in page
    page = main(client.get(url, {"year": TODAY().year - 1}))
    assert "健康小屋" not in page
    assert client.get(url, {"year": "abc"}).status_code == 400
    # spending without a scan, and grants idle for 30 days
    services.record_spending(idle.proposal, actor=people.insider, budget_line=idle.lines[0], amount="5",
                             spent_on=TODAY(), payee="文印服务部")
    page = main(client.get(url, {"unreceipted": "1"}))
    assert "楼道歇歇椅" in page and "健康小屋" not in page


def test_workbench_cards(client, street, people, project):
    from gongzhi.core.workbench import cards_for

    late = granted(street.area_a, title="自治花园")
    services.add_milestone(late.proposal, actor=people.insider, title="翻土", due_on=TODAY() - timedelta(days=5))
    other = granted(street.area_b, title="石库门爱心铃")
    services.add_milestone(other.proposal, actor=people.outsider, title="安装", due_on=TODAY() - timedelta(days=5))
    services.record_spending(other.proposal, actor=people.outsider, budget_line=other.lines[0], amount="5",
                             spent_on=TODAY(), payee="文印服务部")
    cards = {c["key"]: c for c in cards_for(people.insider)}
    assert cards["funds.milestones_due"]["count"] == 1 and cards["funds.milestones_due"]["tone"] == "urgent"
    assert cards["funds.without_receipts"]["count"] == 0  # area B's unscanned spending is not area A's
    admin = {c["key"]: c for c in cards_for(people.admin)}
    assert admin["funds.milestones_due"]["count"] == 2 and admin["funds.without_receipts"]["count"] == 1
    assert "funds.milestones_due" not in {c["key"] for c in cards_for(people.colleague)}


def test_public_results_page_shows_the_projects_and_nothing_personal(client, street, people, project,
                                                                       django_capture_on_commit_callbacks):
    proposal = project.proposal
    services.add_photo(proposal, actor=people.insider, image=png("before.png"), stage=PhotoStage.BEFORE,
                       caption="改造前的楼道")
    services.add_photo(proposal, actor=people.insider, image=png("after.png"), stage=PhotoStage.AFTER,
                       caption="改造后")
    services.record_spending(proposal, actor=people.insider, budget_line=project.lines[1], amount="2000",
                             spent_on=TODAY(), payee="张三装修队", receipt_no="NO-8")
    m = services.add_milestone(proposal, actor=people.insider, title="安装", due_on=TODAY())
    services.mark_milestone_done(m, actor=people.insider)
    services.set_progress(proposal, actor=people.insider, percent=100, beneficiaries_reached=40)
    services.complete_proposal(proposal, actor=people.insider, closing_meeting=held_review(street.area_a,
                               people.insider), result="健康小屋开放，老人每周量血压。")
    granted(street.area_b, title="石库门爱心铃")
    url = reverse("funds:delivery_h5_area", args=[street.area_a.pk])
    r = client.get(url)  # no account
    html = r.content.decode()
    assert r.status_code == 200
    assert "健康小屋" in html and "5000.00" in html and "2800.00" in html and "100%" in html
    assert "健康小屋开放" in html and "2200.00" in html  # the result, and the rest returned
    assert "?t=" in html  # photos through signed links
    assert "石库门爱心铃" not in html
    for personal in ("王阿姨", "13912345678", "9123", "健康器械商行", "张三装修队", "NO-7", people.insider.display_name,
                     people.resident.username, "歇歇椅志愿者团队"):
        assert personal not in html, personal
    # the signed photo link opens without an account
    link = html.split('src="')[1].split('"')[0].replace("&amp;", "&")
    assert client.get(link).status_code == 200
    assert client.get(reverse("funds:delivery_h5_area", args=[street.grid_a1.pk])).status_code == 404


def test_completion_form_on_the_page(client, street, people, project):
    proposal = project.proposal
    services.set_progress(proposal, actor=people.insider, percent=100, beneficiaries_reached=10)
    meeting = held_review(street.area_a, people.insider)
    login(client, people.insider)
    url = reverse("funds:delivery_complete", args=[proposal.pk])
    r = client.post(url, {"closing_meeting": meeting.pk, "result": ""})
    assert r.status_code == 422
    r = client.post(url, {"closing_meeting": meeting.pk, "result": "完成"})
    assert r.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.COMPLETED
    assert proposal.ledger_entries.get(kind="return").amount == Decimal("4200.00")
