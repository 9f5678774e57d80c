"""Story pages inside a group, included at /groups/."""

from django.urls import path

from . import views

app_name = "stories"

urlpatterns = [
    path("<slug:slug>/stories/", views.story_list, name="list"),
    path("<slug:slug>/stories/waiting/", views.story_waiting, name="waiting"),
    path("<slug:slug>/stories/new/", views.story_create, name="create"),
    path("<slug:slug>/stories/search/", views.group_search, name="search"),
    path("<slug:slug>/stories/<int:pk>/", views.story_detail, name="detail"),
    path("<slug:slug>/stories/<int:pk>/edit/", views.story_edit, name="edit"),
    path("<slug:slug>/stories/<int:pk>/delete/", views.story_delete, name="delete"),
    path("<slug:slug>/stories/<int:pk>/history/", views.story_history, name="history"),
    path("<slug:slug>/stories/<int:pk>/reply/", views.reply_create, name="reply"),
    path("<slug:slug>/stories/<int:pk>/react/", views.story_react, name="react"),
    path("<slug:slug>/stories/<int:pk>/pin/", views.story_pin, name="pin"),
    path("<slug:slug>/stories/<int:pk>/slow-mode/", views.story_slow_mode, name="slow_mode"),
    path("<slug:slug>/stories/<int:pk>/follow/", views.story_follow, name="follow"),
    path("<slug:slug>/replies/<int:pk>/edit/", views.reply_edit, name="reply_edit"),
    path("<slug:slug>/replies/<int:pk>/delete/", views.reply_delete, name="reply_delete"),
    path("<slug:slug>/replies/<int:pk>/history/", views.reply_history, name="reply_history"),
    path("<slug:slug>/replies/<int:pk>/react/", views.reply_react, name="reply_react"),
]
