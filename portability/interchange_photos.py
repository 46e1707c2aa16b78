"""Photos arriving in an import: checked, kept byte for byte when clean, else re-encoded.

A photo in a backup is trusted for nothing. It must be at most MAX_BYTES, decode as a
JPEG, PNG or WebP image (decided by Pillow from its content, never by its name), and
have at most MAX_PIXELS, counted from the header before any pixel is decoded.

An image that is already clean — one frame, at most DISPLAY_SIZE pixels on its long
side, no EXIF, XMP, ICC profile, comment, text chunk or bytes after its end — is kept
exactly as it came, so that an Almanac backup imported again gives the same bytes on
the next export. Anything else is re-encoded from its pixels alone (upright, sRGB,
shrunk to DISPLAY_SIZE) as a JPEG, or as a WebP when it really uses transparency.

This module is the import's own copy of the upload rules of ``timeline.photos``;
it is self-contained so that the two can evolve without breaking each other.
"""

from __future__ import annotations

import io
import re
import struct
import warnings
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

try:
    from PIL import ImageCms

    _SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
except (ImportError, OSError):  # Pillow without LittleCMS: colours stay as they are
    ImageCms = None
    _SRGB = None

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
DISPLAY_SIZE = 2048
THUMB_SIZE = 480
JPEG_QUALITY = 85
WEBP_QUALITY = 90
FORMATS = ["JPEG", "PNG", "WEBP"]
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}

# What Pillow reports in ``info`` for an image that carries nothing but pixels.
_HARMLESS_INFO = {
    "JPEG": {"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi", "progressive",
             "progression"},
    "PNG": {"dpi", "gamma", "srgb", "chromaticity", "aspect", "transparency"},
    "WEBP": {"loop", "background", "timestamp", "duration"},
}  # fmt: skip
_MODES = {"JPEG": {"RGB", "L"}, "PNG": {"RGB", "RGBA", "L", "LA", "P"}, "WEBP": {"RGB", "RGBA"}}
# Markup inside an image makes it a polyglot; no camera writes it.
_MARKUP = re.compile(rb"<\s*(script|html|body|svg|iframe|!doctype|\?xml)\b", re.IGNORECASE)


class PhotoRejected(Exception):
    """A file that cannot become a photo; ``message`` says why, for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PreparedPhoto:
    image: bytes
    extension: str  # of the stored image: "jpg", "png" or "webp"
    thumbnail: bytes
    thumbnail_extension: str
    width: int
    height: int
    kept: bool  # True when ``image`` is the file exactly as it came


def too_big() -> PhotoRejected:
    return PhotoRejected(_("is larger than %(limit)d MB") % {"limit": MAX_BYTES // (1024 * 1024)})


def prepare(data: bytes) -> PreparedPhoto:
    """Check one photo file and make what is stored from it, or raise PhotoRejected."""
    if len(data) > MAX_BYTES:
        raise too_big()
    if not data:
        raise PhotoRejected(_("is empty"))
    image = _open(data)
    if _MARKUP.search(data):
        raise PhotoRejected(_("contains web page code as well as an image"))
    clean = _is_clean(image, data)
    try:
        if clean:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                image.load()  # the whole file must decode, not only its header
            pixels = image
        else:
            pixels = _decode(image)
    except PhotoRejected:
        raise
    # Pillow's decoders raise many exception types on damaged or hostile input.
    except Exception:
        raise PhotoRejected(_("could not be read: the file is damaged or incomplete")) from None
    if clean:
        stored, extension, width, height = data, EXTENSIONS[image.format], *image.size
        pixels = _normalised(pixels)
    else:
        pixels.thumbnail((DISPLAY_SIZE, DISPLAY_SIZE), Image.Resampling.LANCZOS, reducing_gap=3.0)
        extension = "webp" if pixels.mode == "RGBA" else "jpg"
        stored, width, height = _encode(pixels, extension), pixels.width, pixels.height
    thumb = pixels.copy()
    thumb.thumbnail((THUMB_SIZE, THUMB_SIZE), Image.Resampling.LANCZOS, reducing_gap=3.0)
    thumb_extension = "webp" if thumb.mode == "RGBA" else "jpg"
    return PreparedPhoto(
        image=stored,
        extension=extension,
        thumbnail=_encode(thumb, thumb_extension),
        thumbnail_extension=thumb_extension,
        width=width,
        height=height,
        kept=clean,
    )


def _open(data: bytes) -> Image.Image:
    """The image with only its header read, its pixel count checked."""
    not_an_image = PhotoRejected(_("is not a JPEG, PNG or WebP image"))
    too_many = PhotoRejected(
        _("has too many pixels: at most %(limit)d megapixels") % {"limit": MAX_PIXELS // 1_000_000}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=FORMATS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_many from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, TypeError):
            raise not_an_image from None
    width, height = image.size
    if width < 1 or height < 1:
        raise not_an_image
    if width * height > MAX_PIXELS:
        raise too_many
    return image


def _is_clean(image: Image.Image, data: bytes) -> bool:
    """True when storing the file as it is would keep nothing but its pixels."""
    fmt = image.format
    if fmt not in _HARMLESS_INFO or image.mode not in _MODES[fmt]:
        return False
    if max(image.size) > DISPLAY_SIZE or getattr(image, "n_frames", 1) != 1:
        return False
    if set(image.info) - _HARMLESS_INFO[fmt]:
        return False
    if fmt == "JPEG":
        markers_ok = all(
            marker == "APP0" and body.startswith(b"JFIF\x00")
            for marker, body in getattr(image, "applist", [])
        )
        return markers_ok and data.endswith(b"\xff\xd9")
    if fmt == "PNG":
        return not getattr(image, "text", None) and data.endswith(b"IEND\xaeB`\x82")
    # WebP: a RIFF container whose declared size is exactly the file.
    return len(data) >= 12 and struct.unpack("<I", data[4:8])[0] + 8 == len(data)


def _decode(image: Image.Image) -> Image.Image:
    """Pixels upright, in sRGB, as RGB or (when transparency is really used) RGBA."""
    if image.format in ("JPEG", "MPO"):
        image.draft("RGB", (DISPLAY_SIZE, DISPLAY_SIZE))  # scale while decoding
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image.load()
    image = ImageOps.exif_transpose(image)
    if image.mode.startswith("I"):  # 16-bit greyscale: scale, don't clip to white
        image = image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    target = "RGB"
    if image.has_transparency_data:
        image = image.convert("RGBA")
        if image.getchannel("A").getextrema()[0] < 255:
            target = "RGBA"
    icc = image.info.get("icc_profile")
    if icc and ImageCms is not None:
        if image.mode not in (target, "CMYK", "L"):
            image = image.convert(target)
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            return ImageCms.profileToProfile(image, source, _SRGB, outputMode=target)
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # a broken or unusual profile: keep the numbers as they are
    return image.convert(target)


def _normalised(image: Image.Image) -> Image.Image:
    """A kept image's pixels as RGB or RGBA, for its thumbnail."""
    if image.mode.startswith("I"):
        image = image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    if image.has_transparency_data:
        image = image.convert("RGBA")
        if image.getchannel("A").getextrema()[0] == 255:
            image = image.convert("RGB")
        return image
    return image.convert("RGB")


def _encode(image: Image.Image, extension: str) -> bytes:
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    out = io.BytesIO()
    if extension == "jpg":
        clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, comment=b"")
    else:
        clean.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
    return out.getvalue()
