"""Security 11 and walk-through 15: "me too" (我也遇到) needs a verified contact (a phone proven with the H5 SMS
code, or an account), submitters cannot support their own demand, the anonymous limit is an atomic counter that
parallel requests cannot slip past, and a resident about to report a problem already reported nearby is shown
it first, with a "me too" button."""

import re
from functools import partial

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from gongzhi.core.errors import ValidationFailed
from gongzhi.demands import services
from gongzhi.demands.models import RateCounter
from tests.concurrency import run_at_once
from tests.demands.conftest import PHONE, submit

OTHER = "13800000001"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _prove_phone(client, phone, sms, capture):
    with capture(execute=True):
        r = client.post(reverse("demands:verify_phone"), {"step": "phone", "phone": phone})
    assert r.status_code == 200
    code = re.search(r"\d{6}", sms[-1][1]).group(0)
    assert sms[-1][0] == phone
    r = client.post(reverse("demands:verify_phone"), {"step": "code", "code": code,
                                                      "next": reverse("demands:submit")})
    assert r.status_code == 302 and r.url == reverse("demands:submit")


def test_me_too_needs_a_phone_proven_by_sms(client, street, sms, django_capture_on_commit_callbacks):
    demand = submit(street)
    url = reverse("demands:support", args=[demand.tracking_code])
    r = client.post(url, {"next": reverse("demands:submit")})
    assert r.status_code == 302 and r.url.startswith(reverse("demands:verify_phone"))  # asked to prove a phone
    demand.refresh_from_db()
    assert demand.support_count == 0
    # a wrong code proves nothing
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("demands:verify_phone"), {"step": "phone", "phone": OTHER})
    r = client.post(reverse("demands:verify_phone"), {"step": "code", "code": "000000"})
    assert r.status_code == 422 and "demands_verified_phone" not in client.session
    cache.clear()
    RateCounter.objects.all().delete()  # (the one-a-minute limit on codes to one number)
    _prove_phone(client, OTHER, sms, django_capture_on_commit_callbacks)
    r = client.post(url, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "· 1" in r.content.decode()
    client.post(url)
    demand.refresh_from_db()
    assert demand.support_count == 1


def test_submitters_cannot_support_their_own_demand(client, street, people, sms,
                                                    django_capture_on_commit_callbacks):
    demand = submit(street, submitter_user=people.resident)
    with pytest.raises(ValidationFailed):
        services.add_support(demand, verified_phone=PHONE)
    with pytest.raises(ValidationFailed):
        services.add_support(demand, user=people.resident)
    _prove_phone(client, PHONE, sms, django_capture_on_commit_callbacks)
    r = client.post(reverse("demands:support", args=[demand.tracking_code]), HTTP_HX_REQUEST="true")
    assert 'role="alert"' in r.content.decode()
    demand.refresh_from_db()
    assert demand.support_count == 0


def test_anonymous_me_too_is_limited_per_address(client, street, settings):
    settings.GONGZHI_SUPPORT_RATE = 3
    demands = [submit(street, title=f"问题{i}") for i in range(4)]
    session = client.session
    session["demands_verified_phone"] = OTHER
    session.save()
    codes = [client.post(reverse("demands:support", args=[d.tracking_code])).status_code for d in demands]
    assert codes == [302, 302, 302, 429]


@pytest.mark.django_db(transaction=True)
def test_thirty_parallel_hits_never_pass_a_limit_of_ten():
    passed = run_at_once([partial(services.rate_allows, "support", "10.0.0.1", limit=10, seconds=60)] * 30)
    assert len(passed) == 30 and passed.count(True) == 10


def test_the_intake_form_shows_open_demands_nearby_with_a_me_too_button(client, street):
    open_one = submit(street, now=timezone.now(), title="楼道灯坏了", description="3楼楼道灯不亮，晚上很黑。")
    submit(street, now=timezone.now(), title="垃圾桶满了", description="小区门口垃圾桶溢出。")
    page = client.get(reverse("demands:submit")).content.decode()
    assert reverse("demands:similar") in page  # the form asks for the hint as the resident types
    r = client.get(reverse("demands:similar"), {"title": "楼道灯不亮", "description": "3楼的楼道灯坏了，很黑",
                                                "address": "梧桐1号楼"})
    html = r.content.decode()
    assert open_one.tracking_code in html and "垃圾桶" not in html
    assert reverse("demands:support", args=[open_one.tracking_code]) in html
    assert PHONE not in html and "王阿姨" not in html  # the public projection
    assert client.get(reverse("demands:similar"), {"title": "花园", "description": "想种花"}
                      ).content.decode().strip() == ""
