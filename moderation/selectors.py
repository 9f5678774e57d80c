"""Reads for moderation pages, with every select_related/prefetch_related in one place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from groups.models import Group
from groups.permissions import (
    facilitated_group_ids,
    filter_groups_moderated,
    is_site_admin,
)
from peersupport.accounts.models import User

from .models import (
    Action,
    Appeal,
    AuditLogEntry,
    AuthorNotice,
    Case,
    CaseFollowUp,
    HeldItem,
    MessageTemplate,
    ModeratorNote,
    Report,
    StaffMessage,
    StaffThread,
    WatchedWord,
)

# A member's "recent record" beside a case: what happened in this group lately.
RECORD_DAYS = 90


def moderated_groups(user: User) -> QuerySet[Group]:
    return filter_groups_moderated(Group.objects.all(), user)


def _scope(qs: QuerySet, user: User) -> QuerySet:
    """Narrow rows with a nullable group to those the user moderates (site-wide: admins)."""
    if is_site_admin(user):
        return qs
    return qs.filter(group__in=moderated_groups(user).values("pk"))


QUEUE_FILTERS = ("mine", "unclaimed", "urgent")


def _count_subquery(qs: QuerySet) -> Coalesce:
    """A correlated COUNT, so the queue's record columns cost no query per case."""
    counted = qs.order_by().values("subject_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def case_queue_for_moderator(
    user: User, *, group: Group | None = None, show: str = ""
) -> QuerySet[Case]:
    """Open cases the user may act on: risk first, then oldest first; each with the member's
    recent record in the case's group (earlier cases, warnings, mutes)."""
    qs = _scope(Case.objects.exclude(status=Case.Status.RESOLVED), user)
    if group is not None:
        qs = qs.filter(group=group)
    if show == "mine":
        qs = qs.filter(assignee=user)
    elif show == "unclaimed":
        qs = qs.filter(status=Case.Status.OPEN)
    elif show == "urgent":
        qs = qs.filter(is_urgent=True)
    since = timezone.now() - timedelta(days=RECORD_DAYS)
    same_member = {"subject_id": OuterRef("subject_id"), "group_id": OuterRef("group_id")}
    return (
        qs.select_related("group", "subject", "assignee")
        .annotate(
            report_count=Count("reports"),
            earlier_cases=_count_subquery(
                Case.objects.filter(**same_member, opened_at__gte=since).exclude(pk=OuterRef("pk"))
            ),
            recent_warnings=_count_subquery(
                Action.objects.filter(**same_member, kind=Action.Kind.WARN, created_at__gte=since)
            ),
            recent_mutes=_count_subquery(
                Action.objects.filter(**same_member, kind=Action.Kind.MUTE, created_at__gte=since)
            ),
        )
        .order_by("-is_urgent", "opened_at", "pk")
    )


def member_record(
    subject: User | None, group: Group | None, *, exclude_case: Case | None = None
) -> dict:
    """A member's recent record in one group for the case page (earlier cases and sanctions)."""
    if subject is None or group is None:
        return {}
    since = timezone.now() - timedelta(days=RECORD_DAYS)
    earlier = Case.objects.filter(subject=subject, group=group, opened_at__gte=since)
    if exclude_case is not None:
        earlier = earlier.exclude(pk=exclude_case.pk)
    sanctions = Action.objects.filter(
        subject=subject,
        group=group,
        created_at__gte=since,
        kind__in=[Action.Kind.WARN, Action.Kind.MUTE, Action.Kind.REMOVE, Action.Kind.HIDE],
    )
    return {
        "days": RECORD_DAYS,
        "cases": list(earlier.order_by("-opened_at")[:10]),
        "sanctions": list(sanctions.select_related("actor").order_by("-created_at")[:10]),
    }


def case_outreach_recorded(case: Case) -> bool:
    """Whether a facilitator or administrator wrote to the member privately from this case."""
    return case.staff_messages.filter(from_staff=True).exists()


def follow_ups_due(*, now=None, limit: int = 100) -> list[int]:
    """Planned follow-ups whose time has come and whose owner has not been reminded yet."""
    now = now or timezone.now()
    return list(
        CaseFollowUp.objects.filter(reminded_at__isnull=True, due_at__lte=now)
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def case_staff_messages(case: Case) -> QuerySet[StaffMessage]:
    return case.staff_messages.select_related("author").order_by("created_at", "pk")


def case_follow_ups(case: Case) -> QuerySet[CaseFollowUp]:
    return case.follow_ups.select_related("owner").order_by("due_at", "pk")


def message_templates(*, supportive_first: bool = False) -> list[MessageTemplate]:
    qs = MessageTemplate.objects.filter(is_active=True)
    order = ["-is_supportive", "title"] if supportive_first else ["is_supportive", "title"]
    return list(qs.order_by(*order))


def message_template_get(pk: str) -> MessageTemplate | None:
    try:
        return MessageTemplate.objects.filter(is_active=True, pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def staff_thread_for(group: Group, member: User) -> StaffThread | None:
    return StaffThread.objects.filter(group=group, member=member).first()


def staff_thread_messages(thread: StaffThread | None) -> list[StaffMessage]:
    if thread is None:
        return []
    return list(thread.messages.select_related("author", "case").order_by("created_at", "pk"))


def staff_threads_for_member(user: User) -> QuerySet[StaffThread]:
    return (
        StaffThread.objects.filter(member=user)
        .select_related("group")
        .order_by("-last_message_at", "-pk")
    )


def case_for_moderator(user: User, pk: int) -> Case:
    """A case by id (permission is checked by the caller against case.group)."""
    return Case.objects.select_related("group", "subject", "assignee", "content_type").get(pk=pk)


def case_reports(case: Case) -> QuerySet[Report]:
    return case.reports.select_related("reporter").order_by("created_at")


def case_history(case: Case) -> QuerySet[Action]:
    return case.actions.select_related("actor", "subject").order_by("created_at", "pk")


def held_queue_for_moderator(user: User) -> QuerySet[HeldItem]:
    return (
        _scope(HeldItem.objects.filter(status=HeldItem.Status.PENDING), user)
        .select_related("group", "author")
        .order_by("created_at", "pk")
    )


def watched_words_for(group: Group | None) -> QuerySet[WatchedWord]:
    return (
        WatchedWord.objects.filter(group=group).select_related("created_by").order_by("normalized")
    )


def notes_about(group: Group, subject: User) -> QuerySet[ModeratorNote]:
    return ModeratorNote.objects.filter(group=group, subject=subject).select_related("author")


def audit_log_for_moderator(
    user: User,
    *,
    group_id: int | None = None,
    actor_name: str = "",
    action: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditLogEntry]:
    """Administrators see every entry; facilitators the entries of groups they moderate."""
    qs = _scope(AuditLogEntry.objects.all(), user)
    if group_id:
        qs = qs.filter(group_id=group_id)
    if actor_name:
        qs = qs.filter(actor_repr__iexact=actor_name.strip())
    if action:
        qs = qs.filter(action=action)
    if since:
        qs = qs.filter(created_at__date__gte=since)
    if until:
        qs = qs.filter(created_at__date__lt=until + timedelta(days=1))
    return qs.select_related("actor", "group", "target_content_type").order_by("-created_at", "-pk")


def audit_actions() -> list[str]:
    return list(
        AuditLogEntry.objects.order_by("action").values_list("action", flat=True).distinct()
    )


def appeals_pending() -> QuerySet[Appeal]:
    return (
        Appeal.objects.filter(status=Appeal.Status.PENDING)
        .select_related(
            "author",
            "action",
            "action__actor",
            "action__group",
            "action__case",
            "action__held_item",
        )
        .prefetch_related("action__bundled")
        .order_by("created_at", "pk")
    )


def notices_for_member(user: User) -> QuerySet[AuthorNotice]:
    return (
        AuthorNotice.objects.filter(recipient=user)
        .select_related("action", "action__group", "action__appeal")
        .order_by("-created_at", "-pk")
    )


def reports_for_reporter(user: User) -> QuerySet[Report]:
    return (
        Report.objects.filter(reporter=user)
        .select_related("case", "case__group")
        .order_by("-created_at", "-pk")
    )


def open_case_counts(user: User) -> dict[str, int]:
    qs = _scope(Case.objects.exclude(status=Case.Status.RESOLVED), user)
    return qs.aggregate(total=Count("pk"), urgent=Count("pk", filter=Q(is_urgent=True)))


def urgent_cases_unclaimed(*, older_than: timedelta) -> QuerySet[Case]:
    """Risk cases nobody has claimed for longer than `older_than`: the escalation sweeper
    alerts administrators about these (claiming a case is how a facilitator acknowledges it)."""
    from django.utils import timezone

    return (
        Case.objects.filter(
            status=Case.Status.OPEN,
            is_urgent=True,
            urgent_since__lte=timezone.now() - older_than,
        )
        .select_related("group")
        .order_by("urgent_since", "pk")
    )


@dataclass(frozen=True)
class UrgentBanner:
    count: int
    url: str


URGENT_BANNER_LIMIT = 100


def urgent_banner_for(user: User | None) -> UrgentBanner | None:
    """Unclaimed urgent cases in the groups `user` facilitates, for the banner on every page.

    None for anyone who facilitates no group (no banner at all); a count of 0 while nothing
    waits or while they are off duty (the banner stays ready to appear live).
    """
    from django.urls import reverse

    from peersupport.notifications.services import is_off_duty

    if user is None or not user.is_authenticated:
        return None
    group_ids = facilitated_group_ids(user)
    queue_url = reverse("moderation:queue")
    if not group_ids:
        return None
    if is_off_duty(user):
        return UrgentBanner(0, queue_url)
    waiting = list(
        Case.objects.filter(status=Case.Status.OPEN, is_urgent=True, group_id__in=group_ids)
        .order_by("urgent_since", "pk")
        .values_list("pk", flat=True)[:URGENT_BANNER_LIMIT]
    )
    if len(waiting) == 1:
        return UrgentBanner(1, reverse("moderation:case", kwargs={"pk": waiting[0]}))
    return UrgentBanner(len(waiting), queue_url)


def cases_for_items(model: type, ids: list[int]) -> dict[int, Case]:
    """The latest case about each of these items (an open one before a resolved one), by
    item id: the marker facilitators see on a chat message that opened a case."""
    from django.contrib.contenttypes.models import ContentType

    if not ids:
        return {}
    content_type = ContentType.objects.get_for_model(model)
    found: dict[int, Case] = {}
    rows = Case.objects.filter(content_type=content_type, object_id__in=ids).only(
        "pk", "object_id", "is_urgent", "status", "opened_at"
    )
    for case in rows.order_by("opened_at", "pk"):
        current = found.get(case.object_id)
        if current is None or case.is_open or not current.is_open:
            found[case.object_id] = case
    return found


@dataclass
class FacilitatorLoad:
    user: User
    off_duty: bool
    open_claimed: int
    claimed_recently: int
    median_minutes_to_claim: int | None


@dataclass
class GroupWorkload:
    facilitators: list[FacilitatorLoad]
    unclaimed: int
    unclaimed_urgent: int
    median_minutes_to_claim: int | None
    urgent_median_minutes_to_claim: int | None
    debriefs: list
    days: int


WORKLOAD_DAYS = 30
WORKLOAD_ROWS = 2000


def _median_minutes(values: list[float]) -> int | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    value = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return round(value / 60)


def workload_for_group(group: Group, *, days: int = WORKLOAD_DAYS) -> GroupWorkload:
    """For administrators: who carries how much in `group` (open cases each facilitator has
    claimed, cases claimed lately, time to claim), what waits unclaimed, and the check-ins
    facilitators asked for. A fixed number of queries, whatever the numbers."""
    from django.utils import timezone

    from groups.permissions import group_moderators
    from peersupport.notifications.services import off_duty_user_ids

    from .models import CaseDebrief

    since = timezone.now() - timedelta(days=days)
    people = group_moderators(group)
    off_duty = off_duty_user_ids(u.pk for u in people)
    open_rows = list(
        Case.objects.filter(group=group)
        .exclude(status=Case.Status.RESOLVED)
        .values_list("status", "is_urgent", "assignee_id")[:WORKLOAD_ROWS]
    )
    claimed_rows = list(
        Case.objects.filter(group=group, claimed_at__gte=since, assignee__isnull=False).values_list(
            "assignee_id", "is_urgent", "opened_at", "urgent_since", "claimed_at"
        )[:WORKLOAD_ROWS]
    )
    waits: dict[int, list[float]] = {}
    all_waits: list[float] = []
    urgent_waits: list[float] = []
    for assignee_id, is_urgent, opened_at, urgent_since, claimed_at in claimed_rows:
        # Counted from when it became urgent, as the escalation clock is.
        start = urgent_since if is_urgent and urgent_since else opened_at
        wait = max((claimed_at - start).total_seconds(), 0)
        waits.setdefault(assignee_id, []).append(wait)
        all_waits.append(wait)
        if is_urgent:
            urgent_waits.append(wait)
    loads = [
        FacilitatorLoad(
            user=person,
            off_duty=person.pk in off_duty,
            open_claimed=sum(
                1
                for status, _u, assignee in open_rows
                if status == Case.Status.CLAIMED and assignee == person.pk
            ),
            claimed_recently=len(waits.get(person.pk, [])),
            median_minutes_to_claim=_median_minutes(waits.get(person.pk, [])),
        )
        for person in people
    ]
    return GroupWorkload(
        facilitators=loads,
        unclaimed=sum(1 for status, _u, _a in open_rows if status == Case.Status.OPEN),
        unclaimed_urgent=sum(
            1 for status, urgent, _a in open_rows if status == Case.Status.OPEN and urgent
        ),
        median_minutes_to_claim=_median_minutes(all_waits),
        urgent_median_minutes_to_claim=_median_minutes(urgent_waits),
        debriefs=list(
            CaseDebrief.objects.filter(case__group=group, created_at__gte=since)
            .select_related("facilitator", "case")
            .order_by("-created_at")[:50]
        ),
        days=days,
    )


def _contents_for(rows: list, *, group_of=lambda row: None) -> dict[int, dict]:
    """The items some rows (held items, cases) are about, loaded one query per content type,
    as members would see them: rendered HTML, content warnings and a link. Keyed by row pk."""
    from collections import defaultdict

    from django.contrib.contenttypes.models import ContentType

    from . import registry

    by_type: dict[int, list] = defaultdict(list)
    for row in rows:
        if row is not None:
            by_type[row.content_type_id].append(row)
    out: dict[int, dict] = {}
    for content_type_id, typed in by_type.items():
        content_type = ContentType.objects.get_for_id(content_type_id)
        model = content_type.model_class()
        try:
            adapter = registry.adapter_for_content_type(content_type)
        except LookupError:
            continue
        if model is None:
            continue
        objects = model._default_manager.in_bulk([row.object_id for row in typed])
        for row in typed:
            obj = objects.get(row.object_id)
            if obj is None:
                continue
            group = group_of(row)
            # The row already knows the group: spare the item a query for its own link.
            if group is not None and getattr(obj, "group_id", None) == group.pk:
                obj.group = group
            out[row.pk] = {
                "html": adapter.rendered_html(obj),
                "warnings": adapter.warnings(obj),
                "url": adapter.url(obj),
            }
    return out


def held_item_contents(items: list[HeldItem]) -> dict[int, dict]:
    return _contents_for(items, group_of=lambda item: item.group)


def appeal_contents(appeals: list[Appeal]) -> dict[int, dict]:
    """Per appeal: the content its decision was about (a case's or a held post's item)."""
    out: dict[int, dict] = {}
    rows = {}
    for appeal in appeals:
        row = appeal.action.case or appeal.action.held_item
        if row is not None:
            rows[appeal.pk] = row
    cases = _contents_for([r for r in rows.values() if isinstance(r, Case)])
    held = _contents_for([r for r in rows.values() if isinstance(r, HeldItem)])
    for appeal_pk, row in rows.items():
        found = (cases if isinstance(row, Case) else held).get(row.pk)
        if found is not None:
            out[appeal_pk] = found
    return out


# --- how long a held post waits: the author's realistic expectation ---------------------------
HELD_WAIT_DAYS = 30
HELD_WAIT_SAMPLE = 25
HELD_WAIT_MIN_SAMPLE = 3


@dataclass(frozen=True)
class HeldWait:
    """How long this group's facilitators recently took to decide held posts (None: too little
    history to say). `typical` is the median, `most` the time within which four in five were
    decided."""

    typical: timedelta | None
    most: timedelta | None
    sample: int


def _quantile(ordered: list[timedelta], q: float) -> timedelta:
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def held_wait_for_group(group: Group, *, now=None) -> HeldWait:
    """The group's recent response times to held posts: the last HELD_WAIT_SAMPLE decisions of
    the last HELD_WAIT_DAYS days (one query)."""
    now = now or timezone.now()
    rows = list(
        HeldItem.objects.filter(
            group=group,
            status__in=[HeldItem.Status.APPROVED, HeldItem.Status.DECLINED],
            decided_at__gte=now - timedelta(days=HELD_WAIT_DAYS),
            decided_at__isnull=False,
        )
        .order_by("-decided_at")
        .values_list("created_at", "decided_at")[:HELD_WAIT_SAMPLE]
    )
    waits = sorted(max(decided - created, timedelta(0)) for created, decided in rows)
    if len(waits) < HELD_WAIT_MIN_SAMPLE:
        return HeldWait(typical=None, most=None, sample=len(waits))
    return HeldWait(typical=_quantile(waits, 0.5), most=_quantile(waits, 0.8), sample=len(waits))
