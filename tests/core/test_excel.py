"""The core Excel engine: every module's declared lists, formula-safe cells (and their round trip), Chinese dated
file names, drop-downs in templates, headers refused before any row is read, and big files run as jobs."""

import io
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from gongzhi.core.excel import (
    books,
    errors_workbook,
    export_workbook,
    get_spec,
    import_file,
    specs,
    write_row,
)
from gongzhi.core.excel.jobs import run_job
from gongzhi.core.models import ImportJob
from gongzhi.matching.models import Project
from gongzhi.registry.models import Building
from tests.conftest import login
from tests.deliberation.subjects import decision as deliberation_decision
from tests.deliberation.subjects_councils import council_with_seat
from tests.deliberation.subjects_grid import micro_item
from tests.deliberation.subjects_votes import excel_rows
from tests.demands.conftest import submit
from tests.funds.factories_calls import excel_rows as funds_calls_rows
from tests.funds.factories_ledger import excel_rows as ledger_rows
from tests.joint.factories_agreements import agreement as joint_agreement
from tests.joint.platforms_support import street_platform
from tests.joint.sessions_world import excel_rows as joint_sessions_rows
from tests.matching.conftest import make_world
from tests.orglife.factories import coverage_rows as orglife_coverage_rows
from tests.orglife.factories import meetings_excel_rows as orglife_meetings_rows
from tests.orglife.factories_awards import excel_rows as orglife_award_rows
from tests.registry.test_excel import more_registry
from tests.services.factories import appointment as services_appointment
from tests.services.factories import case as services_case
from tests.services.factories import item as service_item
from tests.services.factories_offers import excel_rows as services_offers_rows
from tests.volunteering.factories import activity as volunteer_activity
from tests.volunteering.factories import signup as volunteer_signup
from tests.volunteering.factories import volunteer as volunteering_volunteer
from tests.volunteering.factories_pairings import excel_rows as volunteering_pairings_rows
from tests.volunteering.wish_factories import excel_rows as volunteering_wishes_rows

PAYLOADS = ["=1+1", '=HYPERLINK("http://evil.example","点我")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1,1)",
            "\t=1+1", "\r=1+1"]


def xlsx(headers, *rows) -> io.BytesIO:
    wb = Workbook()
    write_row(wb.active, headers)
    for row in rows:
        write_row(wb.active, row)
    buf = io.BytesIO(books.to_bytes(wb))
    buf.name = "upload.xlsx"
    return buf


def orglife_records_rows(street):
    from gongzhi.core.workflow import SYSTEM
    from gongzhi.orglife.services.records import record_appraisal
    from tests.orglife.records_world import mobile_member

    mobile_member(street, contacted_days_ago=10)
    record_appraisal(street.member_a, actor=SYSTEM, year=2024, result="qualified", note="表现良好")


@pytest.fixture
def everything(street, people):
    """At least one row of every list, visible to the sub-district administrator."""
    more_registry(street)
    council_with_seat(street)
    world = make_world(street)
    Project.objects.create(campaign=world.campaign, need=world.need_a, resource=world.resource, title="义诊",
                           initiated_by="provider")
    submit(street)
    deliberation_decision(street)  # a topic, its meeting and a decision
    excel_rows(street)  # deliberation's votes part: a closed vote and a convention signature
    micro_item(street, "claimed")  # deliberation's grid part: a grid topic with a claimed micro-item
    ledger_rows(street)  # funds' ledger part: a fund's ledger row, a donation, a spending row with its receipt
    funds_calls_rows(street)  # funds' calls part: a proposal waiting for its review
    street_platform(street)  # joint's platforms part: the sub-district's platform with its members
    joint_sessions_rows(street)  # joint's sessions part: a held session with a decision
    joint_agreement(street)  # joint building's agreements part: an agreement in effect with its commitments
    service_item("居民医保参保登记")  # services' catalogue part: a city-wide item with its materials checklist
    services_offers_rows(street, people)  # services' offers part: a station's offer and its roster
    services_case(street)  # services' cases part: a case accepted at a station of area A
    services_appointment(street)  # doorstep services' appointments part: a booked appointment
    volunteering_pairings_rows(street)  # volunteering's pairings part: a shop pairing, a cohort's participant
    volunteering_volunteer(street.area_a, "陈志愿", phone="13812345678", skills="理发")  # volunteering's volunteers
    volunteering_wishes_rows(street)  # volunteering's wishes part: a wish of area A waiting for approval
    volunteer_signup(volunteer_activity(street.area_a).shifts.get())  # volunteering's activities: the attendance
    orglife_meetings_rows(street)  # orglife's meetings part: a theme day of org A with its attendance
    orglife_records_rows(street)  # orglife's records part: a mobile member and an appraisal result
    orglife_coverage_rows(street)  # orglife's coverage part: an uncovered firm, an instructor assignment
    orglife_award_rows(street, people)  # orglife's awards part: a round under review with the admin's score
    return world


def test_every_list_is_declared_once_with_columns_of_its_model():
    found = specs()
    assert {"regions", "party_members", "demands", "resources", "needs", "projects"} <= set(found)
    for kind, spec in found.items():
        assert spec.kind == kind and spec.title and spec.view
        assert not spec.edit or spec.write or spec.importer, kind  # an importable list says who writes its rows
        fields = {f.name for f in spec.model._meta.get_fields()}
        for col in spec.columns:
            assert col.read_only or col.field in fields or hasattr(spec.model, col.field), (kind, col.field)


def _text_column(spec):
    """A free-text column of the list: the payload goes there."""
    texts = [c for c in spec.columns if c.type == "text" and not (spec.personal(c) or c.read_only)
             and c.field not in ("code", "tracking_code")]
    return next((c for c in texts if c.field not in spec.key), texts[0])


@pytest.mark.parametrize("kind", sorted(specs()))
def test_formula_payloads_are_exported_as_text_and_import_again_unchanged(everything, people, kind):
    spec = get_spec(kind)
    col = _text_column(spec)
    obj = spec.rows(people.admin, {}).order_by("pk").first()
    for payload in PAYLOADS:
        # the plain update, past an append-only queryset's refusal (the funds ledger)
        QuerySet.update(spec.model._default_manager.filter(pk=obj.pk), **{col.field: payload})
        data = export_workbook(spec, people.admin)
        ws = load_workbook(io.BytesIO(data)).active
        assert not [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"], (kind, payload)
        cells = [c for row in ws.iter_rows(min_row=2) for c in row if c.value == payload.replace("\r", "\n")]
        assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells), (kind, payload)
        if spec.edit:
            result = import_file(spec, io.BytesIO(data), people.admin)
            assert result.errors == [], (kind, payload, result.errors)
            # Blanks around a text are trimmed on import, a leading tab or CR as any other.
            assert getattr(spec.model._default_manager.get(pk=obj.pk), col.field) == payload.strip(), (kind, payload)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=30), min_size=1, max_size=5))
def test_any_text_is_written_inert_and_read_back(values):
    wb = Workbook()
    write_row(wb.active, values)
    cells = list(load_workbook(io.BytesIO(books.to_bytes(wb))).active.iter_rows())[0]
    for value, cell in zip(values, cells, strict=False):
        kept = books.safe(value).replace("\r\n", "\n").replace("\r", "\n")
        assert cell.data_type != "f" and (cell.value or "") == kept
        assert bool(cell.quotePrefix) == books.safe(value).startswith(books.FORMULA_START)


def test_error_reports_and_templates_are_formula_safe(street, people):
    report = load_workbook(io.BytesIO(errors_workbook([{"row": 1, "column": "=evil()", "message": "未知的列"}]))).active
    assert report["B2"].value == "=evil()" and report["B2"].data_type == "s" and report["B2"].quotePrefix
    street.org_a.__class__.objects.filter(pk=street.org_a.pk).update(code="=ORG()")
    options = load_workbook(io.BytesIO(books.template_workbook(get_spec("party_members"), people.admin)))["选项"]
    cell = next(c for row in options.iter_rows() for c in row if c.value == "=ORG()")
    assert cell.data_type == "s" and cell.quotePrefix


def test_exports_are_named_in_chinese_with_the_date(client, people, street):
    login(client, people.admin)
    response = client.get(reverse("excel:export", args=["party_members"]))
    name = f"党员名册-{timezone.localdate().isoformat()}.xlsx"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(name)}"
    template = client.get(reverse("excel:template", args=["party_members"]))
    assert template["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('党员名册-导入模板.xlsx')}"


def test_templates_offer_the_users_references_in_drop_downs(people, street):
    wb = load_workbook(io.BytesIO(books.template_workbook(get_spec("party_members"), people.insider)))
    ws, options = wb.active, wb["选项"]
    assert options.sheet_state == "hidden"
    org_column = [c.value for c in options["C"] if c.value]
    assert org_column[0] == "党组织编码" and street.org_a.code in org_column
    assert street.org_b.code not in org_column  # area B's organization is outside the insider's scope
    lists = {dv.formula1: dv for dv in ws.data_validations.dataValidation}
    assert lists[f"'选项'!$C$2:$C${len(org_column)}"].errorStyle == "warning"  # a code may be defined above
    assert lists['"男,女"'].errorStyle == "stop"


def test_wrong_headers_are_refused_before_any_row_is_read(people, street, monkeypatch):
    def read_rows(*args, **kwargs):
        raise AssertionError("rows read despite wrong headers")

    monkeypatch.setattr(books.Sheet, "rows", read_rows)
    result = import_file(get_spec("buildings"), xlsx(["编码", "楼名"], *[[f"B{i}", "楼"] for i in range(100)]),
                         people.admin)
    assert {(e["row"], e["column"]) for e in result.errors} == {(1, "楼名"), (1, "名称"), (1, "所属区域编码")}


def test_a_big_file_with_wrong_headers_is_refused_at_once_and_never_stored(client, people, settings):
    login(client, people.admin)
    rows = [[f"B{i}", "楼"] for i in range(3000)]
    response = client.post(reverse("excel:import"), {"kind": "buildings", "file": xlsx(["编码", "楼名"], *rows)})
    job = ImportJob.objects.get(user=people.admin)
    assert response.url == reverse("excel:job", args=[job.pk])
    assert (job.status, job.total_rows, bool(job.file)) == ("failed", 0, False)
    assert not (settings.MEDIA_ROOT / "imports").exists()


def test_big_files_run_as_a_background_job_small_ones_in_the_request(client, people, street, settings,
                                                                     monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # queued, not run
    monkeypatch.setattr("gongzhi.core.excel.jobs.INLINE_MAX_ROWS", 3)
    login(client, people.admin)
    headers = ["编码", "名称", "所属区域编码"]
    small = xlsx(headers, *[[f"S{i}", f"{i}号楼", street.grid_a1.code] for i in range(3)])
    client.post(reverse("excel:import"), {"kind": "buildings", "file": small})
    assert ImportJob.objects.get().status == "done" and Building.objects.filter(code__startswith="S").count() == 3
    big = xlsx(headers, *[[f"L{i}", f"{i}号楼", street.grid_a1.code] for i in range(4)])
    client.post(reverse("excel:import"), {"kind": "buildings", "file": big})
    job = ImportJob.objects.latest("pk")
    assert job.status == "pending" and job.file and not Building.objects.filter(code__startswith="L").exists()
    run_job(job.pk)  # what the worker does
    job.refresh_from_db()
    assert (job.status, job.total_rows, job.created_rows, bool(job.file)) == ("done", 4, 4, False)


def test_the_cli_exports_and_imports_any_list(people, street, tmp_path):
    make_world(street)
    out = tmp_path / "needs.xlsx"
    call_command("excel_export", "needs", str(out), "--user", people.insider.username)
    assert [r[0] for r in load_workbook(out).active.iter_rows(min_row=2, values_only=True)] == ["N-A"]
    stdout = io.StringIO()
    call_command("excel_import", "needs", str(out), "--user", people.insider.username, stdout=stdout)
    assert "未变 1" in stdout.getvalue()


def test_list_pages_have_an_export_button_carrying_their_filters(client, people, street):
    make_world(street)
    login(client, people.colleague)  # a grid leader: may see (so export) the registry and matching lists
    for page, kind in (("registry:memberunit_list", "member_units"), ("registry:partymember_list", "party_members"),
                       ("matching:needs", "needs"), ("matching:resources", "resources"),
                       ("matching:projects", "projects")):
        url = reverse(page)
        button = f'href="{reverse("excel:export", args=[kind])}?q=%E6%A2%A7"'
        assert button in client.get(url, {"q": "梧"}).content.decode(), page
        # The live filter re-renders the table with htmx: the button follows the filters.
        fragment = client.get(url, {"q": "梧", "page": "1"}, headers={"HX-Request": "true"}).content.decode()
        assert button in fragment and "<html" not in fragment, page
