"""A ``Server-Timing`` header: where a response's time went, readable in the browser.

``total`` is the whole request through every middleware below this one; ``db``
the time spent in SQL (every query of every database, through an execute
wrapper); ``render`` the time from the view's call to the response, less its
SQL (building rows, rendering templates; the response middleware too, which is
small). A page served by ``core.pagecache`` adds ``cache`` (``hit`` or
``miss``). On in development and in ``make bench`` (``SERVER_TIMING``); in
production the middleware removes itself and costs nothing.
"""

from __future__ import annotations

import time
from contextlib import ExitStack

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import connections


class _Clock:
    def __init__(self) -> None:
        self.db = 0.0
        self.view: tuple[float, float] | None = None

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.db += time.perf_counter() - started


class ServerTimingMiddleware:
    def __init__(self, get_response) -> None:
        if not getattr(settings, "SERVER_TIMING", False):
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        clock = _Clock()
        started = time.perf_counter()
        request._timing = clock
        with ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(clock))
            response = self.get_response(request)
        ended = time.perf_counter()
        db = clock.db * 1000
        parts = [f"total;dur={(ended - started) * 1000:.1f}", f"db;dur={db:.1f}"]
        view = getattr(clock, "view", None)
        if view is not None:
            view_started, db_before = view
            render = (ended - view_started - (clock.db - db_before)) * 1000
            parts.append(f"render;dur={max(render, 0):.1f}")
        cache = getattr(request, "page_cache", None)
        if cache:
            parts.append(f'cache;desc="{cache[0]}";dur={cache[1]:.1f}')
        response["Server-Timing"] = ", ".join(parts)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        clock = request._timing
        clock.view = (time.perf_counter(), clock.db)
