"""Top-level URL map: intake, school look-up, staff, workspace, privacy, library and reports."""

from django.conf import settings
from django.urls import include, path

urlpatterns = [
    path("", include("inpractice.web.urls")),
    path("", include("inpractice.intake.urls")),
    path("schools/", include("inpractice.schools.urls")),
    path("accounts/", include("inpractice.accounts.urls")),
    path("staff/workspace/", include("inpractice.workspace.urls")),
    path("staff/privacy/", include("inpractice.privacy.urls")),
    path("staff/", include("inpractice.staff.urls")),
    # The library (public pages, open data, API) and reports own their own top-level paths.
    path("", include("inpractice.library.urls")),
    path("", include("inpractice.reports.urls")),
]

if settings.OIDC_ENABLED:
    # Single sign-on (docs/security.md): the provider's callback names are mozilla-django-oidc's.
    urlpatterns.append(path("accounts/oidc/", include("mozilla_django_oidc.urls")))

handler404 = "inpractice.web.views.not_found"
handler500 = "inpractice.web.views.server_error"
handler403 = "inpractice.web.views.forbidden"
handler400 = "inpractice.web.views.bad_request"
