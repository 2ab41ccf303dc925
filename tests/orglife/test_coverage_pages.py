"""The coverage pages, export and API: the uncovered unit is listed (and searchable), the district viewer sees one
row per sub-district while an area secretary sees their area only, the instructor's phone is masked on the page,
the export and the API, and bad input gives field errors."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongzhi.accounts.roles import Role
from gongzhi.core.workflow import SYSTEM
from gongzhi.orglife.models import InstructorAssignment, JointCoverage
from gongzhi.orglife.services import coverage as services
from gongzhi.registry.models import MemberUnitKind, PartyOrgKind, RegionKind
from tests import factories
from tests.conftest import login

TODAY = timezone.localdate()
PHONE = "13712345678"
MASKED = "137****5678"


@pytest.fixture
def world(street):
    covered = factories.member_unit(street.grid_a1, name="梧桐科技有限公司", headcount=120, is_two_new=True)
    factories.party_org(street.area_a, member_unit=covered, founded_on=dt.date(2015, 1, 1))
    bare = factories.member_unit(street.grid_a1, name="樱桃文化传媒公司", headcount=60, is_two_new=True)
    in_b = factories.member_unit(street.grid_b1, name="石库门服务社", headcount=40, is_two_new=True,
                                 kind=MemberUnitKind.SOCIAL_ORGANIZATION)
    other_sub = factories.region(RegionKind.SUBDISTRICT, street.district, name="枫林街道")
    other_area = factories.region(RegionKind.RESIDENTIAL_AREA, other_sub, name="枫林居民区")
    far = factories.member_unit(other_area, name="枫林物流公司", headcount=300, is_two_new=True)
    joint = factories.party_org(street.area_a, PartyOrgKind.JOINT_COMMITTEE, name="梧桐大厦联合党委")
    a = services.assign_instructor(covered, actor=SYSTEM, instructor="周指导", phone=PHONE,
                                   assigned_on=TODAY - dt.timedelta(days=30))
    return {"covered": covered, "bare": bare, "in_b": in_b, "far": far, "other_sub": other_sub, "joint": joint,
            "assignment": a}


@pytest.mark.django_db
def test_the_page_lists_the_uncovered_unit_and_searches(client, street, people, world):
    login(client, people.admin)
    page = client.get(reverse("orglife:coverage")).content.decode()
    assert "樱桃文化传媒公司" in page and "石库门服务社" in page
    assert "梧桐科技有限公司" not in page.split('id="uncovered-table"')[1]  # covered by org and instructor
    assert "枫林物流公司" not in page  # another sub-district
    figure = page.split('id="coverage-chart"')[1].split("</figure>")[0]
    assert "<polyline" in figure and "<script" not in figure and "cdn" not in figure.lower()
    total = page.split('id="coverage-total"')[1].split("</tr>")[0]
    assert ">3<" in total and "33.3%" in total  # 3 counted, 1 organized, 1 instructed
    found = client.get(reverse("orglife:coverage"), {"q": "樱桃"}, HTTP_HX_REQUEST="true").content.decode()
    assert "樱桃文化传媒公司" in found and "石库门服务社" not in found
    work_only = client.get(reverse("orglife:coverage"), {"missing": "org"}).content.decode()
    assert "樱桃文化传媒公司" in work_only


@pytest.mark.django_db
def test_district_viewer_sees_a_row_per_subdistrict(client, street, people, world):
    viewer = factories.user("district", Role.DISTRICT_VIEWER, street.district)
    login(client, viewer)
    page = client.get(reverse("orglife:coverage")).content.decode()
    summary = page.split('id="coverage-summary"')[1].split("</table>")[0]
    assert street.subdistrict.name in summary and "枫林街道" in summary
    assert "枫林物流公司" in page  # the district's list holds both sub-districts' units
    sub = client.get(reverse("orglife:coverage"), {"region": world["other_sub"].code}).content.decode()
    assert "枫林物流公司" in sub and "樱桃文化传媒公司" not in sub
    api = client.get(reverse("api:orglife_coverage"), {"region": street.district.code}).json()
    assert api["counted"] == 4 and {r["region"] for r in api["sub_districts"]} == {street.subdistrict.name, "枫林街道"}


@pytest.mark.django_db
def test_area_secretary_sees_their_area_only(client, street, people, world):
    login(client, people.insider)
    page = client.get(reverse("orglife:coverage")).content.decode()
    assert "樱桃文化传媒公司" in page and "石库门服务社" not in page
    assert client.get(reverse("orglife:coverage"), {"region": street.subdistrict.code}).status_code == 404
    assert client.get(reverse("api:orglife_coverage"), {"region": street.area_b.code}).status_code == 404
    api = client.get(reverse("api:orglife_coverage_uncovered")).json()
    assert [r["name"] for r in api["items"]] == ["樱桃文化传媒公司"]


@pytest.mark.django_db
def test_instructor_phone_is_masked_on_page_export_api_and_audit(client, street, people, world):
    a = world["assignment"]
    login(client, people.admin)
    listing = client.get(reverse("orglife:coverage_instructor_list")).content.decode()
    detail = client.get(reverse("orglife:coverage_instructor_detail", args=[a.pk])).content.decode()
    for html in (listing, detail):
        assert MASKED in html and PHONE not in html
    book = load_workbook(io.BytesIO(client.get(reverse("excel:export", args=["orglife_instructors"])).content))
    cells = [c for row in book.active.iter_rows(values_only=True) for c in row]
    assert MASKED in cells and PHONE not in cells
    login(client, people.insider)  # area A's secretary may see personal data: the API answers it in full
    assert client.get(reverse("api:orglife_coverage_instructors")).json()["items"][0]["phone"] == PHONE
    viewer = factories.user("district", Role.DISTRICT_VIEWER, street.district)
    login(client, viewer)  # no personal-data right: masked
    assert client.get(reverse("api:orglife_coverage_instructors")).json()["items"][0]["phone"] == MASKED
    history = a.history.first()
    assert history.phone == PHONE  # the history holds the row; the audit page masks it (core's audit views)


@pytest.mark.django_db
def test_forms_refuse_bad_input_with_field_errors(client, street, people, world):
    login(client, people.admin)
    future = (TODAY + dt.timedelta(days=3)).isoformat()
    r = client.post(reverse("orglife:coverage_instructor_create"),
                    {"unit": world["bare"].pk, "instructor": "吴指导", "phone": "13700000002", "assigned_on": future})
    assert r.status_code == 422 and "assigned_on" in r.context["form"].errors
    branch = factories.party_org(street.area_a)
    r = client.post(reverse("orglife:coverage_joint_create"),
                    {"unit": world["bare"].pk, "joint_org": branch.pk, "since": TODAY.isoformat()})
    assert r.status_code == 422  # not offered: the form's choice refuses it
    r = client.post(reverse("orglife:coverage_joint_create"),
                    {"unit": world["bare"].pk, "joint_org": world["joint"].pk, "since": future})
    assert r.status_code == 422 and "since" in r.context["form"].errors
    assert not JointCoverage.objects.exists()
    r = client.post(reverse("orglife:coverage_joint_create"),
                    {"unit": world["bare"].pk, "joint_org": world["joint"].pk, "since": TODAY.isoformat()})
    assert r.status_code == 302
    row = JointCoverage.objects.get()
    r = client.post(reverse("orglife:coverage_joint_end", args=[row.pk]), {"ended_on": future})
    assert r.status_code == 422 and "ended_on" in r.context["form"].errors
    r = client.post(reverse("orglife:coverage_instructor_end", args=[world["assignment"].pk]),
                    {"ended_on": (TODAY - dt.timedelta(days=40)).isoformat()})
    assert r.status_code == 422 and "ended_on" in r.context["form"].errors
    assert InstructorAssignment.objects.get().ended_on is None
    page = client.get(reverse("orglife:coverage")).content.decode()
    assert "樱桃文化传媒公司" in page  # organized now, but still without an instructor
    api = client.get(reverse("api:orglife_coverage_uncovered"), {"missing": "org"}).json()
    assert "樱桃文化传媒公司" not in [r["name"] for r in api["items"]]
    assert client.get(reverse("api:orglife_coverage_uncovered"), {"missing": "bad"}).status_code == 422


@pytest.mark.django_db
def test_excel_import_is_all_or_nothing(street, people, world):
    from gongzhi.core.excel import get_spec
    from gongzhi.core.excel.importer import import_rows

    spec = get_spec("orglife_instructors")
    headers = ["编号", "单位编码", "指导员姓名", "联系电话", "指派日期", "结束日期"]
    positions = {h: i for i, h in enumerate(headers)}
    good = (None, world["bare"].code, "吴指导", "13700000003", TODAY.isoformat(), None)
    bad = (None, world["in_b"].code, "郑指导", "13700000004", (TODAY + dt.timedelta(days=1)).isoformat(), None)
    result = import_rows(spec, positions, [(2, good), (3, bad)], people.admin)
    assert not result.ok and InstructorAssignment.objects.count() == 1
    assert any(e["column"] == "指派日期" for e in result.errors)
    ended = (world["assignment"].pk, world["covered"].code, "周指导", MASKED, None, TODAY.isoformat())
    result = import_rows(spec, positions, [(2, good), (3, ended)], people.admin)
    assert result.ok, result.errors
    assert InstructorAssignment.objects.count() == 2
    assert InstructorAssignment.objects.get(pk=world["assignment"].pk).ended_on == TODAY
