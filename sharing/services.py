"""Share links: find a live link by its token, make, revoke and regenerate links, count views.

A token is a capability: whoever holds it reads the years the link was made
to open (``ShareLink.years``) and nothing else. Only its SHA-256
is stored, so the token exists in clear only in the response that created
it; a lookup hashes what it is given and asks the unique index for that hash
(one query, no comparison in Python whose timing could tell how much of a
guess was right). A link that is unknown, revoked or expired is simply not
found: callers cannot tell the three apart, and neither can a visitor.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime
import html
import re
import threading
import time
from collections.abc import Iterable

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator

from reviews import services
from reviews.models import Review
from sharing.models import ShareLink, hash_token
from timeline.models import Entry, Photo
from timeline.rows import ENTRY

DESCRIPTION_CHARS = 200


def find_live_link(token: str) -> ShareLink | None:
    """The live link whose token this is, with its review, or None (one query)."""
    return (
        ShareLink.objects.live()
        .filter(token_hash=hash_token(token))
        .select_related("review")
        .first()
    )


def review_to_share(owner, year: int) -> Review | None:
    """The owner's review of ``year``, made from the template if the year has data but no review.

    None when there is nothing at all recorded for that year: an empty year
    has nothing to share.
    """
    review = Review.objects.filter(owner=owner, year=year).first()
    if review is None and year in services.years_with_data(owner):
        template = services.new_review(owner, year)
        review, _ = Review.objects.get_or_create(
            owner=owner,
            year=year,
            defaults={"language": template.language, "document": template.document},
        )
    return review


def years_with_data(owner) -> list[int]:
    """The owner's years with a review or anything recorded, newest first (one query)."""
    return services.years_with_data(owner)


def year_has_data(owner, year: int) -> bool:
    """Whether the owner has a review or anything recorded for ``year`` (one query)."""
    return year in services.years_with_data(owner)


def expiry_at_end_of(day: datetime.date) -> datetime.datetime:
    """A link that expires "on" a day works until that day ends, in the site's time zone."""
    midnight = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(midnight)


def create_link(
    review: Review, expires_at: datetime.datetime | None = None, also: Iterable[int] = ()
) -> tuple[ShareLink, str]:
    """A new link opening ``review``'s year and the years ``also``, and its token.

    The token is never stored and cannot be shown again.
    """
    return ShareLink.create_for(review, expires_at=expires_at, also=also)


def revoke(link: ShareLink) -> None:
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at", "updated"])


def links_opening(owner, year: int) -> list[ShareLink]:
    """Every link of the owner that opens ``year``, live or not, newest first (one query).

    The years are a JSON list, which SQLite cannot search inside, so they are
    read here; an owner has a handful of links, not thousands.
    """
    return [link for link in ShareLink.objects.filter(owner=owner) if link.opens(year)]


def revoke_all(owner, year: int) -> int:
    """Revoke every live link of the owner that opens ``year``; how many there were."""
    now = timezone.now()
    pks = [link.pk for link in ShareLink.objects.live().filter(owner=owner) if link.opens(year)]
    return ShareLink.objects.filter(pk__in=pks).update(revoked_at=now, updated=now)


def regenerate(link: ShareLink) -> tuple[ShareLink, str]:
    """Replace a link by a new one opening the same years with the same expiry.

    The old one dies at once, and with it everything it opened.
    """
    with transaction.atomic():
        revoke(link)
        also = [year for year in link.years if year != link.review.year]
        return create_link(link.review, expires_at=link.expires_at, also=also)


def shared_years(link: ShareLink) -> list[int]:
    """The years this link opens, in order: a share page links to these and no others."""
    return sorted(link.years)


def shared_photo(link: ShareLink, pk: int) -> Photo | None:
    """A photo the link may show (one query): on a public entry of a year the link
    opens, or placed straight into the document of a year it opens."""
    public = Photo.objects.visible_to(link.owner_id, None).filter(pk=pk)
    entries = ENTRY.in_years(Entry.objects.visible_to(link.owner_id, None), link.years)
    return public.filter(Q(entry__in=entries) | Q(entry__isnull=True, year__in=link.years)).first()


# Visits counted in this process and not yet written: a share page read by many
# would otherwise write (and wait for SQLite's write lock) on every view.
_pending_views: dict[int, int] = {}
_pending_lock = threading.Lock()
_last_written = [time.monotonic()]


def record_view(link: ShareLink, viewer) -> None:
    """Count a visit, unless it is the owner looking at their own link.

    Counts are written at most every ``SHARE_VIEWS_WRITE_SECONDS`` by each
    process (and when it exits), so the number the owner sees may lag by that.
    """
    if getattr(viewer, "is_authenticated", False) and viewer.pk == link.owner_id:
        return
    with _pending_lock:
        _pending_views[link.pk] = _pending_views.get(link.pk, 0) + 1
        interval = getattr(settings, "SHARE_VIEWS_WRITE_SECONDS", 60)
        due = time.monotonic() - _last_written[0] >= interval
    if due:
        write_views()


def write_views() -> None:
    """Write the visits counted so far: one ``UPDATE`` per link."""
    with _pending_lock:
        pending = dict(_pending_views)
        _pending_views.clear()
        _last_written[0] = time.monotonic()
    now = timezone.now()
    for pk, count in pending.items():
        ShareLink.objects.filter(pk=pk).update(views=F("views") + count, last_viewed_at=now)


@atexit.register
def _write_views_at_exit() -> None:
    # If the database went first, these few visits are lost.
    with contextlib.suppress(DatabaseError):
        write_views()


def link_hint(link: ShareLink) -> str:
    """A short label telling links apart in the owner's list (from the hash, not the token)."""
    return link.token_hash[:6]


def plain_text(stored_html: str, limit: int = DESCRIPTION_CHARS) -> str:
    """Rendered Markdown as one line of plain text, cut at ``limit`` characters."""
    text = " ".join(html.unescape(strip_tags(stored_html or "")).split())
    return Truncator(text).chars(limit)


def description(review: Review | None) -> str:
    """What a link preview says about the review: the first paragraphs of its document.

    Paragraphs only: the document's headings may be guided questions, and its
    embeds are not in the stored HTML (only their markers, which are comments).
    """
    if review is None:
        return ""
    paragraphs = re.findall(r"<p(?:\s[^>]*)?>(.*?)</p>", review.document_html or "", flags=re.S)
    return plain_text(" ".join(paragraphs))
