"""Owner scoping: the one way views fetch a user's object."""

from __future__ import annotations

from django.db.models import Model
from django.shortcuts import get_object_or_404


def get_owned[M: Model](model: type[M], user, **lookup) -> M:
    """The user's object or a 404: never a 403 that tells another's exists."""
    return get_object_or_404(model, owner=user, **lookup)
