"""Rows of the offers part for other modules' tests (tests/core/test_excel.py's `everything`): a station of area A
that offers an item, with its plan and rules, and area A's secretary on its roster."""

from gongzhi.services.models import Duty
from tests.services import factories as f


def excel_rows(street, people):
    place = f.open_place(f.place(street.area_a, "梧桐服务站"), weekdays=range(5))
    offer = f.offer(place, f.item("居民医保参保登记"), note="工作日办理")
    Duty.objects.create(place=place, user=people.insider, weekday=0, post="综合窗口")
    return offer
