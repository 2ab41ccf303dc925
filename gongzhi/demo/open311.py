"""The demo Open311 client (api_key `demo-open311-key`): it posts as a service account that holds no role and
cannot log in; its requests without a place go to the demo sub-district."""

from __future__ import annotations

from gongzhi.accounts.services import import_user
from gongzhi.core.workflow import SYSTEM
from gongzhi.demands import services as demand_services

DEMO_OPEN311_KEY = "demo-open311-key"


def seed(ctx) -> None:
    user = import_user("open311-demo", actor=SYSTEM, display_name="Open311 示范客户端")
    client, _key = demand_services.register_open311_client("示范 Open311 客户端", actor=SYSTEM, user=user, key=DEMO_OPEN311_KEY, subdistrict=ctx.subdistrict)
    ctx.extra["open311_client"] = client
