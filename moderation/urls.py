from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/claim/", views.case_claim, name="case_claim"),
    path("cases/<int:pk>/act/", views.case_act, name="case_act"),
    path("cases/<int:pk>/message/", views.case_message, name="case_message"),
    path("cases/<int:pk>/hand-over/", views.case_handover, name="case_handover"),
    path("cases/<int:pk>/follow-up/", views.case_follow_up, name="case_follow_up"),
    path("held/", views.held_queue, name="held_queue"),
    path("held/<int:pk>/decide/", views.held_decide, name="held_decide"),
    path("watched-words/", views.watched_words_site, name="watched_words"),
    path("watched-words/<int:pk>/delete/", views.watched_word_delete, name="watched_word_delete"),
    path(
        "groups/<slug:slug>/watched-words/", views.watched_words_group, name="group_watched_words"
    ),
    path("groups/<slug:slug>/settings/", views.group_settings_update, name="group_settings"),
    path(
        "groups/<slug:slug>/members/<int:user_id>/notes/", views.member_notes, name="member_notes"
    ),
    path(
        "groups/<slug:slug>/members/<int:user_id>/messages/",
        views.staff_thread,
        name="staff_thread",
    ),
    path("cases/<int:pk>/this-was-hard/", views.case_debrief, name="case_debrief"),
    path("groups/<slug:slug>/workload/", views.group_workload, name="group_workload"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export.csv", views.audit_export, name="audit_export"),
    path("audit/<int:pk>/content/", views.audit_target, name="audit_target"),
    path("appeals/", views.appeal_queue, name="appeals"),
    path("appeals/<int:pk>/decide/", views.appeal_decide, name="appeal_decide"),
    path("report/<int:content_type_id>/<int:object_id>/", views.report, name="report"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:pk>/appeal/", views.appeal_create, name="appeal_create"),
    path("my-reports/", views.my_reports, name="my_reports"),
    path("messages/", views.my_messages, name="my_messages"),
    path("messages/<int:pk>/", views.my_thread, name="my_thread"),
    path("support/check/", views.support_check, name="support_check"),
    path("support/tell-a-facilitator/", views.support_request, name="support_request"),
]
