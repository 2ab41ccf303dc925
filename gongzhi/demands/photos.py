"""Photo uploads: checked by content with Pillow, re-encoded without metadata (EXIF, GPS) before saving."""

from __future__ import annotations

import io
import uuid
import warnings

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from gongzhi.core import media
from gongzhi.core.errors import ValidationFailed

MAX_PHOTO_BYTES = 10 * 1024 * 1024
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def _refuse(message: str):
    raise ValidationFailed(message, field_errors={"image": [message]})


def clean_photo(upload) -> ContentFile:
    """A fresh, metadata-free copy of an uploaded image, or ValidationFailed."""
    size = getattr(upload, "size", None)
    if size is None or size > MAX_PHOTO_BYTES:
        _refuse(_("A photo may be at most 10 MB."))
    upload.seek(0)
    data = upload.read(MAX_PHOTO_BYTES + 1)
    if len(data) > MAX_PHOTO_BYTES:
        _refuse(_("A photo may be at most 10 MB."))
    # Pixels before anything is decoded: a small PNG can unpack to gigabytes.
    if refusal := media.check_image_pixels(io.BytesIO(data)):
        _refuse(refusal)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format
                probe.verify()
            if fmt not in ALLOWED_FORMATS:
                _refuse(_("Upload a JPEG, PNG or WebP image."))
            with Image.open(io.BytesIO(data)) as img:
                img.load()
                clean = ImageOps.exif_transpose(img)  # keep the visible orientation, then drop the metadata
    except ValidationFailed:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):
        _refuse(_("Upload a JPEG, PNG or WebP image."))
    clean.info = {}  # no EXIF/XMP/comments are carried over
    out = io.BytesIO()
    if fmt == "JPEG":
        clean.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
    elif fmt == "PNG":
        if clean.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
            clean = clean.convert("RGBA")
        clean.save(out, "PNG", optimize=True)
    else:
        clean.save(out, "WEBP", quality=88)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{ALLOWED_FORMATS[fmt]}")
