"""Values every template may use."""

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_OPERATOR": settings.SITE_OPERATOR,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
        "DEBUG": settings.DEBUG,
    }
