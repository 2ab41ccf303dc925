"""Agreements services: validation with field errors, the workflow (sign, expire, renew with copied commitments),
monthly reports (period within the term, once a month), the behind-target rule, and pledges (once per unit and
kind, also when two arrive at once)."""

import datetime as dt
from decimal import Decimal

import pytest

from gongzhi.core.errors import Conflict, Forbidden, InvalidTransition, NotFound, ValidationFailed
from gongzhi.core.workflow import SYSTEM
from gongzhi.joint.models import Agreement, AgreementTransition, Pledge, ProgressReport
from gongzhi.joint.selectors import agreements as selectors
from gongzhi.joint.services import agreements as services
from tests import factories
from tests.joint import factories_agreements as f


def test_a_draft_with_its_parties_and_commitments_is_numbered_and_logged(street):
    made = f.agreement(street, sign=False)
    assert made.state == "draft" and made.code.startswith("XY-2025-")
    assert list(made.units.all()) == [street.unit_a]
    assert [c.kpi_name for c in made.commitments.order_by("position")] == ["清理无证摊点", "劝离流浪乞讨人员",
                                                                          "周边环境投诉"]
    assert list(AgreementTransition.objects.filter(agreement=made).values_list("action", "to_state")) == [
        ("create", "draft")]


@pytest.mark.parametrize(("change", "field"), [
    ({"ends_on": f.START}, "ends_on"),
    ({"ends_on": f.START - dt.timedelta(days=1)}, "ends_on"),
    ({"units": []}, "units"),
    ({"title": " "}, "title"),
    ({"commitments": [dict(f.KPIS[0], target=-1)]}, "target"),
    ({"commitments": [dict(f.KPIS[0], baseline="-5")]}, "baseline"),
    ({"commitments": [dict(f.KPIS[0], measure="")]}, "measure"),
    ({"commitments": [f.KPIS[0], f.KPIS[0]]}, "kpi_name"),
])
def test_bad_agreements_are_refused_with_the_field_named(street, change, field):
    kwargs = {"title": "协议", "starts_on": f.START, "ends_on": f.END, "units": [street.unit_a],
              "commitments": f.KPIS} | change
    with pytest.raises(ValidationFailed) as e:
        services.create_agreement(street.subdistrict, actor=SYSTEM, **kwargs)
    assert field in e.value.field_errors
    assert not Agreement.objects.exists()


def test_a_commitment_by_a_unit_that_is_no_party_is_refused(street):
    with pytest.raises(ValidationFailed) as e:
        f.agreement(street, commitments=[dict(f.KPIS[0], member_unit=street.unit_b.pk)])
    assert "member_unit" in e.value.field_errors


def test_only_the_sub_district_manages_its_agreements(street, people):
    with pytest.raises(Forbidden):
        services.create_agreement(street.subdistrict, actor=people.insider, title="协议", starts_on=f.START,
                                  ends_on=f.END, units=[street.unit_a])
    made = f.agreement(street, sign=False)
    with pytest.raises(NotFound):  # the area secretary does not see a sub-district's agreement
        services.transition_agreement(made, "sign", actor=people.insider)
    signed = services.transition_agreement(made, "sign", actor=people.admin)
    assert signed.state == "in_force"


def test_signing_needs_a_commitment(street):
    made = f.agreement(street, sign=False, commitments=[])
    with pytest.raises(ValidationFailed):
        services.transition_agreement(made, "sign", actor=SYSTEM)
    services.add_commitment(made, actor=SYSTEM, **f.KPIS[0])
    assert services.transition_agreement(made, "sign", actor=SYSTEM).state == "in_force"
    with pytest.raises(Conflict):  # commitments are set on a draft only
        services.add_commitment(made, actor=SYSTEM, **f.KPIS[1])


def test_renewal_links_the_next_term_and_copies_the_commitments(street, people):
    old = f.agreement(street)
    with pytest.raises(ValidationFailed) as e:
        services.renew_agreement(old, actor=people.admin, starts_on=f.END, ends_on=dt.date(2025, 12, 31))
    assert "starts_on" in e.value.field_errors
    new = services.renew_agreement(old, actor=people.admin, starts_on=dt.date(2025, 4, 1),
                                   ends_on=dt.date(2025, 12, 31), note="续签")
    old.refresh_from_db()
    assert old.state == "renewed" and new.state == "draft" and new.previous == old
    assert new.code != old.code and list(new.units.all()) == [street.unit_a]
    copied = [(c.kpi_name, c.target, c.direction, c.baseline) for c in new.commitments.order_by("position")]
    assert copied == [(c.kpi_name, c.target, c.direction, c.baseline) for c in old.commitments.order_by("position")]
    assert selectors.chain(new) == selectors.chain(old) == [old, new]
    with pytest.raises(InvalidTransition):  # renewed once: the workflow has no step from renewed
        services.renew_agreement(old, actor=people.admin, starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 31))


def test_the_system_expires_agreements_whose_term_ended(street):
    ended, running = f.agreement(street), f.agreement(street, ends_on=dt.date(2025, 12, 31))
    assert services.expire_due_agreements(today=dt.date(2025, 4, 1)) == 1
    ended.refresh_from_db()
    running.refresh_from_db()
    assert (ended.state, running.state) == ("expired", "in_force")


def test_reports_once_a_month_within_the_term_with_every_value(street):
    made = f.agreement(street)
    first = f.report(made, dt.date(2025, 1, 17), [150, 20, 12])
    assert first.period == dt.date(2025, 1, 1)
    with pytest.raises(ValidationFailed) as e:
        f.report(made, dt.date(2025, 1, 5), [160, 21, 11])
    assert "period" in e.value.field_errors
    with pytest.raises(ValidationFailed) as e:
        f.report(made, dt.date(2025, 4, 1), [300, 40, 4])
    assert "period" in e.value.field_errors
    items = list(made.commitments.order_by("position"))
    with pytest.raises(ValidationFailed) as e:
        services.record_report(made, actor=SYSTEM, period=dt.date(2025, 2, 1),
                               values={items[0].pk: "-3", items[1].pk: "1"})
    assert f"value_{items[0].pk}" in e.value.field_errors and f"value_{items[2].pk}" in e.value.field_errors
    assert ProgressReport.objects.filter(agreement=made).count() == 1


def test_a_draft_takes_no_report(street):
    with pytest.raises(Conflict):
        f.report(f.agreement(street, sign=False), dt.date(2025, 1, 1), [1, 1, 1])


def test_the_behind_target_rule_pro_rates_the_target_to_the_reported_month(street, people):
    made = f.agreement(street)  # 90 days; January is 31 of them
    f.report(made, dt.date(2025, 1, 1), [150, 10, 12])
    rows = {r["commitment"].kpi_name: r for r in selectors.progress(made)}
    # stalls: 400 × 31/90 = 137.78, 150 is ahead; persons: 50 × 31/90 = 17.22, 10 is behind;
    # complaints: 30 − 30 × 31/90 = 19.67, 12 is below it (on track for "bring down to")
    assert rows["清理无证摊点"]["expected"] == Decimal("137.78") and not rows["清理无证摊点"]["behind"]
    assert rows["劝离流浪乞讨人员"]["expected"] == Decimal("17.22") and rows["劝离流浪乞讨人员"]["behind"]
    assert rows["周边环境投诉"]["expected"] == Decimal("19.67") and not rows["周边环境投诉"]["behind"]
    f.report(made, dt.date(2025, 3, 1), [420, 58, 1])
    rows = {r["commitment"].kpi_name: r for r in selectors.progress(made)}
    # March's report reaches the term's end: the final targets count, and one complaint is above zero
    assert [rows[k]["behind"] for k in ("清理无证摊点", "劝离流浪乞讨人员", "周边环境投诉")] == [False, False, True]
    assert rows["清理无证摊点"]["met"] and not rows["周边环境投诉"]["met"]
    behind = selectors.behind_target(people.admin)
    assert [(r["agreement"], r["commitment"].kpi_name) for r in behind] == [(made, "周边环境投诉")]
    assert selectors.behind_target(people.insider) == []


def test_a_kpi_without_a_report_is_not_judged(street):
    rows = selectors.progress(f.agreement(street))
    assert all(not r["reported"] and not r["behind"] for r in rows)


def test_pledges_add_up_per_kind_against_the_goal(street):
    project = f.project(street)
    services.pledge(project, actor=SYSTEM, member_unit=street.unit_a, kind="money", amount="5000")
    services.pledge(project, actor=SYSTEM, member_unit=street.unit_b, kind="money", amount="7000.50")
    services.pledge(project, actor=SYSTEM, member_unit=street.unit_a, kind="people_hours", amount="40")
    totals = {t["kind"]: t for t in selectors.totals(project)}
    assert totals["money"]["pledged"] == Decimal("12000.50") and totals["money"]["share"] == 60
    assert totals["people_hours"]["pledged"] == Decimal("40") and totals["venue"]["pledged"] == 0


@pytest.mark.parametrize(("amount", "kind", "field"), [("0", "money", "amount"), ("-10", "money", "amount"),
                                                       ("10", "gold", "kind"), ("1.234", "money", "amount")])
def test_bad_pledges_name_the_field(street, amount, kind, field):
    with pytest.raises(ValidationFailed) as e:
        services.pledge(f.project(street), actor=SYSTEM, member_unit=street.unit_a, kind=kind, amount=amount)
    assert field in e.value.field_errors


def test_a_unit_pledges_once_per_kind(street):
    project = f.project(street)
    services.pledge(project, actor=SYSTEM, member_unit=street.unit_a, kind="venue", amount="2")
    with pytest.raises(ValidationFailed) as e:
        services.pledge(project, actor=SYSTEM, member_unit=street.unit_a, kind="venue", amount="3")
    assert "kind" in e.value.field_errors
    assert Pledge.objects.get(project=project, kind="venue").amount == 2


def test_negative_goals_are_refused(street):
    with pytest.raises(ValidationFailed) as e:
        f.project(street, goal_money=-1)
    assert "goal_money" in e.value.field_errors


def test_a_manager_pledges_only_for_units_in_scope(street, people):
    other = factories.street()
    project = f.project(street)
    with pytest.raises(ValidationFailed) as e:
        services.pledge(project, actor=people.admin, member_unit=other.unit_a, kind="money", amount="100")
    assert "member_unit" in e.value.field_errors
