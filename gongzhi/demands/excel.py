"""The demand queue in Excel (export only): the filtered, scoped queue as on its page, personal data shown or
masked as on the demand's page (gongzhi.core.masking). Served by the core engine (gongzhi.core.excel)."""

from __future__ import annotations

from gongzhi.accounts.roles import Capability
from gongzhi.core.excel import Col, ListSpec
from gongzhi.demands.forms import filtered_queue
from gongzhi.demands.models import Demand
from gongzhi.registry.models import Region

DEMANDS = ListSpec(
    "demands", "诉求清单", Demand, (
        Col("查询码", "tracking_code"), Col("标题", "title"),
        Col("类别", "category", value=lambda d: str(d.category) if d.category_id else None),
        Col("状态", "state", "choice"), Col("优先级", "priority", "choice"), Col("渠道", "channel", "choice"),
        Col("网格", "grid", "fk", ref=Region, lookup="name"), Col("地址", "address"),
        Col("诉求人", "submitter_name"), Col("电话", "submitter_phone"),
        Col("受理时间", "created_at", "datetime"), Col("办结时限", "due_on", "date"),
        Col("超期", "is_overdue", value=lambda d: "是" if d.is_overdue else None),
        Col("我也遇到", "support_count", "int"), Col("满意度", "satisfaction", "int"),
    ),
    rows=lambda user, params: filtered_queue(user, params)[1].select_related("category"),
    view=(Capability.VIEW_DEMANDS,),
)
