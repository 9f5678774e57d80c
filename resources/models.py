"""The resource library: articles, links and crisis lines; categories, tags, suggestions.

Resources sit above group core and may ask it questions (groups.permissions); group core never
imports resources. `GroupFeature` (the resources a group's facilitators chose) keys the group by
a plain id.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .countries import country_name


class Category(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("web address"), max_length=60, unique=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("resources:category", kwargs={"slug": self.slug})


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=40, unique=True)
    slug = models.SlugField(_("web address"), max_length=40, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("resources:tag", kwargs={"slug": self.slug})


class Resource(models.Model):
    class Kind(models.TextChoices):
        ARTICLE = "article", _("Article")
        LINK = "link", _("Link")
        CRISIS_LINE = "crisis_line", _("Crisis line")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.ARTICLE)
    title = models.CharField(_("title"), max_length=150)
    slug = models.SlugField(_("web address"), max_length=160, unique=True)
    summary = models.CharField(_("summary"), max_length=300)
    body = models.TextField(_("body"), max_length=20000, blank=True, help_text=_("Markdown."))
    body_html = models.TextField(editable=False, default="", blank=True)
    url = models.URLField(_("web address (link)"), max_length=500, blank=True)
    # Crisis lines
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    sms = models.CharField(_("text / SMS number"), max_length=30, blank=True)
    chat_url = models.URLField(_("web chat address"), max_length=500, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=120, blank=True)
    # ISO 3166-1 alpha-2 codes; an empty list means the line serves anyone, anywhere.
    countries = models.JSONField(_("countries"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    verified_on = models.DateField(_("details last verified"), null=True, blank=True)
    # Curation
    categories = models.ManyToManyField(
        Category, related_name="resources", blank=True, verbose_name=_("categories")
    )
    tags = models.ManyToManyField(Tag, related_name="resources", blank=True, verbose_name=_("tags"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    source_note = models.CharField(_("source or evidence"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["title"]
        indexes = [
            models.Index(fields=["status", "kind"], name="resources_status_kind_idx"),
            models.Index(fields=["status", "last_reviewed"], name="resources_review_idx"),
        ]
        constraints = [
            # A link must go somewhere; only http(s) ever reaches the database.
            models.CheckConstraint(
                condition=~Q(kind="link")
                | Q(url__startswith="http://")
                | Q(url__startswith="https://"),
                name="resources_link_has_http_url",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("resources:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_crisis_line(self) -> bool:
        return self.kind == self.Kind.CRISIS_LINE

    @property
    def tel_href(self) -> str:
        return (
            "tel:" + "".join(c for c in self.phone if c.isdigit() or c == "+") if self.phone else ""
        )

    @property
    def sms_href(self) -> str:
        return "sms:" + "".join(c for c in self.sms if c.isdigit() or c == "+") if self.sms else ""

    @property
    def country_names(self) -> list[str]:
        return [country_name(code) for code in self.countries]


class Suggestion(models.Model):
    class Kind(models.TextChoices):
        LINK = "link", _("A link to a resource")
        TOPIC = "topic", _("A topic we should cover")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    kind = models.CharField(
        _("what are you suggesting?"), max_length=10, choices=Kind.choices, default=Kind.LINK
    )
    title = models.CharField(_("title or topic"), max_length=150)
    url = models.URLField(_("web address (optional)"), max_length=500, blank=True)
    note = models.TextField(_("why it helps (optional)"), max_length=1000, blank=True)
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="resource_suggestions",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    resource = models.ForeignKey(
        Resource, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.title


class GroupFeature(models.Model):
    """A resource a group's facilitators chose to show on the group page."""

    # A plain id, not a foreign key (from when resources sat below groups; the column stayed).
    group_id = models.PositiveBigIntegerField(db_index=True)
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="group_features")
    position = models.PositiveSmallIntegerField(default=0)
    featured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["position", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["group_id", "resource"], name="resources_groupfeature_once_per_group"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource} in group {self.group_id}"


class ReminderLog(models.Model):
    """One row per ISO week a review reminder went out, so the weekly job sends once."""

    week = models.CharField(max_length=10, unique=True)
    sent_at = models.DateTimeField(default=timezone.now)
    resource_count = models.PositiveIntegerField(default=0)
    recipient_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return self.week
