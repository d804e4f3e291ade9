"""Top-level URL map: public intake pages, the school register look-up, staff pages."""

from django.urls import include, path

urlpatterns = [
    path("", include("inpractice.web.urls")),
    path("", include("inpractice.intake.urls")),
    path("schools/", include("inpractice.schools.urls")),
    path("accounts/", include("inpractice.accounts.urls")),
    path("staff/", include("inpractice.staff.urls")),
]

handler404 = "inpractice.web.views.not_found"
handler500 = "inpractice.web.views.server_error"
handler403 = "inpractice.web.views.forbidden"
handler400 = "inpractice.web.views.bad_request"
