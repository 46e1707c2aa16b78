"""Rendered pages kept in the cache, keyed by their owner's data version.

Every owner has a *data version*: a random token in the cache that changes
whenever any of their rows is written. Writes are caught centrally, not per
view: a ``post_save`` / ``m2m_changed`` receiver for every ``Owned`` model
(see ``core.apps``), and ``Owned.delete`` and the ``OwnedQuerySet`` methods
that write without ``save()`` (``update``, ``delete``, ``bulk_create``, and
``bulk_update`` through ``update``). A model added later is covered by being
``Owned``; nothing lists the models.

A cached page is stored under a key made of the owner's version, the reader,
the language, the host, the full path with its query, the htmx headers and
today's date (pages say "this year" and show progress "by today"). A new
version makes every older key unreachable: nothing is deleted, old entries
expire. Versions are random, never counters, so a version lost from the cache
(culled, or a cache cleared) becomes a new one and cannot meet an old page.

Inside a transaction a write bumps the version at once and again on commit.
With the database cache (the default) the first bump commits with the data;
with a cache outside the database, the second one removes any page that a
concurrent request built from data read before the commit. Several writes of
one transaction bump once, unless this connection read the version between
them (a test that writes, looks, writes again); what was bumped is kept with
the transaction's on-commit callbacks, so it ends with the transaction, and a
savepoint rolled back takes its bumps with it.

The CSRF token is the only per-request part of these pages: it is replaced by
a placeholder before storing and a freshly masked token on the way out. A page
with a message to show or anything else that belongs to one request is not
cached (the views decide, see ``cached_page``'s ``cacheable``).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
import zlib
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

VERSION_KEY = "almanac:data-version:{}"
PAGE_KEY = "almanac:page:{}"
# Pages of a version no longer current are unreachable; they leave the cache after this.
PAGE_SECONDS = 24 * 3600
# A Unicode noncharacter: a rendered page that already holds one is never cached.
CSRF_PLACEHOLDER = "\ufdd0csrf\ufdd0"
CSRF_TOKEN = re.compile(
    r'(?:name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")([A-Za-z0-9]{64})"'
)
# Response headers a view sets that come back with the cached body.
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Cache-Control", "Content-Language")


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE", True)


def _versions():
    """Where versions live: the cache every process shares (the database by default)."""
    return caches["default"]


def _local():
    return caches["pages-local"]


def _shared():
    """Where rendered pages are shared between processes, if anywhere (``PAGE_CACHE_SHARED``).

    By default each process keeps its own copies: a miss costs one render per
    process, and storing a page in the database cache would cost more queries
    than serving it saves on a typical page.
    """
    alias = getattr(settings, "PAGE_CACHE_SHARED", None)
    return caches[alias] if alias else None


# Versions


def version(owner_id: int) -> str:
    """The owner's current data version (made on first use)."""
    for scheduled in _scheduled(owner_id):
        scheduled.unread = False  # a write after this read must bump again
    key = VERSION_KEY.format(owner_id)
    cache = _versions()
    current = cache.get(key)
    if current is None:
        cache.add(key, secrets.token_hex(8), None)
        current = cache.get(key)
    return current


class _Bump:
    """An on-commit bump of one owner's version, registered with the bump it repeats.

    Django keeps these per transaction and drops those of a savepoint rolled
    back, with the cache write made inside it: so "bumped in this transaction
    and not read since" is exactly an ``unread`` one still registered.
    """

    def __init__(self, owner_id: int) -> None:
        self.owner_id = owner_id
        self.unread = True

    def __call__(self) -> None:
        _new_version(self.owner_id)


def bump(owner_id: int | None) -> None:
    """Make every cached page of ``owner_id`` stale: their data is being written."""
    if owner_id is None:
        return
    if not connections[DEFAULT_DB_ALIAS].in_atomic_block:
        _new_version(owner_id)
        return
    if any(scheduled.unread for scheduled in _scheduled(owner_id)):
        return  # already bumped in this transaction, and nobody has read it since
    _new_version(owner_id)
    transaction.on_commit(_Bump(owner_id), robust=True)


def bump_many(owner_ids) -> None:
    for owner_id in set(owner_ids):
        bump(owner_id)


def _new_version(owner_id: int) -> None:
    _versions().set(VERSION_KEY.format(owner_id), secrets.token_hex(8), None)


def _scheduled(owner_id: int) -> list[_Bump]:
    connection = connections[DEFAULT_DB_ALIAS]
    return [
        func
        for _savepoints, func, _robust in connection.run_on_commit
        if isinstance(func, _Bump) and func.owner_id == owner_id
    ]


# Pages


def page_key(request: HttpRequest, owner_id: int, extra: str = "") -> str:
    viewer = getattr(request.user, "pk", None) if hasattr(request, "user") else None
    parts = [
        version(owner_id),
        str(owner_id),
        str(viewer),
        translation.get_language() or "",
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-Target", ""),
        request.headers.get("HX-History-Restore-Request", ""),
        timezone.localdate().isoformat(),
        extra,
    ]
    return PAGE_KEY.format(hashlib.sha256("\x1f".join(parts).encode()).hexdigest())


def has_messages(request: HttpRequest) -> bool:
    """Whether the page would show a message (checked without marking it read)."""
    storage = getattr(request, "_messages", None)
    return storage is not None and len(messages.get_messages(request)) > 0


def cached_page(
    request: HttpRequest,
    owner_id: int,
    render: Callable[[], HttpResponse],
    *,
    cacheable: bool = True,
    extra: str = "",
) -> HttpResponse:
    """``render()``'s response, from the cache when the owner's data has not changed since.

    Only a plain 200 ``HttpResponse`` is kept; anything else (a redirect, a
    404, a streamed file) is returned as it is and built again next time.
    """
    if not (enabled() and cacheable) or has_messages(request):
        return render()
    started = time.perf_counter()
    key = page_key(request, owner_id, extra)
    stored = _local().get(key)
    shared = _shared()
    if stored is None and shared is not None:
        packed = shared.get(key)
        if packed is not None:
            stored = _unpack(packed)
            _local().set(key, stored, PAGE_SECONDS)
    if stored is not None:
        _note(request, "hit", started)
        return _response(request, stored)
    response = render()
    stored = _store(response)
    if stored is not None:
        _local().set(key, stored, PAGE_SECONDS)
        if shared is not None:
            shared.set(key, _pack(stored), PAGE_SECONDS)
    _note(request, "miss", started)
    return response


def _store(response: HttpResponse) -> dict | None:
    """What a later request needs to answer with this response: the body cut where the
    CSRF token goes (bytes, so a hit only joins them) and the view's own headers."""
    if response.status_code != 200 or response.streaming or not isinstance(response, HttpResponse):
        return None
    if response.cookies:
        return None
    charset = response.charset or "utf-8"
    try:
        body = response.content.decode(charset)
    except UnicodeDecodeError:
        return None
    if CSRF_PLACEHOLDER in body:
        return None
    tokens = set(CSRF_TOKEN.findall(body))
    if len(tokens) > 1:  # not one token per page: do not guess which is the request's
        return None
    for token in tokens:
        body = body.replace(token, CSRF_PLACEHOLDER)
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    parts = [part.encode(charset) for part in body.split(CSRF_PLACEHOLDER)]
    return {"parts": parts, "headers": headers}


def _pack(stored: dict) -> dict:
    return {**stored, "parts": [zlib.compress(part, 6) for part in stored["parts"]]}


def _unpack(packed: dict) -> dict:
    return {**packed, "parts": [zlib.decompress(part) for part in packed["parts"]]}


def _response(request: HttpRequest, stored: dict) -> HttpResponse:
    parts = stored["parts"]
    body = get_token(request).encode().join(parts) if len(parts) > 1 else parts[0]
    response = HttpResponse(body)
    for name, value in stored["headers"].items():
        response[name] = value
    return response


def _note(request: HttpRequest, outcome: str, started: float) -> None:
    """What ``core.timing`` reports in ``Server-Timing`` for this page."""
    request.page_cache = (outcome, (time.perf_counter() - started) * 1000)
