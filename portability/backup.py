"""Backup files: ``data.json`` alone, or a zip of ``data.json``, ``almanac.json`` and photos.

Writing: ``json_bytes`` is the one JSON serialization (UTF-8, two-space
indent, keys in the format's order), and ``write_zip`` writes a zip whose
members carry fixed timestamps, so the same account gives the same bytes.
Photos go in as stored, uncompressed (they are JPEG, PNG or WebP already).

Reading: ``import_backup`` imports either kind of file for a user;
``open_backup`` takes either kind of file (told apart by content,
not by name) and checks a zip before reading anything from it — member
count, total unpacked size and compression ratio from the central
directory (a zip bomb is refused unopened), and each member is read with a
bound, since a zip's declared sizes are not trusted either. Problems with
the file itself come back as ``Problem("$", …)`` like the document's own.
What a photo holds is checked by the one photo sanitizer
(``timeline.photos``), as for an upload.
"""

from __future__ import annotations

import datetime
import json
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from portability.interchange import export_data, export_extensions, import_data, photo_sources
from portability.interchange_import import ImportReport, PhotoRejected
from portability.interchange_schema import DATA_FILE, EXTENSIONS_FILE, Problem, object_pairs
from timeline import photos

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: the same bytes every time
MAX_MEMBERS = 20_000
MAX_RATIO = 100  # unpacked ÷ packed; photos barely compress and JSON rarely beyond 20
RATIO_FROM = 1024 * 1024  # smaller members may compress as well as they like
MAX_DIGITS = 100  # of a whole number: a database integer has at most 20
MAX_PHOTO_BYTES = photos.MAX_BYTES  # read no further: the photo would be refused anyway


def too_big() -> PhotoRejected:
    return PhotoRejected(
        _("is larger than %(limit)d MB") % {"limit": photos.MAX_BYTES // (1024 * 1024)}
    )


def max_unpacked_bytes() -> int:
    return getattr(settings, "ALMANAC_IMPORT_MAX_UNPACKED_BYTES", 2 * 1024 * 1024 * 1024)


def max_json_bytes() -> int:
    """Of data.json (alone or in a zip) and almanac.json: parsing takes about 7 times as
    much memory, and an account at the row limit holds far less text than this."""
    return getattr(settings, "ALMANAC_IMPORT_MAX_DOCUMENT_BYTES", 50 * 1024 * 1024)


def _too_large(name: str | None) -> str:
    """Why a JSON file (``name`` in a zip, else the file itself) is not read."""
    limit = f"{max_json_bytes() / (1024 * 1024):g}"
    if name is None:
        return _("The file is larger than %(limit)s MB.") % {"limit": limit}
    return _("%(name)s is larger than %(limit)s MB.") % {"name": name, "limit": limit}


def json_bytes(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _member(name: str, compress: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = compress
    info.external_attr = 0o644 << 16
    return info


def write_zip(user, out: IO[bytes], *, public_only: bool = False) -> None:
    """data.json, almanac.json (when there is anything for it) and every photo data.json names."""
    data = export_data(user, public_only=public_only)
    extensions = export_extensions(user, public_only=public_only)
    named = {photo["file"] for entry in data["timeline"] for photo in entry["photos"]}
    named |= {photo["file"] for photo in (extensions or {}).get("photos", [])}
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(_member(DATA_FILE, zipfile.ZIP_DEFLATED), json_bytes(data))
        if extensions is not None:
            archive.writestr(
                _member(EXTENSIONS_FILE, zipfile.ZIP_DEFLATED), json_bytes(extensions)
            )
        for name, photo in photo_sources(user, public_only=public_only):
            if name in named:
                with photo.image.open("rb") as handle:
                    archive.writestr(_member(name, zipfile.ZIP_STORED), handle.read())


def is_zip(head: bytes) -> bool:
    return head[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def parse_json(raw: bytes, name: str = DATA_FILE) -> tuple[Any, list[Problem]]:
    """The JSON value of ``raw`` (UTF-8, a BOM allowed), or a problem saying why not."""
    where = "$" if name == DATA_FILE else f"{name}:$"
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, [Problem(where, _("the file is not UTF-8 text"))]

    def no_constant(value: str) -> Any:
        raise ValueError(_("%(value)s is not allowed in JSON") % {"value": value})

    def whole_number(value: str) -> int:
        # Python refuses over 4,300 digits with advice about sys.set_int_max_str_digits();
        # no value of a backup comes near this limit, so it is refused in plain words.
        digits = len(value.lstrip("-"))
        if digits > MAX_DIGITS:
            raise ValueError(
                _("a number has %(count)d digits, and Almanac reads at most %(limit)d")
                % {"count": digits, "limit": MAX_DIGITS}
            )
        return int(value)

    try:
        data = json.loads(
            text,
            object_pairs_hook=object_pairs,
            parse_constant=no_constant,
            parse_int=whole_number,
        )
        return data, []
    except json.JSONDecodeError as error:
        message = _("not valid JSON: %(error)s (line %(line)d, column %(column)d)") % {
            "error": error.msg,
            "line": error.lineno,
            "column": error.colno,
        }
        return None, [Problem(where, message)]
    except ValueError as error:
        return None, [Problem(where, _("not valid JSON: %(error)s") % {"error": error})]
    except RecursionError:
        return None, [Problem(where, _("not valid JSON: nested too deeply"))]


class ZipPhotos(Mapping):
    """The zip's files by their name relative to data.json; each read with a bound."""

    def __init__(self, archive: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo]):
        self.archive = archive
        self.infos = infos

    def __getitem__(self, name: str) -> bytes:
        info = self.infos[name]
        if info.file_size > MAX_PHOTO_BYTES:
            raise too_big()
        try:
            with self.archive.open(info) as handle:
                data = handle.read(MAX_PHOTO_BYTES + 1)
        except (
            zipfile.BadZipFile,
            OSError,
            EOFError,
            ValueError,
            NotImplementedError,
            RuntimeError,
        ):
            raise PhotoRejected(_("could not be read from the zip file")) from None
        if len(data) > MAX_PHOTO_BYTES:
            raise too_big()
        return data

    def __contains__(self, name: object) -> bool:
        return name in self.infos  # Mapping's own would read the member

    def __iter__(self) -> Iterator[str]:
        return iter(self.infos)

    def __len__(self) -> int:
        return len(self.infos)


@dataclass
class Backup:
    data: Any = None
    extensions: Any = None
    photos: Mapping[str, bytes] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    is_zip: bool = False


def _refuse(message: str) -> Backup:
    return Backup(problems=[Problem("$", message)], is_zip=True)


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    """The member's bytes, at most one more than the JSON limit; None when unreadable."""
    try:
        with archive.open(info) as handle:
            return handle.read(max_json_bytes() + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
        return None


def _check_zip(infos: list[zipfile.ZipInfo]) -> str | None:
    """Why the zip must not be opened, from its central directory alone; None when fine."""
    if len(infos) > MAX_MEMBERS:
        return _("The zip file holds %(count)d files; a backup can hold at most %(limit)d.") % {
            "count": len(infos),
            "limit": MAX_MEMBERS,
        }
    total = sum(info.file_size for info in infos)
    if total > max_unpacked_bytes():
        return _(
            "The zip file would unpack to %(size)d MB; a backup can be at most %(limit)d MB."
        ) % {
            "size": total // (1024 * 1024),
            "limit": max_unpacked_bytes() // (1024 * 1024),
        }
    for info in infos:
        if info.flag_bits & 0x1:
            return _("The zip file is encrypted; export an unencrypted backup.")
    # The JSON files are read with their own bound (max_json_bytes), and text as
    # repetitive as some accounts hold packs far better than 100 : 1: no ratio for them.
    infos = [info for info in infos if not _is_json_member(info.filename)]
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos)
    for info in infos:
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * info.compress_size:
            return _(
                "“%(name)s” in the zip file unpacks to %(ratio)d times its packed size:"
                " this looks like a zip bomb, and nothing was read from it."
            ) % {"name": info.filename[:80], "ratio": info.file_size // max(info.compress_size, 1)}
    if total > RATIO_FROM and total > MAX_RATIO * packed:
        return _(
            "The zip file unpacks to %(ratio)d times its size: this looks like a zip bomb."
        ) % {"ratio": total // max(packed, 1)}
    return None


def _is_json_member(name: str) -> bool:
    """data.json or almanac.json, at the top or in the one folder _root accepts."""
    parts = name.split("/")
    return len(parts) <= 2 and parts[-1] in (DATA_FILE, EXTENSIONS_FILE)


def _root(names: list[str]) -> str | None:
    """The folder holding data.json: the top, or the only folder one level down."""
    if DATA_FILE in names:
        return ""
    nested = [n for n in names if n.count("/") == 1 and n.endswith("/" + DATA_FILE)]
    return nested[0][: -len(DATA_FILE)] if len(nested) == 1 else None


@contextmanager
def open_backup(source: Path | IO[bytes]) -> Iterator[Backup]:
    """A JSON file or a zip backup, read and checked (photos are read when asked for)."""
    handle = open(source, "rb") if isinstance(source, (str, Path)) else source  # noqa: SIM115
    try:
        head = handle.read(4)
        handle.seek(0)
        if not is_zip(head):
            raw = handle.read(max_json_bytes() + 1)
            if len(raw) > max_json_bytes():
                yield _refuse(_too_large(None))
                return
            data, problems = parse_json(raw)
            yield Backup(data=data, problems=problems)
            return
        try:
            archive = zipfile.ZipFile(handle)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            yield _refuse(_("The file looks like a zip file but cannot be read as one."))
            return
        with archive:
            yield _read_zip(archive)
    finally:
        if handle is not source:
            handle.close()


def _read_zip(archive: zipfile.ZipFile) -> Backup:
    infos = [info for info in archive.infolist() if not info.is_dir()]
    refusal = _check_zip(infos)
    if refusal:
        return _refuse(refusal)
    root = _root([info.filename for info in infos])
    if root is None:
        return _refuse(_("The zip file has no data.json at its top."))
    members = {
        info.filename[len(root) :]: info for info in infos if info.filename.startswith(root)
    }
    data_info = members.pop(DATA_FILE)
    if data_info.file_size > max_json_bytes():
        return _refuse(_too_large(DATA_FILE))
    raw = _read_member(archive, data_info)
    if raw is None:
        return _refuse(_("data.json could not be read from the zip file."))
    if len(raw) > max_json_bytes():  # its declared size was a lie
        return _refuse(_too_large(DATA_FILE))
    data, problems = parse_json(raw)
    extensions = None
    ext_info = members.pop(EXTENSIONS_FILE, None)
    if ext_info is not None and not problems:
        if ext_info.file_size > max_json_bytes():
            return _refuse(_too_large(EXTENSIONS_FILE))
        raw = _read_member(archive, ext_info)
        if raw is None:
            return _refuse(_("almanac.json could not be read from the zip file."))
        if len(raw) > max_json_bytes():
            return _refuse(_too_large(EXTENSIONS_FILE))
        extensions, problems = parse_json(raw, EXTENSIONS_FILE)
    return Backup(
        data=data,
        extensions=extensions,
        photos=ZipPhotos(archive, members),
        problems=problems,
        is_zip=True,
    )


def import_backup(
    user,
    source: Path | IO[bytes],
    *,
    without_photos: bool = False,
    preview: bool = False,
    decode_photos: bool = True,
) -> ImportReport:
    """Import a JSON file or a zip backup: all of it checked, then written in one transaction.

    ``source`` is a path or a binary file. The report lists every problem
    (nothing written then), or what was added and skipped; with ``preview``
    nothing is written either way (and without ``decode_photos``, only the
    photos' headers are read).
    """
    with open_backup(source) as backup:
        if backup.problems:
            return ImportReport(problems=backup.problems, preview=preview)
        return import_data(
            user,
            backup.data,
            backup.photos,
            extensions=backup.extensions,
            without_photos=without_photos,
            preview=preview,
            decode_photos=decode_photos,
        )


def export_name(user, extension: str, *, public_only: bool = False) -> str:
    """almanac-alice-2025-12-31.zip (or -public): the download's file name."""
    suffix = "-public" if public_only else ""
    return f"almanac-{user.get_username()}-{datetime.date.today():%Y-%m-%d}{suffix}.{extension}"
