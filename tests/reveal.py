"""Revealing personal data in tests the way a user does: the page's "Show full information" form (or the list's
"Export with full personal data"), with a reason (gongzhi.core.reveal)."""

import re

from django.urls import reverse

TOKEN = re.compile(r'name="token" value="([^"]+)"')
REASON = "核实住户联系方式"


def token_on(html: str) -> str:
    found = TOKEN.search(html)
    assert found, "the page offers no reveal"
    return found.group(1)


def reveal_page(client, url: str, reason: str = REASON) -> str:
    """Open `url`, reveal its personal data with a reason, and return the page as it is then shown."""
    token = token_on(client.get(url).content.decode())
    response = client.post(reverse("reveal"), {"token": token, "reason": reason})
    assert response.status_code == 302, response.content.decode()[:500]
    return client.get(response["Location"]).content.decode()


def reveal_export(client, list_url: str, params: dict | None = None, reason: str = REASON) -> bytes:
    """Open the list page `list_url` (filtered by `params`) and export it with full personal data."""
    token = token_on(client.get(list_url, params or {}).content.decode())
    response = client.post(reverse("reveal"), {"token": token, "reason": reason})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    return response.content
