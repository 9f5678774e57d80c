"""Chat room pages, mounted under /groups/ by peersupport/urls.py."""

from django.urls import path

from . import views as chat_views

app_name = "chat"

urlpatterns = [
    path("<slug:slug>/chat/", chat_views.room, name="room"),
    path("<slug:slug>/chat/messages/", chat_views.messages_api, name="messages"),
    path("<slug:slug>/chat/messages/<int:seq>/delete/", chat_views.message_delete, name="delete"),
    path("<slug:slug>/chat/mute/", chat_views.member_mute, name="mute"),
    path("<slug:slug>/chat/settings/", chat_views.room_settings_update, name="settings"),
]
