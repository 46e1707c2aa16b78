"""Login throttling: failed logins are slowed down, then refused for a while.

Failures are counted per username (case-folded) and per client address in
Django's default cache, which settings keep in the database so that every
server process sees the same counts. Each failure claims a cache key of its
own with ``cache.add`` (an INSERT on the cache table's primary key), so two
processes counting at the same moment never lose a failure the way a
read-modify-write increment could.

The numbers (see ``DEFAULTS``; docs/reliability.md explains them) can be
changed with a ``LOGIN_THROTTLE`` dict in settings. The client address is
REMOTE_ADDR; ``LOGIN_THROTTLE_PROXY_COUNT`` (the number of trusted reverse
proxies in front of the app) makes it the address those proxies saw,
taken from the right of X-Forwarded-For. Without it X-Forwarded-For is
ignored, since any client can send one.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.cache import cache as default_cache
from django.core.exceptions import ValidationError
from django.forms.forms import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Limits:
    slow_after: int  # failures before attempts are delayed
    lock_after: int  # failures before attempts are refused for ``lock_seconds``


DEFAULTS = {
    "username": Limits(slow_after=5, lock_after=10),
    # Several people may share one address (an office, a phone carrier's NAT).
    "address": Limits(slow_after=10, lock_after=20),
    "window_seconds": 15 * 60,  # a failure counts for this long
    "lock_seconds": 15 * 60,
    "first_delay": 0.25,  # seconds; doubles with each further failure
    "max_delay": 2.0,
}
KEY_PREFIX = "login-throttle"


def config() -> dict:
    merged = {**DEFAULTS, **getattr(settings, "LOGIN_THROTTLE", {})}
    for scope in ("username", "address"):
        if not isinstance(merged[scope], Limits):
            merged[scope] = Limits(*merged[scope])
    return merged


def sleep(seconds: float) -> None:
    """The delay before a throttled attempt (a seam for tests)."""
    time.sleep(seconds)


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


class Counter:
    """The recent failures of one username or one address."""

    def __init__(self, scope: str, ident: str, limits: Limits, cache=None) -> None:
        digest = hashlib.sha256(f"{scope}\0{ident}".encode()).hexdigest()[:40]
        self.base = f"{KEY_PREFIX}:{scope}:{digest}"
        self.limits = limits
        self.cache = cache or default_cache
        # A few spare slots beyond the lock: attempts racing past the limit still count.
        self.slot_keys = [f"{self.base}:{n}" for n in range(limits.lock_after + 5)]
        self.lock_key = f"{self.base}:lock"

    def all_keys(self) -> list[str]:
        return [*self.slot_keys, self.lock_key]

    def failures(self, found: dict) -> int:
        return sum(1 for key in self.slot_keys if key in found)

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
    """The throttle for one login attempt: a username from an address."""

    def __init__(self, username: str, address: str, cache=None) -> None:
        self.config = config()
        self.cache = cache or default_cache
        self.username = Counter(
            "username", normalize_username(username), self.config["username"], self.cache
        )
        self.address = Counter("address", address, self.config["address"], self.cache)
        self.counters = (self.username, self.address)

    def found(self) -> dict:
        """Every cache entry of both counters, in one query."""
        return self.cache.get_many([key for c in self.counters for key in c.all_keys()])

    def refused_for(self, found: dict | None = None) -> int:
        """Seconds until attempts are allowed again (0 when they are)."""
        found = self.found() if found is None else found
        until = max((found.get(c.lock_key, 0) for c in self.counters), default=0)
        return max(0, math.ceil(until - time.time()))

    def delay(self, found: dict | None = None) -> float:
        """Seconds to wait before this attempt: 0 until ``slow_after`` failures."""
        found = self.found() if found is None else found
        excess = max(c.failures(found) - c.limits.slow_after for c in self.counters)
        if excess < 0:
            return 0.0
        return min(self.config["max_delay"], self.config["first_delay"] * 2**excess)

    def failed(self) -> int:
        """Count a failed attempt; returns the seconds of a lock it caused (or 0)."""
        found = self.found()
        for counter in self.counters:
            if counter.record(found, self.config["window_seconds"]) >= counter.limits.lock_after:
                counter.lock(self.config["lock_seconds"])
        return self.refused_for()

    def succeeded(self) -> None:
        """A correct password forgets the username's failures (not the address's)."""
        self.username.reset()


def refusal_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many failed attempts; try again in %(minutes)d minute.",
        "Too many failed attempts; try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


class RefusedLoginForm(AuthenticationForm):
    """The login form while its username or address is locked: it never authenticates."""

    def __init__(self, *args, refusal: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.refusal = refusal

    def clean(self):
        raise ValidationError(self.refusal, code="throttled")


class ThrottledLoginView(LoginView):
    """Django's login view, counting failures and refusing when there were too many."""

    def post(self, request, *args, **kwargs) -> HttpResponse:
        self.throttle = LoginThrottle(request.POST.get("username", ""), client_address(request))
        found = self.throttle.found()
        wait = self.throttle.refused_for(found)
        if wait:
            return self.refuse(wait)
        delay = self.throttle.delay(found)
        if delay:
            sleep(delay)
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
