"""The Excel pages through Django's test client: upload, follow the job, download reports."""

import io

from django.conf import settings
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from gongzhi.core.models import ImportJob
from gongzhi.registry.models import Building
from tests import factories
from tests.conftest import login
from tests.reveal import TOKEN, reveal_export, reveal_page


def upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def xlsx(*rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_admin_uploads_a_file_and_the_job_page_reports_success(client, people, street):
    login(client, people.admin)
    page = client.get(reverse("excel:import"))
    assert page.status_code == 200
    assert reverse("excel:template", args=["buildings"]).encode() in page.content
    data = xlsx(["编码", "名称", "所属区域编码"], ["WB1", "网页楼", street.grid_a1.code],
                ["WB2", "网页二楼", street.grid_a2.code])
    response = client.post(reverse("excel:import"), {"kind": "buildings", "file": upload("楼栋.xlsx", data)})
    job = ImportJob.objects.get(user=people.admin)
    assert response.status_code == 302 and response.url == reverse("excel:job", args=[job.pk])
    assert (job.status, job.processed_rows, job.total_rows, job.original_name) == ("done", 2, 2, "楼栋.xlsx")
    page = client.get(response.url)
    assert "已导入 2 行" in page.content.decode()
    assert 'hx-trigger="every 1s"' not in page.content.decode()  # finished: polling stops
    assert Building.objects.filter(code__in=["WB1", "WB2"]).count() == 2
    # The upload may hold personal data: a small one is imported in the request and never stored.
    imports = settings.MEDIA_ROOT / "imports"
    assert not job.file and not (imports.exists() and any(imports.iterdir()))


def test_job_page_polls_while_running_and_htmx_gets_the_fragment(client, people):
    job = ImportJob.objects.create(kind="regions", user=people.admin, status="validating",
                                   total_rows=200, processed_rows=50)
    login(client, people.admin)
    page = client.get(reverse("excel:job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'aria-valuenow="25"' in page
    fragment = client.get(reverse("excel:job", args=[job.pk]), headers={"HX-Request": "true"})
    assert fragment.content.decode().startswith('<div id="job-status"') and "<html" not in fragment.content.decode()


def test_bad_rows_show_the_error_table_and_a_downloadable_report(client, people, street):
    login(client, people.admin)
    before = Building.objects.count()
    data = xlsx(["编码", "名称", "所属区域编码", "楼层数"], ["OK1", "好楼", street.grid_a1.code, 6],
                ["BAD1", "坏楼", "NOPE", "六"])
    response = client.post(reverse("excel:import"), {"kind": "buildings", "file": upload("b.xlsx", data)},
                           follow=True)
    html = response.content.decode()
    assert "未写入任何数据" in html and "找不到区域「NOPE」" in html and "楼层数" in html
    assert Building.objects.count() == before
    job = ImportJob.objects.get(user=people.admin)
    assert job.status == "failed"
    report = client.get(reverse("excel:job_errors", args=[job.pk]))
    assert report["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(report.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("行", "列", "错误")
    assert {(r[0], r[1]) for r in rows[1:]} == {(3, "所属区域编码"), (3, "楼层数")}


def test_a_text_file_is_reported_as_not_an_excel_file(client, people):
    login(client, people.admin)
    response = client.post(reverse("excel:import"),
                           {"kind": "regions", "file": upload("x.xlsx", b"not a spreadsheet")}, follow=True)
    assert ".xlsx" in response.content.decode() and "未写入任何数据" in response.content.decode()


def test_only_importers_reach_the_import_pages_and_jobs_are_private(client, people):
    job = ImportJob.objects.create(kind="regions", user=people.admin, status="failed",
                                   errors=[{"row": 2, "column": "编码", "message": "坏"}])
    login(client, people.colleague)  # a grid leader: imports no list
    assert client.get(reverse("excel:import")).status_code == 403
    login(client, people.insider)  # an area secretary: imports matching lists, not the registry
    page = client.get(reverse("excel:import")).content.decode()
    assert 'value="needs"' in page and 'value="regions"' not in page
    assert client.get(reverse("excel:template", args=["regions"])).status_code == 403
    assert client.get(reverse("excel:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("excel:job_errors", args=[job.pk])).status_code == 404
    login(client, people.resident)
    assert client.get(reverse("excel:export", args=["regions"])).status_code == 403
    client.logout()
    assert client.get(reverse("excel:import")).status_code == 302


def test_export_and_template_downloads(client, people, street):
    login(client, people.colleague)  # a grid leader: sees grid A1 only, phones masked
    response = client.get(reverse("excel:export", args=["buildings"]))
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [street.building_a1.code]
    assert client.get(reverse("excel:export", args=["nonsense"])).status_code == 404
    login(client, people.admin)
    template = client.get(reverse("excel:template", args=["party_members"]))
    header = next(load_workbook(io.BytesIO(template.content)).active.iter_rows(values_only=True))
    assert header[:3] == ("姓名", "性别", "党组织编码")


def test_the_member_export_masks_exactly_what_the_member_page_masks(client, people, street):
    """A grid leader (no personal-data right) sees the address, phone and ID masked on the page: so in the export,
    and he is offered no reveal. The sub-district administrator sees them masked too by default, on both; she sees
    them in full on both once she reveals them with a reason (issue 11, security 4)."""
    member = factories.party_member(factories.party_org(street.grid_a1), address="桂香小区4号楼301室",
                                    id_number="310101199001011234")
    export = reverse("excel:export", args=["party_members"])
    detail, members = reverse("registry:partymember_detail", args=[member.pk]), reverse("registry:partymember_list")

    def row_of(content: bytes) -> dict:
        rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
        return dict(zip(rows[0], next(r for r in rows[1:] if r[0] == member.name), strict=True))

    login(client, people.colleague)
    assert not TOKEN.search(client.get(detail).content.decode() + client.get(members).content.decode())
    for user, revealed in ((people.colleague, False), (people.admin, False), (people.admin, True)):
        login(client, user)
        page = reveal_page(client, detail) if revealed else client.get(detail).content.decode()
        row = row_of(reveal_export(client, members) if revealed else client.get(export).content)
        for header, value in (("家庭住址", member.address), ("手机号码", member.phone), ("身份证号", member.id_number)):
            assert (value in page) is revealed and (row[header] == value) is revealed, (user, header)
            assert revealed or row[header] in page, (header, row[header])  # the same masked text as on the page
