"""Residents on H5 (§9): the estate's public page (nothing personal), proving a phone by SMS code, then voting for
the households that registered it, co-signing a residents' proposal, signing a convention, and the results after
the close."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gongzhi.core.workflow import SYSTEM
from gongzhi.deliberation.models import (
    Ballot,
    BallotReceipt,
    ConventionSignature,
    Meeting,
    Topic,
    TopicCosign,
    TopicSource,
    VoteScope,
)
from gongzhi.deliberation.services import votes as services
from gongzhi.deliberation.views.votes import SESSION_PROOF
from gongzhi.demands.notify import MemoryNotifier
from tests.deliberation.subjects_votes import estates, vote


@pytest.fixture
def outbox(settings):
    settings.GONGZHI_SMS_BACKEND = "gongzhi.demands.notify.MemoryNotifier"
    MemoryNotifier.outbox.clear()
    yield MemoryNotifier.outbox
    MemoryNotifier.outbox.clear()


@pytest.fixture
def world(street):
    return estates(street)


@pytest.fixture
def prove(outbox, django_capture_on_commit_callbacks):
    def prove_(client, phone: str, next_url: str = ""):
        """The resident enters the phone, receives the code by SMS (sent on commit) and enters it."""
        verify = reverse("deliberation:votes_h5_verify")
        with django_capture_on_commit_callbacks(execute=True):
            r = client.post(verify, {"step": "phone", "phone": phone, "next": next_url})
        assert r.status_code == 200 and 'id="code-form"' in r.content.decode()
        sent_to, text = outbox[-1]
        assert sent_to == phone
        code = re.search(r"\d{6}", text).group(0)
        return client.post(verify, {"step": "code", "code": code, "next": next_url})

    return prove_


def test_the_estate_page_is_public_and_shows_no_personal_data(world, client, people):
    open_vote = vote(world.topic, state="open", title="停车收费标准表决")
    done = vote(world.topic, state="open", days_ago=9, closes_at=timezone.now() - timedelta(days=1), title="划线停车表决")
    services.cast_ballot(done, actor=SYSTEM, option="yes", household=world.homes_a[0], now=done.opens_at)
    services.close_vote(done, actor=SYSTEM)
    draft = vote(world.topic, title="尚未公布的表决")
    b_vote = vote(Topic.objects.create(title="石库门议题", area=world.street.area_b, estate=world.estate_b),
                  state="open", title="石库门里表决")
    Meeting.objects.create(topic=world.topic, kind="hearing", title="停车听证会", starts_at=timezone.now(),
                           convener=people.insider)
    page = client.get(reverse("deliberation:votes_h5_estate", args=[world.estate_a.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert open_vote.title in text and done.title in text and "停车听证会" in text and world.topic.title in text
    assert draft.title not in text and b_vote.title not in text
    for home in world.homes_a:  # no head of household, no phone
        assert home.head_name not in text and home.phone not in text and home.phone[-4:] not in text
    assert client.get(reverse("deliberation:votes_h5_estate", args=[999999])).status_code == 404
    assert client.get(reverse("deliberation:votes_h5_vote", args=[draft.pk])).status_code == 404


def test_a_resident_proves_a_phone_and_votes_for_their_household(world, client, prove):
    v = vote(world.topic, state="open", secret=True)
    page = reverse("deliberation:votes_h5_vote", args=[v.pk])
    first = client.get(page).content.decode()
    assert 'id="need-proof"' in first and 'id="vote-rules"' in first and "50%" in first  # the thresholds stated
    home = world.homes_a[2]
    done = prove(client, home.phone, page)
    assert done.status_code == 302 and done.url == page
    text = client.get(page).content.decode()
    assert f'value="{home.pk}"' in text and f'value="{world.homes_a[0].pk}"' not in text  # only its households
    assert home.phone not in text  # masked: 138****0002
    r = client.post(reverse("deliberation:votes_h5_ballot", args=[v.pk]), {"household": home.pk, "option": "no"})
    assert r.status_code == 302
    receipt = BallotReceipt.objects.get(vote=v)
    assert (receipt.household, receipt.channel, receipt.recorded_by) == (home, "h5", None)
    assert Ballot.objects.get(vote=v).receipt is None  # secret
    after = client.get(page).content.decode()
    assert 'class="muted voted"' in after and f'name="household" value="{home.pk}"' not in after
    # a second ballot from the same household is refused and changes nothing
    client.post(reverse("deliberation:votes_h5_ballot", args=[v.pk]), {"household": home.pk, "option": "yes"})
    assert BallotReceipt.objects.filter(vote=v).count() == Ballot.objects.filter(vote=v).count() == 1


def test_no_ballot_without_a_proof_for_another_household_or_after_the_proof_expires(world, client, prove):
    v = vote(world.topic, state="open")
    ballot = reverse("deliberation:votes_h5_ballot", args=[v.pk])
    r = client.post(ballot, {"household": world.homes_a[0].pk, "option": "yes"})
    assert r.status_code == 302 and r.url.startswith(reverse("deliberation:votes_h5_verify"))
    prove(client, world.homes_a[0].phone)
    client.post(ballot, {"household": world.homes_a[1].pk, "option": "yes"})  # not this phone's household
    client.post(ballot, {"household": world.homes_b[0].pk, "option": "yes"})  # nor outside the scope
    assert not BallotReceipt.objects.exists()
    session = client.session
    session[SESSION_PROOF] = {**session[SESSION_PROOF], "until": 0}  # the proof has run out
    session.save()
    r = client.post(ballot, {"household": world.homes_a[0].pk, "option": "yes"})
    assert r.url.startswith(reverse("deliberation:votes_h5_verify")) and not BallotReceipt.objects.exists()


def test_a_wrong_code_proves_nothing(world, client, outbox, django_capture_on_commit_callbacks):
    verify = reverse("deliberation:votes_h5_verify")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(verify, {"step": "phone", "phone": world.homes_a[0].phone})
    wrong = "111111" if "000000" in outbox[-1][1] else "000000"
    r = client.post(verify, {"step": "code", "code": wrong})
    assert r.status_code == 422 and SESSION_PROOF not in client.session


def test_results_after_the_close_on_h5(world, client):
    v = vote(world.topic, state="open", days_ago=9, closes_at=timezone.now() - timedelta(days=1))
    for home, choice in zip(world.homes_a, ["yes", "yes", "yes", "no"], strict=False):
        services.cast_ballot(v, actor=SYSTEM, option=choice, household=home, now=v.opens_at)
    page = reverse("deliberation:votes_h5_vote", args=[v.pk])
    assert 'id="tally"' not in client.get(page).content.decode()
    services.close_vote(v, actor=SYSTEM)
    text = client.get(page).content.decode()
    assert 'id="tally"' in text and 'class="verdict passed"' in text
    assert re.search(r'data-option="yes">[^<]*<strong>3</strong>', text)


def test_a_resident_cosigns_a_residents_proposal_once(world, client, prove):
    proposal = Topic.objects.create(title="增设非机动车棚", area=world.street.area_a, estate=world.estate_a,
                                    source=TopicSource.RESIDENTS, cosigns_needed=5)
    page = reverse("deliberation:votes_h5_topic", args=[proposal.pk])
    assert re.search(r'id="cosign-count">\D*0\D+5\D', client.get(page).content.decode())
    prove(client, world.homes_a[1].phone)
    cosign = reverse("deliberation:votes_h5_cosign", args=[proposal.pk])
    client.post(cosign, {"household": world.homes_a[1].pk})
    client.post(cosign, {"household": world.homes_a[1].pk})  # twice: still one
    client.post(cosign, {"household": world.homes_a[0].pk})  # not this phone's household
    assert list(TopicCosign.objects.filter(topic=proposal).values_list("household", flat=True)) == [
        world.homes_a[1].pk]
    after = client.get(page).content.decode()
    assert 'class="muted signed"' in after and re.search(r'id="cosign-count">\D*1\D+5\D', after)
    proposal.state = "accepted"
    proposal.save()
    assert 'id="need-proof"' not in client.get(page).content.decode()  # no more co-signing once accepted


def test_a_household_signs_the_convention_in_force_once(world, client, prove):
    convention = services.create_convention(world.topic, actor=SYSTEM, title="梧桐花园居民公约",
                                            text="一、文明停车。\n二、垃圾分类。")
    assert client.get(reverse("deliberation:votes_h5_convention", args=[convention.pk])).status_code == 404  # draft
    v = vote(world.topic, state="open", convention_version=convention.latest_version(), days_ago=9,
             closes_at=timezone.now() - timedelta(days=1))
    for home in world.homes_a[:4]:
        services.cast_ballot(v, actor=SYSTEM, option="yes", household=home, now=v.opens_at)
    services.close_vote(v, actor=SYSTEM)
    services.adopt_convention(convention, actor=SYSTEM, vote=v, effective_on=timezone.localdate())
    page = reverse("deliberation:votes_h5_convention", args=[convention.pk])
    text = client.get(page).content.decode()
    assert "垃圾分类" in text and 'id="need-proof"' in text
    prove(client, world.homes_a[3].phone)
    sign = reverse("deliberation:votes_h5_sign", args=[convention.pk])
    client.post(sign, {"household": world.homes_a[3].pk})
    client.post(sign, {"household": world.homes_a[3].pk})
    signature = ConventionSignature.objects.get(convention=convention)
    assert signature.household == world.homes_a[3] and signature.version.number == 1
    estate_page = client.get(reverse("deliberation:votes_h5_estate", args=[world.estate_a.pk])).content.decode()
    assert convention.title in estate_page  # published on the estate's page


def test_an_account_with_a_verified_phone_needs_no_code(world, client, people):
    from gongzhi.accounts.models import User

    resident = User.objects.get(pk=people.resident.pk)
    resident.phone, resident.phone_verified_at = world.homes_a[4].phone, timezone.now()
    resident.save()
    client.force_login(resident)
    v = vote(world.topic, scope=VoteScope.ESTATE, state="open")
    client.post(reverse("deliberation:votes_h5_ballot", args=[v.pk]), {"household": world.homes_a[4].pk,
                                                                        "option": "yes"})
    assert BallotReceipt.objects.get(vote=v).household == world.homes_a[4]
