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
    return _error(
        request, 400, "Sorry, there is a problem with that request", "Go back and try again."
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/error.html",
        {
            "title": "Sorry, there is a problem with the service",
            "body": "Try again later. Nothing you saved has been lost.",
        },
        status=500,
    )


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
