"""Login required everywhere, answering background requests with 401.

An autosave made after the session expired must fail visibly instead of
following a redirect to the login page (which would look like success);
the editor keeps the text and retries once the user has logged in again.
"""

from __future__ import annotations

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpResponse
from django.utils.translation import gettext as _


class AlmanacLoginRequiredMiddleware(LoginRequiredMiddleware):
    def handle_no_permission(self, request, view_func):
        if request.headers.get("HX-Request") == "true":
            return HttpResponse(_("Your session has expired; log in again."), status=401)
        return super().handle_no_permission(request, view_func)
