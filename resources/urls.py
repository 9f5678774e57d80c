from django.urls import path

from . import views

app_name = "resources"

urlpatterns = [
    path("resources/", views.library, name="library"),
    path("resources/suggest/", views.suggest, name="suggest"),
    path("resources/category/<slug:slug>/", views.category, name="category"),
    path("resources/tag/<slug:slug>/", views.tag, name="tag"),
    path("resources/<slug:slug>/", views.detail, name="detail"),
    path("staff/resources/", views.staff_dashboard, name="staff_dashboard"),
    path("staff/resources/new/", views.staff_create, name="staff_create"),
    path("staff/resources/categories/", views.staff_categories, name="staff_categories"),
    path("staff/resources/suggestions/", views.staff_suggestions, name="staff_suggestions"),
    path(
        "staff/resources/suggestions/<int:pk>/accept/",
        views.staff_suggestion_accept,
        name="staff_suggestion_accept",
    ),
    path(
        "staff/resources/suggestions/<int:pk>/decline/",
        views.staff_suggestion_decline,
        name="staff_suggestion_decline",
    ),
    path("staff/resources/<int:pk>/", views.staff_preview, name="staff_preview"),
    path("staff/resources/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/resources/<int:pk>/publish/", views.staff_publish, name="staff_publish"),
    path("staff/resources/<int:pk>/archive/", views.staff_archive, name="staff_archive"),
    path(
        "staff/resources/<int:pk>/reviewed/", views.staff_mark_reviewed, name="staff_mark_reviewed"
    ),
]
