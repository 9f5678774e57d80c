"""Moderation's signals → the notification centre. Connected in ModerationConfig.ready().

Receivers get ids only and reload what they need. Texts never quote the post: a case title is
the only detail, and e-mails leave even that out unless the member opted in.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from django.urls import reverse
from django.utils.translation import gettext as _

from peersupport.notifications import services as notifications
from peersupport.notifications.models import Kind

from . import signals
from .models import (
    Action,
    Appeal,
    AuthorNotice,
    Case,
    CaseFollowUp,
    HeldItem,
    Report,
    StaffMessage,
)

log = logging.getLogger(__name__)


def _never_breaks(receiver: Callable[..., None]) -> Callable[..., None]:
    """A notification that fails is logged: the moderation decision already committed must stand."""

    @functools.wraps(receiver)
    def wrapper(*args, **kwargs) -> None:
        try:
            receiver(*args, **kwargs)
        except Exception:  # noqa: BLE001
            log.exception("notification for %s failed", receiver.__name__)

    return wrapper


def _notify_case_moderators(
    case: Case, *, text: str, exclude_user_id: int | None, kind: str = Kind.NEW_REPORT
) -> None:
    """A group's case goes to its facilitators on duty; a site-wide one (a profile) to
    administrators. An urgent one that reached no facilitator goes to the administrators."""
    url = case.get_absolute_url()
    sent = []
    if case.group is not None:
        sent = notifications.notify_group_moderators(
            group=case.group,
            kind=kind,
            url=url,
            text=text,
            target=case,
            exclude_user_id=exclude_user_id,
        )
    if case.group is None or (not sent and kind == Kind.URGENT_FLAG):
        notifications.notify_site_admins(
            kind=kind,
            url=url,
            text=text,
            target=case,
            group=case.group,
            exclude_user_id=exclude_user_id,
        )


@_never_breaks
def report_created_notify(sender, *, report_id: int, **kwargs) -> None:
    """A member's report: the case's moderators hear once per case while unread."""
    report = Report.objects.select_related("case__group").filter(pk=report_id).first()
    if report is None or not report.case.is_open:
        return
    case = report.case
    if case.is_urgent:
        text = _("Urgent: a %(noun)s was reported as a possible risk. Please look soon.")
    else:
        text = _("A %(noun)s was reported and is waiting for review.")
    _notify_case_moderators(
        case,
        text=text % {"noun": case.content_noun or _("post")},
        exclude_user_id=report.reporter_id,
        # A risk report is an urgent alert, with the urgent e-mail (never a routine one).
        kind=Kind.URGENT_FLAG if case.is_urgent else Kind.NEW_REPORT,
    )


@_never_breaks
def case_opened_notify(sender, *, case_id: int, **kwargs) -> None:
    """A case opened by a watched word (reports and the safety scan send their own)."""
    case = Case.objects.select_related("group").filter(pk=case_id).first()
    if (
        case is None
        or not case.is_open
        or case.is_urgent
        or case.source != Case.Source.WATCHED_WORD
    ):
        return
    text = _("A watched word flagged a %(noun)s for review.") % {
        "noun": case.content_noun or _("post")
    }
    _notify_case_moderators(case, text=text, exclude_user_id=case.subject_id)


@_never_breaks
def held_item_created_notify(sender, *, held_item_id: int, **kwargs) -> None:
    """A held post: the group's facilitators are asked to look."""
    item = HeldItem.objects.select_related("group").filter(pk=held_item_id).first()
    if item is None or item.status != HeldItem.Status.PENDING:
        return
    notifications.notify_group_moderators(
        group=item.group,
        kind=Kind.HELD_POST,
        url=reverse("moderation:held_queue"),
        target=item,
        text=_("A post is held and waiting for your decision."),
        exclude_user_id=item.author_id,
    )


@_never_breaks
def notice_created_notify(sender, *, notice_id: int, **kwargs) -> None:
    """The affected member hears privately that there is a decision; the notice page says what."""
    notice = AuthorNotice.objects.select_related("recipient", "action").filter(pk=notice_id).first()
    if notice is None or notice.recipient_id == notice.action.actor_id:
        return
    notifications.notify(
        recipient=notice.recipient,
        kind=Kind.MODERATION_OUTCOME,
        url=reverse("moderation:notices"),
        target=notice,
        group=None,
        text=_outcome_words(notice.action.kind),
    )


def _outcome_words(kind: str) -> str:
    """The outcome in words, without the post or the group (a lock screen may show it)."""
    from .models import Action

    return {
        Action.Kind.APPROVE_HELD: _("Your post is now visible."),
        Action.Kind.DECLINE_HELD: _("Your post was not published. You can read why."),
        Action.Kind.RESTORE: _("Your post is visible again."),
        Action.Kind.DISMISS: _("A facilitator has a note for you."),
        Action.Kind.APPEAL_UPHELD: _("An administrator has looked at your appeal."),
        Action.Kind.APPEAL_OVERTURNED: _("An administrator has looked at your appeal."),
    }.get(kind, _("A facilitator made a decision about something you posted."))


@_never_breaks
def appeal_created_notify(sender, *, appeal_id: int, **kwargs) -> None:
    """An appeal goes to the administrators (never to the appellant, even an administrator)."""
    appeal = Appeal.objects.filter(pk=appeal_id).first()
    if appeal is None or appeal.status != Appeal.Status.PENDING:
        return
    notifications.notify_site_admins(
        kind=Kind.NEW_REPORT,
        url=reverse("moderation:appeals"),
        target=appeal,
        text=_("A member asked for a moderation decision to be looked at again."),
        exclude_user_id=appeal.author_id,
    )


@_never_breaks
def staff_message_sent_notify(sender, *, message_id: int, **kwargs) -> None:
    """A private message: the member hears a facilitator wrote (never the text); a member's
    reply goes to the group's facilitators, or administrators if it has none."""
    message = (
        StaffMessage.objects.select_related("thread", "thread__group", "thread__member")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        return
    thread = message.thread
    if message.from_staff:
        notifications.notify(
            recipient=thread.member,
            kind=Kind.MODERATION_OUTCOME,
            url=reverse("moderation:my_thread", kwargs={"pk": thread.pk}),
            target=thread,
            group=None,
            text=_("A facilitator sent you a private message."),
        )
        return
    url = reverse(
        "moderation:staff_thread", kwargs={"slug": thread.group.slug, "user_id": thread.member_id}
    )
    text = _("A member replied to a private message.")
    sent = notifications.notify_group_moderators(
        group=thread.group, kind=Kind.NEW_REPORT, url=url, text=text, target=thread
    )
    if not sent:
        notifications.notify_site_admins(kind=Kind.NEW_REPORT, url=url, text=text, target=thread)


@_never_breaks
def case_handed_over_notify(sender, *, action_id: int, **kwargs) -> None:
    """A hand-over alerts every administrator at once, as an escalation does."""
    action = Action.objects.select_related("case", "case__group").filter(pk=action_id).first()
    if action is None or action.case is None or not action.case.is_open:
        return
    notifications.notify_site_admins(
        kind=Kind.URGENT_FLAG,
        url=action.case.get_absolute_url(),
        target=action.case,
        group=action.case.group,
        text=_("A facilitator handed over a case: someone may need support. Please look now."),
        exclude_user_id=action.actor_id,
    )


@_never_breaks
def follow_up_due_notify(sender, *, follow_up_id: int, **kwargs) -> None:
    """The facilitator who planned a follow-up is reminded when it is due."""
    follow_up = (
        CaseFollowUp.objects.select_related("case", "case__group", "owner")
        .filter(pk=follow_up_id)
        .first()
    )
    if follow_up is None:
        return
    notifications.notify(
        recipient=follow_up.owner,
        kind=Kind.URGENT_FLAG,
        url=follow_up.case.get_absolute_url(),
        target=follow_up,
        group=follow_up.case.group,
        text=_("A follow-up you planned is due: please look in on the member."),
    )


@_never_breaks
def appeal_decided_notify(sender, *, appeal_id: int, **kwargs) -> None:
    """The facilitator whose decision was appealed hears the outcome."""
    appeal = (
        Appeal.objects.select_related("action", "action__actor", "action__case")
        .filter(pk=appeal_id)
        .first()
    )
    if appeal is None or appeal.status == Appeal.Status.PENDING:
        return
    decider = appeal.action.actor
    if decider is None or decider.pk in (appeal.action.subject_id, appeal.decided_by_id):
        return
    if appeal.status == Appeal.Status.OVERTURNED:
        text = _("An administrator reviewed an appeal about your decision and reversed it.")
    else:
        text = _("An administrator reviewed an appeal about your decision and kept it.")
    case = appeal.action.case
    url = case.get_absolute_url() if case is not None else reverse("moderation:queue")
    notifications.notify(recipient=decider, kind=Kind.NEW_REPORT, url=url, text=text, target=appeal)


def connect() -> None:
    """Called once from ModerationConfig.ready()."""
    signals.report_created.connect(report_created_notify, dispatch_uid="notify-report-created")
    signals.case_opened.connect(case_opened_notify, dispatch_uid="notify-case-opened")
    signals.held_item_created.connect(
        held_item_created_notify, dispatch_uid="notify-held-item-created"
    )
    signals.notice_created.connect(notice_created_notify, dispatch_uid="notify-notice-created")
    signals.appeal_created.connect(appeal_created_notify, dispatch_uid="notify-appeal-created")
    signals.staff_message_sent.connect(
        staff_message_sent_notify, dispatch_uid="notify-staff-message-sent"
    )
    signals.case_handed_over.connect(case_handed_over_notify, dispatch_uid="notify-handed-over")
    signals.follow_up_due.connect(follow_up_due_notify, dispatch_uid="notify-follow-up-due")
    signals.appeal_decided.connect(appeal_decided_notify, dispatch_uid="notify-appeal-decided")
