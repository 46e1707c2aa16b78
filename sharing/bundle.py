"""export.zip: a year's post as a Hugo/Jekyll page bundle.

The zip holds ``index.md`` and, next to it, each photo the post links, at
the relative path the post uses (``photos/<key>.<ext>``): unzipped into
``content/posts/2020/`` it is a leaf bundle Hugo publishes as it is, and a
Jekyll post folder. A photo whose file is gone is left out of the zip
rather than failing the whole download.
"""

from __future__ import annotations

import zipfile
from typing import BinaryIO

from sharing.markdown_export import bundle_path
from timeline.models import Photo


def write(handle: BinaryIO, text: str, photos: list[Photo]) -> None:
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.md", text)
        for photo in photos:
            try:
                source = photo.image.open("rb")
            except (FileNotFoundError, ValueError):
                continue
            # JPEGs are compressed already: stored, not deflated again.
            info = zipfile.ZipInfo(bundle_path(photo), date_time=photo.created.timetuple()[:6])
            info.compress_type = zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            with source, archive.open(info, "w") as target:
                while chunk := source.read(1024 * 1024):
                    target.write(chunk)
