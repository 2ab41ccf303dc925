"""Doorstep-services JSON API (mounted at /api/v1/services/): one sub-router per part."""

from importlib import import_module

from ninja import Router

from gongzhi.services.apps import PARTS

router = Router(tags=["services"])
for _part in PARTS:
    router.add_router("", import_module(f"gongzhi.services.api.{_part}").router)
