"""Regional joint building (区域化党建). The app is built in parts, each declaring its share of the manifest in
`gongzhi.joint.manifest.<part>` (NAV, USER_MENU, CARDS, EXCEL_LISTS, AUTHZ, AUTHZ_EXCLUDED, AUDITED, WORKFLOWS,
MEDIA):

* ``platforms``: joint-meeting platforms (district, sub-district, thematic) with their members, professional
  committees and the 1+11+103+X roster; posts in party organizations with their terms (联合党委 included);
* ``sessions``: sessions with attendance, agendas (referred demands, open needs and resources, projects awaiting a
  decision, free items), minutes, decisions tracked to done, the calendar; the referral of a demand by a
  sub-district leader (the only way a demand gets above the sub-district);
* ``agreements``: co-building agreements with commitments, KPIs and targets, progress reports, renewal, and
  众筹共建 projects with the pledges of several units;
* ``enterprise``: liaison visits to firms (上门排摸) that turn a need into a demand, and the liaison coverage of
  key office buildings;
* ``district``: two-way matching at the district: campaigns of the sub-districts under a district platform, with
  the per-sub-district breakdown.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gongzhi.core.modules import Manifest, NavGroup, Parts

PARTS = ("platforms", "sessions", "agreements", "enterprise", "district")


parts = Parts("gongzhi.joint", PARTS)


class JointConfig(AppConfig):
    name = "gongzhi.joint"
    label = "joint"
    verbose_name = _("Joint building")
    manifest = Manifest(
        urls=(("joint/", "gongzhi.joint.urls"),),
        api_routers=(("/joint", "gongzhi.joint.api:router"),),
        nav=NavGroup(_("Joint building"), parts.collect("NAV"), order=50),
        user_menu=parts.collect("USER_MENU"),
        cards=parts.collect("CARDS"),
        excel_lists=parts.collect("EXCEL_LISTS"),
        authz=parts.authz(),
        authz_excluded=parts.collect("AUTHZ_EXCLUDED"),
        authz_fixtures="gongzhi.joint.authz:build",
        audited=parts.collect("AUDITED"),
        workflows=parts.collect("WORKFLOWS"),
        demo_seeder="gongzhi.demo.joint:seed",
        demo_order=70,  # after funds: the agenda takes referred demands, matching's needs and projects
        media=parts.collect("MEDIA"),
    )

    def ready(self) -> None:
        from gongzhi.joint import receivers  # noqa: F401  (a resolved demand completes its decisions)
