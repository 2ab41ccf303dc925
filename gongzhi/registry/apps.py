from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.roles import Capability as C
from gongzhi.core.authz import (
    API_AREA_A,
    API_IN_A,
    API_LIST,
    AREA_A,
    CREATE,
    IN_A,
    IN_A_EDIT,
    PAGE,
    PUBLIC,
)
from gongzhi.core.modules import AuthzCase, Card, Manifest, NavEntry, NavGroup

REGISTRY = "gongzhi.registry"


def _pages(name: str, target: str, detail: str = IN_A) -> dict[str, AuthzCase]:
    """The list, create, detail, edit and delete pages of one kind (the target is in area A)."""
    return {
        f"registry:{name}_list": AuthzCase(PAGE),
        f"registry:{name}_create": AuthzCase(CREATE),
        f"registry:{name}_detail": AuthzCase(detail, target),
        f"registry:{name}_edit": AuthzCase(IN_A_EDIT, target),
        f"registry:{name}_delete": AuthzCase(IN_A_EDIT, target),
    }


AUTHZ = {
    "registry:tree": AuthzCase(PAGE),
    "registry:more": AuthzCase(PAGE),
    **_pages("region", "grid_a1"),
    **_pages("building", "building_a1"),
    **_pages("memberunit", "unit_a"),
    **_pages("partyorg", "org_a", AREA_A),
    **_pages("partymember", "member_a", AREA_A),
    **_pages("liaison", "liaison_a", AREA_A),
    **_pages("professionalteam", "team_a"),  # serves grid A1
    **_pages("volunteerteam", "volunteers_a", AREA_A),
    **_pages("serviceplace", "place_a", AREA_A),
    **_pages("estate", "estate_a", AREA_A),
    **_pages("household", "household_a1"),  # in a building of grid A1
    "registry:household_phone": AuthzCase(PUBLIC),  # H5: a household proves its phone by SMS, no account needed
    # JSON API (same path for list+create and detail+update: GET is what is checked)
    "api:region_list": AuthzCase(API_LIST),
    "api:region_detail": AuthzCase(API_IN_A, "grid_a1"),
    "api:building_list": AuthzCase(API_LIST),
    "api:building_detail": AuthzCase(API_IN_A, "building_a1"),
    "api:memberunit_list": AuthzCase(API_LIST),
    "api:memberunit_create": AuthzCase(API_LIST),
    "api:memberunit_detail": AuthzCase(API_IN_A, "unit_a"),
    "api:memberunit_update": AuthzCase(API_IN_A, "unit_a"),
    "api:partyorg_list": AuthzCase(API_LIST),
    "api:partyorg_detail": AuthzCase(API_AREA_A, "org_a"),
    "api:partymember_list": AuthzCase(API_LIST),
    "api:partymember_create": AuthzCase(API_LIST),
    "api:partymember_detail": AuthzCase(API_AREA_A, "member_a"),
    "api:partymember_update": AuthzCase(API_AREA_A, "member_a"),
    "api:estate_list": AuthzCase(API_LIST),
    "api:estate_create": AuthzCase(API_LIST),
    "api:estate_detail": AuthzCase(API_AREA_A, "estate_a"),
    "api:estate_update": AuthzCase(API_AREA_A, "estate_a"),
    "api:household_list": AuthzCase(API_LIST),
    "api:household_create": AuthzCase(API_LIST),
    "api:household_detail": AuthzCase(API_IN_A, "household_a1"),
    "api:household_update": AuthzCase(API_IN_A, "household_a1"),
}


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
            NavEntry(_("Estates"), "registry:estate_list", C.VIEW_REGISTRY),
            NavEntry(_("Households"), "registry:household_list", C.VIEW_REGISTRY),
            NavEntry(_("Teams and places"), "registry:more", C.VIEW_REGISTRY),
            NavEntry(_("Excel import"), "excel:import", C.IMPORT_REGISTRY),
        ), order=90),
        excel_lists=tuple(f"gongzhi.registry.excel:{name}" for name in (
            "REGIONS", "BUILDINGS", "MEMBER_UNITS", "PARTY_ORGS", "PARTY_MEMBERS", "LIAISONS", "PROFESSIONAL_TEAMS",
            "VOLUNTEER_TEAMS", "SERVICE_PLACES", "ESTATES", "HOUSEHOLDS")),
        cards=(Card("registry.counts", _("Registry"), "gongzhi.registry.selectors:registry_card", order=90),),
        audited=(
            "registry.Region", "registry.Building", "registry.MemberUnit", "registry.PartyOrg",
            "registry.PartyMember", "registry.Liaison", "registry.ProfessionalTeam", "registry.VolunteerTeam",
            "registry.ServicePlace", "registry.Estate", "registry.Household",
        ),
        authz=AUTHZ,
        authz_fixtures="gongzhi.registry.authz:build",
        demo_seeder="gongzhi.demo.registry:seed",
        demo_order=10,
    )
