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
