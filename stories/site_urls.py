"""Site-wide story pages, included at the root: search across the member's groups, warning preferences."""

from django.urls import path

from . import views

urlpatterns = [
    path("search/", views.search, name="search"),
    path("stories/preferences/", views.warning_preferences, name="story_preferences"),
]
