"""Every UI string has a Chinese translation; Chinese is the default and English is one switch away."""

from pathlib import Path

import pytest
from django.urls import reverse

LOCALE = Path(__file__).resolve().parents[2] / "gongzhi" / "locale" / "zh_Hans" / "LC_MESSAGES"


def _entries(po_text: str):
    """(msgid, msgstr, fuzzy) triples of a .po file, joining continuation lines."""
    entries, cur, fuzzy, field = [], {}, False, None
    for raw in po_text.splitlines() + [""]:
        line = raw.strip()
        if not line:
            if cur.get("msgid"):
                entries.append((cur.get("msgid", ""), cur.get("msgstr", ""), fuzzy))
            cur, fuzzy, field = {}, False, None
            continue
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("#"):
            continue
        elif line.startswith(("msgid ", "msgstr ", "msgid_plural ", "msgstr[0] ")):
            key, _, rest = line.partition(" ")
            field = {"msgstr[0]": "msgstr", "msgid_plural": None}.get(key, key)
            if field:
                cur[field] = rest.strip('"')
        elif line.startswith('"') and field:
            cur[field] = cur.get(field, "") + line.strip('"')
    return entries


def test_every_message_is_translated_to_chinese():
    po = (LOCALE / "django.po").read_text(encoding="utf-8")
    missing = [msgid for msgid, msgstr, fuzzy in _entries(po) if not msgstr or fuzzy]
    assert missing == [], f"{len(missing)} untranslated: {missing[:20]}"
    assert (LOCALE / "django.mo").stat().st_mtime >= (LOCALE / "django.po").stat().st_mtime - 5


@pytest.mark.django_db
def test_login_page_is_chinese_by_default_and_english_on_request(client):
    r = client.get(reverse("login"))
    assert "登录" in r.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    r = client.get(reverse("login"))
    assert "Log in" in r.content.decode()
