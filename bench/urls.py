"""The app's URLs plus ``/bench/hello/``: the cheapest Django response, a reference."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_GET

HELLO_PATH = "/bench/hello/"


@login_not_required
@require_GET
def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Hello, world.\n", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path(HELLO_PATH.strip("/") + "/", hello),
    path("", include("config.urls")),
]
