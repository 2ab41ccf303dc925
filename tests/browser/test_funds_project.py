"""Issue 13's walk in a real browser: a resident team's autonomy-fund project (自治金项目) from its idea to the public
results page, the way 003 tells of the 楼道歇歇椅 of 市新居民区.

The area's secretary announces a call for proposals on the area's autonomy fund and opens it → a resident proposes
the project on their phone after an SMS code, with its budget lines, and two neighbouring households co-sign it on
theirs, which submits it → the secretary closes the intake and reviews it, funding it in part with a reason → the
proposal is put to a household vote of the deliberation app; residents vote on their phones; the vote passes and
selects it → the grant leaves the fund (its balance goes down by the grant on the fund's page) → delivery: a
milestone, two spending records each with a receipt scan (a PNG and a PDF made here), an overspend refused, an after
photo, progress 100 % → the closing review meeting (事后评议) of the area's yearly autonomy-fund topic is convened,
attended and held → the project is completed and the unspent rest goes back to the fund → a resident opens the
area's public results page on a phone: the project with what was funded, spent and returned, its completion, and
nobody's name or phone.

Every step goes through the pages a user sees. The shortcuts are the clock (the vote's week is moved into the past
instead of waited for) and the starting world, built through the services: the street and its people, the
households of one building with their phones, the area's fund with the sub-district's allocation, and the area's
yearly autonomy-fund topic already carried out to its implementation (its hearing and coordination held; issue 12's
browser test walks those pages)."""

import io
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from gongzhi.core.workflow import SYSTEM
from gongzhi.deliberation.models import Meeting, MeetingKind, TopicSource, Vote
from gongzhi.deliberation.services import topics as deliberation
from gongzhi.deliberation.workflow import MeetingAction, TopicAction
from gongzhi.demands.notify import MemoryNotifier
from gongzhi.funds.models import Call, EntryKind, LedgerEntry, Proposal, Spending
from gongzhi.funds.services.ledger import balance
from gongzhi.registry.models import Estate, Household, ServicePlace
from tests import factories
from tests.browser.conftest import log_in
from tests.browser.test_fumes_case import Phones, local, step, submit, zh
from tests.funds.factories_ledger import autonomy_fund

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOMS = ["101", "102", "201", "202", "301", "302"]
PHONES = {room: f"13917030{n:03d}" for n, room in enumerate(ROOMS, start=1)}
HEADS = {"101": "孙阿姨", "102": "钱老伯", "201": "郑师傅", "202": "冯阿婆", "301": "周建国", "302": "褚女士"}
BUILDING = "梧桐路88弄3号"


@pytest.fixture
def sms(settings):
    settings.GONGZHI_SMS_BACKEND = "gongzhi.demands.notify.MemoryNotifier"
    MemoryNotifier.outbox.clear()
    yield MemoryNotifier.outbox
    MemoryNotifier.outbox.clear()


@pytest.fixture
def phones(browser):
    """Residents' phones (tests.browser.test_fumes_case.Phones): the Content-Security-Policy refuses nothing."""
    made = Phones(browser)
    yield made
    made.close()
    assert not made.refused, f"refused by the Content-Security-Policy on a phone: {made.refused[:3]}"


def png(colour: str = "white", size=(64, 40)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, "PNG")
    return buf.getvalue()


def pdf() -> bytes:
    """A one-page PDF (a scanned paper receipt, as a scanner saves it)."""
    buf = io.BytesIO()
    Image.new("RGB", (120, 170), "white").save(buf, "PDF")
    return buf.getvalue()


def build_the_street():
    """Area A with an estate, one building of six households with their phones, the area's party service station,
    the area's autonomy fund for this year with ¥50,000 allocated by the sub-district, and the area's yearly
    autonomy-fund topic carried out to its implementation (the topic whose review meeting reviews the year's
    projects)."""
    street = factories.street()
    people = factories.personas(street)
    estate = Estate.objects.create(area=street.area_a, code="E-WT", name="梧桐小区", address="梧桐路88弄")
    building = factories.building(street.grid_a1, name=BUILDING, estate=estate)
    homes = {room: Household.objects.create(building=building, room=room, head_name=HEADS[room], phone=PHONES[room])
             for room in ROOMS}
    station = ServicePlace.objects.create(code="SP-WT", name="梧桐居民区党群服务站", region=street.area_a)
    fund = autonomy_fund(street.area_a, amount="50000")
    now = timezone.now()
    topic = deliberation.create_topic(actor=SYSTEM, title=f"{now.year}年自治金项目实施与评议", area=street.area_a,
                                      source=TopicSource.COUNCIL, description="本年度自治金项目的实施和事后评议。",
                                      now=now - timedelta(days=90))
    deliberation.transition_topic(topic, TopicAction.ACCEPT, actor=SYSTEM, now=now - timedelta(days=89))
    deliberation.transition_topic(topic, TopicAction.HEAR, actor=SYSTEM, now=now - timedelta(days=88))

    def held(kind: str, days_ago: int) -> None:
        at = now - timedelta(days=days_ago)
        meeting = deliberation.schedule_meeting(topic, actor=SYSTEM, kind=kind, starts_at=at, quorum=1,
                                                place=station, convener=people.insider, now=at - timedelta(days=7))
        deliberation.check_in(meeting, actor=SYSTEM, name="居民代表", phone="13800000001", now=at)
        deliberation.transition_meeting(meeting, MeetingAction.HOLD, actor=SYSTEM, now=at)

    held(MeetingKind.HEARING, 80)
    deliberation.transition_topic(topic, TopicAction.COORDINATE, actor=SYSTEM, now=now - timedelta(days=79))
    held(MeetingKind.COORDINATION, 60)
    deliberation.transition_topic(topic, TopicAction.DECIDE, actor=SYSTEM, now=now - timedelta(days=59),
                                  decision="按计划推进本年度自治金项目，完成后召开评议会。")
    deliberation.transition_topic(topic, TopicAction.IMPLEMENT, actor=SYSTEM, now=now - timedelta(days=58))
    return street, people, estate, homes, station, fund, topic


class Residents:
    """One phone per household's head; a phone proves its number by SMS code once (the proof is kept in its
    session for the calls' and the votes' H5 pages alike)."""

    def __init__(self, made, outbox, url):
        self.phones, self.sms, self.url, self.pages = made, outbox, url, {}

    def phone(self, room: str):
        if room not in self.pages:
            self.pages[room] = self.phones.new()
        return self.pages[room]

    def prove(self, room: str, back_url: str):
        """On the page at `back_url`: follow its 'confirm my phone' link, take the SMS code, come back."""
        pg = self.phone(room)
        expect(pg.locator("#need-proof")).to_be_visible()
        submit(pg, pg.locator("#need-proof a"))
        pg.fill("#phone-form [name=phone]", PHONES[room])
        self.sms.clear()
        submit(pg, pg.locator("#phone-form button[type=submit]"))
        code = re.search(r"\d{6}", [text for phone, text in self.sms if phone == PHONES[room]][-1]).group(0)
        pg.fill("#code-form [name=code]", code)
        submit(pg, pg.locator("#code-form button[type=submit]"))
        assert pg.url == self.url + back_url, pg.url
        return pg


def nav(page, base: str, url_name: str) -> None:
    """Open a page from the navigation (its folded groups hide the links: the link's address is followed)."""
    href = page.get_attribute(f"#mainnav a[href='{reverse(url_name)}']", "href")
    page.goto(base + href)


def test_a_resident_teams_project_goes_from_proposal_to_the_public_results_page(
        browser, page, live_server, sms, phones):
    cache.clear()  # the rate limits (SMS codes) of other tests in this process
    street, people, estate, homes, station, fund, topic = build_the_street()
    url = live_server.url
    year = timezone.localdate().year
    today = timezone.localdate().isoformat()
    residents = Residents(phones, sms, url)

    # --- 1. the area's secretary announces a call on the area's autonomy fund and opens it ------------------------
    log_in(page, live_server, "insider", factories.PASSWORD)  # 梧桐书记
    nav(page, url, "funds:ledger_funds")
    submit(page, page.locator(f"a[href='{reverse('funds:ledger_fund', args=[fund.pk])}']").first)
    expect(page.locator("#balance")).to_have_text("¥50000.00")
    fund_page = page.url

    nav(page, url, "funds:calls_list")
    submit(page, page.locator(f"a[href='{reverse('funds:calls_create')}']").first)
    page.select_option("#call-form [name=fund]", str(fund.pk))
    page.fill("#call-form [name=title]", f"{year}年梧桐居民区自治金项目征集")
    page.fill("#call-form [name=description]", "居民自下而上提出自治项目，经评审和居民户投票后资助。")
    page.fill("#call-form [name=budget]", "30000")
    page.fill("#call-form [name=max_per_proposal]", "10000")
    page.fill("#call-form [name=cosigns_needed]", "2")
    page.select_option("#call-form [name=selection]", "vote")
    submit(page, page.locator("#call-form button[type=submit]"))
    call = Call.objects.get(title=f"{year}年梧桐居民区自治金项目征集")
    assert page.url == url + reverse("funds:calls_detail", args=[call.pk])
    expect(page.locator("#call-state")).to_have_text(zh("Informing"))
    submit(page, page.locator("#action-open"))
    expect(page.locator("#call-state")).to_have_text(zh("Accepting proposals"))
    call_page = page.url
    h5_call = page.get_attribute(f"a[href='{reverse('funds:calls_h5_call', args=[call.pk])}']", "href")

    # --- 2. a resident team proposes the project on a phone; two neighbours co-sign it on theirs -----------------
    proposer = residents.phone("301")
    proposer.goto(url + h5_call)
    expect(proposer.locator("h1")).to_have_text(call.title)
    submit(proposer, proposer.locator("#propose"))
    propose_url = reverse("funds:calls_h5_propose", args=[call.pk])
    residents.prove("301", propose_url)
    form = proposer.locator("#h5-proposal-form")
    form.locator("[name=title]").fill("楼道歇歇椅")
    form.locator("[name=summary]").fill("3号楼住着很多高龄老人，上下楼要歇脚。在1至6层楼道装折叠歇歇椅，方便老人。")
    form.locator("[name=team_name]").fill("3号楼楼组自治小组")
    form.locator("[name=contact_name]").fill(HEADS["301"])
    form.locator("[name=household]").select_option(label=f"{BUILDING} 301")
    form.locator("[name=beneficiaries]").fill("楼内高龄老人")
    for n, (item, quantity, price) in enumerate((("折叠歇歇椅", "12", "350"), ("安装与防滑处理", "12", "80"),
                                                 ("宣传海报", "1", "300"))):
        form.locator(f"[name=lines-{n}-item]").fill(item)
        form.locator(f"[name=lines-{n}-quantity]").fill(quantity)
        form.locator(f"[name=lines-{n}-unit_price]").fill(price)
    submit(proposer, form.locator("button[type=submit]"))
    proposal = Proposal.objects.get(call=call, title="楼道歇歇椅")
    h5_proposal = reverse("funds:calls_h5_proposal", args=[proposal.pk])
    assert proposer.url == url + h5_proposal
    expect(proposer.locator("h1")).to_have_text("楼道歇歇椅")
    expect(proposer.locator(".badge").first).to_have_text(zh("Collecting co-signatures"))
    expect(proposer.locator("#cosign-count")).to_contain_text("0")
    expect(proposer.locator("tfoot")).to_contain_text("5460.00")  # 12 × 350 + 12 × 80 + 300

    for room, state in (("101", "Collecting co-signatures"), ("201", "Submitted")):
        neighbour = residents.phone(room)
        neighbour.goto(url + h5_proposal)  # the team's link, passed on in the building's chat group
        residents.prove(room, h5_proposal)
        row = neighbour.locator("#my-households .household-row")
        expect(row).to_have_count(1)
        expect(row).to_contain_text(f"{BUILDING} {room}")
        submit(neighbour, row.locator("button[type=submit]"))
        assert neighbour.url == url + h5_proposal
        # the first co-signature is one of two; the second submits the proposal (two of two households)
        expect(neighbour.locator(".badge").first).to_have_text(zh(state))
    expect(residents.phone("101").locator("#my-households .signed")).to_be_visible()
    assert proposal.cosigns.count() == 2

    # --- 3. the intake closes; the secretary reviews the proposal and funds it in part ---------------------------
    page.goto(call_page)
    expect(page.locator("#proposal-table")).to_contain_text("楼道歇歇椅")
    submit(page, page.locator("#action-close_intake"))
    expect(page.locator("#call-state")).to_have_text(zh("Reviewing"))
    submit(page, page.locator("#proposal-table a", has_text="楼道歇歇椅"))
    assert page.url == url + reverse("funds:calls_proposal_detail", args=[proposal.pk])
    expect(page.locator("#proposal-state")).to_have_text(zh("Submitted"))
    expect(page.locator("#cosign-count")).to_have_text("2 / 2")
    expect(page.locator("#asked")).to_have_text("5460.00")
    lines = {line.item: line for line in proposal.budget_lines.all()}
    review = page.locator("#review-form")
    review.locator(f"[name=line_{lines['安装与防滑处理'].pk}]").fill("720")  # ¥60 a chair at the market price
    review.locator(f"[name=line_{lines['宣传海报'].pk}]").fill("0")  # the committee prints the posters
    review.locator("[name=note]").fill("项目可行，惠及楼内老人；安装费按市场价每把60元核定，宣传海报由居委会统一制作。")
    submit(page, review.locator("button[type=submit]"))
    expect(page.locator("#proposal-state")).to_have_text(zh("Reviewed: feasible"))
    expect(page.locator("#approved")).to_have_text("4920.00")
    assert page.locator("#review-form").count() == 0

    # --- 4. selection by a household vote: residents vote on their phones ----------------------------------------
    page.goto(call_page)
    submit(page, page.locator("#action-start_selection"))
    expect(page.locator("#call-state")).to_have_text(zh("Selecting"))
    submit(page, page.locator("#proposal-table a", has_text="楼道歇歇椅"))
    submit(page, page.locator("#vote-form button[type=submit]"))  # this week, the default thresholds
    vote = Vote.objects.get(pk=Proposal.objects.get(pk=proposal.pk).vote_id)
    expect(page.locator("#proposal")).to_contain_text(vote.title)
    assert "4920" in vote.title
    submit(page, page.locator(f"a[href='{reverse('deliberation:votes_detail', args=[vote.pk])}']"))
    expect(page.locator("#vote-state")).to_have_text(zh("Voting"))
    h5_vote = page.get_attribute(f"a[href='{reverse('deliberation:votes_h5_vote', args=[vote.pk])}']", "href")

    for room, choice in (("101", "yes"), ("201", "yes"), ("102", "yes"), ("202", "no")):
        voter = residents.phone(room)
        voter.goto(url + h5_vote)
        if voter.locator("#need-proof").count():  # 101 and 201 proved their phones when co-signing
            residents.prove(room, h5_vote)
        household = voter.locator("#my-households .household-row")
        expect(household).to_have_count(1)
        expect(household).to_contain_text(f"{BUILDING} {room}")
        submit(voter, household.locator(f"button[name=option][value={choice}]"))
        expect(voter.locator("#my-households .voted")).to_be_visible()
        assert voter.locator("#my-households form.choices").count() == 0  # one ballot per household

    # The week of voting passes (the clock, not a page: the test ends the period instead of waiting for it).
    Vote.objects.filter(pk=vote.pk).update(opens_at=timezone.now() - timedelta(days=7),
                                           closes_at=timezone.now() - timedelta(seconds=1))
    page.reload()
    submit(page, page.locator("#action-close"))
    expect(page.locator("#vote-state")).to_have_text(zh("Closed"))
    expect(page.locator("#results .verdict")).to_have_text(zh("Passed"))
    expect(page.locator("#ballots-cast")).to_have_text("4")
    expect(page.locator("#results li[data-option=yes] strong")).to_have_text("3")

    page.goto(url + reverse("funds:calls_proposal_detail", args=[proposal.pk]))
    submit(page, page.locator("#vote-result-form button[type=submit]"))
    expect(page.locator("#proposal-state")).to_have_text(zh("Selected"))
    expect(page.locator("#proposal")).to_contain_text(zh("Passed"))

    # --- 5. the grant: the money leaves the fund --------------------------------------------------------------
    page.goto(call_page)
    submit(page, page.locator("#action-start_granting"))
    expect(page.locator("#call-state")).to_have_text(zh("Granting"))
    submit(page, page.locator("#proposal-table a", has_text="楼道歇歇椅"))
    grant = page.locator("#grant-form button[type=submit]")
    expect(grant).to_contain_text("4920.00")
    submit(page, grant)
    expect(page.locator("#proposal-state")).to_have_text(zh("Granted"))
    page.goto(fund_page)
    expect(page.locator("#balance")).to_have_text("¥45080.00")  # 50,000 − 4,920
    expect(page.locator("#results")).to_contain_text("楼道歇歇椅")  # the grant's ledger row
    page.goto(call_page)
    expect(page.locator("#total-granted")).to_have_text("4920.00")
    submit(page, page.locator("#action-start_delivery"))
    expect(page.locator("#call-state")).to_have_text(zh("Delivering"))

    # --- 6. delivery: a milestone, two spending records with receipt scans, an after photo, progress ------------
    submit(page, page.locator("#proposal-table a", has_text="楼道歇歇椅"))
    submit(page, page.locator("#delivery-link"))  # from the granted proposal on to its delivery
    delivery_page = url + reverse("funds:delivery_detail", args=[proposal.pk])
    assert page.url == delivery_page
    expect(page.locator("#proposal-state")).to_have_text(zh("Granted"))
    expect(page.locator("#granted")).to_have_text("¥4920.00")

    milestone = page.locator("#milestone-form")
    milestone.locator("[name=title]").fill("12把歇歇椅安装到位")
    milestone.locator("[name=due_on]").fill((timezone.localdate() + timedelta(days=14)).isoformat())
    submit(page, milestone.locator("button[type=submit]"))
    expect(page.locator("#milestones + table")).to_contain_text("12把歇歇椅安装到位")

    def spend(line: str, amount: str, payee: str, receipt_no: str, receipt: dict):
        form = page.locator("#spending-form")
        form.locator("[name=budget_line]").select_option(str(lines[line].pk))
        form.locator("[name=amount]").fill(amount)
        form.locator("[name=spent_on]").fill(today)
        form.locator("[name=payee]").fill(payee)
        form.locator("[name=receipt_no]").fill(receipt_no)
        if receipt:
            form.locator("[name=receipt]").set_input_files(receipt)
        submit(page, form.locator("button[type=submit]"))

    spend("折叠歇歇椅", "4200.00", "好邻居家具店", "FP-0001",
          {"name": "发票-歇歇椅.png", "mimeType": "image/png", "buffer": png("ivory")})
    expect(page.locator("#proposal-state")).to_have_text(zh("Delivering"))  # the first spending starts delivery
    spend("安装与防滑处理", "600.00", "金牌安装服务部", "FP-0002",
          {"name": "发票-安装.pdf", "mimeType": "application/pdf", "buffer": pdf()})
    # more than the line has left of what the review approved: a field error, nothing written
    spend("安装与防滑处理", "150.00", "金牌安装服务部", "FP-0003", {})
    errors = page.locator("#spending-form .errorlist")
    expect(errors).to_contain_text("120.00")
    assert Spending.objects.filter(proposal=proposal).count() == 2
    page.goto(delivery_page)

    receipts = page.locator("#receipts tbody tr")
    expect(receipts).to_have_count(2)
    assert "好邻居家具店" in receipts.nth(0).inner_text() and "FP-0001" in receipts.nth(0).inner_text()
    assert "金牌安装服务部" in receipts.nth(1).inner_text() and "4200.00" in receipts.nth(0).inner_text()
    assert page.locator("#receipts .badge.urgent").count() == 0  # no row without its scan
    scans = [receipts.nth(i).locator("a", has_text=zh("Scan")).get_attribute("href") for i in range(2)]
    fetched = [page.request.get(url + href) for href in scans]
    assert [r.status for r in fetched] == [200, 200]
    assert fetched[0].body().startswith(b"\x89PNG") and fetched[1].body().startswith(b"%PDF-")
    total = page.locator("#budget tr.total")
    assert total.inner_text().split() == [zh("Total"), "4920.00", "4800.00", "120.00"]
    expect(page.locator("#spent")).to_contain_text("¥4800.00")

    photo = page.locator("#photo-form")
    photo.locator("[name=stage]").select_option("after")
    photo.locator("[name=image]").set_input_files({"name": "after.png", "mimeType": "image/png",
                                                   "buffer": png("seagreen", (160, 120))})
    photo.locator("[name=caption]").fill("楼道里的歇歇椅")
    submit(page, photo.locator("button[type=submit]"))
    expect(page.locator("#photos + .photo-stages img")).to_have_count(1)

    submit(page, page.locator("#milestones + table button", has_text=zh("Mark done")))
    expect(page.locator("#milestones + table")).to_contain_text(today)
    progress = page.locator("#progress-form")
    progress.locator("[name=progress]").fill("100")
    progress.locator("[name=beneficiaries_reached]").fill("36")
    submit(page, progress.locator("button[type=submit]"))
    expect(page.locator("#progress")).to_have_text("100%")

    # --- 7. the closing review meeting of the year's projects, on the area's autonomy-fund topic -----------------
    page.goto(url + reverse("deliberation:topic_detail", args=[topic.pk]))
    submit(page, page.locator(f"a[href='{reverse('deliberation:meeting_create', args=[topic.pk])}']"))
    page.select_option("#id_kind", MeetingKind.REVIEW)
    page.fill("#id_title", f"{year}年自治金项目评议会")
    page.fill("#id_starts_at", local((timezone.localtime() + timedelta(hours=2)).replace(second=0)))
    page.select_option("#id_place", str(station.pk))
    page.fill("#id_quorum", "2")
    for room in ("301", "302"):
        page.check(f"#picker-households input[name=households][value='{homes[room].pk}']")
    submit(page, page.locator("main form.card button[type=submit]"))
    meeting = Meeting.objects.get(topic=topic, kind=MeetingKind.REVIEW)
    assert page.url == url + reverse("deliberation:meeting_detail", args=[meeting.pk])
    for room in ("301", "302"):  # the secretary checks the attendees in at the desk
        page.select_option("#desk-checkin [name=household]", label=f"{BUILDING} {room}")
        submit(page, page.locator("#desk-checkin button[type=submit]"))
    expect(page.locator("#attendance-count")).to_contain_text("2 / 2")
    step(page, "hold")
    expect(page.locator("#meeting-state")).to_have_text(zh("Held"))

    # --- 8. completion: the unspent rest goes back to the fund -------------------------------------------------
    page.goto(delivery_page)
    complete = page.locator("#complete-form")
    complete.locator("[name=closing_meeting]").select_option(str(meeting.pk))
    complete.locator("[name=result]").fill("12把歇歇椅已装在1至6层楼道，老人上下楼可以歇脚，评议会上居民满意。")
    submit(page, complete.locator("button[type=submit]"))
    expect(page.locator("#proposal-state")).to_have_text(zh("Completed"))
    expect(page.locator("#progress")).to_have_text("100%")
    expect(page.locator("#returned")).to_have_text("¥120.00")
    expect(page.locator("#result")).to_contain_text("老人上下楼可以歇脚")
    expect(page.locator("#closing-review + .card")).to_contain_text(meeting.title)
    assert page.locator("#spending-form, #milestone-form, #complete-form").count() == 0
    page.goto(fund_page)
    expect(page.locator("#balance")).to_have_text("¥45200.00")  # 50,000 − 4,920 + 120
    page.goto(call_page)
    submit(page, page.locator("#action-finish"))
    expect(page.locator("#call-state")).to_have_text(zh("Finished"))
    nav(page, url, "funds:delivery_list")
    expect(page.locator("#delivery-table")).to_contain_text("楼道歇歇椅")
    page.goto(delivery_page)
    public_url = page.get_attribute("a[href*='/delivery/h5/areas/']", "href")
    assert public_url == f"{reverse('funds:delivery_h5_area', args=[street.area_a.pk])}?year={year}"

    # --- 9. the public results page on a resident's phone, no account ------------------------------------------
    visitor = phones.new()
    visitor.goto(url + h5_call)  # the call's page the residents know, then their area's page
    submit(visitor, visitor.locator(f".h5-tabs a[href='{reverse('funds:calls_h5_area', args=[street.area_a.pk])}']"))
    submit(visitor, visitor.locator("#results-link a"))
    assert visitor.url == url + reverse("funds:delivery_h5_area", args=[street.area_a.pk])  # no log-in asked
    expect(visitor.locator(f".h5-tabs a[href='?year={year}']")).to_have_attribute("aria-current", "page")
    expect(visitor.locator("h1")).to_contain_text(street.area_a.name)
    project = visitor.locator(f"#project-{proposal.pk}")
    expect(project.locator("h2")).to_contain_text("楼道歇歇椅")
    expect(project.locator("h2 .badge")).to_have_text(zh("Completed"))
    text = project.inner_text()
    assert "¥4920.00" in text and "折叠歇歇椅 ¥4200.00" in text and "安装与防滑处理 ¥720.00" in text
    assert "宣传海报" not in text  # a line the review did not fund
    assert "¥4800.00" in text and "¥120.00" in text and "100%" in text
    assert "12把歇歇椅安装到位" in text and "36" in text
    expect(project.locator(".completed")).to_contain_text(today)
    expect(project.locator(".completed")).to_contain_text("老人上下楼可以歇脚")
    after = project.locator(".before-after img")
    expect(after).to_have_count(1)
    after.scroll_into_view_if_needed()  # the photo loads (a signed link, no account)
    visitor.wait_for_function("() => { const i = document.querySelector('.before-after img');"
                              " return i.complete && i.naturalWidth > 0; }")
    assert after.evaluate("i => i.naturalWidth") == 160
    expect(visitor.locator("p.totals")).to_contain_text("¥4920.00")
    body = visitor.inner_text("body")
    html = visitor.content()
    # nobody's name or phone: the team's contact, the households' heads, their phones (whole or masked)
    for secret in [*HEADS.values(), *PHONES.values(), "1391703"]:
        assert secret not in html, secret
    assert not re.search(r"1\d{2}\*{4}\d{4}", body)
    assert visitor.locator(".funds-h5 form").count() == 0  # nothing to do there but read

    # the books: every figure the pages showed comes from the ledger
    assert balance(fund) == 45200 and call.proposals.get().state == "completed"
    assert list(LedgerEntry.objects.filter(fund=fund).order_by("pk").values_list("kind", "amount")) == [
        (EntryKind.ALLOCATION, 50000), (EntryKind.GRANT, -4920), (EntryKind.RETURN, 120)]
