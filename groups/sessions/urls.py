from django.urls import path

from . import views

app_name = "group_sessions"

urlpatterns = [
    path("<slug:slug>/sessions/", views.session_list, name="list"),
    path("<slug:slug>/sessions/new/", views.create, name="create"),
    path("<slug:slug>/sessions/<int:pk>/", views.detail, name="detail"),
    path("<slug:slug>/sessions/<int:pk>/rsvp/", views.rsvp, name="rsvp"),
    path("<slug:slug>/sessions/<int:pk>/calendar.ics", views.ics, name="ics"),
    path("<slug:slug>/sessions/<int:pk>/edit/", views.occurrence_edit, name="occurrence_edit"),
    path(
        "<slug:slug>/sessions/<int:pk>/cancel/", views.occurrence_cancel, name="occurrence_cancel"
    ),
    path("<slug:slug>/sessions/<int:pk>/end/", views.end, name="end"),
    path("<slug:slug>/sessions/<int:pk>/notes/", views.notes, name="notes"),
    path("<slug:slug>/sessions/<int:pk>/check-out/", views.checkout, name="checkout"),
    path("<slug:slug>/sessions/series/<int:sid>/edit/", views.series_edit, name="series_edit"),
    path(
        "<slug:slug>/sessions/series/<int:sid>/cancel/", views.series_cancel, name="series_cancel"
    ),
]
