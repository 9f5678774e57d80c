"""/welcome/: where a new member lands after signing up (groups/views_welcome.py)."""

from django.urls import path

from . import views_welcome

app_name = "welcome"

urlpatterns = [
    path("", views_welcome.welcome, name="welcome"),
    path("<slug:slug>/join/", views_welcome.welcome_join, name="join"),
]
