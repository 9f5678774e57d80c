"""The trust pages administrators may rewrite, and messages sent through the contact form."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CONTACT_MESSAGE_MAX = 3000


class SitePage(models.Model):
    """An administrator's own text for /about/, /guidelines/ or /terms/ (Markdown).

    Without a row the page shows the built-in text, filled in from settings (SITE_NAME,
    SITE_OPERATOR, CONTACT_EMAIL).
    """

    class Slug(models.TextChoices):
        ABOUT = "about", _("About this site")
        GUIDELINES = "guidelines", _("Community guidelines")
        TERMS = "terms", _("Terms of use")

    slug = models.CharField(_("page"), max_length=20, choices=Slug.choices, unique=True)
    body = models.TextField(
        _("text"),
        max_length=20000,
        help_text=_("Markdown. Replaces the built-in text of this page."),
    )
    body_html = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("page text")
        verbose_name_plural = _("page texts")

    def __str__(self) -> str:
        return str(self.get_slug_display())


class ContactMessage(models.Model):
    """A message to the administrators; they read it in the admin and are told in the app."""

    class Topic(models.TextChoices):
        QUESTION = "question", _("A question")
        ACCOUNT = "account", _("My account")
        PRIVACY = "privacy", _("Privacy or my data")
        CONCERN = "concern", _("A concern about the site or a group")
        FEEDBACK = "feedback", _("Feedback or an idea")
        OTHER = "other", _("Something else")

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reply_to = models.EmailField(_("reply to"), blank=True)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    message = models.TextField(_("message"), max_length=CONTACT_MESSAGE_MAX)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["sender", "created_at"], name="pages_contact_sender_idx")]
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")

    def __str__(self) -> str:
        return f"{self.get_topic_display()} ({self.created_at:%Y-%m-%d %H:%M})"
