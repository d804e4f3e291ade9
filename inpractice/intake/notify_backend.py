"""A Django email backend that sends through GOV.UK Notify.

Notify sends from a template; set NOTIFY_TEMPLATE_ID to a template whose subject is ((subject))
and body is ((body)), and NOTIFY_API_KEY to the service's key. Select it with EMAIL_DELIVERY=notify.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from notifications_python_client.notifications import NotificationsAPIClient


class NotifyEmailBackend(BaseEmailBackend):
    def __init__(self, fail_silently: bool = False, **kwargs):
        super().__init__(fail_silently=fail_silently, **kwargs)
        if not settings.NOTIFY_API_KEY or not settings.NOTIFY_TEMPLATE_ID:
            raise RuntimeError("EMAIL_DELIVERY=notify needs NOTIFY_API_KEY and NOTIFY_TEMPLATE_ID")
        self.client = NotificationsAPIClient(
            settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL
        )

    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages:
            for recipient in message.recipients():
                try:
                    self.client.send_email_notification(
                        email_address=recipient,
                        template_id=settings.NOTIFY_TEMPLATE_ID,
                        personalisation={"subject": message.subject, "body": message.body},
                    )
                    sent += 1
                except Exception:
                    if not self.fail_silently:
                        raise
        return sent
