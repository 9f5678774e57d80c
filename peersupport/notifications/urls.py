from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.centre, name="centre"),
    path("<int:pk>/read/", views.mark_read, name="mark_read"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
    path("preferences/", views.preferences, name="preferences"),
    path("duty/", views.duty, name="duty"),
    path("groups/<slug:slug>/follow/", views.group_follow, name="group_follow"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
