"""Read paths of the registry, always scoped by the user."""

from django.urls import reverse
from django.utils.translation import gettext as _

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import scope_for
from gongzhi.registry.models import Building, MemberUnit, PartyMember, PartyOrg, Region, RegionKind


def dashboard_counts(user) -> list[dict]:
    scope = scope_for(user, Capability.VIEW_REGISTRY)
    if scope.is_empty:
        return []
    regions = scope.filter(Region.objects.all())
    return [
        {"label": _("Residential areas"), "value": regions.filter(kind=RegionKind.RESIDENTIAL_AREA).count(),
         "url": reverse("registry:tree")},
        {"label": _("Micro-grids"), "value": regions.filter(kind=RegionKind.GRID).count(), "url": reverse("registry:tree")},
        {"label": _("Party organizations"), "value": scope.filter(PartyOrg.objects.all()).count(),
         "url": reverse("registry:partyorg_list")},
        {"label": _("Party members"), "value": scope.filter(PartyMember.objects.all()).count(),
         "url": reverse("registry:partymember_list")},
        {"label": _("Member units"), "value": scope.filter(MemberUnit.objects.all()).count(),
         "url": reverse("registry:memberunit_list")},
        {"label": _("Buildings"), "value": scope.filter(Building.objects.all()).count(),
         "url": reverse("registry:building_list")},
    ]
