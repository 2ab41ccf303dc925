"""Security 1 (the resident's own view): a resident proves their phone number with an SMS code; their account then
sees every demand filed with that number (我的诉求), whoever recorded it, through the public projection. An
unproven number shows nothing."""

import re

import pytest
from django.urls import reverse

from gongzhi.accounts import services
from gongzhi.core.errors import Forbidden, ValidationFailed
from gongzhi.demands import selectors
from gongzhi.demands.models import Channel
from gongzhi.demands.notify import MemoryNotifier
from tests.demands.conftest import PHONE, submit


@pytest.fixture
def sms(settings):
    settings.GONGZHI_SMS_BACKEND = "gongzhi.demands.notify.MemoryNotifier"
    MemoryNotifier.outbox.clear()
    yield MemoryNotifier.outbox
    MemoryNotifier.outbox.clear()


def test_a_resident_with_a_verified_phone_sees_every_demand_filed_with_it(client, street, people, sms,
                                                                          django_capture_on_commit_callbacks):
    resident = people.resident
    walk_in = submit(street, title="电梯坏了", recorded_by=people.colleague, channel=Channel.PHONE)  # with PHONE
    h5 = submit(street, title="楼道灯坏了")  # filed on the H5 page without an account, same phone
    submit(street, title="别人的事", submitter_phone="13700001111")
    assert list(selectors.my_demands(resident)) == []
    resident.phone = PHONE  # typed in, not proven: still nothing
    resident.save()
    assert list(selectors.my_demands(resident)) == []

    client.force_login(resident)
    mine = client.get(reverse("demands:mine")).content.decode()
    assert reverse("demands:verify_phone") in mine  # the page offers to prove the number
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("demands:verify_phone"), {"step": "phone", "phone": PHONE})
    code = re.search(r"\d{6}", sms[-1][1]).group(0)
    r = client.post(reverse("demands:verify_phone"), {"step": "code", "code": code, "next": reverse("demands:mine")})
    assert r.status_code == 302 and r.url == reverse("demands:mine")
    resident.refresh_from_db()
    assert resident.phone_verified_at is not None
    assert {d.pk for d in selectors.my_demands(resident)} == {walk_in.pk, h5.pk}
    page = client.get(reverse("demands:mine")).content.decode()
    assert "电梯坏了" in page and "楼道灯坏了" in page and "别人的事" not in page
    assert "王阿姨" not in page  # the public projection: no names
    # each opens without the tracking code's digits
    status = client.get(reverse("demands:track_status", args=[walk_in.tracking_code]))
    assert status.status_code == 200 and "电梯坏了" in status.content.decode()
    # 我的诉求 is in the menu
    assert f'href="{reverse("demands:mine")}"' in client.get(reverse("demands:inbox")).content.decode()


def test_changing_the_number_drops_the_proof_and_a_number_has_one_verified_account(street, people):
    resident = services.verify_phone(people.resident, actor=people.resident, phone=PHONE)
    assert resident.phone_verified_at is not None
    with pytest.raises(ValidationFailed):
        services.verify_phone(people.colleague, actor=people.colleague, phone=PHONE)
    with pytest.raises(Forbidden):  # only the user proves their own number
        services.verify_phone(people.colleague, actor=people.admin, phone="13700001111")
    submit(street)  # filed with PHONE
    assert selectors.my_demands(resident).count() == 1
    resident = services.update_user(resident, actor=people.admin, display_name="居民", phone="13700009999")
    resident.refresh_from_db()
    assert resident.phone_verified_at is None and selectors.my_demands(resident).count() == 0
