"""Data export: exactly the member's data, one at a time, a link only they can use, expiry."""

import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from groups.chat.models import ChatMessage
from groups.models import Group, Membership
from moderation.models import Action, AuthorNotice
from moderation.services.reports import report_create
from peersupport.accounts import tasks
from peersupport.accounts.models import DataExport
from peersupport.accounts.privacy.export import (
    ExportTooSoon,
    data_export_build,
    data_export_request,
    data_exports_expire,
    export_path,
    export_root,
)
from peersupport.notifications.models import Kind, Notification
from stories.models import Reaction
from tests.factories import GroupFactory, MembershipFactory, ReplyFactory, StoryFactory, UserFactory


def _chat(group, author, body, seq):
    return ChatMessage.objects.create(
        group=group, seq=seq, author=author, client_id=f"c{seq}", body=body
    )


def _zip(export: DataExport) -> tuple[dict, str]:
    with zipfile.ZipFile(export_path(export)) as archive:
        assert sorted(archive.namelist()) == ["data.json", "index.html"]
        return json.loads(archive.read("data.json")), archive.read("index.html").decode()


@pytest.fixture
def world(group, member, facilitator):
    """The member's own things, and plenty of other people's around them."""
    other = MembershipFactory(group=group, user=UserFactory(display_name="Other Ola")).user
    private = GroupFactory(
        name="Quiet private circle", slug="quiet-private", visibility=Group.Visibility.UNLISTED
    )
    outsider = MembershipFactory(group=private).user
    # The member's own.
    mine_story = StoryFactory(
        group=group, author=member, title="My own title", body="MY-STORY-BODY", is_anonymous=True
    )
    others_story = StoryFactory(group=group, author=other, title="Ola's title", body="OLA-BODY")
    ReplyFactory(story=others_story, author=member, body="MY-REPLY-BODY")
    ReplyFactory(story=mine_story, author=other, body="OLA-REPLY-ON-MINE")
    Reaction.objects.create(user=member, story=others_story, kind="hear")
    _chat(group, member, "MY-CHAT-LINE", 1)
    _chat(group, other, "OLA-CHAT-LINE", 2)
    deleted = _chat(group, member, "MY-DELETED-CHAT", 3)
    deleted.deleted_at = timezone.now()
    deleted.save()
    report_create(reporter=member, content=others_story, reason="spam", note="MY-REPORT-NOTE")
    action = Action.objects.create(
        kind=Action.Kind.WARN, reason="OLA-NEVER", subject=member, group=group, actor=facilitator
    )
    AuthorNotice.objects.create(recipient=member, action=action, message="A-NOTICE-FOR-ME")
    # Someone else's private group: nothing of it may reach the member's export.
    secret = StoryFactory(group=private, author=outsider, title="SECRET-TITLE", body="SECRET-BODY")
    ReplyFactory(story=secret, author=outsider, body="SECRET-REPLY")
    _chat(private, outsider, "SECRET-CHAT", 1)
    return {"other": other, "private": private}


def test_export_holds_exactly_the_members_data_and_nothing_of_anyone_else(member, world):
    export, created = data_export_request(user=member)
    assert created
    data_export_build(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == DataExport.Status.READY
    data, index = _zip(export)

    assert data["profile"][0]["display_name"] == "Member Mo"
    assert data["profile"][0]["email"] == member.email
    assert [s["body"] for s in data["stories"]] == ["MY-STORY-BODY"]
    assert data["stories"][0]["posted_as_anonymous"] is True
    assert [(r["body"], r["in_story"]) for r in data["replies"]] == [
        ("MY-REPLY-BODY", "Ola's title")
    ]
    assert [r["in_story"] for r in data["reactions"]] == ["Ola's title"]
    assert [m["message"] for m in data["chat_messages"]] == ["MY-CHAT-LINE"]
    assert [r["your_note"] for r in data["reports_made"]] == ["MY-REPORT-NOTE"]
    assert [n["message"] for n in data["moderation_notices"]] == ["A-NOTICE-FOR-ME"]
    assert [m["group"] for m in data["memberships"]] == ["Living with anxiety"]
    assert any(
        p["kind"] == str(Kind.REPLY_TO_MY_STORY.label) for p in data["notification_preferences"]
    )

    everything = json.dumps(data) + index
    for foreign in (
        "OLA-BODY",
        "OLA-REPLY-ON-MINE",
        "OLA-CHAT-LINE",
        "OLA-NEVER",
        "Other Ola",
        "Facilitator Fen",
        "SECRET",
        "Quiet private circle",
        "MY-DELETED-CHAT",
    ):
        assert foreign not in everything, foreign
    # The readable index shows the same data.
    assert "MY-STORY-BODY" in index and "MY-CHAT-LINE" in index


def test_export_excludes_a_deleted_story(member, group):
    StoryFactory(group=group, author=member, body="GONE-STORY", is_deleted=True)
    export, _ = data_export_request(user=member)
    data_export_build(export_id=export.pk)
    export.refresh_from_db()
    data, _index = _zip(export)
    assert data["stories"] == []


def test_a_second_request_while_one_runs_returns_the_running_one(
    member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first, created = data_export_request(user=member)
    assert created and len(callbacks) == 1
    second, created_again = data_export_request(user=member)
    assert second.pk == first.pk and not created_again
    assert DataExport.objects.filter(user=member).count() == 1


def test_one_export_per_day(member):
    export, _ = data_export_request(user=member)
    data_export_build(export_id=export.pk)
    with pytest.raises(ExportTooSoon) as exc:
        data_export_request(user=member)
    assert exc.value.available_at == export.requested_at + timedelta(hours=24)
    DataExport.objects.filter(pk=export.pk).update(
        requested_at=timezone.now() - timedelta(hours=25)
    )
    _again, created = data_export_request(user=member)
    assert created


def test_build_is_idempotent_and_tells_the_member_once_without_content(
    member, world, django_capture_on_commit_callbacks, mailoutbox
):
    export, _ = data_export_request(user=member)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.data_export_build(export.pk) == "ready"
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.data_export_build(export.pk) == "nothing"
    notes = Notification.objects.filter(recipient=member, kind=Kind.DATA_EXPORT_READY)
    assert notes.count() == 1
    assert notes.get().url == reverse("accounts:data")
    sent = [m for m in mail.outbox if m.to == [member.email]]
    assert len(sent) == 1
    text = sent[0].subject + sent[0].body
    assert sent[0].subject == "Your copy of your data is ready"
    for secret in ("Living with anxiety", "MY-STORY-BODY", "MY-CHAT-LINE"):
        assert secret not in text
    export.refresh_from_db()
    assert list(Path(export_root()).glob("*.zip")) == [export_path(export)]


def test_requesting_through_the_page_queues_and_shows_the_running_one(
    client_for, member, django_capture_on_commit_callbacks
):
    client = client_for(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:data"))
    assert response.status_code == 302
    export = DataExport.objects.get(user=member)
    # Tasks run inline in tests: the copy is ready at once.
    assert export.status == DataExport.Status.READY
    page = client.get(reverse("accounts:data")).content.decode()
    assert reverse("accounts:data_download", kwargs={"token": export.token}) in page
    response = client.post(reverse("accounts:data"), follow=True)
    assert "one copy a day" in response.content.decode()
    assert DataExport.objects.filter(user=member).count() == 1


def test_the_page_shows_a_running_export_instead_of_the_button(client_for, member):
    DataExport.objects.create(user=member, token="t" * 40, status=DataExport.Status.RUNNING)
    page = client_for(member).get(reverse("accounts:data")).content.decode()
    assert "preparing the copy you asked for" in page
    assert "Prepare a copy of my data" not in page


@pytest.fixture
def ready_export(member, world):
    export, _ = data_export_request(user=member)
    data_export_build(export_id=export.pk)
    export.refresh_from_db()
    return export


def test_download_works_for_its_own_account(client_for, member, ready_export):
    response = client_for(member).get(
        reverse("accounts:data_download", kwargs={"token": ready_export.token})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    body = response.content
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert "MY-STORY-BODY" in archive.read("data.json").decode()


@pytest.mark.parametrize("who", ["other_member", "admin"])
def test_download_is_404_for_another_account(client_for, ready_export, who, admin, world):
    user = admin if who == "admin" else world["other"]
    response = client_for(user).get(
        reverse("accounts:data_download", kwargs={"token": ready_export.token})
    )
    assert response.status_code == 404


def test_download_is_404_for_a_tampered_link(client_for, member, ready_export):
    token = ready_export.token[:-1] + ("A" if ready_export.token[-1] != "A" else "B")
    response = client_for(member).get(reverse("accounts:data_download", kwargs={"token": token}))
    assert response.status_code == 404


def test_download_is_404_after_expiry_and_beat_deletes_the_file(client_for, member, ready_export):
    path = export_path(ready_export)
    assert path.is_file()
    url = reverse("accounts:data_download", kwargs={"token": ready_export.token})
    DataExport.objects.filter(pk=ready_export.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert client_for(member).get(url).status_code == 404
    assert tasks.data_exports_sweep() >= 1
    assert not path.exists()
    ready_export.refresh_from_db()
    assert ready_export.status == DataExport.Status.EXPIRED
    assert client_for(member).get(url).status_code == 404


def test_expiry_leaves_unexpired_exports_alone(member, ready_export):
    assert data_exports_expire() == 0
    assert export_path(ready_export).is_file()


def test_sweeper_re_enqueues_a_lost_pending_export(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        export, _ = data_export_request(user=member)  # the broker "lost" it: never ran
    DataExport.objects.filter(pk=export.pk).update(
        enqueued_at=timezone.now() - timedelta(minutes=5)
    )
    tasks.data_exports_sweep()
    export.refresh_from_db()
    assert export.status == DataExport.Status.READY


def test_the_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("accounts:data"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_membership_of_a_group_left_still_shows_in_own_export(member, group):
    Membership.objects.filter(user=member, group=group).update(status=Membership.Status.LEFT)
    export, _ = data_export_request(user=member)
    data_export_build(export_id=export.pk)
    export.refresh_from_db()
    data, _index = _zip(export)
    assert data["memberships"][0]["status"] == "Left the group"
