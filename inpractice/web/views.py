"""Public pages that belong to no single area: home, policies, and the error pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from inpractice.intake.models import CallForEvidence

from .request_guards import problem, wants_json


def home(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    calls = list(CallForEvidence.objects.filter(is_draft=False))
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
    if wants_json(request):
        return problem(status, title, body)  # the JSON API answers in JSON, errors included
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


def _database_cause(exc: BaseException | None):
    """The database error behind `exc`, if any: it may sit under what it caused (a session that
    failed to load raises AttributeError on its next use)."""
    from django.db import DatabaseError

    for _ in range(10):
        if exc is None or isinstance(exc, DatabaseError):
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


def server_error(request: HttpRequest) -> HttpResponse:
    import sys

    from django.contrib.auth.models import AnonymousUser
    from django.db import DataError, InterfaceError, OperationalError

    # Only a database that cannot be reached (a restart, a failover: OperationalError or
    # InterfaceError) is "unavailable", a 503 with Retry-After. A value the database refused
    # (DataError: a NUL character, a number out of range, text too long) is the request's
    # fault, a 400; any other error, a database one included, is a fault here, a 500.
    cause = _database_cause(sys.exc_info()[1])
    database_away = isinstance(cause, OperationalError | InterfaceError)
    if isinstance(cause, DataError):
        status, title = 400, "Sorry, there is a problem with that request"
        body = "Something in the web address or the form could not be used. Go back and try again."
    elif database_away:
        status, title = 503, "Sorry, the service is unavailable"
        body = "Try again in a minute. Nothing you saved has been lost."
    else:
        status, title = 500, "Sorry, there is a problem with the service"
        body = "Try again in a minute. Nothing you saved has been lost."
    context = {"title": title, "body": body}
    if cause is not None:
        # This answer must be made even when the database is away or refuses what the session
        # holds: then it sets its own user and messages, so neither the layout, a context
        # processor nor a middleware reads the session from the database, which would fail again
        # and leave the person with gunicorn's bare error (tests/intake/test_database_outage.py).
        request.user = AnonymousUser()
        context.update(user=request.user, messages=())
    if wants_json(request):
        response = problem(status, title, body)
    else:
        response = render(request, "web/error.html", context, status=status)
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
