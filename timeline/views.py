"""Timeline views: photos are served only to their owner."""

from __future__ import annotations

import mimetypes

from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from core.htmx import HtmxHttpRequest
from core.owner import get_owned
from timeline.models import Photo


@require_GET
def photo(request: HtmxHttpRequest, pk: int, size: str) -> FileResponse:
    photo = get_owned(Photo, request.user, pk=pk)
    field = photo.thumbnail if size == "thumb" and photo.thumbnail else photo.image
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("Photo file is missing") from None
    content_type = mimetypes.guess_type(field.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response
