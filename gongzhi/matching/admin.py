from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gongzhi.matching.models import Campaign, Need, Project, ProjectTransition, Resource


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    list_display = ("name", "year", "state", "subdistrict")


@admin.register(Resource)
class ResourceAdmin(SimpleHistoryAdmin):
    list_display = ("code", "title", "category", "provider_unit", "capacity", "unit", "status")
    search_fields = ("code", "title")
    list_filter = ("category", "status")


@admin.register(Need)
class NeedAdmin(SimpleHistoryAdmin):
    list_display = ("code", "title", "category", "place", "urgency", "status")
    search_fields = ("code", "title")
    list_filter = ("category", "status")
    raw_id_fields = ("demands",)


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ("title", "state", "initiated_by", "amount")
    list_filter = ("state",)
    raw_id_fields = ("need", "resource")


@admin.register(ProjectTransition)
class ProjectTransitionAdmin(admin.ModelAdmin):
    list_display = ("project", "action", "from_state", "to_state", "actor", "created_at")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
