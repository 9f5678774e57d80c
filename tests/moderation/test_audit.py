"""Every service writes an audit row; the audit log is append-only in the ORM and the database."""

import importlib
import inspect
import pkgutil
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from moderation import services
from moderation.models import (
    AppendOnlyError,
    AuditLogEntry,
    Case,
    CaseFollowUp,
    HeldItem,
    Reason,
    WatchedWord,
)
from tests.content import make_post
from tests.factories import MembershipFactory, UserFactory


def public_services() -> set[str]:
    """Public functions defined in the moderation/services/ modules (re-exported reads are not
    services)."""
    names = set()
    for info in pkgutil.iter_modules(services.__path__):
        module = importlib.import_module(f"{services.__name__}.{info.name}")
        names |= {
            name
            for name, fn in inspect.getmembers(module, inspect.isfunction)
            if not name.startswith("_") and fn.__module__ == module.__name__
        }
    return names


def test_the_package_offers_every_service_by_name():
    assert {name for name in public_services() if not hasattr(services, name)} == set()


@pytest.fixture
def calls(group, member, facilitator, admin):
    """One valid call per service; each returns nothing of interest."""

    def reporter():
        return MembershipFactory(group=group).user

    def case():
        post = make_post(group=group, author=MembershipFactory(group=group).user)
        return services.report_create(reporter=reporter(), content=post, reason=Reason.SPAM).case

    def hidden_action():
        target = MembershipFactory(group=group).user
        post = make_post(group=group, author=target)
        c = services.report_create(reporter=reporter(), content=post, reason=Reason.SPAM).case
        return target, services.content_hide(actor=facilitator, case=c, reason="spam")

    def appeal():
        target, action = hidden_action()
        return services.appeal_create(author=target, action=action, text="please")

    def held():
        return services.held_item_create(
            content=make_post(group=group, author=MembershipFactory(group=group).user),
            reason="first_post",
        )

    def closed_risk_case():
        post = make_post(group=group, author=MembershipFactory(group=group).user)
        c = services.report_create(reporter=reporter(), content=post, reason=Reason.RISK).case
        return services.case_dismiss(actor=facilitator, case=c, reason="reached out")

    def word():
        return services.watched_word_create(
            actor=admin, phrase=f"w{WatchedWord.objects.count()}x", action="flag"
        )

    return {
        "report_create": lambda: services.report_create(
            reporter=reporter(), content=make_post(group=group, author=member), reason=Reason.OTHER
        ),
        "case_open": lambda: services.case_open(
            content=make_post(group=group, author=member), source=Case.Source.SAFETY_SCAN
        ),
        "case_claim": lambda c=None: services.case_claim(actor=facilitator, case=case()),
        "case_debrief_request": lambda: services.case_debrief_request(
            actor=facilitator, case=closed_risk_case()
        ),
        "case_dismiss": lambda: services.case_dismiss(
            actor=facilitator, case=case(), reason="fine"
        ),
        "content_hide": lambda: services.content_hide(
            actor=facilitator, case=case(), reason="r", pending=True
        ),
        "content_restore": lambda: services.content_restore(
            actor=facilitator, case=case(), reason="r"
        ),
        "content_remove": lambda: services.content_remove(
            actor=facilitator, content=make_post(group=group, author=member), reason="r"
        ),
        "content_redact": lambda: services.content_redact(
            actor=facilitator, case=case(), new_text="[removed]", reason="r"
        ),
        "member_warn": lambda: services.member_warn(
            actor=facilitator, subject=member, group=group, reason="r"
        ),
        "member_mute": lambda: services.member_mute(
            actor=facilitator,
            group=group,
            subject=member,
            until=timezone.now() + timedelta(hours=1),
            reason="r",
        ),
        "member_remove": lambda: services.member_remove(
            actor=facilitator, group=group, subject=member, reason="r"
        ),
        "action_record": lambda: services.action_record(
            actor=facilitator,
            action="thread.slow_mode",
            target=group,
            group=group,
            after={"minutes": 5},
        ),
        "member_unmute": lambda: services.member_unmute(
            actor=facilitator,
            group=group,
            subject=MembershipFactory(group=group, status="muted").user,
        ),
        "member_reinstate": lambda: services.member_reinstate(
            actor=facilitator,
            group=group,
            subject=MembershipFactory(group=group, status="removed").user,
        ),
        "member_ban": lambda: services.member_ban(actor=admin, subject=UserFactory(), reason="r"),
        "member_unban": lambda: services.member_unban(
            actor=admin, subject=UserFactory(is_active=False), reason="r"
        ),
        "support_case_open": lambda: services.support_case_open(member=member, group=group),
        "audit_record": lambda: services.audit_record(
            actor=None, action="test.record", target=group, group=group
        ),
        "held_item_create": held,
        "held_post_approve": lambda: services.held_post_approve(actor=facilitator, item=held()),
        "held_post_decline": lambda: services.held_post_decline(
            actor=facilitator, item=held(), note="sorry"
        ),
        "appeal_create": appeal,
        "appeal_decide": lambda: services.appeal_decide(
            actor=admin, appeal=appeal(), overturn=False, note="kept"
        ),
        "watched_word_create": word,
        "watched_word_delete": lambda: services.watched_word_delete(actor=admin, word=word()),
        "moderator_note_create": lambda: services.moderator_note_create(
            actor=facilitator, group=group, subject=member, text="n"
        ),
        "group_settings_update": lambda: services.group_settings_update(
            actor=facilitator, group=group, premoderation=True, thread_slow_mode_minutes=0
        ),
        "case_incident_act": lambda: services.case_incident_act(
            actor=facilitator,
            case=case(),
            reason="r",
            reason_code=Reason.SPAM,
            content="hide",
            warn=True,
        ),
        "case_hand_over": lambda: services.case_hand_over(
            actor=facilitator, case=case(), note="please look"
        ),
        "case_follow_up_plan": lambda: services.case_follow_up_plan(
            actor=facilitator, case=case(), due_at=timezone.now() + timedelta(hours=4)
        ),
        "case_follow_up_remind": lambda: services.case_follow_up_remind(
            follow_up_id=CaseFollowUp.objects.create(
                case=case(), owner=facilitator, due_at=timezone.now() - timedelta(minutes=1)
            ).pk
        ),
        "staff_message_send": lambda: services.staff_message_send(
            actor=facilitator, group=group, member=member, body="How are you doing?"
        ),
        "staff_message_reply": lambda: services.staff_message_reply(
            member=member,
            thread=services.staff_message_send(
                actor=facilitator, group=group, member=member, body="Hello"
            ).thread,
            body="Thank you",
        ),
    }


def test_every_service_has_a_call_in_this_test(calls):
    assert public_services() == set(calls), "add the new service to the audit walk"


@pytest.mark.parametrize("name", sorted(public_services()))
def test_every_service_writes_an_audit_row_in_its_transaction(name, calls):
    # Build what the call needs first, then count only the rows its own service adds.
    fn = calls[name]
    original = getattr(services, name)
    written: list[int] = []

    def counting(*args, **kwargs):
        before = AuditLogEntry.objects.count()
        result = original(*args, **kwargs)
        written.append(AuditLogEntry.objects.count() - before)
        return result

    setattr(services, name, counting)
    try:
        fn()
    finally:
        setattr(services, name, original)
    assert written and written[-1] >= 1, f"{name} wrote no audit row"


def test_a_refused_service_writes_nothing(group, member, post):
    before = AuditLogEntry.objects.count()
    with pytest.raises(services.SelfReport):
        services.report_create(reporter=member, content=post, reason=Reason.SPAM)
    assert AuditLogEntry.objects.count() == before


def test_audit_rows_cannot_be_changed_or_deleted_through_the_orm(admin):
    services.watched_word_create(actor=admin, phrase="spam link", action="flag")
    entry = AuditLogEntry.objects.get()
    entry.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditLogEntry.objects.filter(pk=entry.pk).update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditLogEntry.objects.all().delete()
    entry.refresh_from_db()
    assert entry.reason == "" and AuditLogEntry.objects.count() == 1


def test_admin_for_the_audit_log_is_read_only(admin, client_for):
    services.watched_word_create(actor=admin, phrase="spam link", action="flag")
    entry = AuditLogEntry.objects.get()
    client = client_for(admin)
    assert client.get("/admin/moderation/auditlogentry/").status_code == 200
    response = client.post(f"/admin/moderation/auditlogentry/{entry.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditLogEntry.objects.filter(pk=entry.pk).exists()


def test_deleting_a_member_keeps_their_audit_rows(group, member, facilitator):
    services.member_warn(actor=facilitator, subject=member, group=group, reason="r")
    facilitator.delete()
    entry = AuditLogEntry.objects.select_related("actor").get(action="member.warn")
    assert entry.actor is None and entry.actor_repr == "Facilitator Fen"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE moderation_auditlogentry SET reason = 'x'",
        "DELETE FROM moderation_auditlogentry",
    ],
)
def test_postgresql_trigger_refuses_raw_update_and_delete(admin, sql):
    from django.db.utils import DatabaseError

    services.watched_word_create(actor=admin, phrase="spam link", action="flag")
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditLogEntry.objects.get().reason == ""


def test_held_item_create_is_idempotent(group, member):
    post = make_post(group=group, author=member)
    first = services.held_item_create(content=post, reason=HeldItem.Reason.FIRST_POST)
    assert services.held_item_create(content=post, reason=HeldItem.Reason.FIRST_POST).pk == first.pk


def test_the_safety_scan_writes_cases_and_audit_rows_only_through_the_services():
    import ast
    from pathlib import Path

    from moderation import safety

    tree = ast.parse(Path(safety.__file__).read_text())
    direct = [
        f"line {node.lineno}: {node.value.value.id}.objects.{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "objects"
        and isinstance(node.value.value, ast.Name)
        and node.value.value.id in ("Case", "AuditLogEntry")
        and node.attr in ("create", "get_or_create", "update_or_create", "update")
    ]
    private = [
        f"line {node.lineno}: {node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr.startswith("_audit")
    ]
    assert direct == [] and private == []
