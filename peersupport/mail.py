"""The console e-mail backend, safe to leave on in production.

In development (DEBUG on) it prints each e-mail in full, like Django's. With DEBUG off it prints
only that an e-mail was not sent, with its subject and number of recipients: the body may hold
an e-mail confirmation or password reset link, which works like a password, and logs are read
by more people (and kept longer) than a mailbox.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.console import EmailBackend


class ConsoleEmailBackend(EmailBackend):
    def write_message(self, message: EmailMessage) -> None:
        if settings.DEBUG:
            super().write_message(message)
            return
        recipients = len(message.recipients())
        self.stream.write(
            f"E-mail not sent (console e-mail backend): subject {message.subject!r}, "
            f"{recipients} recipient(s). The body is withheld because it may contain a "
            "sign-in link; set EMAIL_HOST to send e-mail.\n"
        )
