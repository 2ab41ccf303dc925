"""Deliberation (议事协商). The app is built in parts, each declaring its share of the manifest in
`gongzhi.deliberation.manifest.<part>` (NAV, CARDS, EXCEL_LISTS, AUTHZ, AUTHZ_EXCLUDED, AUDITED, WORKFLOWS, MEDIA):

* ``councils``: owners' committees and their elections, councils with seats, deliberation rules;
* ``topics``: topics and the three meetings (invitations, RSVP, check-in, minutes, decisions);
* ``votes``: votes and ballots, resident conventions, the residents' H5 pages;
* ``grid``: yearly grid topics and their claimable micro-items (屋檐下的微自治).
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gongzhi.core.modules import Manifest, NavGroup, Parts

PARTS = ("topics", "councils", "votes", "grid")


parts = Parts("gongzhi.deliberation", PARTS)


class DeliberationConfig(AppConfig):
    name = "gongzhi.deliberation"
    label = "deliberation"
    verbose_name = _("Deliberation")
    manifest = Manifest(
        urls=(("deliberation/", "gongzhi.deliberation.urls"),),
        api_routers=(("/deliberation", "gongzhi.deliberation.api:router"),),
        nav=NavGroup(_("Deliberation"), parts.collect("NAV"), order=35),
        user_menu=parts.collect("USER_MENU"),
        cards=parts.collect("CARDS"),
        excel_lists=parts.collect("EXCEL_LISTS"),
        authz=parts.authz(),
        authz_excluded=parts.collect("AUTHZ_EXCLUDED"),
        authz_fixtures="gongzhi.deliberation.authz:build",
        audited=parts.collect("AUDITED"),
        workflows=parts.collect("WORKFLOWS"),
        demo_seeder="gongzhi.demo.deliberation:seed",
        demo_order=50,  # after the demands: grid topics come from their top concerns, topics from hot issues
        media=parts.collect("MEDIA"),
    )
