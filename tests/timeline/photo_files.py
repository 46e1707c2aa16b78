"""Image files made in the tests: GPS-tagged JPEGs, a PNG lying about its size, and so on."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import ExifTags, Image

LATITUDE = (31.0, 14.0, 5.0)  # Shanghai: what must never leave the server


def gps_exif(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Secret Model 9"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = LATITUDE
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (121.0, 28.0, 0.0)
    return exif


def jpeg(size=(40, 30), color="teal", *, exif: Image.Exif | None = None, **options) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, color)
    image.save(out, "JPEG", exif=exif if exif is not None else b"", **options)
    return out.getvalue()


def gps_jpeg(size=(40, 30), orientation: int | None = None) -> bytes:
    """A JPEG carrying GPS EXIF, a camera model, an XMP packet and a comment."""
    data = jpeg(
        size,
        exif=gps_exif(orientation),
        comment=b"secret comment",
        xmp=b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>secret xmp</x:xmpmeta>",
    )
    assert has_gps(data)  # the test input really carries what must be removed
    return data


def has_gps(data: bytes) -> bool:
    image = Image.open(io.BytesIO(data))
    return bool(image.getexif().get_ifd(ExifTags.IFD.GPSInfo))


def metadata_left(data: bytes) -> list[str]:
    """What of the original's metadata a file still carries (empty when clean)."""
    image = Image.open(io.BytesIO(data))
    found = [
        key
        for key in ("exif", "xmp", "XML:com.adobe.xmp", "comment", "icc_profile")
        if image.info.get(key)
    ]
    if image.getexif():
        found.append("getexif")
    for marker in (b"Exif\x00\x00", b"secret", b"PhoneMaker", b"xmpmeta"):
        if marker in data:
            found.append(marker.decode("latin-1"))
    return found


def png(size=(20, 10), mode="RGB", color="orange", **options) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, "PNG", **options)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A real small PNG whose IHDR says it is width x height (with a valid CRC)."""
    data = bytearray(png((10, 10)))
    assert data[12:16] == b"IHDR"
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def noisy_jpeg(size=(300, 200)) -> bytes:
    out = io.BytesIO()
    Image.effect_noise(size, 64).convert("RGB").save(out, "JPEG", quality=95)
    return out.getvalue()


def truncated_jpeg() -> bytes:
    data = noisy_jpeg()
    return data[: len(data) // 2]


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (10, 10)).save(out, "GIF")
    return out.getvalue()


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<script>alert(1)</script><rect width="10" height="10"/></svg>'
)
