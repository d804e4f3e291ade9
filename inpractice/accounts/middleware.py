"""Staff sessions end after a spell without activity, and in any case some hours after signing in.

Django's session cookie age is renewed whenever the session changes, so on its own it is neither
an idle limit nor an absolute one; this middleware keeps both times in the session and signs the
person out when either is passed. Sessions that carry only a submitter's draft are not affected.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

SIGNED_IN_AT = "staff:signed_in_at"
LAST_SEEN = "staff:last_seen"
SIGNED_OUT_REASON = "staff:signed_out_reason"
# Record activity at most once a minute, so browsing does not write the session on every request.
TOUCH_EVERY = 60


@receiver(user_logged_in)
def _start_clock(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN] = now


def expiry_reason(session, now: int) -> str | None:
    """'idle', 'max' or None for a signed-in session, given the time now in seconds."""
    started = session.get(SIGNED_IN_AT)
    last = session.get(LAST_SEEN)
    if last is not None and now - last > settings.STAFF_SESSION_IDLE_SECONDS:
        return "idle"
    if started is not None and now - started > settings.STAFF_SESSION_MAX_SECONDS:
        return "max"
    return None


class SessionExpiryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            reason = expiry_reason(request.session, now)
            if reason:
                logout(request)
                request.session[SIGNED_OUT_REASON] = reason
            else:
                request.session.setdefault(SIGNED_IN_AT, now)
                if now - request.session.get(LAST_SEEN, 0) >= TOUCH_EVERY:
                    request.session[LAST_SEEN] = now
        return self.get_response(request)


class StaffNoStoreMiddleware:
    """`Cache-Control: no-store` on every staff page, and on every answer to a signed-in person.

    Staff pages hold personal data (contact details, submissions, the audit log); neither the
    browser nor any cache on the way may keep a copy, which the next person at a shared computer
    could open with Back or from history. The simplest rule that cannot miss a page: everything
    under /staff/ and /accounts/, and anything at all while someone is signed in. Placed near the
    top of MIDDLEWARE, so that error pages get it too.
    """

    PREFIXES = ("/staff/", "/accounts/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path_info.startswith(self.PREFIXES) or _signed_in(request):
            add_never_cache_headers(response)  # no-store, no-cache, must-revalidate, private
        return response


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)  # absent for answers made before authentication
    if user is None:
        return False
    try:
        return bool(user.is_authenticated)
    except Exception:  # the session could not be read (the database is away): assume so
        return True
