"""Project-wide middleware: the health check's Host handling, static files under ASGI, and
response headers Django has no setting for."""

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import IO

from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, HttpResponse
from whitenoise.middleware import WhiteNoiseMiddleware

HEALTHZ_PATH = "/healthz"
STATIC_BLOCK_SIZE = 64 * 1024


class HealthCheckMiddleware:
    """Lets `/healthz` answer whatever the Host header says.

    Orchestrators and load balancers probe a container by its address (`Host: 10.0.3.7:8000`),
    which is not in ALLOWED_HOSTS; Django would answer 400. The health check builds no link
    from the Host, so for that one path the Host is taken as it is; the rest of the middleware
    stack still runs, and every other path is validated as before. The health check is also
    exempt from the HTTPS redirect (SECURE_REDIRECT_EXEMPT), so it is never redirected.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == HEALTHZ_PATH:
            request.get_host = request._get_raw_host  # type: ignore[method-assign]
        return self.get_response(request)


async def _read_async(file: IO[bytes] | None) -> AsyncIterator[bytes]:
    if file is None:
        return
    while block := await asyncio.to_thread(file.read, STATIC_BLOCK_SIZE):
        yield block


class AsyncWhiteNoiseMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise whose file responses are read asynchronously.

    Under ASGI Django streams a response's body from an asynchronous iterator; WhiteNoise hands
    it a plain file, so Django warns ("StreamingHttpResponse must consume synchronous
    iterators") and reads the whole file into memory first. Here the same file is read in
    blocks off the event loop. In the compose deployment the proxy serves /static/ itself and
    this is only the fallback (and what `make run` uses).
    """

    @staticmethod
    def serve(static_file, request: HttpRequest) -> HttpResponse:  # noqa: ANN001 - WhiteNoise's type
        response = WhiteNoiseMiddleware.serve(static_file, request)
        if not isinstance(request, ASGIRequest):
            return response  # a WSGI server (or the test client) reads plain files
        # The file stays registered for closing by the original constructor.
        file = getattr(response, "file_to_stream", None)
        response.streaming_content = _read_async(file)
        return response


class PermissionsPolicyMiddleware:
    """Send settings.PERMISSIONS_POLICY (camera, microphone, geolocation, payment off)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = getattr(settings, "PERMISSIONS_POLICY", "")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Permissions-Policy", self.policy)
        return response
