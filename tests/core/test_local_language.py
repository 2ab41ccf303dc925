"""Text in the right language (issue 11, item 17): Chinese date formats and local time on every screen, change
reasons in words on the audit page, each language named in its own language, full-width colons in Chinese labels
and the admin's headings through gettext."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import admin
from django.utils import translation
from django.utils.formats import date_format
from django.utils.functional import Promise

from gongzhi.core.forms import labelled
from gongzhi.demands import services
from gongzhi.demands.workflow import Action
from tests.conftest import login
from tests.demands.conftest import submit

SHANGHAI = ZoneInfo("Asia/Shanghai")


class DateForm(forms.Form):
    day = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))


def test_dates_use_chinese_formats_and_date_inputs_read_what_they_show():
    with translation.override("zh-hans"):
        assert date_format(date(2026, 3, 1)) == "2026年3月1日"
        assert date_format(datetime(2026, 3, 1, 9, 5), "SHORT_DATETIME_FORMAT") == "2026-03-01 09:05"
        # an <input type=date> needs an ISO value: Django's own zh_Hans input format gives 2026/03/01 (blanked)
        assert 'value="2026-03-01"' in str(DateForm(initial={"day": date(2026, 3, 1)})["day"])
        assert DateForm({"day": "2026-03-01"}).is_valid()


def test_the_demand_page_shows_local_time(client, street, people):
    demand = submit(street, now=datetime(2026, 3, 2, 8, 30, tzinfo=SHANGHAI))  # 00:30 UTC
    html = login(client, people.insider).get(f"/demands/{demand.pk}/").content.decode()
    assert "2026-03-02 08:30" in html and "00:30" not in html


def test_the_language_menu_names_each_language_in_its_own_language(client):
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    menu = html[html.index('name="language"'):html.index("</select>")]
    assert ">English<" in menu and ">简体中文<" in menu and "英语" not in menu


def test_the_audit_page_says_why_in_words(client, street, people):
    demand = submit(street)
    services.assign_demand(demand, actor=people.insider, assignee_id=people.colleague.pk)
    html = login(client, people.admin).get("/audit/", {"model": "demands.Demand"}).content.decode()
    with translation.override("zh-hans"):
        assert f'<div class="muted">{Action.ASSIGN.label}</div>' in html
    assert '<div class="muted">assign</div>' not in html
    assert "<b>state</b>" not in html and "<b>updated_at</b>" not in html


def test_admin_headings_go_through_gettext(client, people):
    for heading in (admin.site.site_header, admin.site.site_title, admin.site.index_title):
        assert isinstance(heading, Promise)  # lazy gettext, translated per request
    with translation.override("en"):
        assert str(admin.site.site_header) == "Gongzhi administration"
    people.admin.is_staff = people.admin.is_superuser = True
    people.admin.save()
    html = login(client, people.admin).get("/admin/").content.decode()
    with translation.override("zh-hans"):
        assert str(admin.site.site_header) in html and "Django" not in html.split("<body")[1].split("</h1>")[0]


def test_chinese_labels_end_in_a_full_width_colon():
    """Needs the catalogue entries of i18n/walkdem.json (":" → "：", "%(label)s: %(text)s" → "%(label)s：%(text)s")."""
    with translation.override("zh-hans"):
        assert DateForm()["day"].label_tag().endswith("日期：</label>")
        assert labelled("标题", "必填") == "标题：必填"
