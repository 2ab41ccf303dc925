"""Issue 11, security 2 and 14: project attachments are typed by their content, stored under a random name with
the right extension, and read only through the scope-checked media view, never inline as HTML."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from gongzhi.matching.models import Attachment, Initiator, Project
from tests.conftest import login

POLYGLOT = b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>\n%%EOF"


def _project(world, people):
    return Project.objects.create(
        campaign=world.campaign, need=world.need_a, resource=world.resource, title="义诊进梧桐", state="completed",
        initiated_by=Initiator.PROVIDER, amount=2, created_by=people.admin)


def _attach(client, project, name, content):
    return client.post(reverse("matching:attachment_add", args=[project.pk]),
                       {"file": SimpleUploadedFile(name, content, content_type="text/html")})


def test_a_pdf_named_html_is_stored_as_pdf_under_a_random_name(world, people, client):
    project = _project(world, people)
    login(client, people.insider)
    assert _attach(client, project, "evil.html", POLYGLOT).status_code == 302
    stored = Attachment.objects.get()
    assert stored.file.name.startswith("matching/") and stored.file.name.endswith(".pdf")
    assert "evil" not in stored.file.name
    assert stored.name == "evil.html" and stored.download_name == "evil.pdf"


def test_attachments_are_served_as_downloads_to_those_who_see_the_project_only(world, people, client):
    project = _project(world, people)
    login(client, people.insider)
    _attach(client, project, "evil.html", POLYGLOT)
    url = Attachment.objects.get().file.url
    assert url.startswith("/media/matching/")

    r = client.get(url)
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"].startswith("attachment")
    assert 'filename="evil.pdf"' in r["Content-Disposition"]
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Security-Policy"] == "sandbox"
    assert b"".join(r.streaming_content) == POLYGLOT

    client.logout()
    assert client.get(url).status_code == 404  # /media/ is not public
    login(client, people.outsider)
    assert client.get(url).status_code == 404  # out of scope looks missing
    assert client.get("/media/matching/../../etc/passwd").status_code == 404


def test_a_huge_image_attachment_is_refused_by_its_pixels(world, people, client):
    project = _project(world, people)
    login(client, people.insider)
    buf = io.BytesIO()
    Image.new("1", (6300, 6300)).save(buf, "PNG")
    r = _attach(client, project, "map.png", buf.getvalue())
    assert r.status_code == 400
    errors = r.context["attachment_form"].errors.as_data()["file"]
    assert errors[0].code == "too_many_pixels"
    assert "6300 × 6300" in errors[0].messages[0]
    assert not Attachment.objects.exists()
