"""The staff sign-in page: says why a session ended, and offers single sign-on when it is set up."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django_ratelimit.core import _split_rate, is_ratelimited

from .forms import StaffLoginForm
from .middleware import SIGNED_OUT_REASON

REASONS = {
    "idle": "You were signed out because you had not done anything for {minutes} minutes.",
    "max": "You were signed out because you signed in more than {hours} hours ago.",
}


def _sign_in_rate(group, request) -> str:
    return settings.RATELIMIT_SIGN_IN


class StaffLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = StaffLoginForm

    def post(self, request, *args, **kwargs):
        # django-axes counts wrong passwords per (email, address); this also bounds how many
        # sign-ins one address may try at all, so one machine cannot try a common password
        # against every staff email ("password spraying").
        if is_ratelimited(
            request,
            group="staff-sign-in",
            key="ip",
            rate=_sign_in_rate,
            method="POST",
            increment=True,
        ):
            _count, seconds = _split_rate(settings.RATELIMIT_SIGN_IN)
            return render(
                request,
                "accounts/too_many_sign_ins.html",
                {"minutes": max(1, seconds // 60)},
                status=429,
            )
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reason = self.request.session.pop(SIGNED_OUT_REASON, None)
        if reason in REASONS:
            context["signed_out"] = REASONS[reason].format(
                minutes=settings.STAFF_SESSION_IDLE_SECONDS // 60,
                hours=settings.STAFF_SESSION_MAX_SECONDS // 3600,
            )
        context["oidc_enabled"] = settings.OIDC_ENABLED
        return context
