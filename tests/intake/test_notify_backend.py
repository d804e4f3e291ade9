"""The GOV.UK Notify email backend, driven by the real Notify client against a local HTTP server."""

from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.mail import send_mail


class FakeNotify(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self):  # noqa: N802 - http.server's naming
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeNotify.received.append(
            {"path": self.path, "auth": self.headers.get("Authorization", ""), "body": body}
        )
        payload = json.dumps({"id": str(uuid.uuid4())}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def notify_server():
    server = HTTPServer(("127.0.0.1", 0), FakeNotify)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeNotify.received = []
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_emails_go_to_notify_with_subject_and_body_as_personalisation(settings, notify_server):
    template_id = str(uuid.uuid4())
    settings.EMAIL_BACKEND = "inpractice.intake.notify_backend.NotifyEmailBackend"
    settings.NOTIFY_API_KEY = f"test-{uuid.uuid4()}-{uuid.uuid4()}"
    settings.NOTIFY_TEMPLATE_ID = template_id
    settings.NOTIFY_BASE_URL = notify_server

    sent = send_mail("Receipt IP-AAAA-BBBB", "Thank you.", None, ["p.shah@example.org"])

    assert sent == 1
    [request] = FakeNotify.received
    assert request["path"] == "/v2/notifications/email"
    assert request["auth"].startswith("Bearer ")
    assert request["body"]["email_address"] == "p.shah@example.org"
    assert request["body"]["template_id"] == template_id
    assert request["body"]["personalisation"] == {
        "subject": "Receipt IP-AAAA-BBBB",
        "body": "Thank you.",
    }


def test_notify_without_a_key_refuses_to_start(settings):
    settings.EMAIL_BACKEND = "inpractice.intake.notify_backend.NotifyEmailBackend"
    settings.NOTIFY_API_KEY = ""
    with pytest.raises(RuntimeError, match="NOTIFY_API_KEY"):
        send_mail("x", "y", None, ["a@example.org"])
