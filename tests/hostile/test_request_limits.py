"""Oversized bodies and unknown encodings are refused with a clear page, within bounded memory."""

from __future__ import annotations

import io

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client

from .conftest import peak_memory, within

URL = "/calls/open-call/nominate/"


class EndlessZeros(io.RawIOBase):
    """A request body of `size` bytes that exists only as it is read (and counts what was read)."""

    def __init__(self, size: int):
        self.left = size
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = min(len(buffer), self.left)
        buffer[:n] = b"0" * n
        self.left -= n
        self.read_bytes += n
        return n


def wsgi_post(path: str, body: io.RawIOBase, length: int, content_type: str) -> tuple[str, bytes]:
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BufferedReader(body),
        "CONTENT_LENGTH": str(length),
        "CONTENT_TYPE": content_type,
        "REMOTE_ADDR": "127.0.0.1",
    }
    status = {}

    def start_response(code, headers, exc_info=None):
        status["code"] = code

    chunks = WSGIHandler()(environ, start_response)
    return status["code"], b"".join(chunks)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]
)
def test_a_body_over_the_limit_is_refused_unread_in_bounded_memory(
    open_call, settings, content_type
):
    size = 200 * 1000 * 1000  # 200 MB, never held anywhere
    body = EndlessZeros(size)
    with within(20), peak_memory() as memory:
        status, page = wsgi_post(URL, body, size, content_type)
    assert status.startswith("413")
    assert "What you sent is too large" in page.decode()
    assert body.read_bytes < 1_000_000  # at most what a buffer may read ahead
    assert memory["peak"] < 20 * 1000 * 1000


@pytest.mark.django_db
def test_a_form_over_djangos_field_limit_gets_a_clear_400(open_call):
    client = Client(raise_request_exception=False)
    response = client.post(
        URL,
        data=b"reason=" + b"x" * 3_000_000,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "What you sent is too large" in response.content.decode()
    many = "&".join(f"f{i}=1" for i in range(2000)).encode()
    response = client.post(URL, data=many, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "What you sent is too large" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("charset", ["x-klingon", "utf-9", "../../etc/passwd"])
def test_an_unknown_form_encoding_is_a_clear_400_not_a_server_error(open_call, charset):
    client = Client(raise_request_exception=False)
    response = client.generic(
        "POST",
        URL,
        data=b"contact_name=%E9",
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert response.status_code == 400
    assert "character encoding this service does not understand" in response.content.decode()


@pytest.mark.django_db
def test_bytes_that_are_not_utf8_in_a_form_do_not_crash(open_call):
    client = Client(raise_request_exception=False)
    response = client.post(
        URL,
        data=b"contact_name=%FF%FE%C0&reason=%ED%A0%80",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (200, 400)  # the form's own errors, not a crash


@pytest.mark.django_db
def test_a_nonsense_content_length_is_a_400(open_call):
    status, page = wsgi_post_with_length(URL, "not-a-number")
    assert status.startswith("400")
    assert "problem with that request" in page.decode()


def wsgi_post_with_length(path: str, length: str):
    body = EndlessZeros(0)
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BufferedReader(body),
        "CONTENT_LENGTH": length,
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "REMOTE_ADDR": "127.0.0.1",
    }
    status = {}
    chunks = WSGIHandler()(environ, lambda code, headers, exc_info=None: status.update(code=code))
    return status["code"], b"".join(chunks)
