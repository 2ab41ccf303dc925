from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gongzhi.registry import models as m


@admin.register(m.Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "kind", "parent", "households", "population")
    list_filter = ("kind",)
    search_fields = ("code", "name")
    readonly_fields = ("path", "depth")


@admin.register(m.Building)
class BuildingAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "kind", "region", "is_key_building")
    list_filter = ("kind", "is_key_building")
    search_fields = ("code", "name", "address")


@admin.register(m.MemberUnit)
class MemberUnitAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "kind", "region", "headcount", "has_party_org", "in_joint_meeting")
    list_filter = ("kind", "has_party_org", "is_two_new", "in_joint_meeting")
    search_fields = ("code", "name")


@admin.register(m.PartyOrg)
class PartyOrgAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "kind", "parent", "region")
    list_filter = ("kind",)
    search_fields = ("code", "name")
    autocomplete_fields = ("parent", "secretary", "committee_members", "member_unit")


@admin.register(m.PartyMember)
class PartyMemberAdmin(SimpleHistoryAdmin):
    list_display = ("name", "organization", "status", "is_mobile", "registered_area")
    list_filter = ("status", "is_mobile")
    search_fields = ("name",)
    autocomplete_fields = ("organization", "registered_area", "grid", "user")


@admin.register(m.Liaison)
class LiaisonAdmin(SimpleHistoryAdmin):
    list_display = ("name", "is_chief", "chief", "region")
    search_fields = ("name",)
    filter_horizontal = ("buildings",)


@admin.register(m.ProfessionalTeam)
class ProfessionalTeamAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "region")
    list_filter = ("kind",)
    search_fields = ("name",)


@admin.register(m.VolunteerTeam)
class VolunteerTeamAdmin(SimpleHistoryAdmin):
    list_display = ("name", "region", "member_count")
    search_fields = ("name",)


@admin.register(m.ServicePlace)
class ServicePlaceAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "kind", "centre", "region")
    list_filter = ("kind",)
    search_fields = ("code", "name")
