"""Issue 11, security 4 (second half): revealing personal data is itself audited.

Detail pages and exports mask personal data by default, also for users who may see it. Such a user gets "Show full
information" (查看完整信息), which asks for a reason; each reveal writes an append-only `core.Reveal` (who, when,
which object or list with its filters, which fields, why), listed and searchable on the audit page.
"""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongzhi.accounts.roles import Role
from gongzhi.core import reveal, services
from gongzhi.core.masking import mask_id_number, mask_phone
from gongzhi.core.models import Reveal
from tests import factories
from tests.conftest import login
from tests.demands.conftest import PHONE, submit
from tests.matching.conftest import make_world
from tests.reveal import REASON, TOKEN, reveal_export, reveal_page, token_on

ID_NUMBER = "310101199001011234"


@pytest.fixture
def member(street):
    member = street.member_a
    member.id_number, member.address = ID_NUMBER, "桂香小区4号楼301室"
    member.save()
    return member


def detail_url(member) -> str:
    return reverse("registry:partymember_detail", args=[member.pk])


def post_reveal(client, token: str, reason: str = REASON):
    return client.post(reverse("reveal"), {"token": token, "reason": reason})


def test_a_detail_page_is_masked_by_default_and_offers_the_reveal_only_to_who_may_see_it(client, people, member,
                                                                                       street):
    page = login(client, people.admin).get(detail_url(member)).content.decode()
    assert member.phone not in page and ID_NUMBER not in page
    assert mask_phone(member.phone) in page and mask_id_number(ID_NUMBER) in page
    assert f'action="{reverse("reveal")}"' in page and 'id="reveal"' in page and 'name="reason"' in page
    viewer = factories.user("viewer", Role.DISTRICT_VIEWER, street.district)  # no personal-data right
    page = login(client, viewer).get(detail_url(member)).content.decode()
    assert mask_phone(member.phone) in page and not TOKEN.search(page) and 'id="reveal"' not in page


def test_a_reveal_asks_for_a_reason_then_records_who_what_when_and_why(client, people, member):
    login(client, people.admin)
    token = token_on(client.get(detail_url(member)).content.decode())
    for blank in ("", "   "):
        refused = post_reveal(client, token, blank)
        assert refused.status_code == 200 and 'class="errorlist' in refused.content.decode()
        assert member.phone not in refused.content.decode()
    assert post_reveal(client, token, "x" * 201).status_code == 200
    assert not Reveal.objects.exists()

    before = timezone.now()
    response = post_reveal(client, token, "  核实  党员联系方式 ")
    record = Reveal.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{detail_url(member)}?reveal={record.pk}"
    assert (record.user, record.username, record.kind) == (people.admin, people.admin.username, "object")
    assert (record.model, record.object_id, record.label) == ("registry.PartyMember", str(member.pk), member.name)
    assert record.fields == ["phone", "id_number", "address"] and record.reason == "核实 党员联系方式"
    assert before <= record.created_at <= timezone.now()
    page = client.get(response["Location"]).content.decode()
    assert member.phone in page and ID_NUMBER in page and member.address in page
    assert 'id="reveal-note"' in page and f'href="{detail_url(member)}"' in page  # "mask again"


def test_a_reveal_covers_its_object_for_its_user_for_a_while(client, people, member, street, monkeypatch):
    login(client, people.admin)
    reveal_page(client, detail_url(member))
    record = Reveal.objects.get()
    other = street.member_b
    assert other.phone not in client.get(detail_url(other), {"reveal": record.pk}).content.decode()
    assert Reveal.objects.count() == 1
    # the same link opened by someone else who may see personal data too: masked
    area_a = factories.user("area_a_2", Role.AREA_SECRETARY, street.area_a)
    assert member.phone not in login(client, area_a).get(detail_url(member), {"reveal": record.pk}).content.decode()
    login(client, people.admin)
    assert member.phone in client.get(detail_url(member), {"reveal": record.pk}).content.decode()  # a reload
    later = timezone.now() + timedelta(minutes=reveal.REVEAL_MINUTES + 1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert member.phone not in client.get(detail_url(member), {"reveal": record.pk}).content.decode()
    for junk in ("abc", "9" * 40, "-1"):
        assert client.get(detail_url(member), {"reveal": junk}).status_code == 200


def test_a_forged_or_foreign_token_reveals_nothing(client, people, member):
    token = token_on(login(client, people.admin).get(detail_url(member)).content.decode())
    assert post_reveal(login(client, people.insider), token).status_code == 400  # another user's form
    assert post_reveal(client, token[:-2] + "xx").status_code == 400
    # a user without the personal-data right is refused even with a token of their own
    own = reveal.object_token(people.colleague, member, detail_url(member))
    assert post_reveal(login(client, people.colleague), own).status_code == 403
    assert not Reveal.objects.exists()
    assert client.get(reverse("reveal")).status_code == 405


def test_an_export_is_masked_by_default_and_revealed_with_a_reason_on_the_record(client, people, member):
    members = reverse("registry:partymember_list")
    login(client, people.admin)
    html = client.get(members, {"q": member.name}).content.decode()
    assert "reveal-export" in html and TOKEN.search(html)

    def row(content: bytes) -> dict:
        rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
        return dict(zip(rows[0], next(r for r in rows[1:] if r[0] == member.name), strict=True))

    plain = row(client.get(reverse("excel:export", args=["party_members"]), {"q": member.name}).content)
    assert plain["手机号码"] == mask_phone(member.phone) and plain["身份证号"] == mask_id_number(ID_NUMBER)
    assert not Reveal.objects.exists()
    refused = post_reveal(client, token_on(html), "")
    assert refused.status_code == 200 and not refused["Content-Type"].startswith("application/vnd")
    full = row(reveal_export(client, members, {"q": member.name}, reason="党员信息年度核对"))
    assert full["手机号码"] == member.phone and full["身份证号"] == ID_NUMBER and full["家庭住址"] == member.address
    record = Reveal.objects.get()
    assert (record.user, record.kind, record.list_kind, record.label) == (
        people.admin, "export", "party_members", "党员名册")
    assert record.filters == {"q": member.name} and record.reason == "党员信息年度核对"
    assert {"手机号码", "身份证号", "家庭住址"} <= set(record.fields)
    # a list without the right: no export with personal data is offered
    assert "reveal-export" not in login(client, people.colleague).get(members).content.decode()


def test_reveals_are_on_the_audit_page_and_searchable(client, people, member, street):
    login(client, people.insider)
    reveal_page(client, detail_url(member), reason="走访前核实电话")
    far = factories.user("far", Role.SUBDISTRICT_ADMIN, street.district, display_name="外区管理员")
    Reveal.objects.create(user=far, username=far.username, kind="object", model="registry.PartyMember",
                          object_id="1", label="外区党员", fields=["phone"], reason="外区核实")

    login(client, people.admin)
    audit = client.get("/audit/").content.decode()
    assert "走访前核实电话" in audit and people.insider.display_name in audit and member.name in audit
    assert "外区核实" not in audit  # revealed by someone outside the inspector's scope
    assert member.phone not in audit  # the audit page reveals nothing itself
    for params in ({"q": member.name}, {"q": "走访"}, {"user": people.insider.display_name},
                   {"model": "core.Reveal"}, {"model": "core.Reveal", "q": "核实电话"}):
        assert "走访前核实电话" in client.get("/audit/", params).content.decode(), params
    assert "走访前核实电话" not in client.get("/audit/", {"q": "没有这个"}).content.decode()
    assert "走访前核实电话" not in client.get("/audit/", {"model": "registry.PartyMember"}).content.decode()
    only = client.get("/audit/", {"model": "core.Reveal"})
    assert all(type(r).__name__ == "RevealRow" for r in only.context["page"].object_list)


def test_a_reveal_record_is_append_only(people, member):
    record = services.reveal_object(member, actor=people.admin, reason="核实")
    record.reason = "改过"
    with pytest.raises(PermissionError):
        record.save()
    with pytest.raises(PermissionError):
        record.delete()
    with pytest.raises(PermissionError):
        Reveal.objects.filter(pk=record.pk).update(reason="改过")
    with pytest.raises(PermissionError):
        Reveal.objects.all().delete()
    assert Reveal.objects.get().reason == "核实"


def test_the_demand_page_follows_the_same_rule(client, street, people):
    demand = submit(street)
    url = reverse("demands:detail", args=[demand.pk])
    page = login(client, people.insider).get(url).content.decode()
    assert PHONE not in page and mask_phone(PHONE) in page
    assert PHONE in reveal_page(client, url)
    assert Reveal.objects.get().label == str(demand)


def test_a_resource_page_shows_its_providers_own_phone_and_staff_reveal_it(client, street, people):
    world = make_world(street)
    url = reverse("matching:resource_detail", args=[world.resource.pk])
    page = login(client, world.liaison).get(url).content.decode()  # the provider's own side: in full, no reveal
    assert "13912345678" in page and not TOKEN.search(page)
    page = login(client, people.admin).get(url).content.decode()
    assert "13912345678" not in page and "139****5678" in page
    assert "13912345678" in reveal_page(client, url)


def test_an_accounts_page_follows_the_same_rule(client, people):
    people.colleague.phone = "13700001234"
    people.colleague.save()
    url = reverse("accounts:user_detail", args=[people.colleague.pk])
    page = login(client, people.admin).get(url).content.decode()
    assert "13700001234" not in page and "137****1234" in page
    assert "13700001234" not in client.get(reverse("accounts:user_list")).content.decode()
    assert "13700001234" in reveal_page(client, url)
