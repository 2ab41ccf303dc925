"""The residents' H5 pages of the calls part: public, phone first. A resident proves a phone with an SMS code (the
deliberation app's verify page), submits a proposal with budget lines and co-signs one for their household; the
pages never show a contact."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from gongzhi.demands.notify import MemoryNotifier
from gongzhi.funds.models import Proposal, ProposalCosign
from tests.funds import factories_calls as f


@pytest.fixture
def outbox(settings):
    settings.GONGZHI_SMS_BACKEND = "gongzhi.demands.notify.MemoryNotifier"
    MemoryNotifier.outbox.clear()
    yield MemoryNotifier.outbox
    MemoryNotifier.outbox.clear()


@pytest.fixture
def prove(outbox, django_capture_on_commit_callbacks):
    def prove_(client, phone: str, next_url: str):
        """The resident enters the phone, receives the code by SMS and enters it; back to `next_url`."""
        verify = reverse("deliberation:votes_h5_verify")
        with django_capture_on_commit_callbacks(execute=True):
            r = client.post(verify, {"step": "phone", "phone": phone, "next": next_url})
        assert r.status_code == 200
        sent_to, text = outbox[-1]
        assert sent_to == phone
        code = re.search(r"\d{6}", text).group(0)
        r = client.post(verify, {"step": "code", "code": code, "next": next_url})
        assert r.status_code == 302 and r["Location"] == next_url
        return r

    return prove_


@pytest.fixture
def world(street):
    fund = f.fund(street.area_a)
    call = f.call(fund, "accepting", cosigns_needed=2, max_per_proposal="3000", title="梧桐微更新征集")
    homes = f.households(street.grid_a1, 3)
    return call, homes


def lines(*rows) -> dict:
    data = {"lines-TOTAL_FORMS": "3", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "3",
            "lines-MAX_NUM_FORMS": "30"}
    for i, (item, quantity, price) in enumerate(rows):
        data |= {f"lines-{i}-item": item, f"lines-{i}-quantity": quantity, f"lines-{i}-unit_price": price}
    return data


def test_the_area_page_is_public_and_lists_open_calls(client, world, street):
    call, _homes = world
    collecting = f.proposal(call, "collecting", origin="residents", title="自治花园")
    informing = f.call(f.fund(street.area_a, year=2025, amount="100"), "informing", budget="100", title="未公布征集")
    text = client.get(reverse("funds:calls_h5_area", args=[street.area_a.pk])).content.decode()
    assert call.title in text and collecting.title in text and informing.title not in text
    assert "王阿姨" not in text and "5678" not in text
    results = reverse("funds:delivery_h5_area", args=[street.area_a.pk])
    assert f'href="{results}"' in text  # residents find what the funded projects did from their area's page
    back = client.get(results).content.decode()
    assert f'href="{reverse("funds:calls_h5_area", args=[street.area_a.pk])}"' in back
    assert client.get(reverse("funds:calls_h5_call", args=[informing.pk])).status_code == 404
    assert client.get(reverse("funds:calls_h5_area", args=[street.grid_a1.pk])).status_code == 404


def test_a_resident_proves_a_phone_and_submits_a_proposal(client, world, prove):
    call, homes = world
    url = reverse("funds:calls_h5_propose", args=[call.pk])
    text = client.get(url).content.decode()
    assert 'id="need-proof"' in text and 'id="h5-proposal-form"' not in text
    r = client.post(url, {"title": "健康小屋"} | lines(("血压计", "2", "150")))
    assert r.status_code == 200 and not Proposal.objects.exists()  # nothing without a proven phone

    prove(client, f.phone(0), url)
    text = client.get(url).content.decode()
    assert 'id="h5-proposal-form"' in text and f"{homes[0].building.name} {homes[0].room}" in text
    r = client.post(url, {"title": "健康小屋", "summary": "放血压计", "contact_name": "户主0",
                          "household": homes[0].pk} | lines(("血压计", "2", "1600")))
    assert r.status_code == 422 and "3000" in " ".join(r.context["lines"].non_form_errors())
    r = client.post(url, {"title": "健康小屋", "summary": "放血压计", "contact_name": "户主0",
                          "household": homes[0].pk} | lines(("血压计", "2", "150"), ("体重秤", "1", "200")))
    p = Proposal.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("funds:calls_h5_proposal", args=[p.pk])
    assert (p.state, p.contact_phone, p.household, p.submitted_by) == ("collecting", f.phone(0), homes[0], None)
    assert p.transitions.get().actor_label == "submitter"
    again = client.post(url, {"title": "健康小屋", "summary": "放血压计", "contact_name": "户主0"}
                        | lines(("血压计", "2", "150")))
    assert again.status_code == 302 and Proposal.objects.count() == 1  # a second tap: the same proposal


def test_households_cosign_on_h5_until_the_proposal_is_submitted(client, world, prove):
    call, homes = world
    p = f.proposal(call, "collecting", origin="residents", title="楼道歇歇椅")
    page = reverse("funds:calls_h5_proposal", args=[p.pk])
    cosign = reverse("funds:calls_h5_cosign", args=[p.pk])
    r = client.post(cosign, {"household": homes[0].pk})
    assert r.status_code == 302 and "verify" in r["Location"] and not ProposalCosign.objects.exists()

    prove(client, f.phone(0), page)
    text = client.get(page).content.decode()
    assert 'id="my-households"' in text and "王阿姨" not in text
    client.post(cosign, {"household": homes[0].pk})
    client.post(cosign, {"household": homes[0].pk})  # twice: once only
    client.post(cosign, {"household": homes[1].pk})  # not this phone's household
    assert list(ProposalCosign.objects.values_list("household_id", flat=True)) == [homes[0].pk]
    assert 'class="muted signed"' in client.get(page).content.decode()

    other = type(client)()
    prove(other, f.phone(1), page)
    other.post(cosign, {"household": homes[1].pk})
    p.refresh_from_db()
    assert p.state == "submitted" and p.cosigns.count() == 2
    assert 'id="my-households"' not in other.get(page).content.decode()  # no more co-signing
