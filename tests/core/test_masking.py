from hypothesis import given
from hypothesis import strategies as st

from gongzhi.core.masking import mask_id_number, mask_name, mask_phone


def test_mobile_phone_keeps_prefix_and_last_four():
    assert mask_phone("13912345678") == "139****5678"


def test_id_number_keeps_four_at_each_end():
    assert mask_id_number("310101199001011234") == "3101**********1234"


def test_name_keeps_family_name():
    assert mask_name("王小明") == "王**"


@given(st.text(alphabet="0123456789", min_size=5, max_size=20))
def test_masked_phone_never_reveals_the_middle(phone):
    masked = mask_phone(phone)
    assert masked.endswith(phone[-4:])
    assert "*" in masked
    assert sum(ch != "*" for ch in masked) <= 7  # at most a 3-digit prefix and the last four
