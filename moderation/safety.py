"""The automated safety pipeline: schedule a scan when content is saved, record the verdict,
alert the right people, escalate what nobody acknowledged, and sweep up lost jobs.

Supportive, never silencing: nothing here hides a post. A crisis verdict opens an urgent case
and alerts the group's facilitators; the post stays where it is. Every write is audited.
"""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import F, Model, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import Group
from peersupport.accounts.models import User
from peersupport.safety_plan.selectors import safety_plan_first_steps
from resources.countries import country_for_request
from resources.selectors import help_page_for_country

from . import crisis, hooks, registry
from .models import Case, CaseEscalation, HeldItem, SafetyScan, WatchedWord
from .screening import _fold, screen_text
from .services.audit import audit_record
from .services.base import ModerationError
from .services.cases import case_open, support_case_open
from .services.held import held_item_create

log = logging.getLogger(__name__)

# Bumped whenever the spam signals change; recorded with each verdict next to the crisis rules.
SPAM_RULES_VERSION = "spam-1"
RULES_VERSION = f"{crisis.RULES_VERSION}+{SPAM_RULES_VERSION}"
# A scan still pending this long after it was enqueued was probably lost with the broker.
SWEEP_AFTER = timedelta(seconds=60)
SWEEP_BATCH = 200
# After this many attempts the sweeper leaves a scan alone: a crash loop helps nobody.
MAX_ATTEMPTS = 10
REPEAT_WINDOW = timedelta(hours=24)
# Short texts ("thank you for sharing") are said everywhere; only longer ones count as repeats.
REPEAT_MIN_LENGTH = 30
_LINK = re.compile(r"https?://|\bwww\.|\[[^\]]*\]\(", re.IGNORECASE)


def new_account_days() -> int:
    return getattr(settings, "SAFETY_NEW_ACCOUNT_DAYS", 7)


def escalate_after() -> timedelta:
    return timedelta(minutes=getattr(settings, "SAFETY_ESCALATE_AFTER_MINUTES", 15))


def _text_hash(text: str) -> str:
    folded = " ".join(_fold(text).split())
    if len(folded) < REPEAT_MIN_LENGTH:
        return ""
    return hashlib.sha256(folded.encode()).hexdigest()


# --- scheduling (inside the content's own transaction) ---------------------------------------
def enqueue_scan(scan_id: int) -> None:
    """Hand a scan to Celery; if the broker is down the sweeper will try again."""
    from .tasks import safety_scan_run

    SafetyScan.objects.filter(pk=scan_id, status=SafetyScan.Status.PENDING).update(
        enqueued_at=timezone.now()
    )
    try:
        safety_scan_run.delay(scan_id)
    except Exception:  # noqa: BLE001 - broker outage: the scan stays pending for the sweeper
        log.warning(
            "could not enqueue safety scan %s; the sweeper will retry", scan_id, exc_info=True
        )


@hooks.on_content_posted
def safety_scan_schedule(*, content: Any, is_edit: bool = False) -> SafetyScan | None:
    """Mark the item pending a scan (in the caller's transaction); enqueue the scan after commit."""
    if not isinstance(content, Model) or content.pk is None:
        return None
    try:
        adapter = registry.adapter_for(content)
    except LookupError:
        return None
    content_type = ContentType.objects.get_for_model(content)
    group = adapter.group(content)
    author = adapter.author(content)
    fields = {
        "group": group,
        "author": author,
        "status": SafetyScan.Status.PENDING,
        "attempts": 0,
        "enqueued_at": None,
        "scanned_at": None,
        "text_hash": _text_hash(adapter.scan_text(content)),
        "is_crisis": False,
        "crisis_category": "",
        "spam": False,
        "watched_word_action": "",
        "watched_word_phrase": "",
        "matched": {},
        "rules_version": "",
    }
    scan, _created = SafetyScan.objects.update_or_create(
        content_type=content_type, object_id=content.pk, defaults=fields
    )
    transaction.on_commit(lambda: enqueue_scan(scan.pk))
    return scan


# --- the scan itself (run by the Celery task) ------------------------------------------------
def _spam_signals(*, scan: SafetyScan, author: User | None, text: str, now: datetime) -> list[str]:
    signals: list[str] = []
    if author is None:
        return signals
    if _LINK.search(text) and author.date_joined > now - timedelta(days=new_account_days()):
        signals.append("link_from_new_account")
    if scan.text_hash:
        repeated = (
            SafetyScan.objects.filter(
                author=author, text_hash=scan.text_hash, created_at__gte=now - REPEAT_WINDOW
            )
            .exclude(pk=scan.pk)
            .exclude(group_id=scan.group_id)
            .exists()
        )
        if repeated:
            signals.append("repeated_across_groups")
    return signals


def _alert_facilitators(case: Case) -> int:
    """In-app (live) and e-mail alerts to the group's facilitators; administrators if site-wide."""
    from peersupport.notifications.models import Kind
    from peersupport.notifications.services import notify_group_moderators, notify_site_admins

    text = _("Someone may be at risk. A post needs a facilitator's kind attention soon.")
    if case.group is not None:
        sent = notify_group_moderators(
            group=case.group,
            kind=Kind.URGENT_FLAG,
            url=case.get_absolute_url(),
            text=text,
            target=case,
        )
        if sent:
            return len(sent)
    # No facilitator to tell (or a site-wide item): administrators must hear of it.
    return len(
        notify_site_admins(
            kind=Kind.URGENT_FLAG,
            url=case.get_absolute_url(),
            text=text,
            target=case,
            group=case.group,
        )
    )


def _tell_facilitators(case: Case) -> int:
    """A calm, non-urgent note to the group's facilitators about a concern case."""
    from peersupport.notifications.models import Kind
    from peersupport.notifications.services import notify_group_moderators

    if case.group is None:
        return 0
    return len(
        notify_group_moderators(
            group=case.group,
            kind=Kind.NEW_REPORT,
            url=case.get_absolute_url(),
            text=_("A post may need a facilitator's kind attention."),
            target=case,
        )
    )


def safety_scan_perform(*, scan_id: int, now: datetime | None = None) -> str:
    """Scan one item once: record the verdict, open cases, hold or alert. Returns what happened.

    Gone, already scanned or unregistered → a clean no-op. The row lock makes a redelivered
    duplicate wait, then see "done" and stop.
    """
    now = now or timezone.now()
    # Counted outside the transaction, so a scan that keeps crashing is eventually left alone.
    SafetyScan.objects.filter(pk=scan_id, status=SafetyScan.Status.PENDING).update(
        attempts=F("attempts") + 1
    )
    with transaction.atomic():
        scan = SafetyScan.objects.select_for_update().filter(pk=scan_id).first()
        if scan is None:
            return "gone"
        if scan.status != SafetyScan.Status.PENDING:
            return "already"
        obj, adapter = _load(scan)
        if obj is None or adapter is None:
            scan.status = SafetyScan.Status.SKIPPED
            scan.scanned_at = now
            scan.save(update_fields=["status", "scanned_at"])
            return "skipped"
        return safety_verdict_record(scan=scan, content=obj, adapter=adapter, now=now)


def _load(scan: SafetyScan) -> tuple[Any | None, registry.ModeratedContent | None]:
    content_type = ContentType.objects.get_for_id(scan.content_type_id)
    try:
        adapter = registry.adapter_for_content_type(content_type)
    except LookupError:
        return None, None
    model = content_type.model_class()
    obj = model._default_manager.filter(pk=scan.object_id).first() if model else None
    if obj is not None and getattr(obj, "is_deleted", False):
        return None, adapter
    return obj, adapter


@transaction.atomic
def safety_verdict_record(
    *, scan: SafetyScan, content: Any, adapter: registry.ModeratedContent, now: datetime
) -> str:
    """Score the text, record what matched and the rules' version, and act on it (audited)."""
    text = adapter.scan_text(content)
    group = adapter.group(content)
    author = adapter.author(content)
    verdict = crisis.detect(text)
    screened = screen_text(text=text, group=group)
    scan.text_hash = _text_hash(text)
    spam = _spam_signals(scan=scan, author=author, text=text, now=now)

    scan.is_crisis = verdict.is_crisis
    scan.crisis_category = verdict.category
    scan.spam = bool(spam)
    scan.watched_word_action = screened.action or ""
    scan.watched_word_phrase = screened.phrase[:100]
    scan.matched = {
        "crisis": [
            {"phrase": m.phrase, "category": m.category, "rule": m.rule, "severity": m.severity}
            for m in verdict.matches
        ],
        "watched_words": list(screened.matched),
        "spam": spam,
    }
    scan.rules_version = RULES_VERSION
    outcome = "clear"
    case: Case | None = None

    scan.matched["severity"] = verdict.severity
    if verdict.is_crisis:
        # Never hidden or held: a person decides, and silencing someone in distress does harm.
        # Imminent and high risk open an urgent case and alert now; concern (a passive wish,
        # self-harm urges, hopelessness) opens an ordinary case for the group's facilitators.
        case = case_open(
            content=content,
            source=Case.Source.SAFETY_SCAN,
            urgent=verdict.is_urgent,
            detail=_("Possible crisis language (%(severity)s: %(category)s)")
            % {"severity": verdict.severity, "category": verdict.category},
        )
        if verdict.is_urgent:
            scan.matched["alerted"] = _alert_facilitators(case)
        else:
            scan.matched["told"] = _tell_facilitators(case)
        outcome = "crisis"
    if screened.action:
        hold = (
            screened.action == WatchedWord.Action.HOLD
            and not verdict.is_crisis
            and adapter.can_hold
        )
        held = None
        if hold and group is not None and author is not None:
            try:
                held = held_item_create(
                    content=content, reason=HeldItem.Reason.WATCHED_WORD, detail=screened.phrase
                )
            except ModerationError:
                held = None
        if held is None:
            case = case_open(
                content=content,
                source=Case.Source.WATCHED_WORD,
                detail=screened.phrase,
                urgent=verdict.is_crisis,
            )
        outcome = outcome if outcome == "crisis" else ("held" if held is not None else "flagged")
    if spam:
        case = case_open(
            content=content,
            source=Case.Source.SAFETY_SCAN,
            urgent=verdict.is_crisis,
            detail=_("Possible spam: %(signals)s") % {"signals": ", ".join(spam)},
        )
        outcome = outcome if outcome != "clear" else "spam"

    scan.case = case
    scan.status = SafetyScan.Status.DONE
    scan.scanned_at = now
    scan.save()
    audit_record(
        actor=None,
        action="safety.verdict",
        target=content,
        group=group,
        reason=outcome,
        after={
            "scan": scan.pk,
            "is_crisis": scan.is_crisis,
            "severity": verdict.severity,
            "category": scan.crisis_category,
            "spam": spam,
            "watched_word": scan.watched_word_action,
            "case": case.pk if case else None,
            "rules_version": RULES_VERSION,
        },
    )
    return outcome


# --- the sweeper -----------------------------------------------------------------------------
def scans_due_for_sweep(*, now: datetime | None = None, limit: int = SWEEP_BATCH) -> list[int]:
    """Ids of scans pending too long (the broker lost them, or was down); marked re-enqueued."""
    now = now or timezone.now()
    stale = now - SWEEP_AFTER
    ids = list(
        SafetyScan.objects.filter(status=SafetyScan.Status.PENDING, attempts__lt=MAX_ATTEMPTS)
        .filter(Q(enqueued_at__isnull=True, created_at__lt=stale) | Q(enqueued_at__lt=stale))
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    if ids:
        SafetyScan.objects.filter(pk__in=ids).update(enqueued_at=now)
    return ids


# --- escalation ------------------------------------------------------------------------------
ESCALATED_SOURCES = (Case.Source.SAFETY_SCAN, Case.Source.REPORT, Case.Source.SUPPORT_REQUEST)


def cases_due_for_escalation(*, now: datetime | None = None, limit: int = 100) -> list[int]:
    """Urgent cases nobody acknowledged (claimed) within the configured time, not yet escalated."""
    now = now or timezone.now()
    return list(
        Case.objects.filter(
            is_urgent=True,
            status=Case.Status.OPEN,
            source__in=ESCALATED_SOURCES,
            urgent_since__lte=now - escalate_after(),
            escalation__isnull=True,
        )
        .order_by("urgent_since", "pk")
        .values_list("pk", flat=True)[:limit]
    )


@transaction.atomic
def case_escalate(*, case_id: int, now: datetime | None = None) -> CaseEscalation | None:
    """Alert administrators about an unacknowledged urgent case, once; recorded and audited."""
    from peersupport.notifications.models import Kind
    from peersupport.notifications.services import notify_site_admins

    now = now or timezone.now()
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("group")
        .filter(pk=case_id)
        .first()
    )
    if case is None or not case.is_urgent or case.status != Case.Status.OPEN:
        return None
    # The clock runs from when the case became urgent: a risk report joining an old case
    # gives the facilitators their full time to answer.
    urgent_since = case.urgent_since or case.opened_at
    if urgent_since > now - escalate_after() or CaseEscalation.objects.filter(case=case).exists():
        return None
    try:
        with transaction.atomic():
            escalation = CaseEscalation.objects.create(case=case, created_at=now)
    except IntegrityError:
        return None
    sent = notify_site_admins(
        kind=Kind.URGENT_FLAG,
        url=case.get_absolute_url(),
        target=case,
        group=case.group,
        text=_("Someone may be at risk and no facilitator has answered yet. Please look now."),
    )
    escalation.admins_alerted = len(sent)
    escalation.save(update_fields=["admins_alerted"])
    audit_record(
        actor=None,
        action="case.escalate",
        target=case,
        group=case.group,
        reason=_("No facilitator acknowledged within %(n)d minutes.")
        % {"n": int(escalate_after().total_seconds() // 60)},
        after={"case": case.pk, "admins_alerted": len(sent)},
    )
    return escalation


# --- supportive, never silencing: the composer's check -----------------------------------------
def support_needed(text: str) -> bool:
    """Whether a text shows crisis language, so its author should see the support panel."""
    return support_severity(text) is not None


def support_severity(text: str) -> str | None:
    """How urgently the support panel should speak: "imminent", "high", "concern" or None."""
    return crisis.detect(text).severity if text else None


def support_panel_context(
    request: HttpRequest, group: Group | None, *, in_form: bool, severity: str | None = None
) -> dict:
    """What the support panel shows: the member's country's crisis lines and the private offer;
    for imminent risk it leads with the local emergency number and "call now"."""
    return {
        "help": help_page_for_country(country_for_request(request)),
        # The author's own plan, first: their words before any hotline list. Only ever the
        # requesting member's own (this panel is shown to the author alone).
        "plan": safety_plan_first_steps(owner=request.user),
        "support_group": group,
        "in_form": in_form,
        "severity": severity,
        "imminent": severity == crisis.IMMINENT,
    }


SESSION_KEY = "moderation_support_after_post"
SESSION_SEVERITY_KEY = "moderation_support_severity"


def support_after_post_flag(request: HttpRequest, *, group: Group, text: str) -> None:
    """Remember to show the support panel on the next page when a just-posted text needs it."""
    severity = support_severity(text)
    if severity is not None:
        request.session[SESSION_KEY] = group.slug
        request.session[SESSION_SEVERITY_KEY] = severity


@transaction.atomic
def support_request_create(*, member: User, group: Group) -> Case:
    """The member asks for a facilitator to know, privately: an urgent case about themself,
    and an alert to the group's facilitators."""
    case = support_case_open(member=member, group=group)
    _alert_facilitators(case)
    return case
