"""Intake: tracking codes, validation, idempotent retries, routing of the address, me too, merging, photos."""

import io
import re
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from gongzhi.core.errors import NotFound, ValidationFailed
from gongzhi.demands import services
from gongzhi.demands.models import Category, Channel, Demand, DemandPhoto, PhotoKind
from gongzhi.demands.workflow import State
from gongzhi.registry.models import RegionKind
from tests import factories
from tests.demands.conftest import PHONE, submit, submit_created

GPS_IFD = 0x8825


def test_a_resident_submits_a_demand_and_gets_a_tracking_code(street):
    category = Category.objects.get(code="street_lights", subdistrict=None)
    demand = submit(street, category=category)
    assert re.fullmatch(r"GZ260302[0-9A-Z]{6}", demand.tracking_code)
    assert demand.state == State.SUBMITTED
    assert (demand.grid, demand.region, demand.escalation_level) == (street.grid_a1, street.grid_a1, 0)
    assert demand.submitter_phone_last4 == "5678" and demand.masked_phone == "139****5678"
    assert demand.transitions.get().action == "submit"
    assert demand.history.count() == 1  # simple-history audits the demand as well


def test_the_default_taxonomy_has_twenty_categories_with_children(db):
    tops = Category.objects.filter(subdistrict=None, parent=None)
    assert tops.count() == 20
    assert {"物业管理", "加装电梯", "油烟噪声扰民", "其他"} <= set(tops.values_list("name", flat=True))
    assert all(2 <= t.children.count() <= 4 for t in tops)


def test_a_retried_submission_returns_the_same_demand(street):
    first, created = submit_created(street, idempotency_key="req-42", source_client="h5")
    again, created_again = submit_created(street, idempotency_key="req-42", source_client="h5",
                                          title="changed on retry")
    assert again.pk == first.pk and (created, created_again) == (True, False)
    assert Demand.objects.count() == 1
    other_client, created_other = submit_created(street, idempotency_key="req-42", source_client="wechat")
    assert other_client.pk != first.pk and created_other


def test_a_racing_retry_is_caught_by_the_unique_constraint(street):
    first = submit(street, idempotency_key="race-1")
    # The other request checked before `first` was committed: its insert hits the constraint.
    with mock.patch.object(services, "_find_idempotent", side_effect=[None, first]):
        again, created = submit_created(street, idempotency_key="race-1")
    assert again.pk == first.pk and not created
    assert Demand.objects.count() == 1


def test_invalid_input_reports_field_errors_and_writes_nothing(street):
    with pytest.raises(ValidationFailed) as err:
        submit(street, title="", submitter_phone="123", channel="pigeon", latitude="north")
    assert {"title", "submitter_phone", "channel", "latitude"} <= set(err.value.field_errors)
    assert Demand.objects.count() == 0


def test_an_enterprise_demand_names_its_unit(street):
    with pytest.raises(ValidationFailed) as err:
        submit(street, channel=Channel.ENTERPRISE)
    assert "member_unit" in err.value.field_errors


def test_the_address_text_is_matched_to_a_building(street):
    street.building_a1.address = "梧桐路100弄1号"
    street.building_a1.save()
    demand = submit(street, building=None, subdistrict=street.subdistrict, address="梧桐路100弄1号 302室")
    assert demand.building == street.building_a1 and demand.grid == street.grid_a1


def test_without_a_building_the_demand_waits_at_the_sub_district(street, people):
    demand = submit(street, subdistrict=street.subdistrict, address="不知道在哪里")
    assert demand.grid is None and demand.region == street.subdistrict
    routed = services.route_demand(demand, actor=people.admin, grid_id=street.grid_b1.pk)
    assert (routed.grid, routed.region) == (street.grid_b1, street.grid_b1)


def test_me_too_counts_each_verified_contact_once(street, people):
    demand = submit(street)
    assert services.add_support(demand, verified_phone="13800000001") == 1
    assert services.add_support(demand, verified_phone="13800000001") == 1
    assert services.add_support(demand, user=people.resident) == 2
    assert services.add_support(demand, user=people.resident) == 2


def test_duplicates_are_merged_and_their_submitters_follow(street, people):
    original = submit(street)
    duplicate = submit(street, submitter_name="李先生", submitter_phone="13700001111")
    merged = services.merge_demand(duplicate, actor=people.colleague, into_id=original.pk)
    assert merged.state == State.MERGED and merged.merged_into == original
    assert [f.phone for f in original.followers.all()] == ["13700001111"]
    # the duplicate's submitter counts as one "me too" on the original, and later ones count there too
    assert services.add_support(duplicate, verified_phone="13600002222") == 2  # counted on the merge target
    assert Demand.objects.get(pk=original.pk).support_count == 2


def test_tracking_lookup_needs_the_last_four_digits(street):
    demand = submit(street)
    assert services.access_by_tracking(demand.tracking_code.lower(), PHONE[-4:]) == demand
    for code, last4 in [(demand.tracking_code, "0000"), ("GZ000000AAAAAA", "5678"), (demand.tracking_code, "")]:
        with pytest.raises(NotFound):
            services.access_by_tracking(code, last4)


# --- photos -------------------------------------------------------------------------------------------------

def jpeg_with_gps() -> bytes:
    img = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (31.0, 13.0, 5.0), 3: "E", 4: (121.0, 28.0, 9.0)})
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif)
    data = buf.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the fixture really carries GPS
    return data


def test_uploaded_photos_lose_their_exif_and_gps(street):
    upload = SimpleUploadedFile("IMG_0001.jpg", jpeg_with_gps(), content_type="image/jpeg")
    demand = submit(street, photos=[upload])
    photo = demand.photos.get()
    assert photo.kind == PhotoKind.BEFORE and photo.image.name.endswith(".jpg")
    assert "IMG_0001" not in photo.image.name
    with photo.image.open("rb") as f, Image.open(f) as saved:
        assert saved.format == "JPEG" and saved.size == (64, 48)
        assert "exif" not in saved.info
        assert not saved.getexif() and not saved.getexif().get_ifd(GPS_IFD)


def test_png_and_webp_are_accepted(street):
    demand = submit(street)
    for fmt in ("PNG", "WEBP"):
        buf = io.BytesIO()
        Image.new("RGBA", (10, 10)).save(buf, fmt)
        services.add_photo(demand, SimpleUploadedFile(f"x.{fmt}", buf.getvalue()), kind=PhotoKind.BEFORE)
    assert sorted(p.image.name.rsplit(".", 1)[1] for p in demand.photos.all()) == ["png", "webp"]


@pytest.mark.parametrize("content", [b"not an image at all", b"GIF89a" + b"\x00" * 50, b"\xff\xd8\xff\xe0broken"])
def test_non_images_are_refused(street, content):
    demand = submit(street)
    with pytest.raises(ValidationFailed) as err:
        services.add_photo(demand, SimpleUploadedFile("evil.jpg", content, content_type="image/jpeg"))
    assert "image" in err.value.field_errors
    assert DemandPhoto.objects.count() == 0


def test_gif_is_not_an_allowed_format(street):
    buf = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buf, "GIF")
    with pytest.raises(ValidationFailed):
        services.add_photo(submit(street), SimpleUploadedFile("a.gif", buf.getvalue()))


def test_oversized_uploads_are_refused_and_nothing_is_written(street):
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (10 * 1024 * 1024), content_type="image/jpeg")
    with pytest.raises(ValidationFailed) as err:
        submit(street, photos=[big])
    assert "10 MB" in err.value.message
    assert Demand.objects.count() == 0


def test_only_handlers_attach_photos_as_staff(street, people):
    demand = submit(street)
    buf = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buf, "PNG")
    with pytest.raises(NotFound):
        services.add_photo(demand, SimpleUploadedFile("a.png", buf.getvalue()), kind=PhotoKind.AFTER,
                           uploaded_by=people.outsider)
    photo = services.add_photo(demand, SimpleUploadedFile("a.png", buf.getvalue()), kind=PhotoKind.AFTER,
                               uploaded_by=people.colleague)
    assert photo.kind == PhotoKind.AFTER and photo.uploaded_by == people.colleague


def test_a_tracking_code_is_unique_even_when_the_random_part_repeats(street):
    first = submit(street)
    codes = iter([first.tracking_code, "GZ260302ZZZZZZ"])
    with mock.patch.object(services, "new_tracking_code", side_effect=lambda now: next(codes)):
        second = submit(street)
    assert second.tracking_code == "GZ260302ZZZZZZ"
    assert Demand.objects.count() == 2


def test_a_retry_answers_with_the_first_demand_even_with_a_stale_payload(street, people):
    first = submit(street, idempotency_key="k-1", source_client="api:1")
    again, created = submit_created(street, idempotency_key="k-1", source_client="api:1", title="另一个标题")
    stale, created_stale = submit_created(street, idempotency_key="k-1", source_client="api:1", title="")
    assert again.pk == first.pk == stale.pk and Demand.objects.count() == 1
    assert not created and not created_stale


def test_default_taxonomy_fits_everywhere_and_another_subdistricts_category_is_refused(street, people):
    default = Category.objects.create(code="lights", name="路灯")
    assert submit(street, category=default).category == default
    other_sub = factories.region(RegionKind.SUBDISTRICT, street.district, name="别的街道")
    foreign = Category.objects.create(code="lights", name="路灯", subdistrict=other_sub)
    with pytest.raises(ValidationFailed) as caught:
        submit(street, category=foreign)
    assert "category" in caught.value.field_errors


def test_intake_writes_the_demand_s_first_history_row_with_who_recorded_it(street, people):
    demand = submit(street, recorded_by=people.colleague, channel=Channel.PHONE)
    row = demand.history.get()
    assert (row.history_type, row.history_user, row.tracking_code) == ("+", people.colleague, demand.tracking_code)
