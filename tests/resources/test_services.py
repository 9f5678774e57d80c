import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from resources import services
from resources.models import ReminderLog, Resource, Suggestion
from resources.tasks import resource_review_reminder_send
from tests.factories import ResourceFactory, SuggestionFactory

pytestmark = pytest.mark.django_db


def _article_data(**extra):
    return {
        "kind": "article",
        "title": "Breathing slowly",
        "summary": "A calm minute.",
        "body": "# Hi\n\nBreathe.",
        **extra,
    }


def test_resource_create_makes_a_draft_with_rendered_body_and_demoted_heading(admin):
    resource = services.resource_create(actor=admin, data=_article_data(), tag_names=["Sleep"])
    assert resource.status == Resource.Status.DRAFT
    assert resource.author == admin
    assert "<h3>Hi</h3>" in resource.body_html
    assert [t.slug for t in resource.tags.all()] == ["sleep"]


def test_resource_create_refuses_a_member(member):
    with pytest.raises(PermissionDenied):
        services.resource_create(actor=member, data=_article_data())
    assert Resource.objects.count() == 0


def test_resource_publish_sets_reviewer_and_review_date(admin):
    resource = ResourceFactory(status="draft", last_reviewed=None)
    published = services.resource_publish(actor=admin, resource=resource)
    assert published.status == Resource.Status.PUBLISHED
    assert published.reviewer == admin
    assert published.last_reviewed is not None
    assert published.published_at is not None


def test_resource_publish_and_archive_refuse_a_facilitator(facilitator):
    resource = ResourceFactory(status="draft")
    with pytest.raises(PermissionDenied):
        services.resource_publish(actor=facilitator, resource=resource)
    with pytest.raises(PermissionDenied):
        services.resource_archive(actor=facilitator, resource=resource)
    resource.refresh_from_db()
    assert resource.status == "draft"


def test_resource_archive_takes_it_out_of_the_library(admin):
    resource = services.resource_archive(actor=admin, resource=ResourceFactory())
    assert resource.status == Resource.Status.ARCHIVED


def test_mark_reviewed_on_a_crisis_line_also_marks_its_details_verified(admin):
    line = ResourceFactory(kind="crisis_line", phone="988", last_reviewed=None, verified_on=None)
    services.resource_mark_reviewed(actor=admin, resource=line, on=datetime.date(2026, 11, 1))
    line.refresh_from_db()
    assert line.reviewer == admin
    assert line.last_reviewed == line.verified_on == datetime.date(2026, 11, 1)


def test_suggestion_accept_creates_a_draft_link_once(admin, member):
    suggestion = services.suggestion_create(
        author=member, kind="link", title="Mind", url="https://www.mind.org.uk/"
    )
    resource = services.suggestion_accept(actor=admin, suggestion=suggestion)
    again = services.suggestion_accept(actor=admin, suggestion=suggestion)
    assert resource.pk == again.pk
    assert resource.status == Resource.Status.DRAFT
    assert resource.kind == Resource.Kind.LINK
    assert resource.url == "https://www.mind.org.uk/"
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.ACCEPTED
    assert suggestion.decided_by == admin
    assert Resource.objects.count() == 1


def test_suggestion_of_a_topic_becomes_a_draft_article(admin, member):
    suggestion = services.suggestion_create(author=member, kind="topic", title="Panic at night")
    resource = services.suggestion_accept(actor=admin, suggestion=suggestion)
    assert resource.kind == Resource.Kind.ARTICLE


def test_suggestion_decline_is_final_and_accept_after_it_is_refused(admin):
    suggestion = SuggestionFactory()
    services.suggestion_decline(actor=admin, suggestion=suggestion)
    with pytest.raises(PermissionDenied):
        services.suggestion_accept(actor=admin, suggestion=suggestion)
    assert Resource.objects.count() == 0


def test_suggestion_accept_refuses_a_member(member):
    with pytest.raises(PermissionDenied):
        services.suggestion_accept(actor=member, suggestion=SuggestionFactory())


def test_suggestion_create_refuses_a_visitor():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.suggestion_create(author=AnonymousUser(), kind="topic", title="x")


def test_review_reminder_selects_exactly_the_stale_published_resources(
    admin, django_capture_on_commit_callbacks
):
    today = datetime.date(2026, 11, 25)
    stale = ResourceFactory(title="Old review", last_reviewed=today - datetime.timedelta(days=366))
    never = ResourceFactory(title="Never reviewed", last_reviewed=None)
    ResourceFactory(title="Fresh review", last_reviewed=today - datetime.timedelta(days=300))
    ResourceFactory(
        title="Old draft", status="draft", last_reviewed=today - datetime.timedelta(days=800)
    )
    ResourceFactory(
        title="Old archived", status="archived", last_reviewed=today - datetime.timedelta(days=800)
    )
    from resources.selectors import resources_due_for_review

    assert set(resources_due_for_review(today=today)) == {stale, never}
    with django_capture_on_commit_callbacks(execute=True):
        services.review_reminder_send(now=datetime.datetime(2026, 11, 25, 8, tzinfo=datetime.UTC))
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Old review" in body and "Never reviewed" in body
    assert "Fresh review" not in body and "Old draft" not in body and "Old archived" not in body
    assert mail.outbox[0].to == [admin.email]


def test_review_reminder_task_sends_once_per_week(admin, django_capture_on_commit_callbacks):
    ResourceFactory(last_reviewed=None)
    with django_capture_on_commit_callbacks(execute=True):
        resource_review_reminder_send()
    with django_capture_on_commit_callbacks(execute=True):
        resource_review_reminder_send()
    assert len(mail.outbox) == 1
    assert ReminderLog.objects.count() == 1


def test_review_reminder_sends_again_the_next_week(admin, django_capture_on_commit_callbacks):
    ResourceFactory(last_reviewed=None)
    for day in (2, 9):
        with django_capture_on_commit_callbacks(execute=True):
            services.review_reminder_send(
                now=datetime.datetime(2026, 11, day, 8, tzinfo=datetime.UTC)
            )
    assert len(mail.outbox) == 2


def test_review_reminder_sends_nothing_when_all_is_fresh(admin, django_capture_on_commit_callbacks):
    ResourceFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.review_reminder_send()
    assert mail.outbox == []


def test_review_reminder_is_in_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["resources-review-reminder"]
    assert entry["task"] == "resources.tasks.resource_review_reminder_send"


def test_seed_crisis_lines_is_idempotent():
    from django.core.management import call_command

    call_command("seed_crisis_lines")
    call_command("seed_crisis_lines")
    lines = Resource.objects.filter(kind="crisis_line", status="published")
    assert lines.count() == 5
    samaritans = lines.get(slug="samaritans-uk-ireland")
    assert samaritans.phone == "116 123" and samaritans.countries == ["GB", "IE"]
    assert samaritans.verified_on == datetime.date(2026, 11, 25)
