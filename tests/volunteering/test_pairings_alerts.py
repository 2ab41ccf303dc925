"""The daily alerts: `pairing_alerts` finds exactly the overdue pairings and tells each one's anchor account and
area staff once per pairing per run, through the inbox; the workbench card counts them."""

from io import StringIO

import pytest
from django.core.management import call_command

from gongzhi.accounts.roles import Role
from gongzhi.demands.models import Notification
from gongzhi.volunteering.selectors import pairings as selectors
from tests import factories
from tests.volunteering import factories_pairings as fp

pytestmark = pytest.mark.django_db


def test_the_command_notifies_once_per_overdue_pairing(street, people):
    member_user = factories.user("member-a", Role.PARTY_MEMBER, street.grid_a1)
    street.member_a.user = member_user
    street.member_a.save()
    stale = fp.shop_pairing(street, days_ago=60)
    fp.contact(stale, days_ago=45)
    never = fp.shop_pairing(street, days_ago=40)
    fresh = fp.shop_pairing(street, days_ago=60)
    fp.contact(fresh, days_ago=2)
    unit_late = fp.unit_pairing(street, days_ago=35)
    liaison = factories.user("liaison-a", Role.UNIT_LIAISON, unit=street.unit_a)
    out = StringIO()
    call_command("pairing_alerts", stdout=out)
    assert "3 pairing(s)" in out.getvalue()
    texts = lambda user: list(Notification.objects.filter(user=user).values_list("text", flat=True))  # noqa: E731
    assert len(texts(member_user)) == 2 and any(stale.code in t for t in texts(member_user))
    assert any(never.code in t for t in texts(member_user)) and not any(fresh.code in t for t in texts(member_user))
    assert len(texts(liaison)) == 1 and unit_late.code in texts(liaison)[0]
    assert len(texts(people.insider)) == 3  # the area's secretary hears of each
    assert not texts(people.outsider) and not texts(people.colleague)
    links = set(Notification.objects.filter(user=people.insider).values_list("link", flat=True))
    assert f"/volunteering/pairings/{stale.pk}/" in links
    call_command("pairing_alerts", stdout=StringIO())  # a second run: one more message per overdue pairing
    assert len(texts(people.insider)) == 6


def test_the_card_counts_overdue_pairings_in_scope(street, people):
    fp.shop_pairing(street, days_ago=31)
    fp.shop_pairing(street, days_ago=3)
    card = selectors.overdue_card(people.insider)
    assert card["count"] == 1 and card["tone"] == "urgent" and card["url"].endswith("?overdue=1")
    assert selectors.overdue_card(people.outsider)["count"] == 0
    assert selectors.overdue_card(people.colleague) is None
