from django.urls import path

from . import views

app_name = "groups"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("mine/", views.mine, name="mine"),
    path("invite/<str:token>/", views.invitation, name="invitation"),
    # Administrators' staff pages.
    path("manage/", views.staff_list, name="staff_list"),
    path("manage/new/", views.staff_create, name="staff_create"),
    path("manage/<slug:slug>/edit/", views.staff_edit, name="staff_edit"),
    path("manage/<slug:slug>/archive/", views.staff_archive, name="staff_archive"),
    path("manage/<slug:slug>/facilitators/", views.staff_facilitators, name="staff_facilitators"),
    path(
        "manage/<slug:slug>/facilitators/<int:pk>/remove/",
        views.staff_facilitator_remove,
        name="staff_facilitator_remove",
    ),
    # One group.
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/join/", views.join, name="join"),
    path("<slug:slug>/request/", views.request_to_join, name="request"),
    path("<slug:slug>/request/withdraw/", views.withdraw_request, name="request_withdraw"),
    path("<slug:slug>/leave/", views.leave, name="leave"),
    path("<slug:slug>/rules/accept/", views.accept_rules, name="accept_rules"),
    # Facilitators.
    path("<slug:slug>/requests/", views.requests_queue, name="requests"),
    path("<slug:slug>/requests/<int:pk>/", views.request_decide, name="request_decide"),
    path("<slug:slug>/invitations/", views.invitations, name="invitations"),
    path(
        "<slug:slug>/invitations/<int:pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("<slug:slug>/members/", views.members, name="members"),
]
