"""THE one place that decides who may see or do what in a group.

Views, templates (`access.can_moderate`), services, consumers and admin all ask here; nothing
else tests roles. Each question is answered three ways: `can_*` (bool), `check_*` (raises
Http404 when the user may not even know the thing exists, PermissionDenied when they may see it
but not act) and `filter_*` (narrows a queryset).
"""

from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from peersupport.accounts.models import User
from peersupport.accounts.selectors import email_is_verified

from .models import Group, Invitation, JoinRequest, Membership

AnyUser = User | AnonymousUser | None


class Authored(Protocol):
    """A story, reply or chat message: what ownership questions need of it."""

    author_id: int | None


ACTIVE_STATUSES = (Membership.Status.ACTIVE, Membership.Status.MUTED)


def is_site_admin(user: AnyUser) -> bool:
    """Administrators (staff) may do everything, in every group."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


@dataclass(frozen=True)
class Access:
    """What one user may do in one group, computed once per (user, group)."""

    group_id: int
    is_authenticated: bool
    is_admin: bool
    is_listed: bool
    is_archived: bool
    join_policy: str
    role: str | None = None
    status: str | None = None
    muted_until: datetime | None = None
    rules_accepted_version: int = 0
    rules_version: int = 1
    has_pending_request: bool = False
    user_id: int | None = None
    # Consent to processing health-related content (accounts): without it, read but never post.
    has_consent: bool = True

    # --- who the user is here ---------------------------------------------------------------
    @property
    def is_member(self) -> bool:
        """An active or muted member (a muted member still reads)."""
        return self.status in ACTIVE_STATUSES

    @property
    def is_removed(self) -> bool:
        return self.status == Membership.Status.REMOVED

    @property
    def is_muted(self) -> bool:
        if self.status != Membership.Status.MUTED:
            return False
        return self.muted_until is None or self.muted_until > timezone.now()

    @property
    def is_facilitator(self) -> bool:
        return self.is_member and self.role == Membership.Role.FACILITATOR

    @property
    def rules_accepted(self) -> bool:
        return self.rules_accepted_version >= self.rules_version

    # --- what the user may do ---------------------------------------------------------------
    @property
    def can_see(self) -> bool:
        """May know the group exists and read its name, description and rules."""
        if self.is_admin or self.is_member:
            return True
        return self.is_listed and not self.is_archived

    @property
    def can_read(self) -> bool:
        """May read the group's content: stories, replies, chat, member list."""
        return self.is_admin or self.is_member

    @property
    def can_post(self) -> bool:
        """May write stories, replies and chat messages now."""
        if self.is_archived or not self.has_consent:
            return False
        if self.is_admin and not self.is_member:
            return True
        return self.is_member and not self.is_muted and self.rules_accepted

    @property
    def needs_consent(self) -> bool:
        """Signed in without consent to health-related content: pages link to the consent page."""
        return self.is_authenticated and not self.has_consent

    @property
    def can_moderate(self) -> bool:
        return self.is_admin or self.is_facilitator

    @property
    def can_join(self) -> bool:
        """May become a member straight away (open groups)."""
        return (
            self.is_authenticated
            and not self.is_member
            and not self.is_removed
            and not self.is_archived
            and self.join_policy == Group.JoinPolicy.OPEN
        )

    @property
    def can_request_to_join(self) -> bool:
        return (
            self.is_authenticated
            and not self.is_member
            and not self.is_removed
            and not self.is_archived
            and not self.has_pending_request
            and self.join_policy == Group.JoinPolicy.REQUEST
        )

    @property
    def can_leave(self) -> bool:
        return self.is_member

    # --- the user's own posts (stories, replies) ---------------------------------------------
    def is_author(self, post: "Authored") -> bool:
        return self.user_id is not None and post.author_id == self.user_id

    def can_edit_post(self, post: "Authored") -> bool:
        """Edit or remove a story or reply: only its author, while it is not removed."""
        return self.is_author(post) and not getattr(post, "is_deleted", False)

    def can_see_unpublished(self, post: "Authored") -> bool:
        """A held or hidden post: its author and the group's moderators still see it."""
        return self.can_moderate or self.is_author(post)

    @property
    def post_refusal_reason(self) -> str:
        """A kind sentence saying why the user cannot post, for pages and error frames."""
        if self.is_archived:
            return _(
                "This group is archived, so new posts are closed. You can still read what's here."
            )
        if self.is_authenticated and not self.has_consent and (self.is_member or self.is_admin):
            return _(
                "Before you post or chat, we need your consent to keep and handle what you write "
                "about your health. You can give it on your consent page. You can still read."
            )
        if self.is_muted:
            return _(
                "A facilitator has paused your posting in this group for now. You can still read."
            )
        if self.is_member and not self.rules_accepted:
            return _("The group's rules have changed. Please read and accept them before posting.")
        if not self.is_member:
            return _("Only members of this group can post here.")
        return ""


# --- a per-request memo of access_for ---------------------------------------------------------
# A page asks the same question several times (the view, the group navigation, template tags);
# within one HTTP request the answer is computed once. The memo exists only between Django's
# request_started and request_finished signals (never in sockets, tasks or the shell); any
# write to a membership, join request, group or user clears it, so a service that changes access
# mid-request is seen by the next question; and answers computed inside a transaction are not
# kept (it may roll back).
_access_memo: ContextVar[dict[tuple[int, int], "Access"] | None] = ContextVar(
    "group_access_memo", default=None
)


_DEPTH = ("atomic depth at request start",)


def access_memo_start(**kwargs: object) -> None:
    """Connected to request_started: a fresh memo for this request."""
    # The depth of transactions already open when the request began (none in production; a
    # test's own transaction in tests): only answers computed deeper than that are not kept.
    _access_memo.set({_DEPTH: len(connection.atomic_blocks)})


def access_memo_end(**kwargs: object) -> None:
    """Connected to request_finished."""
    _access_memo.set(None)


def access_memo_clear(**kwargs: object) -> None:
    """Forget every memoised answer (connected to saves and deletes that change access)."""
    memo = _access_memo.get()
    if memo:
        depth = memo[_DEPTH]
        memo.clear()
        memo[_DEPTH] = depth


def _memo_may_keep(memo: dict) -> bool:
    """Not inside a transaction the request opened: what a service sees there may roll back."""
    return len(connection.atomic_blocks) <= memo.get(_DEPTH, 0)


def _memberships_memo(user: User) -> dict[int, Membership] | None:
    """Every membership of the user by group id, in one query per request (None outside one).

    A page asks about the group it shows, the header asks whether the user facilitates any
    group (Moderation link, urgent banner): one small query answers all of them.
    """
    memo = _access_memo.get()
    if memo is None:
        return None
    key = ("memberships", user.pk)
    rows = memo.get(key)
    if rows is None:
        rows = {
            m.group_id: m
            for m in Membership.objects.filter(user=user).only(
                "group_id", "role", "status", "muted_until", "rules_accepted_version"
            )
        }
        if _memo_may_keep(memo):
            memo[key] = rows
    return rows


def facilitated_group_ids(user: AnyUser) -> list[int]:
    """Ids of the groups the user facilitates (active or muted there), administrators included
    only where they facilitate: who carries a group's alerts."""
    if user is None or not user.is_authenticated:
        return []
    rows = _memberships_memo(user)
    if rows is None:
        return list(
            filter_groups_facilitated(Group.objects.all(), user).values_list("pk", flat=True)
        )
    return sorted(
        gid
        for gid, m in rows.items()
        if m.role == Membership.Role.FACILITATOR and m.status in ACTIVE_STATUSES
    )


def access_for(user: AnyUser, group: Group) -> Access:
    """The user's access to a group, computed once per request (see the memo above)."""
    memo = _access_memo.get()
    if memo is None or user is None or not user.is_authenticated or group.pk is None:
        return _access_compute(user, group)
    key = (user.pk, group.pk)
    access = memo.get(key)
    if access is None:
        access = _access_compute(user, group)
        if _memo_may_keep(memo):
            memo[key] = access
    return access


def _access_compute(user: AnyUser, group: Group) -> Access:
    """Compute the user's access to a group (at most two small queries, none for visitors)."""
    authenticated = bool(user is not None and user.is_authenticated)
    base = dict(
        group_id=group.pk,
        is_authenticated=authenticated,
        is_admin=is_site_admin(user),
        is_listed=group.visibility == Group.Visibility.LISTED,
        is_archived=group.is_archived,
        join_policy=group.join_policy,
        rules_version=group.rules_version,
    )
    if not authenticated:
        return Access(**base)
    base["user_id"] = user.pk
    base["has_consent"] = user.health_consent_at is not None
    rows = _memberships_memo(user)
    if rows is not None:
        membership = rows.get(group.pk)
    else:
        membership = (
            Membership.objects.filter(user=user, group=group)
            .only("group_id", "role", "status", "muted_until", "rules_accepted_version")
            .first()
        )
    pending = False
    if membership is None or membership.status not in ACTIVE_STATUSES:
        pending = JoinRequest.objects.filter(
            user=user, group=group, status=JoinRequest.Status.PENDING
        ).exists()
    if membership is None:
        return Access(**base, has_pending_request=pending)
    return Access(
        **base,
        role=membership.role,
        status=membership.status,
        muted_until=membership.muted_until,
        rules_accepted_version=membership.rules_accepted_version,
        has_pending_request=pending,
    )


# --- bool / raise pairs ---------------------------------------------------------------------
def can_see_group(user: AnyUser, group: Group) -> bool:
    return access_for(user, group).can_see


def check_see_group(user: AnyUser, group: Group) -> Access:
    access = access_for(user, group)
    if not access.can_see:
        # 404, not 403: an unlisted or archived group must not be revealed to outsiders.
        raise Http404
    return access


def can_read_group(user: AnyUser, group: Group) -> bool:
    return access_for(user, group).can_read


def check_read_group(user: AnyUser, group: Group) -> Access:
    access = access_for(user, group)
    if not access.can_read:
        # Group content is 404 to non-members, whether or not the group is listed.
        raise Http404
    return access


def check_post_in_group(user: AnyUser, group: Group) -> Access:
    access = check_read_group(user, group)
    if not access.can_post:
        raise PermissionDenied(access.post_refusal_reason)
    return access


def check_moderate_group(user: AnyUser, group: Group) -> Access:
    access = check_read_group(user, group)
    if not access.can_moderate:
        raise PermissionDenied(_("Only this group's facilitators can do that."))
    return access


def can_edit_post(user: AnyUser, post: Authored) -> bool:
    """Only the author edits or removes their own story or reply, while it is not removed."""
    return (
        user is not None
        and user.is_authenticated
        and post.author_id is not None
        and post.author_id == user.pk
        and not getattr(post, "is_deleted", False)
    )


def check_post_author(user: AnyUser, post: Authored) -> None:
    """Changes to a post are its author's alone (403: they can see it, but it is not theirs)."""
    if user is None or not user.is_authenticated or post.author_id != user.pk:
        raise PermissionDenied(_("Only the author can change this."))


def check_manage_groups(user: AnyUser) -> None:
    """Creating and archiving groups and appointing facilitators: administrators only."""
    if not is_site_admin(user):
        raise Http404


# --- acting on other members, invitations ---------------------------------------------------
def member_action_refusal(
    actor: AnyUser,
    group: Group | None,
    subject: User,
    *,
    subject_role: str | None = None,
    access: Access | None = None,
) -> str:
    """Why `actor` may not warn, mute, remove, reinstate or ban `subject` here ('' if they may).

    THE rule of who may act on whom, for every door (members page, case page, chat room):
    nobody acts on themself; administrators act on anyone; a group's facilitators act on its
    plain members, never on each other or on an administrator. `group` None is site-wide
    (bans, profile cases): administrators only. `subject_role` is the subject's role in the
    group and `access` the actor's, when the caller has them at hand (looked up otherwise).
    """
    if group is None:
        if actor is None or not actor.is_authenticated or not is_site_admin(actor):
            return _("Only administrators can do that.")
        if subject.pk == actor.pk:
            return _("You can't take this action on yourself.")
        return ""
    if access is None:
        access = access_for(actor, group)
    if subject_role is None:
        subject_role = (
            Membership.objects.filter(group=group, user=subject)
            .values_list("role", flat=True)
            .first()
        )
    return _group_action_refusal(actor, access, subject, subject_role)


def _group_action_refusal(
    actor: AnyUser, access: Access, subject: User, subject_role: str | None
) -> str:
    if actor is None or not actor.is_authenticated:
        return _("Only facilitators and administrators can do that.")
    if subject.pk == actor.pk:
        return _("You can't take this action on yourself.")
    if not access.can_moderate:
        return _("Only this group's facilitators can do that.")
    if access.is_admin:
        return ""
    if is_site_admin(subject):
        return _("Only an administrator can take this action on an administrator.")
    if subject_role == Membership.Role.FACILITATOR:
        return _("Only an administrator can take this action on a facilitator.")
    return ""


def can_moderate_member(actor: AnyUser, access: Access, target: Membership) -> bool:
    """Mute, unmute, remove or reinstate `target` (a membership of the group `access` is for)."""
    if not access.can_moderate or target.group_id != access.group_id:
        return False
    return not _group_action_refusal(actor, access, target.user, target.role)


def check_moderate_member(actor: AnyUser, group: Group, target: Membership) -> Access:
    access = check_moderate_group(actor, group)
    if not can_moderate_member(actor, access, target):
        raise PermissionDenied(_("You can't change this person's membership."))
    return access


MEMBER_ACTIONS_BY_STATUS: dict[str, tuple[str, ...]] = {
    Membership.Status.ACTIVE: ("mute", "remove"),
    Membership.Status.MUTED: ("unmute", "remove"),
    Membership.Status.REMOVED: ("reinstate",),
    Membership.Status.LEFT: (),
}


def member_actions_allowed(actor: AnyUser, access: Access, target: Membership) -> tuple[str, ...]:
    """The membership actions `actor` may take on `target` now (members page buttons, and
    what the members page accepts)."""
    if not can_moderate_member(actor, access, target):
        return ()
    return MEMBER_ACTIONS_BY_STATUS.get(target.status, ())


def case_actions_allowed(
    actor: AnyUser,
    *,
    case_open: bool,
    subject_id: int | None,
    in_group: bool,
    item_exists: bool,
    can_hide: bool,
    can_redact: bool,
) -> list[str]:
    """The actions a moderator may offer on a case (moderation's Action kinds, by value): close
    it; hide, restore or redact the item when its kind allows; warn, mute or remove its author,
    never themself (mute and remove only within a group); ban only for site administrators."""
    kinds = ["dismiss"] if case_open else []
    if item_exists:
        if can_hide:
            kinds += ["hide", "restore"]
            if case_open:
                kinds.append("hide_pending")
        if can_redact:
            kinds.append("redact")
    if subject_id is not None and actor is not None and subject_id != actor.pk:
        kinds.append("warn")
        if in_group:
            kinds += ["mute", "remove"]
        if is_site_admin(actor):
            kinds.append("ban")
    return kinds


def can_use_invitation(user: AnyUser, invitation: Invitation) -> bool:
    """A usable invitation, meant for this person (a direct one names them), who was not removed."""
    if user is None or not user.is_authenticated or not invitation.is_usable():
        return False
    if invitation.group.is_archived:
        return False
    if invitation.invitee_id is not None and invitation.invitee_id != user.pk:
        return False
    removed = Membership.objects.filter(
        user=user, group_id=invitation.group_id, status=Membership.Status.REMOVED
    ).exists()
    # A removed member comes back only when a facilitator reinstates them.
    return not removed


# --- whom to tell ---------------------------------------------------------------------------
def group_moderators(group: Group) -> list[User]:
    """Who moderates `group` and should hear about its reports, flags and requests: its
    active facilitators (administrators are told site-wide, through site_admins)."""
    rows = Membership.objects.filter(
        group=group, role=Membership.Role.FACILITATOR, status__in=ACTIVE_STATUSES
    ).select_related("user")
    return [m.user for m in rows if m.user.is_active and access_for(m.user, group).can_moderate]


def site_admins() -> list[User]:
    """Every administrator, for what only administrators handle (escalations, suggestions)."""
    return [u for u in User.objects.filter(is_active=True, is_staff=True) if is_site_admin(u)]


# --- querysets ------------------------------------------------------------------------------
def _membership_exists(user: User, statuses: tuple[str, ...], role: str | None = None) -> Exists:
    qs = Membership.objects.filter(group=OuterRef("pk"), user=user, status__in=statuses)
    if role is not None:
        qs = qs.filter(role=role)
    return Exists(qs)


def filter_groups_listed(qs: QuerySet[Group], user: AnyUser) -> QuerySet[Group]:
    """Groups for the directory: listed ones, plus unlisted ones the user belongs to."""
    if user is None or not user.is_authenticated:
        return qs.filter(visibility=Group.Visibility.LISTED, is_archived=False)
    return qs.filter(
        Q(visibility=Group.Visibility.LISTED, is_archived=False)
        | Q(_membership_exists(user, ACTIVE_STATUSES), is_archived=False)
    )


def filter_groups_joinable(qs: QuerySet[Group], user: AnyUser) -> QuerySet[Group]:
    """Groups the user may join straight away, as `Access.can_join` decides for one group:
    listed, open, not archived, and neither in them nor removed from them."""
    if user is None or not user.is_authenticated:
        return qs.none()
    return qs.filter(
        visibility=Group.Visibility.LISTED,
        is_archived=False,
        join_policy=Group.JoinPolicy.OPEN,
    ).exclude(
        _membership_exists(user, (*ACTIVE_STATUSES, Membership.Status.REMOVED)),
    )


def filter_groups_readable(qs: QuerySet[Group], user: AnyUser) -> QuerySet[Group]:
    """Groups whose content (stories, chat, search results) the user may read."""
    if is_site_admin(user):
        return qs
    if user is None or not user.is_authenticated:
        return qs.none()
    return qs.filter(_membership_exists(user, ACTIVE_STATUSES))


def filter_groups_moderated(qs: QuerySet[Group], user: AnyUser) -> QuerySet[Group]:
    """Groups the user may moderate."""
    if is_site_admin(user):
        return qs
    if user is None or not user.is_authenticated:
        return qs.none()
    return qs.filter(_membership_exists(user, ACTIVE_STATUSES, Membership.Role.FACILITATOR))


def filter_groups_facilitated(qs: QuerySet[Group], user: AnyUser) -> QuerySet[Group]:
    """Groups where the user is a facilitator (administrators only where they facilitate):
    who carries a group's alerts, as opposed to who may moderate it."""
    if user is None or not user.is_authenticated:
        return qs.none()
    return qs.filter(_membership_exists(user, ACTIVE_STATUSES, Membership.Role.FACILITATOR))


def readable_group_ids(user: AnyUser) -> QuerySet:
    """Ids of the groups whose content the user may read, as a subquery."""
    return filter_groups_readable(Group.objects.all(), user).values("pk")


# --- member profiles ----------------------------------------------------------------------
def can_view_profile(viewer: AnyUser, member: User) -> bool:
    """A profile is seen by its owner, administrators and people who share a group with it."""
    if viewer is None or not viewer.is_authenticated or not member.is_active:
        return False
    if viewer.pk == member.pk or is_site_admin(viewer):
        return True
    shared = Membership.objects.filter(user=member, status__in=ACTIVE_STATUSES).values("group_id")
    # A group's facilitators also see the people on its members page who were removed or left.
    listed_for_facilitator = Membership.objects.filter(user=member).values("group_id")
    return Membership.objects.filter(
        Q(group_id__in=shared)
        | Q(group_id__in=listed_for_facilitator, role=Membership.Role.FACILITATOR),
        user=viewer,
        status__in=ACTIVE_STATUSES,
    ).exists()


def check_view_profile(viewer: AnyUser, member: User) -> None:
    """404, not 403: a profile must not confirm that a pseudonym exists to strangers."""
    if not can_view_profile(viewer, member):
        raise Http404


# --- moderation ---
def can_moderate_scope(user: AnyUser, group: Group | None) -> bool:
    """May moderate items in this group; group None (member profiles) is administrators' only."""
    if group is None:
        return is_site_admin(user)
    return access_for(user, group).can_moderate


def check_moderate_scope(user: AnyUser, group: Group | None) -> None:
    """Raise unless the user moderates this scope (404 when they may not even read it)."""
    if group is None:
        if not is_site_admin(user):
            # 404: a site-wide case must not be revealed to non-administrators.
            raise Http404
        return
    check_moderate_group(user, group)


def is_moderator_anywhere(user: AnyUser) -> bool:
    """An administrator, or a facilitator of at least one group."""
    if is_site_admin(user):
        return True
    if user is None or not user.is_authenticated:
        return False
    if _memberships_memo(user) is not None:
        return bool(facilitated_group_ids(user))
    return Membership.objects.filter(
        user=user, role=Membership.Role.FACILITATOR, status__in=ACTIVE_STATUSES
    ).exists()


def check_moderator_anywhere(user: AnyUser) -> None:
    if not is_moderator_anywhere(user):
        raise PermissionDenied(_("Only facilitators and administrators can open this page."))


def check_site_admin(user: AnyUser) -> None:
    """Site-wide moderation (bans, appeals, site-wide watched words): administrators only."""
    if not is_site_admin(user):
        raise PermissionDenied(_("Only administrators can do that."))


def check_report_item(
    user: AnyUser, group: Group | None, *, visible: bool, item: object = None
) -> None:
    """A member may report only what they can read; anything else is 404."""
    if user is None or not user.is_authenticated:
        raise Http404
    if isinstance(item, User):
        # A profile is reported from the profile page: only by those who may see it, so the
        # report form cannot be used to count members' names by id.
        check_view_profile(user, item)
        return
    if group is None:
        if not visible and not is_site_admin(user):
            raise Http404
        return
    access = check_read_group(user, group)
    if not visible and not access.can_moderate:
        raise Http404


def check_decide_appeal(user: AnyUser, acted_by_id: int | None) -> None:
    """Appeals go to administrators, and never to the person who made the decision."""
    check_site_admin(user)
    if acted_by_id is not None and user.pk == acted_by_id:
        raise PermissionDenied(
            _("Another administrator needs to review an appeal about your own decision.")
        )


# --- stories ---
def check_reply_in_group(user: AnyUser, group: Group) -> Access:
    """Like check_post_in_group, but tells someone who left the group why (403) instead of a bare 404.

    They were a member and saw the story, so the kind explanation reveals nothing new.
    """
    access = access_for(user, group)
    if access.status == Membership.Status.LEFT and not access.is_admin:
        raise PermissionDenied(
            _(
                "You left this group, so you can't reply here any more. You're welcome to join again."
            )
        )
    return check_post_in_group(user, group)


# --- what an unconfirmed e-mail address gates (README: "What confirming the address unlocks") -
# Sign-up asks for no confirmation before a member's first post; these are what wait for it.
def can_receive_email(user: AnyUser) -> bool:
    """E-mail notifications and digests go only to a confirmed address: an address typed wrong,
    or someone else's, must never be told about a mental-health group."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.email
        and email_is_verified(user)
    )


def can_be_facilitator(user: AnyUser) -> bool:
    """Facilitators hear of urgent cases by e-mail, so the role needs a confirmed address."""
    return can_receive_email(user)


def check_can_be_facilitator(user: AnyUser) -> None:
    if not can_be_facilitator(user):
        raise PermissionDenied(
            _(
                "This member hasn't confirmed their e-mail address yet. Facilitators need one, "
                "since urgent alerts reach them by e-mail."
            )
        )


# --- scheduled sessions ---------------------------------------------------------------------
# Sessions live above this layer (groups.sessions), so these questions take the facts they need
# (who hosts, whether it is over) rather than the session objects.
def can_schedule_sessions(access: Access) -> bool:
    """Schedule, edit or cancel the group's sessions: its facilitators and administrators,
    while the group is not archived."""
    return access.can_moderate and not access.is_archived


def check_schedule_sessions(user: AnyUser, group: Group) -> Access:
    access = check_moderate_group(user, group)
    if access.is_archived:
        raise PermissionDenied(_("This group is archived, so no new sessions can be planned."))
    return access


def check_see_sessions(user: AnyUser, group: Group) -> Access:
    """A group's sessions are its content: 404 to anyone who may not read the group."""
    return check_read_group(user, group)


def can_rsvp_session(access: Access) -> bool:
    """Say going / not going: the group's members (a muted member too: being there is
    support, not posting) and administrators, while the group is not archived."""
    return (access.is_member or access.is_admin) and not access.is_archived


def check_rsvp_session(user: AnyUser, group: Group) -> Access:
    access = check_see_sessions(user, group)
    if not can_rsvp_session(access):
        raise PermissionDenied(_("Only members of this group can say they're going."))
    return access


def can_host_session(access: Access, host_ids: set[int]) -> bool:
    """End a session in the room: its host and co-hosts, while they still moderate the group,
    and administrators."""
    if access.is_admin:
        return True
    return access.can_moderate and access.user_id in host_ids


def check_host_session(user: AnyUser, group: Group, host_ids: set[int]) -> Access:
    access = check_see_sessions(user, group)
    if not can_host_session(access, host_ids):
        raise PermissionDenied(_("Only the session's hosts can do that."))
    return access


def can_see_session_attendance(access: Access) -> bool:
    """Who attended, host notes and check-out totals: facilitators and administrators only."""
    return access.can_moderate


def check_see_session_attendance(user: AnyUser, group: Group) -> Access:
    return check_moderate_group(user, group)


def session_cohost_candidates(group: Group) -> QuerySet[User]:
    """Whom a session may name as co-hosts: the group's active facilitators."""
    return User.objects.filter(
        is_active=True,
        memberships__group=group,
        memberships__role=Membership.Role.FACILITATOR,
        memberships__status__in=ACTIVE_STATUSES,
    ).order_by("display_name")


# --- the personal safety plan (peersupport.safety_plan) ---
class SharedPlan(Protocol):
    """A safety plan share: what the access question needs of it."""

    owner_id: int
    group: Group

    def is_active(self, now: datetime | None = None) -> bool: ...


def filter_groups_plan_shareable(qs: QuerySet[Group], user: AnyUser) -> QuerySet[Group]:
    """Groups whose facilitators a member may show their own safety plan to: their own groups."""
    if user is None or not user.is_authenticated:
        return qs.none()
    return qs.filter(_membership_exists(user, ACTIVE_STATUSES), is_archived=False)


def filter_plan_shares_readable(qs: QuerySet, user: AnyUser) -> QuerySet:
    """Plan shares (a SafetyPlanShare queryset, still lasting) this person may read as a
    facilitator: in groups they facilitate, from members still active there."""
    groups = filter_groups_facilitated(Group.objects.all(), user)
    owners_in_group = Membership.objects.filter(
        user_id=OuterRef("plan__owner_id"),
        group_id=OuterRef("group_id"),
        status__in=ACTIVE_STATUSES,
    )
    return qs.filter(group__in=groups, plan__owner__is_active=True).filter(Exists(owners_in_group))


def can_share_plan_with(user: AnyUser, group: Group) -> bool:
    return access_for(user, group).is_member and not group.is_archived


def check_share_plan_with(user: AnyUser, group: Group) -> None:
    if not can_share_plan_with(user, group):
        raise PermissionDenied(_("You can share your plan only with a group you belong to."))


def can_read_shared_plan(user: AnyUser, share: SharedPlan) -> bool:
    """While a share lasts: its owner and the facilitators of its group. Administrators are not
    included unless they facilitate that group: the plan is the member's alone to show."""
    if user is None or not user.is_authenticated or not share.is_active():
        return False
    if user.pk == share.owner_id:
        return True
    if not access_for(user, share.group).is_facilitator:
        return False
    # A member who left the group, or whose account is switching off, shares nothing there.
    return Membership.objects.filter(
        user_id=share.owner_id,
        user__is_active=True,
        group=share.group,
        status__in=ACTIVE_STATUSES,
    ).exists()


def check_read_shared_plan(user: AnyUser, share: SharedPlan) -> None:
    """404, not 403: an expired, revoked or someone else's share must not be known to exist."""
    if not can_read_shared_plan(user, share):
        raise Http404
