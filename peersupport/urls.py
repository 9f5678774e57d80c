"""The project's URLs. Each app owns its own urls module."""

from django.contrib import admin
from django.urls import include, path

from peersupport import views
from resources import views as resources_views

urlpatterns = [
    path("", views.home, name="home"),
    path("help/", resources_views.help_now, name="help"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("", include("peersupport.accounts.urls")),
    path("", include("peersupport.pages.urls")),  # /about/, /guidelines/, /terms/, /contact/
    path("", include("peersupport.safety_plan.urls")),
    path("members/", include("groups.profile_urls")),
    path("welcome/", include("groups.welcome_urls")),
    path("groups/", include("groups.urls")),
    path("moderation/", include("moderation.urls")),
    path("groups/", include("moderation.group_urls")),
    path("notifications/", include("peersupport.notifications.urls")),
    path("admin/", admin.site.urls),
    path("", include("resources.urls")),
    path("groups/", include("resources.group_urls")),
    path("groups/", include("stories.urls")),
    path("", include("stories.site_urls")),  # /search/ and /stories/preferences/
    path("groups/", include("groups.chat.urls")),
    path("groups/", include("groups.sessions.urls")),
    path("sessions/", include("groups.sessions.site_urls")),
]

handler400 = "peersupport.views.bad_request"
handler403 = "peersupport.views.permission_denied"
handler404 = "peersupport.views.page_not_found"
handler500 = "peersupport.views.server_error"
