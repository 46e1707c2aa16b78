"""Login throttling: failed logins refused for a while, without locking the owner out.

Failures are counted three ways, each with its own limit:

- per account *and* client address, low: the owner mistyping, or one machine
  guessing; a lock here shuts out only that address, so the owner can still
  log in from anywhere that has not failed;
- per client address over any accounts (an IPv6 address counts as its /64,
  which one subscriber usually holds whole);
- per account from anywhere, much higher: a ceiling on guesses spread over
  many addresses. It does not hold back an address the account logged in
  from recently, so even a distributed attack does not lock the owner out of
  their usual places.

A refused attempt is answered at once with 429 and ``Retry-After``: nothing
waits in a server worker.

The counts live in Django's default cache, which settings keep in the
database so that every server process sees the same counts. Each failure
claims a cache key of its own with ``cache.add`` (an INSERT on the cache
table's primary key), so two processes counting at the same moment never
lose a failure the way a read-modify-write increment could.

The numbers (see ``DEFAULTS``; docs/reliability.md explains them) can be
changed with a ``LOGIN_THROTTLE`` dict in settings. The client address is
REMOTE_ADDR; ``LOGIN_THROTTLE_PROXY_COUNT`` (the number of trusted reverse
proxies in front of the app) makes it the address those proxies saw,
taken from the right of X-Forwarded-For. Without it X-Forwarded-For is
ignored, since any client can send one.

Password reset requests are counted here too (``ResetThrottle``).
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
import time
import unicodedata

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.views import LoginView, PasswordResetView
from django.core.cache import cache as default_cache
from django.core.exceptions import ValidationError
from django.core.mail import mailers
from django.forms.forms import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

from core.forms import RefusedLoginForm

logger = logging.getLogger(__name__)

DEFAULTS = {
    # Failures before a lock, per scope.
    "account_address": 5,
    # Several people may share one address (an office, a phone carrier's NAT).
    "address": 20,
    # Twenty times the per-address limit: only a spread-out attack reaches it.
    "account": 100,
    "window_seconds": 15 * 60,  # a failure counts for this long
    "lock_seconds": 15 * 60,
    # An address the account logged in from stays past the account ceiling this long.
    "known_address_days": 30,
    # Password reset requests, each counted whether or not an account uses the
    # address (so the counts say nothing about which addresses have one).
    "reset_per_email": 3,
    "reset_per_address": 10,
    "reset_window_seconds": 60 * 60,
}
KEY_PREFIX = "login-throttle"


def config() -> dict:
    return {**DEFAULTS, **getattr(settings, "LOGIN_THROTTLE", {})}


def normalize_username(username: str) -> str:
    return unicodedata.normalize("NFKC", username).strip().casefold()


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the address the trusted proxies saw when settings name them."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "LOGIN_THROTTLE_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            try:
                return str(ipaddress.ip_address(hops[-proxies]))
            except ValueError:
                pass
    return remote


def address_unit(address: str) -> str:
    """What one address is counted as: itself, or for IPv6 its /64.

    One home or phone gets a whole /64 and can pick any address in it; counted
    one by one, they would give it billions of fresh addresses.
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:40]


class Counter:
    """The recent failures of one scope: an account, an address, or the pair."""

    def __init__(self, scope: str, ident: str, limit: int, cache=None) -> None:
        self.base = f"{KEY_PREFIX}:{scope}:{_digest(scope, ident)}"
        self.limit = limit
        self.cache = cache or default_cache
        # A few spare slots beyond the lock: attempts racing past the limit still count.
        self.slot_keys = [f"{self.base}:{n}" for n in range(limit + 5)]
        self.lock_key = f"{self.base}:lock"

    def all_keys(self) -> list[str]:
        return [*self.slot_keys, self.lock_key]

    def record(self, found: dict, window: int) -> int:
        """Claim a free slot for one more failure; returns the failures counted now."""
        taken = {key for key in self.slot_keys if key in found}
        for key in self.slot_keys:
            if key in taken:
                continue
            if self.cache.add(key, time.time(), window):
                taken.add(key)
                break
            taken.add(key)  # another process claimed it first
        return len(taken)

    def lock(self, seconds: int) -> None:
        self.cache.set(self.lock_key, time.time() + seconds, seconds)

    def reset(self) -> None:
        self.cache.delete_many(self.all_keys())


class LoginThrottle:
    """The throttle for one login attempt: an account (a username) from an address."""

    def __init__(self, username: str, address: str, cache=None) -> None:
        self.config = config()
        self.cache = cache or default_cache
        account, place = normalize_username(username), address_unit(address)
        self.pair = Counter(
            "account-address", f"{account}\0{place}", self.config["account_address"], self.cache
        )
        self.address = Counter("address", place, self.config["address"], self.cache)
        self.account = Counter("account", account, self.config["account"], self.cache)
        self.counters = (self.pair, self.address, self.account)
        self.known_key = f"{KEY_PREFIX}:known:{_digest(account, place)}"

    def found(self) -> dict:
        """Every cache entry of the three counters, in one query."""
        keys = [key for c in self.counters for key in c.all_keys()]
        return self.cache.get_many([*keys, self.known_key])

    def refused_for(self, found: dict | None = None) -> int:
        """Seconds until attempts are allowed again (0 when they are)."""
        found = self.found() if found is None else found
        locks = self.counters if self.known_key not in found else (self.pair, self.address)
        until = max(found.get(c.lock_key, 0) for c in locks)
        return max(0, math.ceil(until - time.time()))

    def failed(self) -> int:
        """Count a failed attempt; returns the seconds of a lock it caused (or 0)."""
        found = self.found()
        for counter in self.counters:
            if counter.record(found, self.config["window_seconds"]) >= counter.limit:
                counter.lock(self.config["lock_seconds"])
        return self.refused_for()

    def succeeded(self) -> None:
        """The right password: forget this address's failures for the account, and
        remember the address. The account's and the address's own counts stay, so
        that one success does not hand an attacker a fresh allowance."""
        self.pair.reset()
        days = self.config["known_address_days"]
        self.cache.set(self.known_key, time.time(), days * 24 * 60 * 60)


def refusal_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many failed attempts; try again in %(minutes)d minute.",
        "Too many failed attempts; try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


class ThrottledLoginView(LoginView):
    """Django's login view, counting failures and refusing at once when there were too many."""

    def post(self, request, *args, **kwargs) -> HttpResponse:
        self.throttle = LoginThrottle(request.POST.get("username", ""), client_address(request))
        wait = self.throttle.refused_for()
        if wait:
            return self.refuse(wait)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form) -> HttpResponse:
        if form.has_error(NON_FIELD_ERRORS, "invalid_login"):
            wait = self.throttle.failed()
            if wait:
                return self.refuse(wait)
        return super().form_invalid(form)

    def form_valid(self, form) -> HttpResponse:
        self.throttle.succeeded()
        return super().form_valid(form)

    def refuse(self, seconds: int) -> HttpResponse:
        form = RefusedLoginForm(
            self.request, data=self.request.POST, refusal=refusal_message(seconds)
        )
        form.full_clean()
        response = self.render_to_response(self.get_context_data(form=form), status=429)
        response["Retry-After"] = str(seconds)
        return response


def admin_login(site):
    """``site.login`` behind the same throttle: Django's ``AdminSite.login`` with our view.

    The admin's own form (``AdminAuthenticationForm``) still refuses a user who is
    not staff, and its template, context and ``?next=`` handling are the admin's.
    """

    @never_cache
    @login_not_required
    def login(request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        from django.contrib.admin.forms import AdminAuthenticationForm

        redirect_url = LoginView().get_redirect_url(request) or reverse(
            "admin:index", current_app=site.name
        )
        if request.method == "GET" and site.has_permission(request):
            return HttpResponseRedirect(redirect_url)
        context = {
            **site.each_context(request),
            "title": _("Log in"),
            "subtitle": None,
            "app_path": request.get_full_path(),
            "username": request.user.get_username(),
            REDIRECT_FIELD_NAME: redirect_url,
            **(extra_context or {}),
        }
        request.current_app = site.name
        return ThrottledLoginView.as_view(
            extra_context=context,
            authentication_form=site.login_form or AdminAuthenticationForm,
            template_name=site.login_template or "admin/login.html",
        )(request)

    return login


class Window:
    """Requests of one kind from one source: at most ``limit`` in any ``seconds``.

    Each request claims one of ``limit`` cache keys that expire ``seconds`` after
    it; when all are taken the next request waits for the oldest to expire.
    """

    def __init__(self, scope: str, ident: str, limit: int, seconds: int, cache=None) -> None:
        self.cache = cache or default_cache
        self.seconds = seconds
        self.keys = [f"{KEY_PREFIX}:{scope}:{_digest(scope, ident)}:{n}" for n in range(limit)]

    def wait(self, found: dict) -> int:
        """Seconds until a slot is free (0 when one is)."""
        taken = [found[key] for key in self.keys if key in found]
        if len(taken) < len(self.keys):
            return 0
        return max(1, math.ceil(min(taken) + self.seconds - time.time()))

    def claim(self, found: dict) -> bool:
        """Take a free slot; False when others took the last ones first."""
        for key in self.keys:
            if key not in found and self.cache.add(key, time.time(), self.seconds):
                return True
        return False


class ResetThrottle:
    """Password reset requests, counted per email address and per client address."""

    def __init__(self, email: str, address: str, cache=None) -> None:
        conf = config()
        window = conf["reset_window_seconds"]
        self.cache = cache or default_cache
        self.windows = (
            Window(
                "reset-email", normalize_username(email), conf["reset_per_email"], window, cache
            ),
            Window(
                "reset-address", address_unit(address), conf["reset_per_address"], window, cache
            ),
        )

    def admit(self) -> int:
        """Count this request; returns 0, or the seconds to wait when it is refused."""
        found = self.cache.get_many([key for w in self.windows for key in w.keys])
        wait = max(w.wait(found) for w in self.windows)
        if wait:
            return wait
        for window in self.windows:
            if not window.claim(found):
                return max(1, window.wait(self.cache.get_many(window.keys)))
        return 0


class MailUnavailable(Exception):
    """The mail server could not be reached, so nothing can be sent."""


class HonestPasswordResetForm(PasswordResetForm):
    """Django's reset form, which first makes sure mail can be sent at all.

    The mail server is tried before any account is looked up, for every address:
    when it cannot be reached the answer says so, whether or not an account uses
    the address, so the answer never tells which addresses have one. A failure
    after that (a server that refuses one recipient) is only logged, by Django,
    for the same reason; the page that follows promises nothing it cannot know.
    """

    def save(self, **kwargs) -> None:
        try:
            with mailers.default:  # opens a connection: an unreachable server raises here
                pass
        except Exception as error:  # whatever the backend raises, the mail cannot go
            raise MailUnavailable from error
        super().save(**kwargs)


def reset_refusal_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many password reset requests; try again in %(minutes)d minute.",
        "Too many password reset requests; try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


class ThrottledPasswordResetView(PasswordResetView):
    """Django's password reset, throttled, and honest when no mail can be sent."""

    form_class = HonestPasswordResetForm

    def form_valid(self, form) -> HttpResponse:
        wait = ResetThrottle(form.cleaned_data["email"], client_address(self.request)).admit()
        if wait:
            form.add_error(None, ValidationError(reset_refusal_message(wait), code="throttled"))
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(wait)
            return response
        try:
            return super().form_valid(form)
        except MailUnavailable:
            logger.exception("Password reset: mail could not be sent")
            message = _(
                "This site cannot send mail right now, so no link was sent. Try again "
                "later, or ask the person who runs this Almanac to set a new password "
                "for you."
            )
            form.add_error(None, ValidationError(message, code="mail_failed"))
            return self.render_to_response(self.get_context_data(form=form), status=503)
