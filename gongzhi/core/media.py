"""Uploaded files: what they are (judged by their content), where they are stored, and who may read them.

* `sniff(file)` decides the type from the first bytes against an allow-list (JPEG, PNG, GIF, WebP, PDF, xlsx,
  docx); a file's own name is never trusted.
* `RandomName("folder")` is an ``upload_to``: files are stored under a random name whose extension comes from
  the allow-list (anything else is stored as ``.bin``). Services name the upload after its sniffed type first.
* `check_image_pixels(file)` refuses images with more pixels than ``GONGZHI_MAX_IMAGE_PIXELS`` from the header,
  before anything is decoded.
* `serve` (``/media/<path>``) is the only way to read an upload. The owning app decides who may see a file: its
  manifest names, per folder, a ``function(user, name)`` returning the owning row within the user's scope (or
  None → 404). A signed, expiring link made by `signed_url` opens one file without an account (demand photos on
  the public tracking page and in Open311's ``media_url``). Anything that is not an image is sent as an
  attachment; every answer carries ``X-Content-Type-Options: nosniff`` and ``Content-Security-Policy: sandbox``.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from uuid import uuid4

from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from gongzhi.core.modules import media_owners

SIGNING_SALT = "gongzhi.media"


@dataclass(frozen=True)
class FileType:
    ext: str
    content_type: str

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


JPEG = FileType("jpg", "image/jpeg")
PNG = FileType("png", "image/png")
GIF = FileType("gif", "image/gif")
WEBP = FileType("webp", "image/webp")
PDF = FileType("pdf", "application/pdf")
XLSX = FileType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
DOCX = FileType("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
ALLOWED = (JPEG, PNG, GIF, WEBP, PDF, XLSX, DOCX)
IMAGES = (JPEG, PNG, GIF, WEBP)
EXTENSIONS = {t.ext: t for t in ALLOWED}
# Office Open XML: a zip whose parts name the application.
ZIP_PARTS = ((XLSX, "xl/"), (DOCX, "word/"))


def sniff(file) -> FileType | None:
    """The allow-listed type of a file object's content (its position is restored), or None."""
    start = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(16)
    found = None
    if head.startswith(b"\xff\xd8\xff"):
        found = JPEG
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        found = PNG
    elif head[:6] in (b"GIF87a", b"GIF89a"):
        found = GIF
    elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        found = WEBP
    elif head.startswith(b"%PDF-"):
        found = PDF
    elif head.startswith(b"PK\x03\x04"):
        file.seek(0)
        try:
            with zipfile.ZipFile(file) as z:
                names = z.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            names = []
        found = next((t for t, prefix in ZIP_PARTS if any(n.startswith(prefix) for n in names)), None)
    file.seek(start)
    return found


def max_image_pixels() -> int:
    return settings.GONGZHI_MAX_IMAGE_PIXELS


def too_many_pixels_message(width: int = 0, height: int = 0) -> str:
    limit = max_image_pixels() // 1_000_000
    if not width:
        return _("The image has too many pixels. At most %(max)s megapixels are accepted; please shrink it and "
                 "upload it again.") % {"max": limit}
    return _("The image is too large: %(width)s × %(height)s pixels. At most %(max)s megapixels are accepted; "
             "please shrink it and upload it again.") % {"width": width, "height": height, "max": limit}


def image_size(file) -> tuple[int, int] | None:
    """(width, height) read from the image's header (nothing is decoded), or None when Pillow cannot read it.
    (0, 0) when the image is so large that Pillow refuses even to open it (twice ``Image.MAX_IMAGE_PIXELS``,
    which gongzhi.core sets to the platform's limit)."""
    import warnings

    from PIL import Image

    start = file.tell()
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(file) as img:
                return img.size
    except Image.DecompressionBombError:
        return (0, 0)
    except Exception:  # noqa: BLE001 - anything Pillow cannot read is not an image
        return None
    finally:
        file.seek(start)


def check_image_pixels(file) -> str | None:
    """The user-facing refusal when the image has more pixels than allowed, else None."""
    size = image_size(file)
    if size is None:
        return None
    if size == (0, 0) or size[0] * size[1] > max_image_pixels():
        return too_many_pixels_message(*size)
    return None


MAX_ATTACHMENT = 10 * 1024 * 1024


def validate_attachment(upload) -> FileType:
    """An attachment (a form field validator, and the services' check): at most 10 MB; an image Pillow can read
    (within the pixel limit), a PDF, an xlsx or a docx, judged by the content against the allow-list, never by the
    name. Returns the type found."""
    from django import forms
    from PIL import Image

    if upload.size > MAX_ATTACHMENT:
        raise forms.ValidationError(_("The file is larger than 10 MB."), code="too_large")
    found = sniff(upload)
    if found is not None and found.is_image:
        if refusal := check_image_pixels(upload):
            raise forms.ValidationError(refusal, code="too_many_pixels")
        try:
            upload.seek(0)
            with Image.open(upload) as img:
                img.verify()
        except Exception:  # noqa: BLE001 - anything Pillow cannot read is not an image
            found = None
        upload.seek(0)
    if found is None:
        raise forms.ValidationError(
            _("Only images, PDF, Excel (.xlsx) and Word (.docx) files may be attached."), code="file_type")
    return found


@deconstructible
class RandomName:
    """``upload_to``: ``folder/YYYY/MM/<random>.<ext>``; the extension only if it is on the allow-list."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        return random_name(self.folder, filename)

    def __eq__(self, other):
        return isinstance(other, RandomName) and other.folder == self.folder


def random_name(folder: str, filename: str, when=None) -> str:
    ext = PurePosixPath(filename or "").suffix.lower().lstrip(".")
    ext = "jpg" if ext == "jpeg" else ext
    if ext not in EXTENSIONS:
        ext = "bin"
    return f"{folder}/{(when or timezone.now()):%Y/%m}/{uuid4().hex}.{ext}"


# --- Reading -------------------------------------------------------------------------------------------------

def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SIGNING_SALT)


def signed_url(file, max_age: int | None = None) -> str:
    """A link that opens this one stored file without an account until `max_age` seconds have passed
    (default ``GONGZHI_SIGNED_MEDIA_MAX_AGE``). `file` is a FieldFile or a storage name."""
    name = getattr(file, "name", file)
    age = int(max_age if max_age is not None else settings.GONGZHI_SIGNED_MEDIA_MAX_AGE)
    token = _signer().sign_object({"n": name, "a": age}, compress=True)
    return f"{reverse('media', kwargs={'path': name})}?t={token}"


def _signed_for(token: str, name: str) -> bool:
    signer = _signer()
    try:
        data = signer.unsign_object(token)
        if not isinstance(data, dict) or data.get("n") != name:
            return False
        signer.unsign_object(token, max_age=int(data.get("a", 0)))
    except (signing.BadSignature, ValueError, TypeError):  # SignatureExpired is a BadSignature
        return False
    return True


def owner(user, name: str):
    """The row owning a stored file, as the owning app's selector sees it for this user, or None."""
    for prefix, find in media_owners():
        if name.startswith(prefix):
            return find(user, name)
    return None


def serve(request, path: str):
    name = posixpath.normpath(path)
    if name != path or name.startswith(("/", "..")) or "\\" in name:
        raise Http404
    token = request.GET.get("t")
    row = None
    if token:
        if not _signed_for(token, name):
            raise Http404
    else:
        row = owner(request.user, name)
        if row is None:
            raise Http404
    if not default_storage.exists(name):
        raise Http404
    handle = default_storage.open(name, "rb")
    kind = sniff(handle)
    image = kind is not None and kind.is_image
    download = getattr(row, "download_name", "") or posixpath.basename(name)
    response = FileResponse(handle, as_attachment=not image, filename=download,
                            content_type=kind.content_type if kind else "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
