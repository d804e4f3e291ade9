"""Refuse requests that cannot be read safely, before anything reads their body.

- A body larger than MAX_REQUEST_BYTES (by its Content-Length) is refused with 413 without being
  read, so memory stays bounded whatever is sent. Django's own DATA_UPLOAD_MAX_MEMORY_SIZE covers
  form fields only, not uploaded files; this covers every body.
- A form sent in a character encoding Python does not know would make Django raise LookupError
  (a server error) when the form is read; it gets a 400 that says what happened instead.
"""

from __future__ import annotations

import codecs

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def _page(request: HttpRequest, status: int, title: str, body: str) -> HttpResponse:
    return render(request, "web/error.html", {"title": title, "body": body}, status=status)


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _page(
                request,
                400,
                "Sorry, there is a problem with that request",
                "Go back and try again.",
            )
        if length > settings.MAX_REQUEST_BYTES:
            response = _page(
                request,
                413,
                "What you sent is too large",
                f"The most this service accepts at once is "
                f"{settings.MAX_REQUEST_BYTES // 1_000_000} MB. Go back, shorten your answers or "
                "send a smaller file, and try again.",
            )
            response["Connection"] = "close"  # do not read the rest of the body
            return response
        charset = request.content_params.get("charset") if request.content_params else None
        if charset:
            try:
                codecs.lookup(charset)
            except LookupError:
                return _page(
                    request,
                    400,
                    "Sorry, there is a problem with that request",
                    "Your browser sent the form in a character encoding this service does not "
                    "understand. Go back and try again, or use another browser.",
                )
        return self.get_response(request)
