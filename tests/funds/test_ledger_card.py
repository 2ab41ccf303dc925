"""The workbench card "funds running low": the ledger keepers see their active funds under ¥5,000; an area's staff
(who keep no ledger) get no card."""

from gongzhi.core.workflow import SYSTEM
from gongzhi.funds.selectors import ledger as selectors
from gongzhi.funds.services import donations as services
from tests.funds import factories_ledger as f


def test_low_balance_card(street, people):
    low = f.autonomy_fund(street.area_a, amount="4999.99")
    f.autonomy_fund(street.area_b, amount="5000")
    closed = f.autonomy_fund(street.area_a, 2020, amount="10")
    services.close_fund(closed, actor=SYSTEM)
    card = selectors.low_balance_card(people.admin)
    assert card["count"] == 1 and card["items"][0]["text"] == low.name and card["items"][0]["value"] == "¥4999.99"
    assert selectors.low_balance_card(people.insider) is None
    assert selectors.low_balance_card(people.resident) is None
