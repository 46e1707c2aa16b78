"""Share links: find a live link by its token, make, revoke and regenerate links, count views.

A token is a capability: whoever holds it reads one review. Only its SHA-256
is stored, so the token exists in clear only in the response that created
it; a lookup hashes what it is given and asks the unique index for that hash
(one query, no comparison in Python whose timing could tell how much of a
guess was right). A link that is unknown, revoked or expired is simply not
found: callers cannot tell the three apart, and neither can a visitor.
"""

from __future__ import annotations

import datetime
import html
import re

from django.db import transaction
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


def year_has_data(owner, year: int) -> bool:
    """Whether the owner has a review or anything recorded for ``year`` (one query)."""
    return year in services.years_with_data(owner)


def expiry_at_end_of(day: datetime.date) -> datetime.datetime:
    """A link that expires "on" a day works until that day ends, in the site's time zone."""
    midnight = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(midnight)


def create_link(
    review: Review, expires_at: datetime.datetime | None = None
) -> tuple[ShareLink, str]:
    """A new link and its token; the token is never stored and cannot be shown again."""
    return ShareLink.create_for(review, expires_at=expires_at)


def revoke(link: ShareLink) -> None:
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at", "updated"])


def revoke_all(review: Review) -> int:
    """Revoke every live link of a review; how many there were."""
    now = timezone.now()
    return ShareLink.objects.live().filter(review=review).update(revoked_at=now, updated=now)


def regenerate(link: ShareLink) -> tuple[ShareLink, str]:
    """Replace a link by a new one with the same expiry; the old one dies at once."""
    with transaction.atomic():
        revoke(link)
        return create_link(link.review, expires_at=link.expires_at)


def shared_years(link: ShareLink) -> list[int]:
    """Every year of the link's owner whose review has a live link of its own (one query).

    A share page links to these years and no others: a year its owner has not
    shared stays unreachable from any link.
    """
    years = (
        ShareLink.objects.live()
        .filter(owner_id=link.owner_id)
        .values_list("review__year", flat=True)
        .distinct()
    )
    return sorted(set(years))


def live_link_for_year(link: ShareLink, year: int) -> ShareLink | None:
    """The owner's live link for another year, reached from ``link`` (one query)."""
    return (
        ShareLink.objects.live()
        .filter(owner_id=link.owner_id, review__year=year)
        .select_related("review")
        .first()
    )


def shared_photo(link: ShareLink, pk: int) -> Photo | None:
    """A photo the link may show (two queries): on a public entry of a year that is
    shared, or placed straight into the document of a year that is shared."""
    years = shared_years(link)
    public = Photo.objects.visible_to(link.owner_id, None).filter(pk=pk)
    entries = ENTRY.in_years(Entry.objects.visible_to(link.owner_id, None), years)
    return public.filter(Q(entry__in=entries) | Q(entry__isnull=True, year__in=years)).first()


def record_view(link: ShareLink, viewer) -> None:
    """Count a visit, unless it is the owner looking at their own link."""
    if getattr(viewer, "is_authenticated", False) and viewer.pk == link.owner_id:
        return
    ShareLink.objects.filter(pk=link.pk).update(
        views=F("views") + 1, last_viewed_at=timezone.now()
    )


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
