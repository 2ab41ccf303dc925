"""Deliberation JSON API (mounted at /api/v1/deliberation/): one sub-router per part."""

from importlib import import_module

from ninja import Router

from gongzhi.deliberation.apps import PARTS

router = Router(tags=["deliberation"])
for _part in PARTS:
    router.add_router("", import_module(f"gongzhi.deliberation.api.{_part}").router)
