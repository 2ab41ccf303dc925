"""The offers part's lists in Excel: the offers of the places in scope (export, and an all-or-nothing import keyed by
place code × item code, written by gongzhi.services.services.offers.import_offers) and the duty roster (export)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from gongzhi.accounts.scope import scope_for, scoped
from gongzhi.core.excel import Col, ListSpec
from gongzhi.registry.models import ServicePlace
from gongzhi.services.models import Duty, Offer, ServiceItem
from gongzhi.services.policies.offers import MANAGE, VIEW
from gongzhi.services.selectors import offers as selectors
from gongzhi.services.selectors.catalogue import items_for
from gongzhi.services.services import offers as services

WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def _filtered(qs, params):
    if q := (params.get("q") or "").strip():
        qs = qs.filter(Q(place__name__icontains=q) | Q(place__code__icontains=q))
    if kind := params.get("kind"):
        qs = qs.filter(place__kind=kind)
    return qs


def _offer_check(obj, user) -> list[tuple[str, str]]:
    if not selectors.visible_items(obj.place).filter(pk=obj.item_id).exists():
        return [("事项编码", "该事项不在此站点可办的事项目录中（已停用，或属于其他街道）")]
    return []


OFFERS = ListSpec(
    "service_offers", "服务站点可办事项", Offer, (
        Col("站点编码", "place", "fk", True, "必填，服务站点编码", ref=ServicePlace, scope=True),
        Col("站点名称", "place_name", value=lambda o: o.place.name),
        Col("事项编码", "item", "fk", True, "必填，服务事项编码", ref=ServiceItem),
        Col("事项名称", "item_name", value=lambda o: o.item.name),
        Col("每时段容量", "capacity", "int", hint="整数，留空则用站点默认容量"),
        Col("说明", "note"),
        Col("可办", "active", "bool", hint="是/否，默认是"),
    ),
    rows=lambda user, params: _filtered(scoped(user, Offer, VIEW), params).select_related(
        "place", "item").order_by("place__code", "item__code"),
    view=(VIEW,), edit=(MANAGE,), key=("place", "item"),
    import_scope=lambda user: scope_for(user, MANAGE),
    editable=lambda user: scoped(user, Offer, MANAGE).values_list("pk", flat=True),
    choosable=lambda user, model: scoped(user, model, MANAGE) if model is ServicePlace
    else items_for(user, active=True) if model is ServiceItem else model._default_manager.none(),
    check=_offer_check, write=services.import_offers,
)

ROSTER = ListSpec(
    "service_roster", "服务站点值班表", Duty, (
        Col("站点编码", "place", "fk", True, ref=ServicePlace),
        Col("站点名称", "place_name", value=lambda d: d.place.name),
        Col("星期", "weekday", "int", True, "0 周一 … 6 周日"),
        Col("星期名", "weekday_name", value=lambda d: WEEKDAYS_ZH[d.weekday]),
        Col("账号", "user", "fk", True, ref=get_user_model(), lookup="username"),
        Col("姓名", "user_name", value=lambda d: str(d.user)),
        Col("岗位", "post"),
    ),
    rows=lambda user, params: _filtered(scoped(user, Duty, VIEW), params).select_related(
        "place", "user").order_by("place__code", "weekday", "user__username"),
    view=(VIEW,),
)
