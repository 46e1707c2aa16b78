"""Where a photo's image is served from, as the page showing it decides.

A page that serves photos some other way than to their owner (a shared page
serves them under its link) puts a ``photo_urls`` builder in the context: a
callable taking the photo and a size (``"full"`` or ``"thumb"``) and
returning the URL. Without one, photos come from timeline's own owner-only
view.
"""

from __future__ import annotations

from django import template
from django.urls import reverse

register = template.Library()


def owner_photo_url(photo, size: str) -> str:
    return reverse("timeline:photo", args=[photo.pk, size])


@register.simple_tag(takes_context=True)
def photo_url(context, photo, size: str) -> str:
    build = context.get("photo_urls") or owner_photo_url
    return build(photo, size)
