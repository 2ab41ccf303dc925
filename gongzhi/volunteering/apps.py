"""Volunteering (志愿服务), micro-wishes (微心愿) and pairing (结对). The app is built in parts, each declaring its
share of the manifest in `gongzhi.volunteering.manifest.<part>` (NAV, USER_MENU, CARDS, EXCEL_LISTS, AUTHZ,
AUTHZ_EXCLUDED, AUDITED, WORKFLOWS, MEDIA):

* ``volunteers``: volunteers (linked to a party member, a resident account or a unit's staff) with teams, skills,
  availability and consent, the append-only hours ledger and the certificate of a volunteer's hours;
* ``activities``: activities organised by a team, unit, station or party organization, with shifts (roles),
  recurring series, H5 sign-up with a waiting list, check-in and check-out crediting hours;
* ``wishes``: the micro-wish board: wishes of households in hardship, approved by staff, claimed by a member or
  unit with a public promise (亮承诺), fulfilled with a photo and the beneficiary's thanks;
* ``pairings``: pairings (youth ↔ party member, unit ↔ household in hardship, member ↔ households or shops) with a
  capacity per kind, their contact log and alerts, and incubation cohorts with the "五个一" checklist.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gongzhi.core.modules import Manifest, NavGroup, Parts

PARTS = ("volunteers", "activities", "wishes", "pairings")


parts = Parts("gongzhi.volunteering", PARTS)


class VolunteeringConfig(AppConfig):
    name = "gongzhi.volunteering"
    label = "volunteering"
    verbose_name = _("Volunteering")
    manifest = Manifest(
        urls=(("volunteering/", "gongzhi.volunteering.urls"),),
        api_routers=(("/volunteering", "gongzhi.volunteering.api:router"),),
        nav=NavGroup(_("Volunteering"), parts.collect("NAV"), order=57),
        user_menu=parts.collect("USER_MENU"),
        cards=parts.collect("CARDS"),
        excel_lists=parts.collect("EXCEL_LISTS"),
        authz=parts.authz(),
        authz_excluded=parts.collect("AUTHZ_EXCLUDED"),
        authz_fixtures="gongzhi.volunteering.authz:build",
        audited=parts.collect("AUDITED"),
        workflows=parts.collect("WORKFLOWS"),
        demo_seeder="gongzhi.demo.volunteering:seed",
        demo_order=85,  # after the registry's teams, units and members, the demo accounts and the services places
        media=parts.collect("MEDIA"),
    )
