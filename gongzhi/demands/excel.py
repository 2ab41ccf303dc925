"""Excel export of a (filtered, scoped) demand list. Personal data is always masked here."""

from __future__ import annotations

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

MAX_ROWS = 20000


def export_demands(queryset) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Demands")[:31]
    headers = [_("Tracking code"), _("Title"), _("Category"), _("State"), _("Priority"), _("Channel"), _("Grid"),
               _("Address"), _("Submitter"), _("Phone"), _("Submitted at"), _("Resolve by"), _("Overdue"),
               _("Me too"), _("Satisfaction")]
    ws.append(headers)
    for d in queryset[:MAX_ROWS]:
        ws.append([
            d.tracking_code, d.title, str(d.category) if d.category_id else "", d.get_state_display(),
            d.get_priority_display(), d.get_channel_display(), d.grid.name if d.grid_id else "", d.address,
            d.masked_name, d.masked_phone, timezone.localtime(d.created_at).replace(tzinfo=None), d.due_on,
            _("yes") if d.is_overdue else "", d.support_count, d.satisfaction,
        ])
    for i, width in enumerate((18, 30, 20, 10, 8, 14, 14, 28, 10, 14, 18, 12, 6, 6, 6), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
