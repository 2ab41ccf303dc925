"""Volunteering JSON API (mounted at /api/v1/volunteering/): one sub-router per part."""

from importlib import import_module

from ninja import Router

from gongzhi.volunteering.apps import PARTS

router = Router(tags=["volunteering"])
for _part in PARTS:
    router.add_router("", import_module(f"gongzhi.volunteering.api.{_part}").router)
