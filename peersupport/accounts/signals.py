"""Signals the accounts app sends; the apps above it (which it never imports) connect receivers
in their ready().

The accounts app imports nothing of ours, so when an account is purged each app removes or
anonymises its own rows for that member, inside the purge's transaction.
"""

from django.dispatch import Signal

# Sent after commit when a member's data export is ready: kwargs export_id, user_id.
data_export_ready = Signal()

# Sent inside the purge transaction with user_id=<int>, keep_replies=<bool>. Receivers must be
# idempotent (a purge that fails part way is retried) and must notify nobody: facilitators are
# not told who left.
account_purging = Signal()

# Sent after commit with user_id=<int> when an account is switched off for deletion: anything
# holding a live connection for that member (chat sockets) closes it.
account_deactivated = Signal()

# Sent with user_id=<int> before a cancelled deletion switches the account back on; a receiver
# returning False keeps it off (moderation: a site ban placed during the grace period).
account_may_reactivate = Signal()
