from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gongzhi.core"
    label = "core"
    verbose_name = "共治"
