"""The admin shows the matching lists; states change through their workflow only, so no admin form edits one,
and the transition logs are read-only."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gongzhi.core.admin import NoEdits
from gongzhi.matching.models import (
    Campaign,
    CampaignTransition,
    Need,
    NeedTransition,
    Project,
    ProjectTransition,
    Resource,
    ResourceTransition,
)


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    list_display = ("name", "year", "state", "subdistrict")
    readonly_fields = ("state",)


@admin.register(Resource)
class ResourceAdmin(SimpleHistoryAdmin):
    list_display = ("code", "title", "category", "provider_unit", "capacity", "unit", "status")
    search_fields = ("code", "title")
    list_filter = ("category", "status")
    readonly_fields = ("status",)


@admin.register(Need)
class NeedAdmin(SimpleHistoryAdmin):
    list_display = ("code", "title", "category", "place", "urgency", "status")
    search_fields = ("code", "title")
    list_filter = ("category", "status")
    raw_id_fields = ("demands",)
    readonly_fields = ("status",)


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ("title", "state", "initiated_by", "amount")
    list_filter = ("state",)
    raw_id_fields = ("need", "resource")
    readonly_fields = ("state",)


class LogAdmin(NoEdits, admin.ModelAdmin):
    list_display = ("__str__", "action", "from_state", "to_state", "actor_name", "created_at")

    def has_add_permission(self, request):
        return False


for log_model in (ProjectTransition, CampaignTransition, NeedTransition, ResourceTransition):
    admin.site.register(log_model, LogAdmin)
