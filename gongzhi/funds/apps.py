"""Funds (自治金 and community funds). The app is built in parts, each declaring its share of the manifest in
`gongzhi.funds.manifest.<part>` (NAV, USER_MENU, CARDS, EXCEL_LISTS, AUTHZ, AUTHZ_EXCLUDED, AUDITED, WORKFLOWS,
MEDIA):

* ``ledger``: funds (an autonomy fund per residential area and year, a community foundation, special funds), their
  append-only money ledger, donations, charity events with their lots, the yearly reports;
* ``calls``: calls for proposals through their phases, proposals with budget lines, co-signing households, review,
  selection (a household vote or a council decision) and grants;
* ``delivery``: milestones, progress, spending with receipts against the grant, photos, the closing review and the
  public results page.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gongzhi.core.modules import Manifest, NavGroup, Parts

PARTS = ("ledger", "calls", "delivery")


parts = Parts("gongzhi.funds", PARTS)


class FundsConfig(AppConfig):
    name = "gongzhi.funds"
    label = "funds"
    verbose_name = _("Funds")
    manifest = Manifest(
        urls=(("funds/", "gongzhi.funds.urls"),),
        api_routers=(("/funds", "gongzhi.funds.api:router"),),
        nav=NavGroup(_("Funds"), parts.collect("NAV"), order=40),
        user_menu=parts.collect("USER_MENU"),
        cards=parts.collect("CARDS"),
        excel_lists=parts.collect("EXCEL_LISTS"),
        authz=parts.authz(),
        authz_excluded=parts.collect("AUTHZ_EXCLUDED"),
        authz_fixtures="gongzhi.funds.authz:build",
        audited=parts.collect("AUDITED"),
        workflows=parts.collect("WORKFLOWS"),
        demo_seeder="gongzhi.demo.funds:seed",
        demo_order=60,  # after deliberation: proposals come from its topics and are chosen by its votes
        media=parts.collect("MEDIA"),
    )
