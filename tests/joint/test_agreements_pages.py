"""Pages of the agreements part: the list with its filters, the detail with KPI progress and the renewal chain,
the printable page, drawing up, reporting (field errors), renewing, the crowd-funded projects with pledges, the
workbench card; and who reads what (the party unit's liaison reads their unit's agreements only)."""

import datetime as dt

from gongzhi.accounts.roles import Role
from gongzhi.core.workflow import SYSTEM
from gongzhi.joint.models import Agreement, Pledge, ProgressReport
from gongzhi.joint.services import agreements as services
from tests import factories
from tests.conftest import login
from tests.joint import factories_agreements as f


def test_the_list_filters_by_state_unit_and_search(client, street, people):
    hospital = f.agreement(street)
    school = f.agreement(street, sign=False, units=[street.unit_b], title="校园护学共建协议",
                         commitments=[f.KPIS[0]])
    login(client, people.admin)
    page = client.get("/joint/agreements/").content.decode()
    assert hospital.title in page and school.title in page
    page = client.get("/joint/agreements/?state=draft").content.decode()
    assert school.title in page and hospital.title not in page
    page = client.get(f"/joint/agreements/?unit={street.unit_a.pk}").content.decode()
    assert hospital.title in page and school.title not in page
    page = client.get("/joint/agreements/?q=护学").content.decode()
    assert school.title in page and hospital.title not in page


def test_the_detail_shows_progress_behind_target_reports_and_the_chain(client, street, people):
    made = f.agreement(street)
    f.report(made, dt.date(2025, 1, 1), [150, 10, 12])
    new = services.renew_agreement(made, actor=SYSTEM, starts_on=dt.date(2025, 4, 1), ends_on=dt.date(2025, 12, 31))
    login(client, people.admin)
    page = client.get(f"/joint/agreements/{made.pk}/").content.decode()
    assert page.count('class="behind"') == 1  # persons persuaded: 10 of a pro-rated 17.22
    assert "137.78" in page and "<svg" in page and "联合保障工作站" in page
    assert new.code in page and f"/joint/agreements/{new.pk}/" in page
    printed = client.get(f"/joint/agreements/{made.pk}/print/").content.decode()
    assert "data-print" in printed and "清理无证摊点" in printed and "action-sign" not in printed


def test_drawing_up_and_adding_a_commitment_then_signing(client, street, people):
    login(client, people.admin)
    bad = client.post("/joint/agreements/new/", {"region": street.subdistrict.pk, "title": "共建协议",
                                                 "units": [street.unit_a.pk], "starts_on": "2026-03-01",
                                                 "ends_on": "2026-01-01"})
    assert bad.status_code == 422 and "row-ends_on" in bad.content.decode()
    response = client.post("/joint/agreements/new/", {"region": street.subdistrict.pk, "title": "共建协议",
                                                      "units": [street.unit_a.pk], "starts_on": "2026-01-01",
                                                      "ends_on": "2026-12-31"})
    made = Agreement.objects.get()
    assert response.status_code == 302 and made.state == "draft"
    negative = client.post(f"/joint/agreements/{made.pk}/commitments/new/",
                           {"text": "义诊", "kpi_name": "义诊场次", "measure": "场", "baseline": "0", "target": "-4",
                            "direction": "at_least"})
    assert negative.status_code == 422 and "has-error" in negative.content.decode()
    client.post(f"/joint/agreements/{made.pk}/commitments/new/",
                {"text": "义诊", "kpi_name": "义诊场次", "measure": "场", "baseline": "0", "target": "24",
                 "direction": "at_least"})
    client.post(f"/joint/agreements/{made.pk}/transition/", {"action": "sign"})
    made.refresh_from_db()
    assert made.state == "in_force" and made.commitments.get().target == 24


def test_reporting_with_field_errors(client, street, people):
    made = f.agreement(street)
    items = list(made.commitments.order_by("position"))
    values = {f"value_{c.pk}": v for c, v in zip(items, ["150", "10", "12"], strict=True)}
    login(client, people.admin)
    outside = client.post(f"/joint/agreements/{made.pk}/report/", {"period": "2025-05"} | values)
    assert outside.status_code == 422 and "row-period" in outside.content.decode()
    negative = client.post(f"/joint/agreements/{made.pk}/report/",
                           {"period": "2025-01"} | values | {f"value_{items[0].pk}": "-1"})
    assert negative.status_code == 422
    ok = client.post(f"/joint/agreements/{made.pk}/report/", {"period": "2025-01"} | values)
    assert ok.status_code == 302 and ProgressReport.objects.filter(agreement=made).count() == 1
    again = client.post(f"/joint/agreements/{made.pk}/report/", {"period": "2025-01"} | values)
    assert again.status_code == 422 and ProgressReport.objects.filter(agreement=made).count() == 1


def test_renewing_from_the_page(client, street, people):
    made = f.agreement(street)
    login(client, people.admin)
    response = client.post(f"/joint/agreements/{made.pk}/renew/", {"starts_on": "2025-04-01",
                                                                    "ends_on": "2026-03-31"})
    renewal = Agreement.objects.get(previous=made)
    assert response.status_code == 302 and response.url == f"/joint/agreements/{renewal.pk}/"
    assert renewal.commitments.count() == 3


def test_who_reads_agreements(client, street, people):
    made = f.agreement(street)
    other = f.agreement(street, units=[street.unit_b], title="校园护学共建协议", commitments=[f.KPIS[0]])
    liaison = factories.user("liaison", Role.UNIT_LIAISON, unit=street.unit_a)
    login(client, liaison)
    page = client.get("/joint/agreements/").content.decode()
    assert made.title in page and other.title not in page
    assert client.get(f"/joint/agreements/{made.pk}/").status_code == 200
    assert client.get(f"/joint/agreements/{other.pk}/").status_code == 404
    assert client.get(f"/joint/agreements/{made.pk}/report/").status_code == 403  # reads, does not write
    login(client, people.insider)
    assert client.get(f"/joint/agreements/{made.pk}/").status_code == 404
    login(client, people.colleague)
    assert client.get("/joint/agreements/").status_code == 403


def test_the_workbench_card_lists_kpis_behind_target(client, street, people):
    made = f.agreement(street)
    f.report(made, dt.date(2025, 1, 1), [150, 10, 12])
    login(client, people.admin)
    page = client.get("/").content.decode()
    assert "card-joint-kpis_behind" in page and "劝离流浪乞讨人员" in page


def test_projects_with_pledges(client, street, people):
    project = f.project(street)
    services.pledge(project, actor=SYSTEM, member_unit=street.unit_a, kind="money", amount="5000")
    login(client, people.admin)
    assert project.title in client.get("/joint/agreements/projects/").content.decode()
    page = client.get(f"/joint/agreements/projects/{project.pk}/").content.decode()
    assert "5000" in page and "pledge-form" in page
    repeated = client.post(f"/joint/agreements/projects/{project.pk}/pledge/",
                           {"member_unit": street.unit_a.pk, "kind": "money", "amount": "100"})
    assert repeated.status_code == 422 and Pledge.objects.count() == 1
    done = client.post(f"/joint/agreements/projects/{project.pk}/pledge/",
                       {"member_unit": street.unit_b.pk, "kind": "venue", "amount": "3", "note": "会议室"})
    assert done.status_code == 302 and Pledge.objects.count() == 2
    response = client.post("/joint/agreements/projects/new/", {"region": street.subdistrict.pk, "title": "滨江志愿队",
                                                               "goal_money": "-1", "goal_venue": "0",
                                                               "goal_hours": "0"})
    assert response.status_code == 422 and "row-goal_money" in response.content.decode()
