"""The audit page reads for an inspector: local time, Chinese field labels, objects and related objects by name,
choices by label, searchable by tracking code or code, and personal data masked by the screens' own policy."""

from datetime import UTC, datetime

import pytest
from django.utils.translation import gettext

from gongzhi.accounts.roles import Capability, Role
from gongzhi.accounts.scope import scope_for
from gongzhi.core.audit import history_rows
from gongzhi.core.masking import mask_phone, personal_data_visible
from gongzhi.demands import services as demand_services
from gongzhi.demands.workflow import State
from gongzhi.registry.models import MemberStatus, PartyMember
from tests import factories
from tests.conftest import login
from tests.demands.conftest import submit
from tests.reveal import reveal_page

NEW_PHONE = "13800001111"


@pytest.fixture
def viewer(street):
    """A district viewer: audits the whole district, but personal data is masked on every screen of theirs."""
    return factories.user("districtviewer", Role.DISTRICT_VIEWER, street.district, display_name="区级查看")


def change_member(member: PartyMember, by, **values) -> PartyMember:
    member._history_user = by
    for name, value in values.items():
        setattr(member, name, value)
    member.save()
    return member


def test_changes_are_labelled_by_verbose_name_and_values_by_name(client, street, people):
    change_member(street.member_a, people.admin, organization=street.org_b, status=MemberStatus.PROBATIONARY,
                  is_mobile=True)
    html = login(client, people.admin).get("/audit/", {"model": "registry.PartyMember"}).content.decode()
    assert "党组织" in html and "status" not in html and "organization" not in html and "is_mobile" not in html
    # the foreign key by the organizations' names, the choice by its label, the flag as yes/no
    assert f"{street.org_a.name} → {street.org_b.name}" in html
    assert f"{MemberStatus.FULL.label} → {MemberStatus.PROBATIONARY.label}" in html
    assert f"{gettext('no')} → {gettext('yes')}" in html
    # the object by its name (not an id), the action in Chinese
    assert f"党员 · {street.member_a.name}" in html and "修改" in html and "新增" in html


def test_a_demands_state_change_reads_in_chinese(client, street, people):
    demand = demand_services.assign_demand(submit(street), actor=people.colleague, assignee_id=people.colleague.pk)
    html = login(client, people.admin).get("/audit/", {"q": demand.tracking_code}).content.decode()
    assert f"<b>状态</b> {State.SUBMITTED.label} → {State.ASSIGNED.label}" in html
    assert ">state<" not in html and "<b>state</b>" not in html and "updated_at" not in html
    assert "梧桐网格长" in html  # who: the user's display name


def test_search_by_tracking_code_finds_the_demands_history(street, people):
    demand = demand_services.assign_demand(submit(street), actor=people.colleague, assignee_id=people.colleague.pk)
    other = submit(street, title="垃圾没人收")
    scope = scope_for(people.admin, Capability.VIEW_AUDIT)
    rows = history_rows(scope, text=demand.tracking_code)
    assert [(r.model._meta.label, r.record.id, r.action) for r in rows] == [
        ("demands.Demand", demand.pk, "updated"), ("demands.Demand", demand.pk, "created")]
    assert other.pk not in {r.record.id for r in history_rows(scope, text=demand.tracking_code)}


def test_search_by_code_finds_a_member_units_history(client, street, people):
    html = login(client, people.admin).get("/audit/", {"q": street.unit_a.code}).content.decode()
    assert street.unit_a.name in html and street.unit_b.name not in html


def test_times_are_local(client, street, people):
    change_member(street.member_a, people.admin, name="张梧桐同志")
    record = street.member_a.history.first()
    type(record).objects.filter(pk=record.pk).update(history_date=datetime(2026, 3, 1, 16, 30, tzinfo=UTC))
    html = login(client, people.admin).get("/audit/", {"model": "registry.PartyMember"}).content.decode()
    assert "2026-03-02 00:30" in html  # Asia/Shanghai is UTC+8
    assert "2026-03-01 16:30" not in html


def test_personal_data_is_masked_for_a_viewer_whose_screens_mask_it(client, street, people, viewer):
    old = street.member_a.phone
    change_member(street.member_a, people.admin, phone=NEW_PHONE, id_number="31010119800101123X")
    # the one decision the screens take: masked by default; in full only for those who may see it, once revealed
    assert not personal_data_visible(viewer, revealed=True) and not personal_data_visible(people.admin)
    assert personal_data_visible(people.admin, revealed=True)

    audit = login(client, viewer).get("/audit/", {"model": "registry.PartyMember"}).content.decode()
    assert NEW_PHONE not in audit and old not in audit and "31010119800101123X" not in audit
    assert f"{mask_phone(old)} → {mask_phone(NEW_PHONE)}" in audit and "3101**********123X" in audit
    # exactly as on the member's own page for that viewer
    detail = client.get(f"/registry/members/{street.member_a.pk}/").content.decode()
    assert mask_phone(NEW_PHONE) in detail and NEW_PHONE not in detail

    # the audit page reveals nothing, whoever reads it; the member's page shows the change in full once revealed
    audit = login(client, people.admin).get("/audit/", {"model": "registry.PartyMember"}).content.decode()
    assert f"{mask_phone(old)} → {mask_phone(NEW_PHONE)}" in audit and NEW_PHONE not in audit
    assert f"{old} → {NEW_PHONE}" in reveal_page(client, f"/registry/members/{street.member_a.pk}/")


def test_a_demands_submitter_is_masked_for_the_viewer(client, street, people, viewer):
    demand = submit(street)
    demand._history_user = people.admin
    demand.submitter_phone = NEW_PHONE
    demand.save()
    audit = login(client, viewer).get("/audit/", {"q": demand.tracking_code}).content.decode()
    assert NEW_PHONE not in audit and mask_phone(NEW_PHONE) in audit
