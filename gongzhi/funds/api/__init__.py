"""Funds JSON API (mounted at /api/v1/funds/): one sub-router per part."""

from importlib import import_module

from ninja import Router

from gongzhi.funds.apps import PARTS

router = Router(tags=["funds"])
for _part in PARTS:
    router.add_router("", import_module(f"gongzhi.funds.api.{_part}").router)
