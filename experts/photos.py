"""Profile photos: validated with Pillow, re-encoded, metadata stripped, stored outside MEDIA_ROOT.

A photo can be visible to approved experts only, so it is never a public media file:
the profile's photo view checks visibility and streams it. Every upload is decoded and
written again as a small JPEG; nothing the browser sent (EXIF GPS position, comments,
ICC profile, trailing bytes, a second image) survives.
"""

from __future__ import annotations

import io
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
STORED_SIZE = (512, 512)  # the largest the profile page shows, at twice its CSS size


class PhotoStorage(FileSystemStorage):
    """The photo directory is read from settings on every use, so tests can move it."""

    @property
    def base_location(self):
        return settings.EXPERTS_PHOTO_DIR

    @property
    def location(self):
        return str(settings.EXPERTS_PHOTO_DIR)


def photo_storage() -> PhotoStorage:
    return PhotoStorage()


def photo_file_name(instance, filename: str) -> str:
    # Never the uploaded name: it may carry a person's name, and the URL shows the file's.
    return f"{uuid.uuid4().hex}.jpg"


def clean_photo(upload) -> ContentFile:
    """The upload re-encoded as a JPEG, or ValidationError with a sentence saying what is wrong."""
    if upload.size > settings.EXPERTS_PHOTO_MAX_BYTES:
        raise ValidationError(
            f"The photo is {upload.size / 1_048_576:.1f} MB; the limit is "
            f"{settings.EXPERTS_PHOTO_MAX_BYTES / 1_048_576:.0f} MB.",
            code="photo_too_large",
        )
    data = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind = probe.format
                width, height = probe.size
                if kind not in ACCEPTED_FORMATS:
                    raise ValidationError(_not_a_photo(), code="photo_type")
                # Decide on the header's size before decoding a single pixel.
                if width * height > settings.EXPERTS_PHOTO_MAX_PIXELS:
                    raise ValidationError(
                        f"The photo is {width} × {height} pixels; at most "
                        f"{settings.EXPERTS_PHOTO_MAX_PIXELS // 1_000_000} megapixels are accepted.",
                        code="photo_too_many_pixels",
                    )
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
                image = image.convert("RGB")
                image.thumbnail(STORED_SIZE)
                out = io.BytesIO()
                image.save(out, format="JPEG", quality=85, optimize=True)
    except ValidationError:
        raise
    except UnidentifiedImageError:
        raise ValidationError(_not_a_photo(), code="photo_type") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            "The photo claims too many pixels to be opened safely; please upload a smaller one.",
            code="photo_too_many_pixels",
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        # Truncated or corrupt files fail while decoding, with any of these.
        raise ValidationError(
            "The photo could not be read: the file looks damaged or incomplete. Please export it again.",
            code="photo_damaged",
        ) from None
    return ContentFile(out.getvalue(), name="photo.jpg")


def _not_a_photo() -> str:
    return f"Upload a photo as {', '.join(ACCEPTED_FORMATS.values())}; this file is not one of those."
