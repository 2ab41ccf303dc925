"""Who may do what with funds and their ledger. Services call these to refuse; views, templates and the API call
them to decide what to show. No other module repeats these rules.

* Funds are seen by whoever's ``funds.view`` scope covers the fund's region (its residential area, or the
  sub-district of a foundation or special fund) or lies inside it: an area's staff see the sub-district's
  foundation too, because they apply to it.
* Funds are opened and money is booked (allocations, donations, charity events, returns) by the sub-district:
  ``funds.ledger`` covering the fund's region.
* A grant is booked by whoever decides it: ``funds.ledger`` (the sub-district) or ``funds.manage`` over the fund's
  region (an area's staff grant from their own autonomy fund once the selection is made).

`SYSTEM` has every right.
"""

from __future__ import annotations

from gongzhi.accounts.roles import Capability
from gongzhi.accounts.scope import has_capability, scope_for
from gongzhi.core.workflow import SYSTEM

VIEW = Capability.VIEW_FUNDS
MANAGE = Capability.MANAGE_FUNDS
LEDGER = Capability.KEEP_LEDGER


def keeps_ledger(actor, fund) -> bool:
    """The sub-district's staff over the fund: they book money in and open funds."""
    return actor is SYSTEM or scope_for(actor, LEDGER).covers_path(fund.region.path)


def may_grant(actor, fund) -> bool:
    return keeps_ledger(actor, fund) or scope_for(actor, MANAGE).covers_path(fund.region.path)


def may_open_funds(actor) -> bool:
    return actor is SYSTEM or has_capability(actor, LEDGER)
