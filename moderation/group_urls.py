"""Moderation's doors on group pages, mounted under /groups/ by peersupport/urls.py."""

from django.urls import path

from . import views

app_name = "group_moderation"

urlpatterns = [
    path("<slug:slug>/members/<int:pk>/", views.group_member_action, name="member_action"),
]
