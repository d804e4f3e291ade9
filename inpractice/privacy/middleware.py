"""Writes an audit record each time a staff page that shows contact details is returned."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from .erasure import AUDITED_PAGES, audit
from .models import AuditAction


class PersonalDataAuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if (
            match is not None
            and match.view_name in AUDITED_PAGES
            and response.status_code == 200
            and request.user.is_authenticated
            and not getattr(response, "privacy_audited", False)
        ):
            call = None
            slug = match.kwargs.get("slug")
            if slug:
                from inpractice.intake.models import CallForEvidence

                call = CallForEvidence.objects.filter(slug=slug).first()
            # A view that hands over a file (an export) says so on its response, since this
            # layer is the one that may write audit records: the action and how many records.
            action = getattr(response, "audit_action", AuditAction.VIEW)
            audit(
                request.user,
                AuditAction(action),
                f"{AUDITED_PAGES[match.view_name]}: {request.get_full_path()[:200]}",
                call=call,
                records=getattr(response, "audit_records", 0),
            )
        return response
