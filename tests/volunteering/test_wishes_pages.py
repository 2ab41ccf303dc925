"""The micro-wish pages: the workbench board (scope, filters, search, overdue, htmx, pagination), the printable
list, posting, a wish's page with its timeline and the staff's steps, and the H5 board every account sees with
the beneficiary masked, the claim with a promise and the fulfilment with a photo."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gongzhi.core.workbench import cards_for
from gongzhi.volunteering.models import Wish
from gongzhi.volunteering.services import wishes as services
from gongzhi.volunteering.workflow import WishState
from tests.conftest import login
from tests.volunteering import wish_factories as wf

pytestmark = pytest.mark.django_db
BOARD = reverse("volunteering:wish_list")
H5 = reverse("volunteering:wish_h5_board")


def test_the_workbench_board_lists_the_scope_in_every_state_and_filters(client, street, people):
    late = wf.wish(street.area_a, WishState.OPEN, title="一台电暖器", wanted_by=timezone.localdate() - timedelta(days=2))
    waiting = wf.wish(street.area_a, WishState.SUBMITTED, title="一副老花镜")
    wf.wish(street.area_b, WishState.OPEN, title="石库门的心愿")
    page = login(client, people.insider).get(BOARD)
    body = page.content.decode()
    assert page.status_code == 200 and "一台电暖器" in body and "一副老花镜" in body and "石库门的心愿" not in body
    assert "王阿婆" not in body  # the board names no beneficiary
    overdue = client.get(BOARD, {"state": "overdue"}).content.decode()
    assert "一台电暖器" in overdue and "一副老花镜" not in overdue
    found = client.get(BOARD, {"q": "老花镜"}, headers={"HX-Request": "true"})
    assert "一副老花镜" in found.content.decode() and "<html" not in found.content.decode()
    assert client.get(BOARD, {"state": "bogus"}).status_code == 400
    assert {late.pk, waiting.pk} <= {w.pk for w in Wish.objects.all()}


def test_the_board_pages_and_the_printable_list(client, street, people):
    for i in range(27):
        wf.wish(street.area_a, WishState.OPEN, title=f"心愿{i:02d}")
    login(client, people.insider)
    assert len(re.findall(r'id="wish-\d', client.get(BOARD).content.decode())) == 25
    assert len(re.findall(r'id="wish-\d', client.get(BOARD, {"page": 2}).content.decode())) == 2
    printed = client.get(reverse("volunteering:wish_print")).content.decode()
    assert printed.count("<tr>") == 28 and "data-print" in printed


def test_the_board_is_for_volunteering_viewers(client, street, people):
    for persona in (people.resident, people.colleague):
        assert login(client, persona).get(BOARD).status_code == 403
    assert login(client, people.outsider).get(BOARD).status_code == 200


def test_staff_post_a_wish_through_the_form(client, street, people):
    login(client, people.insider)
    url = reverse("volunteering:wish_new")
    data = {"region": street.area_a.pk, "title": "一辆轮椅", "hardship": "disability", "value": "800",
            "wanted_by": (timezone.localdate() + timedelta(days=30)).isoformat(), "beneficiary_name": "赵大伯",
            "beneficiary_phone": "13811112222"}
    bad = client.post(url, {**data, "wanted_by": "2000-01-01"})
    assert bad.status_code == 422 and not Wish.objects.exists()
    done = client.post(url, data)
    wish = Wish.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("volunteering:wish_detail", args=[wish.pk])
    assert wish.state == WishState.SUBMITTED and wish.posted_by == people.insider
    assert login(client, people.resident).get(url).status_code == 403
    area_b = client.post(url, {**data, "region": street.area_b.pk})
    assert area_b.status_code == 403 and Wish.objects.count() == 1


def test_a_wish_page_masks_the_beneficiary_shows_the_timeline_and_takes_the_steps(client, street, people):
    wish = services.post_wish(actor=people.colleague, region=street.area_a, title="一台电饭煲", hardship="illness",
                              value="200", wanted_by=timezone.localdate() + timedelta(days=9),
                              beneficiary_name="王阿婆", beneficiary_phone="13912345678")
    url = reverse("volunteering:wish_detail", args=[wish.pk])
    body = login(client, people.insider).get(url).content.decode()
    assert "王**" in body and "139****5678" in body and "王阿婆" not in body and "13912345678" not in body
    assert 'data-action="approve"' in body and 'data-action="reject"' in body
    step = reverse("volunteering:wish_step", args=[wish.pk])
    client.post(step, {"action": "reject", "note": ""})
    wish.refresh_from_db()
    assert wish.state == WishState.SUBMITTED
    client.post(step, {"action": "approve", "note": "情况属实"})
    wish.refresh_from_db()
    assert wish.state == WishState.OPEN
    body = client.get(url).content.decode()
    assert "情况属实" in body and 'id="wish-log"' in body
    assert login(client, people.outsider).get(url).status_code == 404


def test_staff_record_the_thanks_on_the_wish_page(client, street, people):
    wish = wf.wish(street.area_a, WishState.FULFILLED, member=street.member_a)
    url = reverse("volunteering:wish_thanks", args=[wish.pk])
    assert login(client, people.insider).post(url, {"thanks": ""}).status_code == 422
    assert client.post(url, {"thanks": "谢谢你们！"}).status_code == 302
    wish.refresh_from_db()
    assert wish.thanks == "谢谢你们！" and wish.state == WishState.FULFILLED


def test_the_workbench_card_counts_the_waiting_and_the_overdue(client, street, people):
    wf.wish(street.area_a, WishState.SUBMITTED)
    wf.wish(street.area_a, WishState.OPEN, wanted_by=timezone.localdate() - timedelta(days=1))
    wf.wish(street.area_a, WishState.OPEN)
    card = next(c for c in cards_for(people.insider) if c["key"] == "volunteering.wishes_waiting")
    assert card["count"] == 2 and card["tone"] == "urgent"
    assert not [c for c in cards_for(people.resident) if c["key"] == "volunteering.wishes_waiting"]


# --- H5 ------------------------------------------------------------------------------------------------------------

def test_the_h5_board_shows_the_published_wishes_with_the_beneficiary_masked(client, street, people):
    open_one = wf.wish(street.area_a, WishState.OPEN, title="一个新书包", beneficiary_name="刘小红")
    done = wf.wish(street.area_b, WishState.FULFILLED, title="一台电饭煲", member=street.member_a,
                   beneficiary_name="陈阿婆", thanks="谢谢党员同志")
    wf.wish(street.area_a, WishState.SUBMITTED, title="还在审核的心愿")
    wf.wish(street.area_a, WishState.REJECTED, title="没有通过的心愿")
    body = login(client, people.resident).get(H5).content.decode()
    assert "一个新书包" in body and "一台电饭煲" in body and "谢谢党员同志" in body and "张梧桐" in body
    assert "还在审核的心愿" not in body and "没有通过的心愿" not in body
    assert "刘**" in body and "陈**" in body and "刘小红" not in body and "陈阿婆" not in body
    assert "13912345678" not in body and "139****5678" not in body  # no phone at all
    assert "data-claim" not in body  # a resident does not claim
    assert client.get(reverse("volunteering:wish_h5_detail", args=[open_one.pk])).status_code == 200
    assert client.get(reverse("volunteering:wish_h5_detail", args=[done.pk])).status_code == 200
    client.logout()
    assert client.get(H5).status_code == 302


def test_a_waiting_wish_has_no_h5_page_for_others(client, street, people):
    waiting = wf.wish(street.area_a, WishState.SUBMITTED)
    url = reverse("volunteering:wish_h5_detail", args=[waiting.pk])
    assert login(client, people.resident).get(url).status_code == 404
    assert login(client, people.insider).get(url).status_code == 200


def test_a_unit_claims_on_h5_then_fulfils_with_a_photo_shown_on_the_board(client, street, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    wish = wf.wish(street.area_a, WishState.OPEN, title="一辆轻便轮椅")
    liaison = wf.liaison_account(street)
    login(client, liaison)
    assert f'data-claim="{wish.pk}"' in client.get(H5).content.decode()
    url = reverse("volunteering:wish_claim", args=[wish.pk])
    bad = client.post(url, {"promise": "", "promised_on": timezone.localdate().isoformat()})
    assert bad.status_code == 422
    on = (timezone.localdate() + timedelta(days=5)).isoformat()
    assert client.post(url, {"promise": "医院党支部一周内送到", "promised_on": on}).status_code == 302
    wish.refresh_from_db()
    assert wish.state == WishState.CLAIMED and wish.claimer_unit == street.unit_a
    page = client.get(reverse("volunteering:wish_h5_detail", args=[wish.pk])).content.decode()
    assert 'id="fulfil"' in page and "医院党支部一周内送到" in page
    fulfil = reverse("volunteering:wish_fulfil", args=[wish.pk])
    assert client.post(fulfil, {"note": "已送达", "where": "h5"}).status_code == 422
    done = client.post(fulfil, {"note": "已送到老人家中", "where": "h5", "photos": wf.png()})
    assert done.status_code == 302 and done["Location"] == reverse("volunteering:wish_h5_detail", args=[wish.pk])
    wish.refresh_from_db()
    assert wish.state == WishState.FULFILLED
    board = client.get(H5, {"state": "fulfilled"}).content.decode()
    assert "一辆轻便轮椅" in board and 'class="wish-photo"' in board
    src = board.split('class="wish-photo"')[0].rsplit('src="', 1)[1].split('"')[0].replace("&amp;", "&")
    image = login(client, people.resident).get(src)
    assert image.status_code == 200 and image["Content-Type"] == "image/png"


def test_a_party_member_claims_on_h5_and_a_second_claim_is_told(client, street, people):
    wish = wf.wish(street.area_a, WishState.OPEN)
    member = wf.member_account(street)
    on = (timezone.localdate() + timedelta(days=5)).isoformat()
    url = reverse("volunteering:wish_claim", args=[wish.pk])
    assert login(client, member).post(url, {"promise": "周末送到", "promised_on": on}).status_code == 302
    liaison = wf.liaison_account(street)
    again = login(client, liaison).post(url, {"promise": "我们也来", "promised_on": on}, follow=True)
    wish.refresh_from_db()
    assert wish.claimer_member == street.member_a and wish.promise == "周末送到"
    assert again.status_code == 200
