"""The project list in Excel (same columns both ways, all or nothing, scoped, logged), checked attachments,
live filtering of the three lists, and editing a campaign."""

import io
import zipfile
from datetime import date
from html.parser import HTMLParser

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from PIL import Image

from gongzhi.matching import excel
from gongzhi.matching.models import Attachment, Campaign, Initiator, Need, Project, ProjectTransition
from tests.conftest import login

H = excel.PROJECT_HEADERS


def _xlsx(headers, rows, name="projects.xlsx") -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = name
    return buf


def _row(**cells) -> list:
    return [cells.get(h) for h in H]


def _import(client, upload):
    return client.post(reverse("excel:import"), {"kind": "projects", "file": upload}, follow=True)


def _done_project(world, people):
    return Project.objects.create(
        campaign=world.campaign, need=world.need_a, resource=world.resource, title="义诊进梧桐", state="completed",
        initiated_by=Initiator.PROVIDER, amount=2, budget="1234.50", plan="每月一次", beneficiaries_served=35,
        hours=12, created_by=people.admin)


def _extra_need(world, street, code="N-A2"):
    return Need.objects.create(code=code, campaign=world.campaign, title="楼组健康讲座", category="health",
                               place=street.grid_a1, quantity=1, starts_on=date(2026, 5, 1),
                               ends_on=date(2026, 6, 30))


# --- the project list in Excel -----------------------------------------------------------------------------


def test_project_export_template_and_import_share_the_same_columns(world, people, client):
    _done_project(world, people)
    login(client, people.admin)
    exported = load_workbook(io.BytesIO(client.get(reverse("excel:export", args=["projects"])).content))
    template = load_workbook(io.BytesIO(client.get(reverse("excel:template", args=["projects"])).content))
    assert [c.value for c in exported.active[1]] == [c.value for c in template.active[1]] == H
    row = [c.value for c in exported.active[2]]
    assert row[H.index("需求编码")] == "N-A" and row[H.index("状态")] == "已完成" and row[H.index("计划")] == "每月一次"


def test_reimporting_the_project_export_changes_nothing(world, people, client):
    project = _done_project(world, people)
    login(client, people.admin)
    data = client.get(reverse("excel:export", args=["projects"])).content
    history, log = project.history.count(), ProjectTransition.objects.count()
    upload = io.BytesIO(data)
    upload.name = "projects.xlsx"
    response = _import(client, upload)
    assert response.status_code == 200 and 'id="import-errors"' not in response.content.decode()
    project.refresh_from_db()
    assert (Project.objects.count(), project.history.count(), ProjectTransition.objects.count()) == (1, history, log)
    assert (project.state, project.amount, str(project.budget), project.hours) == ("completed", 2, "1234.50", 12)


def test_imported_projects_are_created_with_their_transition_log(world, people, street, client):
    other = _extra_need(world, street)
    login(client, people.insider)  # area A's secretary: the community side of area A's needs
    rows = [
        _row(项目="义诊一", 需求编码="N-A", 资源编码="R-1", 状态="已完成", 数量=2, 受益人数=40, 服务时长=6),
        _row(项目="讲座", 需求编码=other.code, 资源编码="R-1", 数量=1, 计划="先联系楼组长"),
    ]
    response = _import(client, _xlsx(H, rows))
    assert 'id="import-errors"' not in response.content.decode()
    done = Project.objects.get(title="义诊一")
    assert (done.state, done.campaign, done.created_by, done.initiated_by) == (
        "completed", world.campaign, people.insider, "community")
    # One honest row: imported straight into its state (no made-up steps through the workflow).
    log = list(done.transitions.values_list("action", "from_state", "to_state", "actor"))
    assert log == [("import", "", "completed", people.insider.pk)]
    world.need_a.refresh_from_db()
    assert world.need_a.status == "met"  # a completed project meets its need, as through the workflow
    assert list(world.need_a.transitions.values_list("action", "actor_label", "extra")) == [
        ("meet", "system", {"project": done.pk})]
    new = Project.objects.get(title="讲座")
    assert (new.state, new.plan) == ("proposed", "先联系楼组长")
    assert list(new.transitions.values_list("action", "to_state")) == [("import", "proposed")]


def test_project_import_is_all_or_nothing_with_scoped_chinese_row_errors(world, people, street, client):
    existing = _done_project(world, people)
    _extra_need(world, street)
    login(client, people.insider)
    rows = [
        _row(项目="好的一行", 需求编码="N-A2", 资源编码="R-1", 数量=1),
        _row(项目="区外", 需求编码="N-B", 资源编码="R-1"),  # area B's need: not visible to area A
        _row(项目="太多", 需求编码="N-A2", 资源编码="R-1", 状态="已完成", 数量=99),
        _row(项目="未打分", 需求编码="N-A", 资源编码="R-1", 状态="已评价", 受益人数=3),
        _row(编号=existing.pk, 项目=existing.title, 需求编码="N-A", 资源编码="R-1", 状态="已评价", 满意度=9),
        _row(项目="", 需求编码="N-A", 资源编码="R-1", 状态="不知道"),
    ]
    response = _import(client, _xlsx(H, rows))
    html = response.content.decode()
    assert 'id="import-errors"' in html
    for message in ("找不到需求「N-B」", "超出资源「R-1」的剩余数量", "已评价的项目须填写满意度",
                    "不能通过导入修改", "必填，不能为空", "不是可选值"):
        assert message in html, message
    errors = response.context["job"].errors
    assert {e["row"] for e in errors} == {3, 4, 5, 6, 7}  # every bad row, by its Excel row number
    assert Project.objects.count() == 1 and ProjectTransition.objects.count() == 0  # nothing written


def test_projects_of_other_sides_cannot_be_changed_by_import(world, people, client):
    project = _done_project(world, people)
    login(client, people.outsider)  # area B's secretary cannot even see area A's project
    upload = _xlsx(H, [_row(编号=project.pk, 项目="改名", 需求编码="N-A", 资源编码="R-1", 状态="已完成")])
    response = _import(client, upload)
    errors = {e["column"]: e["message"] for e in response.context["job"].errors}
    assert errors["需求编码"] == "找不到需求「N-A」，或不在您的查看范围内"
    project.refresh_from_db()
    assert project.title == "义诊进梧桐"


# --- attachments ---------------------------------------------------------------------------------------------


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buf, "PNG")
    return buf.getvalue()


def _zip(member: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(member, "x")
    return buf.getvalue()


def test_attachments_are_checked_by_content_and_size(world, people, client):
    project = _done_project(world, people)
    login(client, people.insider)
    url = reverse("matching:attachment_add", args=[project.pk])

    def upload(name, content):
        return client.post(url, {"file": SimpleUploadedFile(name, content)})

    for name, content in (("report.pdf", b"MZ\x90\x00 an executable renamed"), ("plan.docx", _zip("src/notes.txt")),
                          ("photo.jpg", b"\xff\xd8\xff not really a jpeg")):
        response = upload(name, content)
        assert response.status_code == 400, name
        assert response.context["attachment_form"].errors.as_data()["file"][0].code == "file_type"
        assert 'id="attachment-form"' in response.content.decode()
    big = upload("big.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024))
    assert big.context["attachment_form"].errors.as_data()["file"][0].code == "too_large"
    assert not Attachment.objects.exists()

    for name, content in (("photo.png", _png()), ("report.pdf", b"%PDF-1.7\n%%EOF"),
                          ("plan.docx", _zip("word/document.xml")), ("budget.xlsx", _zip("xl/workbook.xml"))):
        assert upload(name, content).status_code == 302, name
    assert sorted(project.attachments.values_list("name", flat=True)) == [
        "budget.xlsx", "photo.png", "plan.docx", "report.pdf"]


# --- live filtering ---------------------------------------------------------------------------------------------


def test_lists_filter_live_with_htmx_and_without_javascript(world, people, client):
    _done_project(world, people)
    login(client, people.admin)
    for name, query, hit, miss in (("matching:resources", "义诊", "家庭医生义诊", None),
                                   ("matching:needs", "石库门", "石库门义诊", "老人健康义诊"),
                                   ("matching:projects", "不存在", None, "义诊进梧桐")):
        full = client.get(reverse(name), {"q": query}).content.decode()
        assert 'hx-get="' in full and 'id="results"' in full and "<html" in full
        partial = client.get(reverse(name), {"q": query}, HTTP_HX_REQUEST="true").content.decode()
        assert "<html" not in partial and "<table" in partial
        for html in (full, partial):
            assert hit is None or hit in html
            assert miss is None or miss not in html


# --- campaigns ------------------------------------------------------------------------------------------------


def test_subdistrict_staff_edit_a_campaign(world, people, client):
    url = reverse("matching:campaign_edit", args=[world.campaign.pk])
    login(client, people.insider)  # an area secretary does not run the sub-district's campaigns
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "x", "starts_on": "2026-01-01", "ends_on": "2026-12-31"}).status_code == 403

    login(client, people.admin)
    bad = client.post(url, {"name": "2026 春季认领", "starts_on": "2026-06-01", "ends_on": "2026-03-01"})
    assert bad.status_code == 200 and "ends_on" in bad.context["form"].errors
    ok = client.post(url, {"name": "2026 春季认领", "season": "春季", "starts_on": "2026-03-01",
                           "ends_on": "2026-06-30", "description": "聚焦为老服务"})
    assert ok.status_code == 302
    campaign = Campaign.objects.get(pk=world.campaign.pk)
    assert (campaign.name, campaign.ends_on, campaign.description) == ("2026 春季认领", date(2026, 6, 30), "聚焦为老服务")
    assert campaign.history.first().history_user == people.admin
    assert "聚焦为老服务" in client.get(reverse("matching:campaigns")).content.decode()


# --- edit forms keep their dates (issue 11, new-user item 1) ----------------------------------------------------


class _FormFields(HTMLParser):
    """The values a browser would post back from the page's form with ``action`` (inputs, selects, textareas)."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self.date_values: dict[str, str] = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "file", "checkbox", "radio"):
            self.data.setdefault(name, []).append(a.get("value") or "")
            if a.get("type") == "date":
                self.date_values[name] = a.get("value") or ""
        elif tag == "input" and name and a.get("type") in ("checkbox", "radio") and "checked" in a:
            self.data.setdefault(name, []).append(a.get("value") or "on")
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.data.setdefault(self._select, []).append(a.get("value") or "")
        elif tag == "textarea":
            self._textarea = name
            self.data.setdefault(name, []).append("")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data.lstrip("\n") if not self.data[self._textarea][-1] else data


def _resave(client, url):
    """Open an edit form and save it unchanged, as a user who only looks and presses 保存 does."""
    page = client.get(url)
    assert page.status_code == 200
    form = _FormFields()
    form.feed(page.content.decode())
    return form.date_values, client.post(url, form.data)


def test_edit_forms_show_their_dates_and_save_unchanged(world, people, client):
    login(client, people.admin)
    for url, obj in ((reverse("matching:campaign_edit", args=[world.campaign.pk]), world.campaign),
                     (reverse("matching:resource_edit", args=[world.resource.pk]), world.resource),
                     (reverse("matching:need_edit", args=[world.need_a.pk]), world.need_a)):
        dates, response = _resave(client, url)
        # <input type=date> reads only ISO dates: 2026/03/01 would show as blank and fail as "required".
        assert dates == {"starts_on": obj.starts_on.isoformat(), "ends_on": obj.ends_on.isoformat()}, url
        assert response.status_code == 302, (url, response.context and response.context["form"].errors)
        obj.refresh_from_db()
        assert (obj.starts_on, obj.ends_on) == (date.fromisoformat(dates["starts_on"]),
                                                date.fromisoformat(dates["ends_on"]))
