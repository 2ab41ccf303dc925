"""Doorstep services (家门口服务 / 全岗通). The app is built in parts, each declaring its share of the manifest in
`gongzhi.services.manifest.<part>` (NAV, USER_MENU, CARDS, EXCEL_LISTS, AUTHZ, AUTHZ_EXCLUDED, AUDITED, WORKFLOWS,
MEDIA):

* ``catalogue``: service categories and items (level, materials checklist, legal basis, time limit, fee, remote,
  bookable, audience), Excel import and export, the public searchable H5 catalogue;
* ``offers``: which places offer which items, their working plans on the holiday calendar, booking rules and
  capacity, and the duty roster;
* ``cases``: one-window cases (一口受理) any worker opens at any station for any item, the materials checklist,
  done on the spot / forwarded to the back office / ready for pickup, visits ("只跑一次") and time limits, remote
  assistance;
* ``appointments``: H5 booking after an SMS code with booking rules, reminders, cancel and reschedule by code,
  check-in at the counter, no-shows, the staff calendar;
* ``load``: station load per place and day, and the health cabin's self-check tallies (counts only).
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gongzhi.core.modules import Manifest, NavGroup, Parts

PARTS = ("catalogue", "offers", "cases", "appointments", "load")


parts = Parts("gongzhi.services", PARTS)


class ServicesConfig(AppConfig):
    name = "gongzhi.services"
    label = "services"
    verbose_name = _("Doorstep services")
    manifest = Manifest(
        urls=(("services/", "gongzhi.services.urls"),),
        api_routers=(("/services", "gongzhi.services.api:router"),),
        nav=NavGroup(_("Doorstep services"), parts.collect("NAV"), order=55),
        user_menu=parts.collect("USER_MENU"),
        cards=parts.collect("CARDS"),
        excel_lists=parts.collect("EXCEL_LISTS"),
        authz=parts.authz(),
        authz_excluded=parts.collect("AUTHZ_EXCLUDED"),
        authz_fixtures="gongzhi.services.authz:build",
        audited=parts.collect("AUDITED"),
        workflows=parts.collect("WORKFLOWS"),
        demo_seeder="gongzhi.demo.services:seed",
        demo_order=80,  # after the registry's service places and the demo accounts
        media=parts.collect("MEDIA"),
    )
