from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile_edit, name="profile"),
    path("members/<int:pk>/", views.member_detail, name="member"),
    path("privacy/", views.privacy_notice, name="privacy"),
    path("privacy/seen/", views.privacy_notice_seen, name="privacy_seen"),
    path("me/consent/", views.consent, name="consent"),
    path("me/data/", views.data_export, name="data"),
    path("me/data/<str:token>/download/", views.data_export_download, name="data_download"),
]
