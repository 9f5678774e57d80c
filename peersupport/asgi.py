"""ASGI entry point: HTTP through Django, WebSockets through Channels.

WebSockets are wrapped in an allowed-origins check (no cross-site socket hijacking) and session
authentication; every consumer still asks groups.permissions before it accepts.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peersupport.settings")

# Django must be set up before anything imports models.
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from peersupport.routing import websocket_urlpatterns  # noqa: E402
from peersupport.scheduler import lifespan  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # Starts the in-process beat when PERIODIC_JOBS_IN_PROCESS is on (see scheduler.py).
        "lifespan": lifespan,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
