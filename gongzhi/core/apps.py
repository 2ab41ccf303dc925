from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gongzhi.core.modules import Manifest, NavEntry, NavGroup


class CoreConfig(AppConfig):
    name = "gongzhi.core"
    label = "core"
    verbose_name = "共治"
    manifest = Manifest(
        urls=(("excel/", "gongzhi.core.excel.urls"),),
        nav=NavGroup(_("System"), (
            NavEntry(_("Audit trail"), "audit", "audit.view"),
        ), order=100),
    )
