"""Award rows for shared fixtures (tests/core/test_excel.py's `everything`): a 金银奖 round under review with the
sub-district administrator on its panel and their score of area A's self-assessed criterion."""

from __future__ import annotations

from gongzhi.orglife.models import CriterionSource, Reviewer
from gongzhi.orglife.services import awards as services
from gongzhi.orglife.workflow import RoundState
from tests.orglife import factories as f


def excel_rows(street, people):
    r = f.award_round(street, RoundState.REVIEWING)
    Reviewer.objects.create(round=r, user=people.admin)
    entry = r.entries.get(org=street.org_a)
    return services.score(entry, r.criteria.get(source=CriterionSource.SELF), actor=people.admin, points="30",
                          comment="材料翔实")
