"""Template context shared by every page: the service's name and the signed-in person's areas."""

from django.conf import settings

from inpractice.accounts.roles import has_role


def service(request):
    user = getattr(request, "user", None)
    staff = bool(user and user.is_authenticated)
    return {
        "service_name": "Inclusion in practice",
        "production": settings.PRODUCTION,
        # Which staff areas to offer in the navigation (each page still checks the role itself).
        "nav_programme": staff and has_role(user, "programme-admin"),
        "nav_workspace": staff and has_role(user, "analyst", "lead-analyst", "programme-admin"),
        "nav_moderation": staff and has_role(user, "moderator", "programme-admin"),
    }
