"""Template context shared by every page: the service's name and the signed-in person's roles."""

from django.conf import settings


def service(request):
    return {
        "service_name": "Inclusion in practice",
        "production": settings.PRODUCTION,
    }
