from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/claim/", views.case_claim, name="case_claim"),
    path("cases/<int:pk>/act/", views.case_act, name="case_act"),
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
    path("cases/<int:pk>/this-was-hard/", views.case_debrief, name="case_debrief"),
    path("groups/<slug:slug>/workload/", views.group_workload, name="group_workload"),
    path("audit/", views.audit_log, name="audit_log"),
    path("appeals/", views.appeal_queue, name="appeals"),
    path("appeals/<int:pk>/decide/", views.appeal_decide, name="appeal_decide"),
    path("report/<int:content_type_id>/<int:object_id>/", views.report, name="report"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:pk>/appeal/", views.appeal_create, name="appeal_create"),
    path("my-reports/", views.my_reports, name="my_reports"),
    path("support/check/", views.support_check, name="support_check"),
    path("support/tell-a-facilitator/", views.support_request, name="support_request"),
]
