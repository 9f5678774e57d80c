from django.urls import path

from . import views, views_security

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile_edit, name="profile"),
    path("privacy/", views.privacy_notice, name="privacy"),
    path("privacy/seen/", views.privacy_notice_seen, name="privacy_seen"),
    path("me/consent/", views.consent, name="consent"),
    path("me/data/", views.data_export, name="data"),
    path("me/data/<str:token>/download/", views.data_export_download, name="data_download"),
    path("me/security/", views_security.security, name="security"),
    path("me/security/sign-out-others/", views_security.sign_out_others, name="sign_out_others"),
    path("me/delete/", views_security.account_delete, name="delete"),
    path("me/delete/scheduled/", views_security.deletion_scheduled, name="deletion_scheduled"),
    path("me/delete/cancel/", views_security.deletion_cancel, name="deletion_cancel"),
]
