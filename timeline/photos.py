"""Photos on timeline entries: turn an upload into clean images, and keep their order.

An upload is trusted for nothing. Its type is decided by decoding it with Pillow
(JPEG, PNG or WebP only; never by its name or declared content type); its byte size
is checked before it is read and its pixel count from the header before the pixels
are decoded. The stored images are re-encoded from pixels alone, so no EXIF (GPS,
camera serial numbers), XMP, ICC profile or comment of the original survives; colour
profiles are converted to sRGB first so that phone photos (often Display P3) keep
their colours.

Output format: JPEG (quality 85) for everything opaque, which is almost every photo.
Images that really use transparency (a logo, a cut-out screenshot) are stored as
WebP (quality 90): it keeps the alpha channel at a fraction of PNG's size, and every
current browser shows it.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import ProhibitNullCharactersValidator
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from timeline.models import Entry, Photo

try:
    from PIL import ImageCms

    _SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
except (ImportError, OSError):  # Pillow built without LittleCMS: colours stay as they are
    ImageCms = None
    _SRGB = None

logger = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
DISPLAY_SIZE = 2048  # longest side of the stored image, in pixels
THUMB_SIZE = 480  # longest side of the thumbnail
JPEG_QUALITY = 85
WEBP_QUALITY = 90
FORMATS = ["JPEG", "PNG", "WEBP"]

CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


class PhotoError(Exception):
    """An upload that cannot become a photo; ``message`` is shown to the user as is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ProcessedPhoto:
    display: bytes
    thumbnail: bytes
    extension: str  # "jpg" or "webp"
    width: int  # of the display image
    height: int

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.extension]


def process_upload(uploaded_file) -> ProcessedPhoto:
    """Decode, check, orient and re-encode one uploaded file, or raise PhotoError."""
    name = _display_name(uploaded_file)
    data = _read_bounded(uploaded_file, name)
    image = _open(data, name)
    _refuse_markup(data, name)
    try:
        image = _decode(image)
    except PhotoError:
        raise
    # Pillow's decoders raise many exception types on hostile or damaged input
    # (OSError, SyntaxError, ValueError, struct.error, ...): each means "unreadable".
    except Exception:
        logger.info("Unreadable photo upload", exc_info=True)
        raise PhotoError(
            _("“%(name)s” could not be read: the file is damaged or incomplete.") % {"name": name}
        ) from None
    image.thumbnail((DISPLAY_SIZE, DISPLAY_SIZE), Image.Resampling.LANCZOS, reducing_gap=3.0)
    thumb = image.copy()
    thumb.thumbnail((THUMB_SIZE, THUMB_SIZE), Image.Resampling.LANCZOS, reducing_gap=3.0)
    extension = "webp" if image.mode == "RGBA" else "jpg"
    return ProcessedPhoto(
        display=_encode(image, extension),
        thumbnail=_encode(thumb, extension),
        extension=extension,
        width=image.width,
        height=image.height,
    )


def pixel_count(uploaded_file) -> int:
    """Width × height from the header alone, nothing decoded; PhotoError for a file that
    process_upload would refuse before decoding (too big, not an image, too many pixels).

    An import adds up its photos' pixels with this before it decodes any of them.
    """
    name = _display_name(uploaded_file)
    data = _read_bounded(uploaded_file, name)
    image = _open(data, name)
    _refuse_markup(data, name)
    width, height = image.size
    return width * height


def _display_name(uploaded_file) -> str:
    name = str(getattr(uploaded_file, "name", "") or _("photo"))
    return name if len(name) <= 80 else f"{name[:77]}…"


def _read_bounded(uploaded_file, name: str) -> bytes:
    """The file's bytes, refusing a file over MAX_BYTES without reading all of it."""
    too_big = PhotoError(
        _("“%(name)s” is larger than %(limit)d MB. Choose a smaller photo.")
        % {"name": name, "limit": MAX_BYTES // (1024 * 1024)}
    )
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > MAX_BYTES:
        raise too_big
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    data = uploaded_file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise too_big
    if not data:
        raise PhotoError(_("“%(name)s” is empty.") % {"name": name})
    return data


# Markup inside an image file makes it a polyglot: harmless once re-encoded, but
# no camera writes it, so it is refused rather than silently cleaned.
_MARKUP = re.compile(rb"<\s*(script|html|body|svg|iframe|!doctype|\?xml)\b", re.IGNORECASE)


def _refuse_markup(data: bytes, name: str) -> None:
    if _MARKUP.search(data):
        raise PhotoError(
            _("“%(name)s” contains web page code as well as an image; it was not accepted.")
            % {"name": name}
        )


def _too_many_pixels(name: str) -> PhotoError:
    return PhotoError(
        _("“%(name)s” has too many pixels: photos can have at most %(limit)d megapixels.")
        % {"name": name, "limit": MAX_PIXELS // 1_000_000}
    )


def _open(data: bytes, name: str) -> Image.Image:
    """Read the header only (Pillow is lazy) and check the pixel count before any decoding."""
    not_an_image = PhotoError(_("“%(name)s” is not a JPEG, PNG or WebP image.") % {"name": name})
    # Our own MAX_PIXELS check below is the defence; Pillow's bomb warning is made an
    # error here too so that it can never merely warn and carry on.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=FORMATS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels(name) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, TypeError):
            raise not_an_image from None
    width, height = image.size
    if width < 1 or height < 1:
        raise not_an_image
    if width * height > MAX_PIXELS:
        raise _too_many_pixels(name)
    return image


def _decode(image: Image.Image) -> Image.Image:
    """Pixels upright, in sRGB, as RGB or (when transparency is really used) RGBA."""
    if image.format in ("JPEG", "MPO"):
        # Let libjpeg scale down while decoding: a 40 MP photo needs far less memory.
        image.draft("RGB", (DISPLAY_SIZE, DISPLAY_SIZE))
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image.load()
    image = ImageOps.exif_transpose(image)  # keeps .info (the ICC profile) for below

    if image.mode.startswith("I"):  # 16-bit greyscale PNG: scale, don't clip to white
        image = image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    target = "RGB"
    if image.has_transparency_data:
        image = image.convert("RGBA")
        if image.getchannel("A").getextrema()[0] < 255:
            target = "RGBA"
    if image.mode not in (target, "CMYK", "L"):
        image = image.convert(target)
    return _to_srgb(image, target)


def _to_srgb(image: Image.Image, mode: str) -> Image.Image:
    icc = image.info.get("icc_profile")
    if icc and ImageCms is not None:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            return ImageCms.profileToProfile(image, source, _SRGB, outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # a broken or unusual profile: keep the numbers as they are
    return image.convert(mode)


def _encode(image: Image.Image, extension: str) -> bytes:
    # A fresh image from the pixels alone: nothing of the original's metadata can follow.
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    out = io.BytesIO()
    if extension == "jpg":
        clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, comment=b"")
    else:
        clean.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
    return out.getvalue()


# Storing and arranging an entry's photos


def add_photos(entry: Entry, processed: list[ProcessedPhoto]) -> list[Photo]:
    """Store processed photos at the end of the entry's photos, all or none."""
    written: list[str] = []
    photos = []
    try:
        with transaction.atomic():
            last = entry.photos.aggregate(last=Max("position"))["last"]
            position = 0 if last is None else last + 1
            for offset, item in enumerate(processed):
                photo = Photo(owner=entry.owner, entry=entry, position=position + offset)
                photos.append(_store(photo, item, written))
    except BaseException:
        _remove(written)
        raise
    return photos


def place_in_year(owner, year: int, item: ProcessedPhoto) -> Photo:
    """Store a processed photo placed straight into the document of ``year``."""
    written: list[str] = []
    try:
        return _store(Photo(owner=owner, year=year), item, written)
    except BaseException:
        _remove(written)
        raise


def _store(photo: Photo, item: ProcessedPhoto, written: list[str]) -> Photo:
    """Write the files, then the row; ``written`` collects the names to remove on failure."""
    photo.image.save(f"photo.{item.extension}", ContentFile(item.display), save=False)
    written.append(photo.image.name)
    photo.thumbnail.save(f"thumb.{item.extension}", ContentFile(item.thumbnail), save=False)
    written.append(photo.thumbnail.name)
    photo.width, photo.height = item.width, item.height
    photo.save()
    return photo


def _remove(names: list[str]) -> None:
    storage = Photo.image.field.storage
    for name in names:
        storage.delete(name)


def set_caption(photo: Photo, caption: str) -> None:
    caption = " ".join(caption.split())
    try:
        # As every form field does: a NUL cannot be stored everywhere, nor restored from a
        # backup. (A lone surrogate cannot arrive: a request is decoded from UTF-8.)
        ProhibitNullCharactersValidator()(caption)
    except ValidationError as error:
        raise PhotoError(error.messages[0]) from None
    limit = Photo._meta.get_field("caption").max_length
    if len(caption) > limit:
        raise PhotoError(
            _("A caption can have at most %(limit)d characters; this one has %(count)d.")
            % {"limit": limit, "count": len(caption)}
        )
    photo.caption = caption
    photo.save(update_fields=["caption", "updated"])


def reorder(entry: Entry, ordered_ids: list[int]) -> None:
    """Put the entry's photos in the given order; the ids must be exactly its photos."""
    photos = {photo.pk: photo for photo in entry.photos.all()}
    if sorted(ordered_ids) != sorted(photos):
        raise PhotoError(
            _("The new order does not match this entry's photos. Reload the page and try again.")
        )
    _renumber([photos[pk] for pk in ordered_ids])


def move(photo: Photo, direction: str) -> None:
    """Swap a photo with its neighbour ("up" is earlier, "down" later)."""
    if direction not in ("up", "down"):
        raise PhotoError(_("A photo can only move up or down."))
    photos = list(Photo.objects.filter(entry_id=photo.entry_id, owner_id=photo.owner_id))
    index = next(i for i, other in enumerate(photos) if other.pk == photo.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(photos):
        photos[index], photos[other] = photos[other], photos[index]
    _renumber(photos)


def _renumber(photos: list[Photo]) -> None:
    changed = []
    for position, photo in enumerate(photos):
        if photo.position != position:
            photo.position = position
            changed.append(photo)
    # Photo has no Markdown fields, so bulk_update skips nothing that save() would do.
    Photo.objects.bulk_update(changed, ["position"])


def delete(photo: Photo) -> None:
    """Delete the row, then its files once the deletion is committed."""
    names = [name for name in (photo.image.name, photo.thumbnail.name) if name]
    storage = Photo.image.field.storage
    photo.delete()

    def remove_files() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(remove_files)
