import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from peersupport.accounts.models import User
from peersupport.demo import DEMO_PEOPLE


def test_seed_demo_is_idempotent_and_verifies_emails(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", "--quiet-logins")
    call_command("seed_demo", "--quiet-logins")
    assert User.objects.count() == len(DEMO_PEOPLE)
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == len(DEMO_PEOPLE)
    admin = User.objects.get(email="admin@example.org")
    assert admin.is_staff and admin.check_password(settings.DEMO_PASSWORD)
    assert User.objects.filter(is_staff=True).count() == 1


def test_seed_demo_refuses_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo")
    assert User.objects.count() == 0


def test_seed_demo_runs_with_force_when_debug_is_off(db, settings):
    settings.DEBUG = False
    call_command("seed_demo", "--force", "--quiet-logins")
    assert User.objects.count() == len(DEMO_PEOPLE)


@pytest.mark.django_db(transaction=True)
def test_seed_demo_sends_no_email(settings, mailoutbox):
    # Real commits, so after-commit work runs while the command runs, as it does for people.
    settings.DEBUG = True
    call_command("seed_demo", "--quiet-logins")
    assert mailoutbox == []
    from peersupport.notifications.models import Notification

    # The demo's events still reach the in-app notification centre.
    assert Notification.objects.exists()
