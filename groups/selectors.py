"""Reads for group pages, with every select_related / prefetch_related in one place."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404
from django.utils import timezone

from peersupport.accounts.models import User

from . import permissions
from .models import Group, Invitation, JoinRequest, Membership

# Decisions stay on "My groups" this long, so a requester sees the answer when they next visit.
DECISION_SHOWN_FOR = timedelta(days=60)


def _with_member_count(qs: QuerySet[Group]) -> QuerySet[Group]:
    return qs.annotate(
        member_count=Count(
            "memberships", filter=Q(memberships__status__in=permissions.ACTIVE_STATUSES)
        )
    )


def group_list_for_directory(
    *, user: permissions.AnyUser, topic: str = "", q: str = ""
) -> QuerySet[Group]:
    """Listed, non-archived groups (plus the user's own unlisted ones) with member counts."""
    qs = permissions.filter_groups_listed(Group.objects.all(), user)
    if topic:
        qs = qs.filter(topic__iexact=topic)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(topic__icontains=q) | Q(description__icontains=q))
    return _with_member_count(qs).order_by("name")


def group_topics_for_directory(*, user: permissions.AnyUser) -> list[str]:
    """The distinct topics the directory can filter by."""
    qs = permissions.filter_groups_listed(Group.objects.all(), user)
    return sorted(set(qs.values_list("topic", flat=True)), key=str.casefold)


def group_get_by_slug(*, slug: str) -> Group:
    """The group, or 404; the caller still asks permissions whether the user may see it."""
    return get_object_or_404(Group, slug=slug)


def group_list_for_staff() -> QuerySet[Group]:
    return (
        _with_member_count(Group.objects.all())
        .annotate(
            facilitator_count=Count(
                "memberships",
                filter=Q(
                    memberships__role=Membership.Role.FACILITATOR,
                    memberships__status__in=permissions.ACTIVE_STATUSES,
                ),
            )
        )
        .order_by("is_archived", "name")
    )


def member_list_for_group(*, group: Group) -> list[Membership]:
    """Current members (facilitators first) for the group home."""
    return list(
        # A member whose account is being deleted drops out of the list, unannounced.
        Membership.objects.filter(
            group=group, status__in=permissions.ACTIVE_STATUSES, user__is_active=True
        )
        .select_related("user")
        .only(
            "pk",
            "role",
            "status",
            "joined_at",
            "user__id",
            "user__display_name",
            "user__handle",
            "group_id",
            "user_id",
        )
        .order_by("role", "joined_at", "pk")  # "facilitator" sorts before "member"
    )


def membership_list_for_facilitator(*, group: Group) -> list[Membership]:
    """Every membership with its status, for the facilitator's member list."""
    status_order = {
        Membership.Status.ACTIVE: 0,
        Membership.Status.MUTED: 1,
        Membership.Status.REMOVED: 2,
        Membership.Status.LEFT: 3,
    }
    rows = list(
        Membership.objects.filter(group=group).select_related("user").order_by("joined_at", "pk")
    )
    return sorted(
        rows, key=lambda m: (status_order.get(m.status, 9), m.role != Membership.Role.FACILITATOR)
    )


def membership_get_in_group(*, group: Group, pk: int) -> Membership:
    """A membership of this group; another group's id is a 404."""
    return get_object_or_404(Membership.objects.select_related("user", "group"), pk=pk, group=group)


def join_request_list_pending(*, group: Group) -> list[JoinRequest]:
    return list(
        JoinRequest.objects.filter(group=group, status=JoinRequest.Status.PENDING)
        .select_related("user")
        .order_by("created_at")
    )


def join_request_count_pending(*, group: Group) -> int:
    """How many people are waiting, for the facilitator tools' tab."""
    return JoinRequest.objects.filter(group=group, status=JoinRequest.Status.PENDING).count()


def join_request_get_in_group(*, group: Group, pk: int) -> JoinRequest:
    """A request to this group; another group's request id is a 404."""
    return get_object_or_404(
        JoinRequest.objects.select_related("group", "user"), pk=pk, group=group
    )


def join_request_latest_decision(*, user: permissions.AnyUser, group: Group) -> JoinRequest | None:
    """The user's most recent answered request to this group, to show its decision."""
    if user is None or not user.is_authenticated:
        return None
    return (
        JoinRequest.objects.filter(
            user=user,
            group=group,
            status__in=[JoinRequest.Status.APPROVED, JoinRequest.Status.DECLINED],
            decided_at__gte=timezone.now() - DECISION_SHOWN_FOR,
        )
        .order_by("-decided_at")
        .first()
    )


def invitation_list_for_group(*, group: Group) -> list[Invitation]:
    return list(
        Invitation.objects.filter(group=group)
        .select_related("invitee", "created_by")
        .order_by("-created_at")
    )


def invitation_get_in_group(*, group: Group, pk: int) -> Invitation:
    return get_object_or_404(Invitation.objects.select_related("group"), pk=pk, group=group)


def invitation_get_by_token(*, token: str) -> Invitation:
    return get_object_or_404(Invitation.objects.select_related("group", "invitee"), token=token)


def user_get_by_display_name(*, display_name: str) -> User | None:
    """An active member by display name, compared case-insensitively."""
    name = " ".join(display_name.split())
    return (
        User.objects.annotate(lname=Lower("display_name"))
        .filter(lname=name.lower(), is_active=True)
        .first()
    )


def facilitator_list_for_group(*, group: Group) -> list[Membership]:
    return list(
        Membership.objects.filter(
            group=group, role=Membership.Role.FACILITATOR, status__in=permissions.ACTIVE_STATUSES
        )
        .select_related("user")
        .order_by("joined_at")
    )


@dataclass
class MyGroups:
    memberships: list[Membership]
    pending_requests: list[JoinRequest]
    decided_requests: list[JoinRequest]
    invitations: list[Invitation]


def my_groups_for_user(*, user: User) -> MyGroups:
    """The member's groups, their waiting and recently answered requests, and direct invitations."""
    memberships = list(
        Membership.objects.filter(user=user, status__in=permissions.ACTIVE_STATUSES)
        .select_related("group")
        .order_by("group__name")
    )
    requests = list(
        JoinRequest.objects.filter(user=user)
        .filter(
            Q(status=JoinRequest.Status.PENDING)
            | Q(
                status__in=[JoinRequest.Status.APPROVED, JoinRequest.Status.DECLINED],
                decided_at__gte=timezone.now() - DECISION_SHOWN_FOR,
            )
        )
        .select_related("group")
        .order_by("-created_at")
    )
    # The same test as permissions.can_use_invitation, in one query rather than one per row.
    removed_from = Membership.objects.filter(user=user, status=Membership.Status.REMOVED).values(
        "group_id"
    )
    invitations = list(
        Invitation.objects.filter(
            invitee=user,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            use_count__lt=F("max_uses"),
            group__is_archived=False,
        )
        .exclude(group_id__in=removed_from)
        .select_related("group")
        .order_by("-created_at")
    )
    member_group_ids = {m.group_id for m in memberships}
    return MyGroups(
        memberships=memberships,
        pending_requests=[r for r in requests if r.status == JoinRequest.Status.PENDING],
        decided_requests=[r for r in requests if r.status != JoinRequest.Status.PENDING],
        invitations=[i for i in invitations if i.group_id not in member_group_ids],
    )


@dataclass(frozen=True)
class TopicGroups:
    topic: str
    groups: list[Group]


def group_suggestions_for_welcome(*, user: User) -> list[TopicGroups]:
    """Groups a new member can join in one step, by topic (one query, whatever their number)."""
    qs = permissions.filter_groups_joinable(Group.objects.all(), user)
    rows = list(_with_member_count(qs).order_by(Lower("topic"), "name"))
    by_topic: dict[str, list[Group]] = {}
    for group in rows:
        key = group.topic.strip().casefold()
        by_topic.setdefault(key, []).append(group)
    return [
        TopicGroups(topic=groups[0].topic.strip(), groups=groups) for groups in by_topic.values()
    ]
