"""Held posts (pre-moderation): a new post waits for a facilitator, who approves or declines it."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.permissions import check_moderate_group
from peersupport.accounts.models import User

from .. import registry, signals
from ..models import Action, HeldItem
from .audit import audit_record
from .base import ModerationError, _content_of, _in_group, _notice


@transaction.atomic
def held_item_create(*, content: Any, reason: str, detail: str = "") -> HeldItem:
    """Hold a new post for a facilitator (content services call this after saving it)."""
    adapter = registry.adapter_for(content)
    group = adapter.group(content)
    author = adapter.author(content)
    if group is None or author is None or not adapter.can_hold:
        raise ModerationError(_("This item can't be held for review."))
    content_type = ContentType.objects.get_for_model(content)
    existing = HeldItem.objects.filter(
        content_type=content_type, object_id=content.pk, status=HeldItem.Status.PENDING
    ).first()
    if existing is not None:
        return existing
    adapter.hold(content)
    item = HeldItem.objects.create(
        content_type=content_type,
        object_id=content.pk,
        group=group,
        author=author,
        reason=HeldItem.Reason(reason),
        detail=detail[:200],
        content_title=adapter.title(content)[:200],
        content_excerpt=adapter.excerpt(content),
    )
    audit_record(
        actor=None,
        action="held.create",
        target=content,
        group=group,
        reason=reason,
        after={"held_item": item.pk},
    )
    transaction.on_commit(
        lambda: signals.held_item_created.send(HeldItem, held_item_id=item.pk, group_id=group.pk)
    )
    return item


def _locked_held(item: HeldItem) -> HeldItem:
    item = (
        HeldItem.objects.select_for_update(of=("self",))
        .select_related("group", "author")
        .get(pk=item.pk)
    )
    if item.status != HeldItem.Status.PENDING:
        raise ModerationError(_("A facilitator has already decided on this post."))
    return item


@transaction.atomic
def held_post_approve(*, actor: User, item: HeldItem, note: str = "") -> Action:
    """Publish a held post and tell its author."""
    check_moderate_group(actor, item.group)
    item = _locked_held(item)
    content_type = ContentType.objects.get_for_id(item.content_type_id)
    obj, adapter = _content_of(item)
    if obj is not None:
        adapter.release(obj)
    item.status = HeldItem.Status.APPROVED
    item.decided_by = actor
    item.decided_at = timezone.now()
    item.note = note
    item.save(update_fields=["status", "decided_by", "decided_at", "note"])
    action = Action.objects.create(
        held_item=item,
        actor=actor,
        subject=item.author,
        group=item.group,
        kind=Action.Kind.APPROVE_HELD,
        reason=note or _("Approved."),
        note_to_author=note,
    )
    _notice(
        action=action,
        recipient=item.author,
        headline=_("Your post “%(title)s” is now visible in %(group)s.")
        % _in_group(item.content_title, item.group),
    )
    audit_record(
        actor=actor,
        action="held.approve",
        target=obj or item,
        group=item.group,
        reason=note,
        before={"status": HeldItem.Status.PENDING},
        after={"status": item.status, "content_type": content_type.pk},
    )
    return action


@transaction.atomic
def held_post_decline(*, actor: User, item: HeldItem, note: str, reason_code: str = "") -> Action:
    """Decline a held post with a note to its author; it stays unpublished."""
    check_moderate_group(actor, item.group)
    item = _locked_held(item)
    obj, _adapter = _content_of(item)
    item.status = HeldItem.Status.DECLINED
    item.decided_by = actor
    item.decided_at = timezone.now()
    item.note = note
    item.save(update_fields=["status", "decided_by", "decided_at", "note"])
    action = Action.objects.create(
        held_item=item,
        actor=actor,
        subject=item.author,
        group=item.group,
        kind=Action.Kind.DECLINE_HELD,
        reason_code=reason_code,
        reason=note,
        note_to_author=note,
    )
    # The note is the headline itself ("… was not published: <note>"), so it is not repeated.
    action.note_to_author = ""
    _notice(
        action=action,
        recipient=item.author,
        headline=_("Your post “%(title)s” was not published in %(group)s: %(note)s")
        % {**_in_group(item.content_title, item.group), "note": note},
    )
    action.note_to_author = note
    audit_record(
        actor=actor,
        action="held.decline",
        target=obj or item,
        group=item.group,
        reason=note,
        before={"status": HeldItem.Status.PENDING},
        after={"status": item.status},
    )
    return action
