"""WebSocket routes of the chat app."""

from django.urls import path

from .consumers import ChatConsumer

websocket_urlpatterns = [
    path("ws/groups/<slug:slug>/chat/", ChatConsumer.as_asgi(), name="chat-socket"),
]
