from django.urls import path

from . import resource_features

app_name = "group_resources"

urlpatterns = [
    path("<slug:slug>/resources/", resource_features.group_resources, name="list"),
    path(
        "<slug:slug>/resources/feature/", resource_features.group_resource_feature, name="feature"
    ),
    path(
        "<slug:slug>/resources/unfeature/",
        resource_features.group_resource_unfeature,
        name="unfeature",
    ),
]
