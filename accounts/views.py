"""Invitations for the owner of an instance, and the pages that create an account."""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import InvitationForm, SignupForm
from accounts.models import Invitation
from core import throttle

# Attempts to create an account (and lookups of unknown invitations) per client
# address; LOGIN_THROTTLE in settings may change them like the login limits.
SIGNUP_DEFAULTS = {"signup_per_address": 20, "signup_window_seconds": 60 * 60}


def _staff_only(request: HttpRequest) -> None:
    # A 404, as for anyone else's rows: the page does not say it exists.
    if not request.user.is_staff:
        raise Http404


@require_http_methods(["GET", "POST"])
def invitations(request: HttpRequest) -> HttpResponse:
    """The owner's invitations, and a form that makes one (its link is shown once)."""
    _staff_only(request)
    form = InvitationForm(request.POST or None)
    context = {"form": form}
    status = 200
    if request.method == "POST":
        if form.is_valid():
            invitation, token = Invitation.create(
                days=form.cleaned_data["days"],
                note=form.cleaned_data["note"],
                created_by=request.user,
            )
            link = request.build_absolute_uri(reverse("accounts:join", args=[token]))
            context.update(new=invitation, link=link, form=InvitationForm())
        else:
            status = 400
    context["invitations"] = Invitation.objects.select_related("used_by")[:50]
    return render(request, "accounts/invitations.html", context, status=status)


@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    invitation = get_object_or_404(Invitation.objects.open(), pk=pk)
    invitation.expires_at = timezone.now()
    invitation.save(update_fields=["expires_at", "updated"])
    return redirect("accounts:invitations")


def _admit(request: HttpRequest, *, count: bool = True) -> int:
    """Count one attempt from this address (or, without ``count``, only look);
    0, or the seconds to wait when refused."""
    conf = {**SIGNUP_DEFAULTS, **throttle.config()}
    address = throttle.address_unit(throttle.client_address(request))
    window = throttle.Window(
        "signup-address", address, conf["signup_per_address"], conf["signup_window_seconds"]
    )
    found = cache.get_many(window.keys)
    wait = window.wait(found)
    if count and not wait and not window.claim(found):
        wait = max(1, window.wait(cache.get_many(window.keys)))
    return wait


def _refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "accounts/join.html", {"refusal": message}, status=status)


def _throttled(request: HttpRequest, seconds: int) -> HttpResponse:
    minutes = max(1, math.ceil(seconds / 60))
    message = ngettext(
        "Too many attempts from your address; try again in %(minutes)d minute.",
        "Too many attempts from your address; try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
    response = _refused(request, message, 429)
    response["Retry-After"] = str(seconds)
    return response


def _create_account(request: HttpRequest, invitation: Invitation | None) -> HttpResponse:
    """The sign-up form; on a valid POST the account, claimed against the invitation."""
    if request.user.is_authenticated:
        return render(request, "accounts/join.html", {"logged_in": True})
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        wait = _admit(request)
        if wait:
            return _throttled(request, wait)
        if form.is_valid():
            with transaction.atomic():
                user = form.save()
                if invitation is not None and not invitation.claim(user):
                    transaction.set_rollback(True)
                    return _refused(request, _used_message(), 410)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(resolve_url(settings.LOGIN_REDIRECT_URL))
    context = {"form": form, "invitation": invitation}
    return render(request, "accounts/join.html", context, status=400 if form.errors else 200)


def _used_message() -> str:
    return _(
        "This invitation has been used already: each link creates one account. If it "
        "was you, log in; otherwise ask the person who invited you for a new link."
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    """Create an account with an invitation link: once, before it expires."""
    # An address that has guessed too much is refused even a real link for a while.
    wait = _admit(request, count=False)
    if wait:
        return _throttled(request, wait)
    invitation = Invitation.find(token)
    if invitation is None:
        # Only a guess reaches here: count it, so guesses are throttled too.
        wait = _admit(request)
        if wait:
            return _throttled(request, wait)
        message = _(
            "This invitation link is not valid. Check that you copied all of it, or ask "
            "the person who invited you for a new one."
        )
        return _refused(request, message, 404)
    if invitation.state == Invitation.State.USED:
        return _refused(request, _used_message(), 410)
    if invitation.state == Invitation.State.EXPIRED:
        message = _("This invitation has expired. Ask the person who invited you for a new link.")
        return _refused(request, message, 410)
    return _create_account(request, invitation)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Open sign-up, when the instance allows it (ALMANAC_OPEN_SIGNUP; off by default)."""
    if not settings.ALMANAC_OPEN_SIGNUP:
        message = _(
            "This Almanac does not take sign-ups. Ask the person who runs it for an "
            "invitation link."
        )
        return _refused(request, message, 404)
    return _create_account(request, None)
