"""When an account is purged: moderation keeps its records, without the member's words.

Cases, held items and the audit log stay (they record what moderators did); the copies of the
member's text in them are emptied, their private notices go, and scans no longer name them. The
audit log is never changed: it points at the account row, which the purge empties of personal
data. Connected in ModerationConfig.ready().
"""

from peersupport.accounts.signals import account_may_reactivate, account_purging

from .models import AuthorNotice, Case, HeldItem, SafetyScan, SiteBan


def purge_member_moderation(sender: object, *, user_id: int, **kwargs) -> None:
    AuthorNotice.objects.filter(recipient_id=user_id).delete()
    Case.objects.filter(subject_id=user_id).update(content_title="", content_excerpt="")
    HeldItem.objects.filter(author_id=user_id).update(content_title="", content_excerpt="")
    SafetyScan.objects.filter(author_id=user_id).update(author=None)


def not_banned(sender: object, *, user_id: int, **kwargs) -> bool:
    """Cancelling a deletion must not lift a site ban placed during the grace period."""
    return not SiteBan.objects.filter(user_id=user_id, lifted_at__isnull=True).exists()


def connect() -> None:
    account_purging.connect(purge_member_moderation, dispatch_uid="moderation-account-purging")
    account_may_reactivate.connect(not_banned, dispatch_uid="moderation-may-reactivate")
