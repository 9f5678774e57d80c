from django.urls import path

from . import views

app_name = "my_sessions"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("calendar/", views.feed_manage, name="feed_manage"),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
]
