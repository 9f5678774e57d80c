"""The project's URLs. Each app owns its own urls module."""
from django.contrib import admin
from django.urls import include, path

from peersupport import views

urlpatterns = [
    path("", views.home, name="home"),
    path("help/", views.help_now, name="help"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("", include("peersupport.accounts.urls")),
    path("admin/", admin.site.urls),
    path("groups/", include("groups.chat_urls")),
]

handler403 = "peersupport.views.permission_denied"
handler404 = "peersupport.views.page_not_found"
handler500 = "peersupport.views.server_error"
