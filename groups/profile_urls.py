"""Member profiles: /members/<handle>/ (a random handle, never the counted id)."""

from django.urls import path

from . import profiles

app_name = "profiles"

urlpatterns = [
    path("<str:handle>/", profiles.member_profile, name="member"),
]
