"""Encryption at rest: round trip, key rotation, and the raw column never holding the text."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from peersupport.safety_plan import crypto
from peersupport.safety_plan.content import Contact, PlanContent
from peersupport.safety_plan.models import SafetyPlan
from peersupport.safety_plan.selectors import safety_plan_get_for_owner
from peersupport.safety_plan.services import safety_plan_reencrypt_all, safety_plan_save

SECRET_WORDS = "my grandmother's garden in Ystradgynlais"


def _content() -> PlanContent:
    return PlanContent(
        warning_signs=["Not sleeping"],
        coping=["Walk to " + SECRET_WORDS],
        people=[Contact("Auntie Bryony", "+44 7700 900123")],
        reasons=["Seeing the sea again"],
    )


def _raw_column(plan_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT ciphertext FROM safety_plan_safetyplan WHERE id = %s", [plan_id])
        return cursor.fetchone()[0]


def test_a_saved_plan_reads_back_the_same(member):
    safety_plan_save(owner=member, content=_content())
    own = safety_plan_get_for_owner(owner=member)
    assert own.exists and own.content == _content()


def test_the_raw_column_never_contains_the_text(member):
    plan = safety_plan_save(owner=member, content=_content())
    raw = _raw_column(plan.pk)
    for words in (SECRET_WORDS, "Ystradgynlais", "Auntie Bryony", "7700 900123", "sea again"):
        assert words not in raw
    # A Fernet token, not JSON or any readable encoding of it.
    assert raw.startswith("gAAAAA") and "{" not in raw
    # Nothing else of the plan's row holds it either.
    row = SafetyPlan.objects.filter(pk=plan.pk).values().get()
    assert not any(SECRET_WORDS in str(value) for value in row.values())


def test_key_rotation_keeps_old_plans_readable_and_reencrypts_with_the_newest(member, settings):
    old_key = settings.SAFETY_PLAN_KEYS[0]
    plan = safety_plan_save(owner=member, content=_content())
    updated_at = SafetyPlan.objects.get(pk=plan.pk).updated_at
    new_key = Fernet.generate_key().decode()
    settings.SAFETY_PLAN_KEYS = [new_key, old_key]
    # Still readable with the old key behind the new one.
    assert safety_plan_get_for_owner(owner=member).content == _content()
    assert safety_plan_reencrypt_all() == (1, 0)
    # Now only the new key is needed, and the member's "last updated" did not move.
    settings.SAFETY_PLAN_KEYS = [new_key]
    assert safety_plan_get_for_owner(owner=member).content == _content()
    assert SafetyPlan.objects.get(pk=plan.pk).updated_at == updated_at
    settings.SAFETY_PLAN_KEYS = [old_key]
    with pytest.raises(crypto.PlanUnreadable):
        crypto.decrypt(SafetyPlan.objects.get(pk=plan.pk).ciphertext)


def test_without_the_right_key_the_page_says_so_and_the_command_leaves_it_alone(
    member, settings, client_for
):
    plan = safety_plan_save(owner=member, content=_content())
    before = _raw_column(plan.pk)
    settings.SAFETY_PLAN_KEYS = [Fernet.generate_key().decode()]
    own = safety_plan_get_for_owner(owner=member)
    assert own.unreadable and not own.exists
    html = client_for(member).get("/me/safety-plan/").content.decode()
    assert "can't open your plan right now" in html
    # Editing would overwrite it: the form is not offered until the key is back.
    assert client_for(member).post("/me/safety-plan/edit/", {"coping": "New"}).status_code == 302
    with pytest.raises(CommandError, match="1 plan"):
        call_command("safety_plan_reencrypt")
    assert _raw_column(plan.pk) == before


def test_the_management_command_reencrypts(member, settings, capsys):
    safety_plan_save(owner=member, content=_content())
    settings.SAFETY_PLAN_KEYS = [Fernet.generate_key().decode(), *settings.SAFETY_PLAN_KEYS]
    call_command("safety_plan_reencrypt")
    out = capsys.readouterr().out
    assert "Re-encrypted 1 safety plan" in out
    assert SECRET_WORDS not in out
    settings.SAFETY_PLAN_KEYS = settings.SAFETY_PLAN_KEYS[:1]
    assert safety_plan_get_for_owner(owner=member).content == _content()
