"""Signing out clears what this site kept in the browser, the offline safety plan included."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import reverse


class ClearSiteDataOnSignOutMiddleware:
    """On the sign-out POST, `Clear-Site-Data: "storage"` tells the browser to drop the Cache
    API copies and unregister the service worker (a shared device must not keep someone's plan).
    It works without JavaScript; the sign-out page also runs js/offline.js for older browsers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._path: str | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self._path is None:
            self._path = reverse("account_logout")
        if request.method == "POST" and request.path == self._path and response.status_code < 400:
            response["Clear-Site-Data"] = '"storage"'
        return response
