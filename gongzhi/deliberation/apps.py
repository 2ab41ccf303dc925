"""Deliberation (议事协商). The app is built in parts, each declaring its share of the manifest in
`gongzhi.deliberation.manifest.<part>` (NAV, CARDS, EXCEL_LISTS, AUTHZ, AUTHZ_EXCLUDED, AUDITED, WORKFLOWS, MEDIA):

* ``councils``: owners' committees and their elections, councils with seats, deliberation rules;
* ``topics``: topics and the three meetings (invitations, RSVP, check-in, minutes, decisions);
* ``votes``: votes and ballots, resident conventions, the residents' H5 pages;
* ``grid``: yearly grid topics and their claimable micro-items (屋檐下的微自治).
"""

from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gongzhi.core.modules import Manifest, NavGroup

PARTS = ("topics", "councils", "votes", "grid")


def _collect(name: str) -> tuple:
    return tuple(item for part in PARTS for item in getattr(import_module(f"gongzhi.deliberation.manifest.{part}"),
                                                          name, ()))


def _authz() -> dict:
    merged: dict = {}
    for part in PARTS:
        merged.update(getattr(import_module(f"gongzhi.deliberation.manifest.{part}"), "AUTHZ", {}))
    return merged


class DeliberationConfig(AppConfig):
    name = "gongzhi.deliberation"
    label = "deliberation"
    verbose_name = _("Deliberation")
    manifest = Manifest(
        urls=(("deliberation/", "gongzhi.deliberation.urls"),),
        api_routers=(("/deliberation", "gongzhi.deliberation.api:router"),),
        nav=NavGroup(_("Deliberation"), _collect("NAV"), order=35),
        user_menu=_collect("USER_MENU"),
        cards=_collect("CARDS"),
        excel_lists=_collect("EXCEL_LISTS"),
        authz=_authz(),
        authz_excluded=_collect("AUTHZ_EXCLUDED"),
        authz_fixtures="gongzhi.deliberation.authz:build",
        audited=_collect("AUDITED"),
        workflows=_collect("WORKFLOWS"),
        demo_seeder="gongzhi.demo.deliberation:seed",
        demo_order=50,  # after the demands: grid topics come from their top concerns, topics from hot issues
        media=_collect("MEDIA"),
    )
