"""Admin for configuration (taxonomy, deadlines, calendar); demands themselves change only through services."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gongzhi.core.admin import NoEdits
from gongzhi.demands import models as m


@admin.register(m.Category)
class CategoryAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "parent", "subdistrict", "active", "order")
    list_filter = ("active", "subdistrict")
    search_fields = ("code", "name")


@admin.register(m.DeadlinePolicy)
class DeadlinePolicyAdmin(SimpleHistoryAdmin):
    list_display = ("category", "kind", "priority", "response_days", "resolution_days")


@admin.register(m.CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    list_display = ("date", "is_working", "note")
    list_filter = ("is_working",)


@admin.register(m.Demand)
class DemandAdmin(NoEdits, SimpleHistoryAdmin):
    list_display = ("tracking_code", "title", "state", "escalation_level", "region", "due_on", "is_overdue")
    list_filter = ("state", "channel", "escalation_level", "is_overdue")
    search_fields = ("tracking_code", "title")
