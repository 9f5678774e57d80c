"""Account deletion: a request, a grace period in which the member may cancel, then a purge.

The request signs the member out everywhere and deactivates the account at once. After the
grace period the beat sweeper runs `account_purge`: each app removes or anonymises the member's
rows through the `account_purging` signal (content as the member chose), and the account row
itself is kept but emptied of personal data, so the append-only audit log keeps its rows and
foreign keys without anything that identifies the person.
"""

import logging
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import AccountDeletion, ConsentRecord, DataExport, MemberSession, User, new_handle
from .privacy.export import export_path
from .sessions import sessions_revoke
from .signals import account_deactivated, account_may_reactivate, account_purging

log = logging.getLogger(__name__)


def grace_days() -> int:
    return getattr(settings, "ACCOUNT_DELETION_GRACE_DAYS", 14)


def deletion_scheduled_for(user: User) -> AccountDeletion | None:
    """The member's scheduled deletion, if any."""
    return AccountDeletion.objects.filter(
        user=user, status=AccountDeletion.Status.SCHEDULED
    ).first()


def deletion_can_cancel(deletion: AccountDeletion | None, *, now=None) -> bool:
    """Within the grace period a scheduled deletion can still be cancelled, unless something
    else (a site ban placed meanwhile) keeps the account switched off."""
    now = now or timezone.now()
    if (
        deletion is None
        or deletion.status != AccountDeletion.Status.SCHEDULED
        or deletion.purge_after <= now
    ):
        return False
    answers = account_may_reactivate.send(sender=User, user_id=deletion.user_id)
    return all(answer is not False for _receiver, answer in answers)


@transaction.atomic
def account_deletion_request(*, user: User, choice: str) -> AccountDeletion:
    """Schedule the member's deletion: deactivate them and end every session now.

    Idempotent: a second request while one is scheduled returns the first unchanged.
    """
    if choice not in AccountDeletion.Choice.values:
        raise ValueError(f"unknown deletion choice {choice!r}")
    locked = User.objects.select_for_update().get(pk=user.pk)
    existing = deletion_scheduled_for(locked)
    if existing is not None:
        return existing
    now = timezone.now()
    deletion = AccountDeletion.objects.create(
        user=locked, choice=choice, requested_at=now, purge_after=now + timedelta(days=grace_days())
    )
    locked.is_active = False
    locked.save(update_fields=["is_active"])
    sessions_revoke(user=locked)
    user_id = locked.pk
    transaction.on_commit(lambda: account_deactivated.send(sender=User, user_id=user_id))
    return deletion


@transaction.atomic
def account_deletion_cancel(*, user: User) -> bool:
    """Cancel a scheduled deletion within the grace period and reactivate the account."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    deletion = (
        AccountDeletion.objects.select_for_update()
        .filter(user=locked, status=AccountDeletion.Status.SCHEDULED)
        .first()
    )
    if not deletion_can_cancel(deletion):
        return False
    deletion.status = AccountDeletion.Status.CANCELLED
    deletion.cancelled_at = timezone.now()
    deletion.save(update_fields=["status", "cancelled_at"])
    locked.is_active = True
    locked.save(update_fields=["is_active"])
    return True


def _anonymise(user: User) -> None:
    token = secrets.token_hex(6)
    user.email = f"former-{token}@deleted.invalid"
    user.display_name = f"Former member {token}"
    user.pronouns = ""
    user.bio = ""
    user.timezone = "UTC"
    user.handle = new_handle()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.health_consent_at = None
    user.health_consent_version = None
    user.consent_asked_at = None
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    sessions_revoke(user=user)
    MemberSession.objects.filter(user=user).delete()
    ConsentRecord.objects.filter(user=user).delete()
    # Their data exports: the ZIP files and the rows (a copy of everything they wrote).
    for export in DataExport.objects.filter(user=user):
        if export.file_name:
            export_path(export).unlink(missing_ok=True)
    DataExport.objects.filter(user=user).delete()


@transaction.atomic
def account_purge(*, deletion_id: int) -> bool:
    """Purge a deletion whose grace period is over; True if it ran, False if nothing to do."""
    deletion = (
        AccountDeletion.objects.select_for_update().select_related("user").filter(pk=deletion_id)
    ).first()
    if deletion is None or deletion.status != AccountDeletion.Status.SCHEDULED:
        return False
    if deletion.purge_after > timezone.now():
        return False
    user = User.objects.select_for_update().get(pk=deletion.user_id)
    account_purging.send(
        sender=User,
        user_id=user.pk,
        keep_replies=deletion.choice == AccountDeletion.Choice.KEEP_REPLIES,
    )
    _anonymise(user)
    deletion.status = AccountDeletion.Status.DONE
    deletion.purged_at = timezone.now()
    deletion.save(update_fields=["status", "purged_at"])
    log.info("account deletion %s purged", deletion.pk)
    return True


def deletions_due(*, now=None, limit: int = 200) -> list[int]:
    """Ids of scheduled deletions whose grace period is over (for the beat sweeper)."""
    now = now or timezone.now()
    return list(
        AccountDeletion.objects.filter(
            status=AccountDeletion.Status.SCHEDULED, purge_after__lte=now
        )
        .order_by("purge_after")
        .values_list("pk", flat=True)[:limit]
    )
