"""Every write to the library. Each service is atomic and re-checks who may do it."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

# Resources sit above group core: who may do what is asked of the one permissions module.
from groups.models import Group
from groups.permissions import check_moderate_group, is_site_admin, site_admins
from peersupport.accounts.models import User
from peersupport.markdown import render_markdown

from .models import Category, GroupFeature, ReminderLog, Resource, Suggestion, Tag
from .selectors import HELP_CACHE_KEY, featured_for_group, resources_due_for_review

REVIEW_AFTER_DAYS = 365

RESOURCE_FIELDS = (
    "kind",
    "title",
    "summary",
    "body",
    "url",
    "phone",
    "sms",
    "chat_url",
    "opening_hours",
    "countries",
    "languages",
    "verified_on",
    "source_note",
)


def _require_admin(actor: User | None) -> None:
    if not is_site_admin(actor):
        raise PermissionDenied(_("Only administrators can curate the library."))


def _forget_help_cache() -> None:
    # The help page caches crisis lines; any change to the library may change them.
    transaction.on_commit(lambda: cache.delete(HELP_CACHE_KEY))


def _unique_slug(title: str, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:140] or "resource"
    slug, n = base, 2
    qs = Resource.objects.all()
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    while qs.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def tags_get_or_create(names: Iterable[str]) -> list[Tag]:
    """Tags by name, creating the missing ones (names are validated by the form)."""
    tags = []
    for name in names:
        slug = slugify(name)[:40]
        if slug:
            tag, _created = Tag.objects.get_or_create(slug=slug, defaults={"name": name[:40]})
            tags.append(tag)
    return tags


def _apply(resource: Resource, data: dict[str, Any]) -> None:
    for name in RESOURCE_FIELDS:
        if name in data:
            setattr(resource, name, data[name])
    resource.body_html = (
        render_markdown(resource.body) if resource.kind == Resource.Kind.ARTICLE else ""
    )


@transaction.atomic
def resource_create(
    *,
    actor: User,
    data: dict[str, Any],
    categories: Iterable[Category] = (),
    tag_names: Iterable[str] = (),
) -> Resource:
    """Create a draft resource; the author is the administrator who wrote it."""
    _require_admin(actor)
    resource = Resource(author=actor, status=Resource.Status.DRAFT)
    _apply(resource, data)
    resource.slug = _unique_slug(resource.title)
    resource.full_clean(exclude=["categories", "tags"])
    resource.save()
    resource.categories.set(categories)
    resource.tags.set(tags_get_or_create(tag_names))
    return resource


@transaction.atomic
def resource_update(
    *,
    actor: User,
    resource: Resource,
    data: dict[str, Any],
    categories: Iterable[Category] = (),
    tag_names: Iterable[str] = (),
) -> Resource:
    """Change a resource's content; the web address stays so links keep working."""
    _require_admin(actor)
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    _apply(resource, data)
    resource.updated_at = timezone.now()
    resource.full_clean(exclude=["categories", "tags"])
    resource.save()
    resource.categories.set(categories)
    resource.tags.set(tags_get_or_create(tag_names))
    _forget_help_cache()
    return resource


@transaction.atomic
def resource_publish(*, actor: User, resource: Resource) -> Resource:
    """Publish a resource; publishing counts as a review by this administrator today."""
    _require_admin(actor)
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    now = timezone.now()
    resource.status = Resource.Status.PUBLISHED
    resource.published_at = resource.published_at or now
    resource.reviewer = actor
    resource.last_reviewed = timezone.localdate(now)
    resource.save(update_fields=["status", "published_at", "reviewer", "last_reviewed"])
    _forget_help_cache()
    return resource


@transaction.atomic
def resource_archive(*, actor: User, resource: Resource) -> Resource:
    """Take a resource out of the library (and off group pages) without deleting it."""
    _require_admin(actor)
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    resource.status = Resource.Status.ARCHIVED
    resource.save(update_fields=["status"])
    _forget_help_cache()
    return resource


@transaction.atomic
def resource_mark_reviewed(
    *, actor: User, resource: Resource, on: datetime.date | None = None
) -> Resource:
    """Record that an administrator checked the resource is still right."""
    _require_admin(actor)
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    resource.reviewer = actor
    resource.last_reviewed = on or timezone.localdate()
    fields = ["reviewer", "last_reviewed"]
    if resource.is_crisis_line:
        # Reviewing a crisis line means its numbers were checked.
        resource.verified_on = resource.last_reviewed
        fields.append("verified_on")
    resource.save(update_fields=fields)
    _forget_help_cache()
    return resource


@transaction.atomic
def category_create(*, actor: User, name: str, description: str = "") -> Category:
    """Add a category to the library."""
    _require_admin(actor)
    slug = slugify(name)[:60] or "category"
    category, _created = Category.objects.get_or_create(
        slug=slug, defaults={"name": name, "description": description}
    )
    return category


@transaction.atomic
def suggestion_create(
    *, author: User, kind: str, title: str, url: str = "", note: str = ""
) -> Suggestion:
    """A member suggests a link or a topic for administrators to review."""
    if author is None or not author.is_authenticated or not author.is_active:
        raise PermissionDenied
    return Suggestion.objects.create(
        kind=kind, title=title, url=url, note=note, suggested_by=author
    )


@transaction.atomic
def suggestion_accept(*, actor: User, suggestion: Suggestion) -> Resource:
    """Accept a suggestion: it becomes a draft resource for an administrator to finish."""
    _require_admin(actor)
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status == Suggestion.Status.ACCEPTED and suggestion.resource_id:
        return suggestion.resource  # a double click accepts once
    if suggestion.status != Suggestion.Status.PENDING:
        raise PermissionDenied(_("This suggestion has already been decided."))
    is_link = suggestion.kind == Suggestion.Kind.LINK and suggestion.url
    resource = Resource.objects.create(
        kind=Resource.Kind.LINK if is_link else Resource.Kind.ARTICLE,
        title=suggestion.title,
        slug=_unique_slug(suggestion.title),
        summary=(suggestion.note or suggestion.title)[:300],
        url=suggestion.url if is_link else "",
        author=actor,
        status=Resource.Status.DRAFT,
        source_note=_("Suggested by a member."),
    )
    suggestion.status = Suggestion.Status.ACCEPTED
    suggestion.decided_by = actor
    suggestion.decided_at = timezone.now()
    suggestion.resource = resource
    suggestion.save(update_fields=["status", "decided_by", "decided_at", "resource"])
    return resource


@transaction.atomic
def suggestion_decline(*, actor: User, suggestion: Suggestion) -> Suggestion:
    """Decline a suggestion; it leaves the queue."""
    _require_admin(actor)
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status == Suggestion.Status.PENDING:
        suggestion.status = Suggestion.Status.DECLINED
        suggestion.decided_by = actor
        suggestion.decided_at = timezone.now()
        suggestion.save(update_fields=["status", "decided_by", "decided_at"])
    return suggestion


def iso_week(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def review_reminder_send(*, now: datetime.datetime | None = None) -> int:
    """E-mail administrators the resources due for review, once per ISO week; returns e-mails sent."""
    now = now or timezone.now()
    week = iso_week(timezone.localdate(now))
    with transaction.atomic():
        stale = list(resources_due_for_review(today=timezone.localdate(now)))
        if not stale:
            return 0
        recipients = [u.email for u in site_admins() if u.email]
        try:
            with transaction.atomic():
                ReminderLog.objects.create(
                    week=week,
                    sent_at=now,
                    resource_count=len(stale),
                    recipient_count=len(recipients),
                )
        except IntegrityError:
            return 0  # already sent this week
        base = settings.SITE_URL.rstrip("/")
        lines = [
            f"- {r.title} (last reviewed {r.last_reviewed or 'never'}): {base}{reverse('resources:staff_edit', kwargs={'pk': r.pk})}"
            for r in stale
        ]
        body = (
            _(
                "These resources have not been reviewed for a year. Please check they are still accurate:"
            )
            + "\n\n"
            + "\n".join(lines)
        )
        subject = _("Resources due for review")
        transaction.on_commit(
            lambda: (
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
                if recipients
                else None
            )
        )
    return len(recipients)


# --- resources featured on a group's page ---------------------------------------------------
MAX_FEATURED = 12


class FeatureLimitReached(Exception):
    """The group already features as many resources as it may; `message` is kind to show."""

    def __init__(self) -> None:
        self.message = _("This group already features %(n)d resources. Remove one first.") % {
            "n": MAX_FEATURED
        }
        super().__init__(self.message)


@transaction.atomic
def resource_feature_for_group(*, actor: User, group: Group, resource: Resource) -> GroupFeature:
    """Feature a published resource on the group page (idempotent); facilitators only."""
    check_moderate_group(actor, group)
    if resource.status != Resource.Status.PUBLISHED:
        raise Http404
    if len(featured_for_group(group.pk)) >= MAX_FEATURED:
        raise FeatureLimitReached
    existing = GroupFeature.objects.filter(group_id=group.pk, resource=resource).first()
    if existing is not None:
        return existing
    last = GroupFeature.objects.filter(group_id=group.pk).aggregate(m=Max("position"))["m"]
    return GroupFeature.objects.create(
        group_id=group.pk,
        resource=resource,
        featured_by=actor,
        position=0 if last is None else last + 1,
    )


@transaction.atomic
def resource_unfeature_for_group(*, actor: User, group: Group, resource: Resource) -> None:
    """Stop featuring a resource on the group page; facilitators only."""
    check_moderate_group(actor, group)
    GroupFeature.objects.filter(group_id=group.pk, resource=resource).delete()
