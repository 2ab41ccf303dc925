from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.core.modules import Card, Manifest, NavEntry, NavGroup

REGISTRY = "gongzhi.registry"


class RegistryConfig(AppConfig):
    name = "gongzhi.registry"
    label = "registry"
    verbose_name = _("Registry")
    manifest = Manifest(
        urls=(("registry/", "gongzhi.registry.urls"),),
        api_routers=(("/registry", "gongzhi.registry.api:router"),),
        nav=NavGroup(_("Registry"), (
            NavEntry(_("Region tree"), "registry:tree", C.VIEW_REGISTRY),
            NavEntry(_("Party organizations"), "registry:partyorg_list", C.VIEW_REGISTRY),
            NavEntry(_("Party members"), "registry:partymember_list", C.VIEW_REGISTRY),
            NavEntry(_("Member units"), "registry:memberunit_list", C.VIEW_REGISTRY),
            NavEntry(_("Buildings"), "registry:building_list", C.VIEW_REGISTRY),
            NavEntry(_("Teams and places"), "registry:more", C.VIEW_REGISTRY),
            NavEntry(_("Excel import"), "excel:import", C.IMPORT_REGISTRY),
        ), order=90),
        excel_lists=tuple(f"gongzhi.registry.excel:{name}" for name in (
            "REGIONS", "BUILDINGS", "MEMBER_UNITS", "PARTY_ORGS", "PARTY_MEMBERS", "LIAISONS", "PROFESSIONAL_TEAMS",
            "VOLUNTEER_TEAMS", "SERVICE_PLACES")),
        cards=(Card("registry.counts", _("Registry"), "gongzhi.registry.selectors:registry_card", order=90),),
        audited=(
            "registry.Region", "registry.Building", "registry.MemberUnit", "registry.PartyOrg",
            "registry.PartyMember", "registry.Liaison", "registry.ProfessionalTeam", "registry.VolunteerTeam",
            "registry.ServicePlace",
        ),
        demo_seeder="gongzhi.demo.registry:seed",
        demo_order=10,
    )
