"""The app's URLs plus two bench-only views; nothing in the app links to them.

``/bench/floor/`` is the floor every page is measured against: a logged-in
request through the full middleware (session, user, CSRF, locale, security
headers) whose view returns ``ok``. ``/bench/stale/<user>/`` gives a user a
new data version, so the next view of their pages is a cache miss, as after a
write.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_GET

from core import pagecache

FLOOR_PATH = "/bench/floor/"


@require_GET
def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@login_not_required
@require_GET
def stale(request: HttpRequest, user: int) -> HttpResponse:
    pagecache.bump(user)
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("bench/floor/", floor),
    path("bench/stale/<int:user>/", stale),
    path("", include("config.urls")),
]
