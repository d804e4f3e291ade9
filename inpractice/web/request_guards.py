"""Refuse requests that cannot be read safely, before anything reads their body.

- A body larger than MAX_REQUEST_BYTES (by its Content-Length) is refused with 413 without being
  read, so memory stays bounded whatever is sent. Django's own DATA_UPLOAD_MAX_MEMORY_SIZE covers
  form fields only, not uploaded files; this covers every body.
- A form sent in a character encoding Python does not know would make Django raise LookupError
  (a server error) when the form is read; it gets a 400 that says what happened instead.
- A web address with a NUL character, or longer than any page's, is a 404; a query parameter
  with a NUL character or longer than MAX_QUERY_VALUE_CHARS is a 400. No page or API takes
  such a value, and PostgreSQL refuses NUL in text: it used to raise a database error that the
  error page took for an outage (503). A session cookie that no session could have is ignored,
  as if there were none.

The JSON API (`/api/`) and the other `.json` addresses get JSON problems
({"status", "title", "detail"}), as the API's own errors are; every other address gets a page.
"""

from __future__ import annotations

import codecs
import re
from importlib import import_module

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

# The longest address of any page is a few hundred characters (a resume link's token is 43).
MAX_PATH_CHARS = 2_000
# Search boxes and filters. A pasted paragraph in the library's search box still gets its own
# "Your search was long" answer; past this, nothing a person typed is meant (and nginx refuses
# request lines over 8 KB by default anyway).
MAX_QUERY_VALUE_CHARS = 8_000
# What Django's own session stores make (32 lowercase letters and digits); anything else in the
# cookie was not made here.
_SESSION_KEY = re.compile(r"[a-z0-9]{8,64}")


def wants_json(request: HttpRequest) -> bool:
    """True for the JSON API and the other JSON addresses (the school look-up, open data)."""
    path = request.path_info or request.path
    return path.startswith("/api/") or path.endswith(".json")


def problem(status: int, title: str, detail: str) -> JsonResponse:
    """A JSON problem, in the form the API's schema gives for its errors."""
    response = JsonResponse(
        {"status": status, "title": title, "detail": detail},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Access-Control-Allow-Origin"] = "*"  # as the API's own answers
    return response


def _page(request: HttpRequest, status: int, title: str, body: str) -> HttpResponse:
    if wants_json(request):
        return problem(status, title, body)
    return render(request, "web/error.html", {"title": title, "body": body}, status=status)


def _bad_address(request: HttpRequest) -> HttpResponse | None:
    path = request.path_info
    if "\x00" in path or len(path) > MAX_PATH_CHARS:
        return _page(
            request,
            404,
            "Page not found",
            "If you typed the web address, check it is correct. If you pasted it, check you "
            "copied the entire address.",
        )
    for name, values in request.GET.lists():
        for value in [name, *values]:
            if "\x00" in value:
                return _page(
                    request,
                    400,
                    "Sorry, there is a problem with that request",
                    f"The web address has a NUL character in {name[:40]!r}, which no search or "
                    "filter takes. Go back and try again.",
                )
            if len(value) > MAX_QUERY_VALUE_CHARS:
                return _page(
                    request,
                    400,
                    "Sorry, there is a problem with that request",
                    f"{name[:40]!r} in the web address is longer than "
                    f"{MAX_QUERY_VALUE_CHARS:,} characters, which no search or filter needs. "
                    "Shorten it and try again.",
                )
    return None


def _forget_foreign_session(request: HttpRequest) -> None:
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if key is not None and not _SESSION_KEY.fullmatch(key) and hasattr(request, "session"):
        # Not a key this service made: treat it as no session (and the cookie is then removed).
        request.session = import_module(settings.SESSION_ENGINE).SessionStore(None)


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        _forget_foreign_session(request)
        refused = _bad_address(request)
        if refused is not None:
            return refused
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
