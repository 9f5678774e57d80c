"""Reports: a member flags an item they can read; the report opens or joins the item's case,
and enough distinct reporters hide it for now while a facilitator looks."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.permissions import check_report_item
from peersupport.accounts.models import User

from .. import registry, signals
from ..models import Action, Case, Reason, Report
from .audit import audit_record
from .base import AlreadyReported, ReportRateLimited, SelfReport, _in_group, _notice
from .cases import _open_case

logger = logging.getLogger(__name__)


def _count_in_cache(key: str, window: int) -> int:
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def _check_rate(reporter: User) -> None:
    limit, window = getattr(settings, "MODERATION_REPORT_RATE", (10, 600))
    key = f"moderation:reports:{reporter.pk}"
    try:
        count = _count_in_cache(key, window)
    except Exception:  # noqa: BLE001 - a report must never be lost to a cache (Redis) outage
        logger.warning("report rate counter unavailable; counting in the database", exc_info=True)
        since = timezone.now() - timedelta(seconds=window)
        count = Report.objects.filter(reporter=reporter, created_at__gt=since).count() + 1
    if count > limit:
        raise ReportRateLimited(
            _(
                "Thank you for looking out for the group. You've sent a lot of reports in a short time, "
                "so please wait a few minutes before sending another."
            )
        )


@transaction.atomic
def report_create(*, reporter: User, content: Any, reason: str, note: str = "") -> Report:
    """Report an item: one per reporter per item; opens or joins its case; may auto-hide it."""
    _check_rate(reporter)
    adapter = registry.adapter_for(content)
    group = adapter.group(content)
    check_report_item(reporter, group, visible=adapter.is_visible(content), item=content)
    author = adapter.author(content)
    if author is not None and author.pk == reporter.pk:
        raise SelfReport(
            _("This is your own post, so it can't be reported. You can edit or delete it instead.")
        )
    reason = Reason(reason)
    content_type = ContentType.objects.get_for_model(content)
    if Report.objects.filter(
        reporter=reporter, content_type=content_type, object_id=content.pk
    ).exists():
        raise AlreadyReported(
            _("You've already reported this. Thank you: the facilitators have it.")
        )
    case, opened = _open_case(
        obj=content, adapter=adapter, source=Case.Source.REPORT, urgent=reason == Reason.RISK
    )
    try:
        with transaction.atomic():
            report = Report.objects.create(
                reporter=reporter,
                content_type=content_type,
                object_id=content.pk,
                case=case,
                reason=reason,
                note=note,
            )
    except IntegrityError:
        # A double click: the first request already made this report.
        raise AlreadyReported(
            _("You've already reported this. Thank you: the facilitators have it.")
        ) from None
    audit_record(
        actor=reporter,
        action="report.create",
        target=content,
        group=group,
        reason=reason,
        after={"case": case.pk, "report": report.pk, "opened": opened},
    )
    _maybe_auto_hide(case=case, obj=content, adapter=adapter)
    transaction.on_commit(
        lambda: signals.report_created.send(
            Report, report_id=report.pk, case_id=case.pk, is_urgent=case.is_urgent
        )
    )
    return report


def _maybe_auto_hide(*, case: Case, obj: Any, adapter: registry.ModeratedContent) -> None:
    # Risk reports don't count: silencing someone in distress does harm; a person decides.
    threshold = getattr(settings, "MODERATION_AUTO_HIDE_REPORTS", 3)
    if not adapter.can_hide or not adapter.is_visible(obj):
        return
    reporters = case.reports.exclude(reason=Reason.RISK).values("reporter").distinct().count()
    if reporters < threshold:
        return
    adapter.hide(obj, pending=True)
    action = Action.objects.create(
        case=case,
        actor=None,
        subject=case.subject,
        group=case.group,
        kind=Action.Kind.HIDE_PENDING,
        reason=_("Hidden automatically after %(n)d members reported it.") % {"n": reporters},
    )
    _notice(
        action=action,
        recipient=case.subject,
        headline=_(
            "Your post “%(title)s” is hidden for now while a facilitator looks at it. Several members "
            "asked for it to be checked; nothing has been decided yet."
        )
        % _in_group(case.content_title, case.group),
    )
    audit_record(
        actor=None,
        action="content.auto_hide",
        target=obj,
        group=case.group,
        reason=action.reason,
        before={"visible": True},
        after={"visible": False, "pending": True, "case": case.pk},
    )
