"""The one public projection's text masking (issue 11, Open311 7): phones with separators or +86, landlines and
ID-card numbers never reach the public."""

import pytest

from gongzhi.demands.public import mask_text


@pytest.mark.parametrize(("text", "hidden", "shown"), [
    ("电话13912345678", "13912345678", "139****5678"),
    ("电话 139-1234-5678", "139-1234-5678", "139****5678"),
    ("电话 139 1234 5678", "139 1234 5678", "139****5678"),
    ("+86 13912345678 找王阿姨", "13912345678", "139****5678"),
    ("008613912345678", "13912345678", "139****5678"),
    ("座机 021-64881234", "64881234", "****1234"),
    ("身份证310101199001011234", "310101199001011234", "3101**********1234"),
    ("身份证31010119900101123X", "31010119900101123X", "3101**********123X"),
])
def test_phone_and_id_numbers_are_masked(text, hidden, shown):
    masked = mask_text(text)
    assert hidden not in masked and shown in masked


def test_ordinary_numbers_stay():
    assert mask_text("3号楼502室，2026年12月2日，门牌432弄") == "3号楼502室，2026年12月2日，门牌432弄"
