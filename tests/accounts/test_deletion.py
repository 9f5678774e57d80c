"""Account deletion: re-authentication, both choices, the grace period, the purge."""

import html
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from groups.chat.models import ChatMessage
from groups.models import Membership
from moderation.models import AuditLogEntry
from moderation.services.audit import audit_record
from peersupport.accounts import deletion, tasks
from peersupport.accounts.models import (
    AccountDeletion,
    ConsentRecord,
    DataExport,
    MemberSession,
    User,
)
from peersupport.accounts.privacy.consent import consent_give
from peersupport.accounts.privacy.export import data_export_build, data_export_request, export_path
from peersupport.notifications.models import Notification
from stories.models import Reaction, Reply, Story
from tests.factories import (
    TEST_PASSWORD,
    MembershipFactory,
    NotificationFactory,
    ReplyFactory,
    StoryFactory,
    UserFactory,
)

DELETE = reverse("accounts:delete")


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _post_delete(client: Client, **overrides) -> object:
    data = {"choice": "remove_all", "password": TEST_PASSWORD, "confirm": "on", **overrides}
    return client.post(DELETE, data)


def _due(d: AccountDeletion) -> None:
    AccountDeletion.objects.filter(pk=d.pk).update(
        purge_after=timezone.now() - timedelta(minutes=1)
    )


# --- the request ------------------------------------------------------------------------------
def test_wrong_password_shows_a_clear_error_and_changes_nothing(client_for, member):
    client = client_for(member)
    response = _post_delete(client, password="not-my-password")
    assert response.status_code == 400
    assert "That password doesn't match" in _text(response)
    assert "Nothing has been changed" in _text(response)
    member.refresh_from_db()
    assert member.is_active
    assert not AccountDeletion.objects.exists()
    # Still signed in.
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_a_choice_is_required_and_nothing_is_saved_without_it(client_for, member):
    response = _post_delete(client_for(member), choice="")
    assert response.status_code == 400
    assert "Please choose what should happen" in _text(response)
    assert not AccountDeletion.objects.exists()


def test_deleting_signs_out_everywhere_and_deactivates(client_for, member):
    phone = client_for(member)
    assert phone.get(reverse("accounts:profile")).status_code == 200
    laptop = client_for(member)
    response = _post_delete(laptop, choice="keep_replies")
    assert response.status_code == 302
    assert response.url == reverse("accounts:deletion_scheduled")
    member.refresh_from_db()
    assert not member.is_active
    d = AccountDeletion.objects.get(user=member)
    assert d.choice == AccountDeletion.Choice.KEEP_REPLIES
    assert d.status == AccountDeletion.Status.SCHEDULED
    assert abs(d.purge_after - (timezone.now() + timedelta(days=14))) < timedelta(minutes=1)
    # Both browsers are signed out, and no session row is left.
    for client in (laptop, phone):
        assert client.get(reverse("accounts:profile")).status_code == 302
    assert not MemberSession.objects.filter(user=member).exists()
    assert laptop.get(reverse("accounts:deletion_scheduled")).status_code == 200


def test_a_second_request_keeps_the_first(member):
    first = deletion.account_deletion_request(user=member, choice="remove_all")
    second = deletion.account_deletion_request(user=member, choice="keep_replies")
    assert first.pk == second.pk
    assert AccountDeletion.objects.get().choice == "remove_all"


@pytest.fixture
def mfa_member(member):
    secret = generate_totp_secret()
    TOTP.activate(member, secret)
    member.totp_secret = secret
    return member


def _current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))


def test_with_two_factor_set_up_the_code_is_required(client_for, mfa_member):
    client = client_for(mfa_member)
    assert "Code from your authenticator app" in _text(client.get(DELETE))
    response = _post_delete(client, code="000000")
    assert response.status_code == 400
    assert "That code doesn't match" in _text(response)
    assert not AccountDeletion.objects.exists()
    response = _post_delete(client, code=_current_code(mfa_member.totp_secret))
    assert response.status_code == 302
    assert AccountDeletion.objects.filter(user=mfa_member).exists()


def test_facilitators_are_not_told_who_left(client_for, member, facilitator):
    before_notes = Notification.objects.filter(recipient=facilitator).count()
    before_audit = AuditLogEntry.objects.count()
    d = deletion.account_deletion_request(user=member, choice="remove_all")
    group = member.memberships.get().group
    # The group page no longer lists them, and nothing announces it.
    page = client_for(facilitator).get(group.get_absolute_url()).content.decode()
    assert "Member Mo" not in page
    _due(d)
    assert deletion.account_purge(deletion_id=d.pk)
    assert Notification.objects.filter(recipient=facilitator).count() == before_notes
    assert AuditLogEntry.objects.count() == before_audit


# --- the grace period -------------------------------------------------------------------------
def _sign_in(client: Client, email: str, password: str = TEST_PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_signing_in_within_the_grace_period_and_confirming_cancels(client, member):
    email = member.email
    deletion.account_deletion_request(user=member, choice="remove_all")
    response = _sign_in(client, email)
    assert response.status_code == 302
    assert response.url == reverse("accounts:deletion_cancel")
    page = client.get(reverse("accounts:deletion_cancel"))
    assert page.status_code == 200
    assert "Keep your account?" in _text(page)
    response = client.post(reverse("accounts:deletion_cancel"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.is_active
    assert AccountDeletion.objects.get().status == AccountDeletion.Status.CANCELLED
    assert client.get(reverse("accounts:profile")).status_code == 200
    # A cancelled deletion is never purged.
    assert tasks.account_purges_due() == 0


def test_a_wrong_password_does_not_reach_the_cancel_page(client, member):
    deletion.account_deletion_request(user=member, choice="remove_all")
    _sign_in(client, member.email, "wrong-password-here")
    assert client.get(reverse("accounts:deletion_cancel")).status_code == 404
    member.refresh_from_db()
    assert not member.is_active


def test_cancelling_with_two_factor_needs_the_code(client, mfa_member):
    deletion.account_deletion_request(user=mfa_member, choice="remove_all")
    _sign_in(client, mfa_member.email)
    response = client.post(reverse("accounts:deletion_cancel"), {"code": "000000"})
    assert response.status_code == 400
    mfa_member.refresh_from_db()
    assert not mfa_member.is_active
    response = client.post(
        reverse("accounts:deletion_cancel"), {"code": _current_code(mfa_member.totp_secret)}
    )
    assert response.status_code == 302
    mfa_member.refresh_from_db()
    assert mfa_member.is_active


def test_after_the_grace_period_signing_in_cannot_cancel(client, member):
    d = deletion.account_deletion_request(user=member, choice="remove_all")
    _due(d)
    response = _sign_in(client, member.email)
    assert response.status_code == 302
    assert response.url == reverse("account_inactive")
    assert not deletion.account_deletion_cancel(user=member)


# --- the purge --------------------------------------------------------------------------------
@pytest.fixture
def written(group, member, facilitator):
    """Everything a member wrote: a story (with someone else's reply), a reply in someone
    else's thread, an anonymous story, a chat message, a reaction, a notification about them."""
    own = StoryFactory(group=group, author=member, title="My heavy week", body="A private week")
    others_reply_in_own = ReplyFactory(story=own, author=facilitator, body="Facilitator's words")
    anon = StoryFactory(
        group=group, author=member, is_anonymous=True, title="Anon title", body="anon body"
    )
    theirs = StoryFactory(group=group, author=facilitator, title="Fen's story", body="Fen text")
    my_reply = ReplyFactory(story=theirs, author=member, body="My kind reply to Fen")
    Story.objects.filter(pk=theirs.pk).update(reply_count=1)
    Reaction.objects.create(user=member, story=theirs, kind="hear")
    Story.objects.filter(pk=theirs.pk).update(reaction_count=1)
    chat = ChatMessage.objects.create(
        group=group, seq=1, author=member, client_id="c1", body="hello from Mo"
    )
    note = NotificationFactory(recipient=facilitator, target=my_reply, text="Member Mo replied")
    audit_record(actor=member, action="test.event", target=theirs, group=group)
    d = deletion.account_deletion_request(user=member, choice="remove_all")
    return {
        "own": own,
        "others_reply_in_own": others_reply_in_own,
        "anon": anon,
        "theirs": theirs,
        "my_reply": my_reply,
        "chat": chat,
        "note": note,
        "deletion": d,
    }


def _purge(written, choice: str, django_capture_on_commit_callbacks) -> None:
    AccountDeletion.objects.filter(pk=written["deletion"].pk).update(choice=choice)
    _due(written["deletion"])
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.account_purges_due() == 1


def _assert_account_row_anonymised(member: User) -> None:
    row = User.objects.get(pk=member.pk)
    assert row.email != "" and "example.org" not in row.email
    assert row.display_name != "Member Mo" and row.display_name.startswith("Former member")
    assert row.bio == "" and row.pronouns == ""
    assert not row.has_usable_password()
    assert not row.is_active and not row.is_staff
    assert row.handle != member.handle
    assert not EmailAddress.objects.filter(user=row).exists()
    assert not Authenticator.objects.filter(user=row).exists()
    assert not MemberSession.objects.filter(user=row).exists()
    assert not Membership.objects.filter(user=row).exists()


def test_purge_removing_everything(
    written, member, facilitator, client_for, django_capture_on_commit_callbacks
):
    member.bio = "I like walks"
    member.save()
    audit_rows = AuditLogEntry.objects.count()
    _purge(written, "remove_all", django_capture_on_commit_callbacks)
    _assert_account_row_anonymised(member)
    for key in ("own", "anon"):
        story = Story.objects.get(pk=written[key].pk)
        assert story.is_deleted and story.body == "" and story.author_id is None
        assert story.title not in ("My heavy week", "Anon title")
    reply = Reply.objects.get(pk=written["my_reply"].pk)
    assert reply.is_deleted and reply.body == "" and reply.author_id is None
    assert Story.objects.get(pk=written["theirs"].pk).reply_count == 0
    # Someone else's reply in the removed story stays theirs.
    kept = Reply.objects.get(pk=written["others_reply_in_own"].pk)
    assert kept.body == "Facilitator's words" and kept.author_id == facilitator.pk
    assert ChatMessage.objects.get(pk=written["chat"].pk).body == ""
    assert not Reaction.objects.filter(user_id=member.pk).exists()
    assert Story.objects.get(pk=written["theirs"].pk).reaction_count == 0
    assert not Notification.objects.filter(pk=written["note"].pk).exists()
    # The audit log keeps its rows; the actor is the emptied account row.
    assert AuditLogEntry.objects.count() == audit_rows
    assert AuditLogEntry.objects.filter(actor_id=member.pk).exists()
    page = client_for(facilitator).get(written["theirs"].get_absolute_url()).content.decode()
    assert "My kind reply to Fen" not in page
    search = client_for(facilitator).get(reverse("search"), {"q": "heavy"})
    assert "My heavy week" not in _text(search)
    assert AccountDeletion.objects.get().status == AccountDeletion.Status.DONE


def test_purge_keeping_replies_as_a_former_member(
    written, member, facilitator, client_for, django_capture_on_commit_callbacks
):
    _purge(written, "keep_replies", django_capture_on_commit_callbacks)
    _assert_account_row_anonymised(member)
    reply = Reply.objects.get(pk=written["my_reply"].pk)
    assert reply.body == "My kind reply to Fen" and not reply.is_deleted
    assert reply.author_id is None and not reply.is_anonymous
    page = client_for(facilitator).get(written["theirs"].get_absolute_url()).content.decode()
    assert "My kind reply to Fen" in page
    assert "A former member" in page
    assert "Member Mo" not in page
    # Their own stories go whichever they chose.
    assert Story.objects.get(pk=written["own"].pk).body == ""
    assert Story.objects.get(pk=written["anon"].pk).body == ""


def test_purge_waits_for_the_grace_period_and_runs_once(
    written, django_capture_on_commit_callbacks
):
    d = written["deletion"]
    assert not deletion.account_purge(deletion_id=d.pk)
    assert tasks.account_purges_due() == 0
    assert Story.objects.get(pk=written["own"].pk).body == "A private week"
    _due(d)
    assert tasks.account_purge(d.pk) is True
    assert tasks.account_purge(d.pk) is False
    assert AccountDeletion.objects.get(pk=d.pk).status == AccountDeletion.Status.DONE


def test_purged_member_cannot_sign_in(client, member):
    email = member.email
    d = deletion.account_deletion_request(user=member, choice="remove_all")
    _due(d)
    deletion.account_purge(deletion_id=d.pk)
    response = _sign_in(client, email)
    assert response.status_code == 200  # the sign-in form again: no such account
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_other_people_are_untouched(written, facilitator, django_capture_on_commit_callbacks):
    other = UserFactory(display_name="Bystander Bo")
    MembershipFactory(group=written["theirs"].group, user=other)
    _purge(written, "remove_all", django_capture_on_commit_callbacks)
    facilitator.refresh_from_db()
    assert facilitator.is_active and facilitator.display_name == "Facilitator Fen"
    assert Story.objects.get(pk=written["theirs"].pk).body == "Fen text"
    assert Membership.objects.filter(user=other).exists()


def test_repeated_wrong_passwords_are_paused_even_with_the_right_one_next(client_for, member):
    client = client_for(member)
    for _ in range(5):
        assert _post_delete(client, password="guess").status_code == 400
    response = _post_delete(client)
    assert response.status_code == 400
    assert "Please wait 15 minutes" in _text(response)
    member.refresh_from_db()
    assert member.is_active
    assert not AccountDeletion.objects.exists()


def test_a_ban_placed_during_the_grace_period_is_not_lifted_by_cancelling(client, member, admin):
    from moderation.models import SiteBan

    deletion.account_deletion_request(user=member, choice="remove_all")
    SiteBan.objects.create(user=member, reason="Harassment", actor=admin)
    response = _sign_in(client, member.email)
    assert response.url == reverse("account_inactive")
    assert client.get(reverse("accounts:deletion_cancel")).status_code == 404
    assert not deletion.account_deletion_cancel(user=member)
    member.refresh_from_db()
    assert not member.is_active


def test_purge_removes_consents_and_data_exports_with_their_files(
    written, django_capture_on_commit_callbacks
):
    d = written["deletion"]
    user = User.objects.get(pk=d.user_id)
    consent_give(user=user, source=ConsentRecord.Source.PROMPT)
    export, _created = data_export_request(user=user)
    data_export_build(export_id=export.pk)
    export.refresh_from_db()
    assert export.file_name and export_path(export).exists()
    _due(d)
    assert deletion.account_purge(deletion_id=d.pk)
    user.refresh_from_db()
    assert user.health_consent_at is None and user.health_consent_version is None
    assert not ConsentRecord.objects.filter(user=user).exists()
    assert not DataExport.objects.filter(user=user).exists()
    assert not export_path(export).exists()
