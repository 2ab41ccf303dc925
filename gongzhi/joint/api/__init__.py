"""Joint-building JSON API (mounted at /api/v1/joint/): one sub-router per part."""

from importlib import import_module

from ninja import Router

from gongzhi.joint.apps import PARTS

router = Router(tags=["joint"])
for _part in PARTS:
    router.add_router("", import_module(f"gongzhi.joint.api.{_part}").router)
