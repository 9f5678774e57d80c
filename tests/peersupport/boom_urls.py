from django.urls import path

from peersupport.urls import handler404, handler500  # noqa: F401
from peersupport.urls import urlpatterns as base


def boom(request):
    raise RuntimeError("deliberate failure for the 500 page test")


urlpatterns = [*base, path("boom/", boom)]


def denied(request):
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied


urlpatterns.append(path("denied/", denied))
