"""The resources a group's facilitators chose, mounted under /groups/ by peersupport/urls.py."""

from django.urls import path

from . import views

app_name = "group_resources"

urlpatterns = [
    path("<slug:slug>/resources/", views.group_resources, name="list"),
    path("<slug:slug>/resources/feature/", views.group_resource_feature, name="feature"),
    path("<slug:slug>/resources/unfeature/", views.group_resource_unfeature, name="unfeature"),
]
