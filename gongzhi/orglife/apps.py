"""Organization life (组织生活: 三会一课), members' yearly records, two-new coverage and yearly awards (金银奖 /
五星奖). The app is built in parts, each declaring its share of the manifest in `gongzhi.orglife.manifest.<part>`
(NAV, USER_MENU, CARDS, EXCEL_LISTS, AUTHZ, AUTHZ_EXCLUDED, AUDITED, WORKFLOWS, MEDIA):

* ``meetings``: meetings of a party organization by kind (党员大会, 支委会, 党小组会, 党课, 主题党日, 组织生活会,
  民主评议党员, 谈心谈话) with attendance, minutes and photos; the configurable required frequency of each kind and
  the compliance view per organization and month; reminders before a requirement falls due; lessons with a speaker
  (micro and walking lessons) and members' study records (e.g. 四史);
* ``records``: one page per member and year gathering their work from the other apps (claims and promises,
  meetings attended, volunteering hours, deliberation roles, community service), the "四先" record, democratic
  appraisal results and mobile members' (流动党员) whereabouts and contacts;
* ``coverage``: two-new coverage per sub-district and district: organizational coverage (an own organization or a
  联合党委) of firms with 50+ staff and social organizations with 30+, and work coverage (a 党建指导员), with the
  list of what is not covered and a trend;
* ``awards``: award schemes (金银奖, 五星奖) with rounds, eligible organizations, weighted criteria computed from
  the platform's own data or self-assessed with evidence, a reviewers' panel, tiers by cut-offs and the honour roll.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gongzhi.core.modules import Manifest, NavGroup, Parts

PARTS = ("meetings", "records", "coverage", "awards")


parts = Parts("gongzhi.orglife", PARTS)


class OrglifeConfig(AppConfig):
    name = "gongzhi.orglife"
    label = "orglife"
    verbose_name = _("Organization life")
    manifest = Manifest(
        urls=(("orglife/", "gongzhi.orglife.urls"),),
        api_routers=(("/orglife", "gongzhi.orglife.api:router"),),
        nav=NavGroup(_("Organization life"), parts.collect("NAV"), order=58),
        user_menu=parts.collect("USER_MENU"),
        cards=parts.collect("CARDS"),
        excel_lists=parts.collect("EXCEL_LISTS"),
        authz=parts.authz(),
        authz_excluded=parts.collect("AUTHZ_EXCLUDED"),
        authz_fixtures="gongzhi.orglife.authz:build",
        audited=parts.collect("AUDITED"),
        workflows=parts.collect("WORKFLOWS"),
        demo_seeder="gongzhi.demo.orglife:seed",
        demo_order=90,  # after every app whose work the awards score (demands … volunteering)
        media=parts.collect("MEDIA"),
    )
