from django.urls import path

from . import views

app_name = "safety_plan"

urlpatterns = [
    path("me/safety-plan/", views.plan_detail, name="detail"),
    path("me/safety-plan/edit/", views.plan_edit, name="edit"),
    path("me/safety-plan/share/", views.plan_share, name="share"),
    path("me/safety-plan/share/<int:pk>/revoke/", views.plan_share_revoke, name="share_revoke"),
    path("safety-plans/shared/", views.shared_list, name="shared_list"),
    path("safety-plans/shared/<uuid:token>/", views.shared_detail, name="shared_detail"),
    path("sw.js", views.service_worker, name="service_worker"),
]
