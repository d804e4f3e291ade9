"""Public pages that belong to no single area: home, policies, and the error pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from inpractice.intake.models import CallForEvidence


def home(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    calls = list(CallForEvidence.objects.all())
    return render(
        request,
        "web/home.html",
        {
            "open_calls": [c for c in calls if c.is_open(now)],
            "other_calls": [c for c in calls if not c.is_open(now)],
        },
    )


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "web/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "web/privacy.html")


def _error(request: HttpRequest, status: int, title: str, body: str) -> HttpResponse:
    return render(request, "web/error.html", {"title": title, "body": body}, status=status)


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return _error(
        request,
        404,
        "Page not found",
        "If you typed the web address, check it is correct. If you pasted it, check you copied "
        "the entire address.",
    )


def forbidden(request: HttpRequest, exception=None) -> HttpResponse:
    return _error(
        request,
        403,
        "You do not have permission to see this page",
        "Sign in with an account that has access, or ask the programme team.",
    )


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent

    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent):
        # Django's form-size limits (DATA_UPLOAD_MAX_*): say what was wrong, not just "a problem".
        return _error(
            request,
            400,
            "What you sent is too large",
            "Go back, shorten your answers, and try again.",
        )
    return _error(
        request, 400, "Sorry, there is a problem with that request", "Go back and try again."
    )


def server_error(request: HttpRequest) -> HttpResponse:
    import sys

    from django.contrib.auth.models import AnonymousUser
    from django.db import DatabaseError

    # This page must draw even when the database is away (a restart, a failover): then it sets
    # its own user and messages, so neither the layout nor a context processor reads the
    # session from the database, which would fail again and leave the person with gunicorn's
    # bare error instead (tests/intake/test_database_outage.py).
    database_away = False
    exc = sys.exc_info()[1]
    for _ in range(10):  # the database error may sit under what it caused (a failed session)
        if exc is None or isinstance(exc, DatabaseError):
            database_away = exc is not None
            break
        exc = exc.__cause__ or exc.__context__
    context = {
        "title": "Sorry, the service is unavailable"
        if database_away
        else "Sorry, there is a problem with the service",
        "body": "Try again in a minute. Nothing you saved has been lost.",
    }
    if database_away:
        request.user = AnonymousUser()
        context.update(user=request.user, messages=())
    response = render(request, "web/error.html", context, status=503 if database_away else 500)
    if database_away:
        response["Retry-After"] = "30"
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        403,
        "Your session has expired",
        "For your security, go back, reload the page and try again. Your saved answers "
        "have not been lost.",
    )


def rate_limited(request: HttpRequest, exception=None) -> HttpResponse:
    return _error(
        request,
        429,
        "Too many attempts from your connection",
        "Wait an hour and try again. If you share a connection with colleagues, ask the "
        "programme team to send you a link instead.",
    )
