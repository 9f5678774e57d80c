"""Every write to groups, memberships, join requests and invitations.

Each service is atomic, re-checks permission through groups.permissions, and locks rows in a
fixed order (group, then membership / request / invitation) so concurrent clicks can't
interleave. Moderation-style changes (mute, remove, reinstate) take `by` and return the changed
membership so the moderation app can write its audit row around them.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peersupport.accounts.models import User
from peersupport.markdown import render_markdown

from . import permissions
from .models import Group, Invitation, JoinRequest, Membership
from .signals import (
    facilitator_role_changed_send_on_commit,
    join_request_created,
    join_request_decided,
    join_request_event_send_on_commit,
    membership_access_changed_send_on_commit,
)


class GroupActionRefused(PermissionDenied):
    """The action is not allowed now; the message is kind and may be shown to the person."""


class LastFacilitator(GroupActionRefused):
    """The group would be left without any facilitator."""


def _lock_group(group: Group) -> Group:
    return Group.objects.select_for_update().get(pk=group.pk)


def _active_facilitator_count(group: Group) -> int:
    return Membership.objects.filter(
        group=group, role=Membership.Role.FACILITATOR, status__in=permissions.ACTIVE_STATUSES
    ).count()


# --- groups (administrators) ----------------------------------------------------------------
@transaction.atomic
def group_create(
    *,
    by: User,
    name: str,
    slug: str,
    topic: str,
    description: str,
    rules: str,
    visibility: str = Group.Visibility.LISTED,
    join_policy: str = Group.JoinPolicy.OPEN,
) -> Group:
    """Create a group with its rules rendered to safe HTML."""
    permissions.check_manage_groups(by)
    group = Group(
        name=name.strip(),
        slug=slug,
        topic=topic.strip(),
        description=description.strip(),
        rules=rules,
        rules_html=render_markdown(rules),
        visibility=visibility,
        join_policy=join_policy,
    )
    group.full_clean()
    group.save()
    return group


GROUP_EDITABLE_FIELDS = (
    "name",
    "slug",
    "topic",
    "description",
    "rules",
    "visibility",
    "join_policy",
)


@transaction.atomic
def group_update(*, by: User, group: Group, **fields: str) -> Group:
    """Edit a group; a change to the rules bumps rules_version so members accept them again."""
    permissions.check_manage_groups(by)
    locked = _lock_group(group)
    unknown = set(fields) - set(GROUP_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    rules_changed = "rules" in fields and fields["rules"].strip() != locked.rules.strip()
    for name, value in fields.items():
        setattr(locked, name, value.strip() if name in ("name", "topic", "description") else value)
    if rules_changed:
        locked.rules_html = render_markdown(locked.rules)
        locked.rules_version += 1
        locked.rules_updated_at = timezone.now()
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def group_archive(*, by: User, group: Group, archived: bool = True) -> Group:
    """Archive (or bring back) a group: archived groups are read-only and leave the directory."""
    permissions.check_manage_groups(by)
    locked = _lock_group(group)
    locked.is_archived = archived
    locked.save(update_fields=["is_archived"])
    return locked


# --- joining and leaving --------------------------------------------------------------------
def _activate(
    membership: Membership | None, *, user: User, group: Group, rules_version: int
) -> Membership:
    """Make `user` an active member (a returning leaver comes back as a plain member)."""
    now = timezone.now()
    if membership is None:
        return Membership.objects.create(
            user=user,
            group=group,
            role=Membership.Role.MEMBER,
            status=Membership.Status.ACTIVE,
            joined_at=now,
            rules_accepted_version=rules_version,
            rules_accepted_at=now if rules_version else None,
        )
    membership.role = Membership.Role.MEMBER
    membership.status = Membership.Status.ACTIVE
    membership.muted_until = None
    membership.joined_at = now
    membership.status_changed_at = now
    membership.rules_accepted_version = rules_version
    membership.rules_accepted_at = now if rules_version else None
    membership.save()
    return membership


def _close_pending_requests(*, user: User, group: Group, by: User | None, status: str) -> None:
    JoinRequest.objects.filter(user=user, group=group, status=JoinRequest.Status.PENDING).update(
        status=status, decided_by=by, decided_at=timezone.now()
    )
    permissions.access_memo_clear()  # .update() sends no post_save


@transaction.atomic
def membership_join(*, user: User, group: Group, accept_rules: bool) -> Membership:
    """Join an open group after accepting its rules; joining twice changes nothing."""
    locked = _lock_group(group)
    permissions.check_see_group(user, locked)
    membership = Membership.objects.select_for_update().filter(user=user, group=locked).first()
    if membership is not None and membership.status in permissions.ACTIVE_STATUSES:
        return membership  # A double click: already in.
    access = permissions.access_for(user, locked)
    if not access.can_join:
        if access.is_removed:
            raise GroupActionRefused(
                _("A facilitator would need to welcome you back into this group.")
            )
        raise GroupActionRefused(_("This group isn't open to join directly."))
    if not accept_rules:
        raise GroupActionRefused(_("Please read and accept the group's rules to join."))
    membership = _activate(membership, user=user, group=locked, rules_version=locked.rules_version)
    _close_pending_requests(user=user, group=locked, by=None, status=JoinRequest.Status.WITHDRAWN)
    return membership


@transaction.atomic
def membership_leave(*, user: User, group: Group) -> Membership | None:
    """Leave a group; the last facilitator is asked to hand over first."""
    locked = _lock_group(group)
    membership = Membership.objects.select_for_update().filter(user=user, group=locked).first()
    if membership is None or membership.status not in permissions.ACTIVE_STATUSES:
        return membership  # Leaving twice is a no-op.
    if membership.role == Membership.Role.FACILITATOR and _active_facilitator_count(locked) <= 1:
        raise LastFacilitator(
            _(
                "You're this group's only facilitator. Please ask an administrator to appoint someone else first."
            )
        )
    membership.status = Membership.Status.LEFT
    membership.role = Membership.Role.MEMBER
    membership.muted_until = None
    membership.status_changed_at = timezone.now()
    membership.save()
    membership_access_changed_send_on_commit(group_id=locked.pk, user_id=user.pk)
    return membership


@transaction.atomic
def membership_accept_rules(*, user: User, group: Group) -> Membership:
    """Record that a member accepted the group's current rules."""
    locked = _lock_group(group)
    permissions.check_read_group(user, locked)
    membership = (
        Membership.objects.select_for_update()
        .filter(user=user, group=locked, status__in=permissions.ACTIVE_STATUSES)
        .first()
    )
    if membership is None:
        raise GroupActionRefused(_("Only members accept a group's rules."))
    membership.rules_accepted_version = locked.rules_version
    membership.rules_accepted_at = timezone.now()
    membership.save(update_fields=["rules_accepted_version", "rules_accepted_at"])
    return membership


# --- join requests --------------------------------------------------------------------------
@transaction.atomic
def join_request_create(
    *, user: User, group: Group, message: str = "", accept_rules: bool = True
) -> JoinRequest:
    """Ask to join a request-to-join group; a second click returns the same pending request.

    After commit a new request sends `join_request_created` (its facilitators are told).
    """
    locked = _lock_group(group)
    permissions.check_see_group(user, locked)
    existing = JoinRequest.objects.filter(
        user=user, group=locked, status=JoinRequest.Status.PENDING
    ).first()
    if existing is not None:
        return existing
    access = permissions.access_for(user, locked)
    if not access.can_request_to_join:
        if access.is_member:
            raise GroupActionRefused(_("You're already a member of this group."))
        if access.is_removed:
            raise GroupActionRefused(
                _("A facilitator would need to welcome you back into this group.")
            )
        raise GroupActionRefused(_("This group doesn't take join requests."))
    if not accept_rules:
        raise GroupActionRefused(_("Please read and accept the group's rules to ask to join."))
    try:
        with transaction.atomic():
            created = JoinRequest.objects.create(
                user=user,
                group=locked,
                message=message.strip(),
                rules_accepted_version=locked.rules_version,
            )
    except IntegrityError:
        # Another request raced us past the check: the one-pending constraint keeps one.
        return JoinRequest.objects.get(user=user, group=locked, status=JoinRequest.Status.PENDING)
    join_request_event_send_on_commit(join_request_created, join_request_id=created.pk)
    return created


def _lock_pending_request(join_request: JoinRequest) -> JoinRequest:
    locked = JoinRequest.objects.select_for_update().select_related("group").get(pk=join_request.pk)
    if locked.status != JoinRequest.Status.PENDING:
        raise GroupActionRefused(_("This request has already been answered."))
    return locked


@transaction.atomic
def join_request_approve(*, by: User, join_request: JoinRequest, note: str = "") -> Membership:
    """Approve a pending request: the requester becomes a member and sees the decision in-app."""
    group = _lock_group(join_request.group)
    permissions.check_moderate_group(by, group)
    locked = _lock_pending_request(join_request)
    membership = (
        Membership.objects.select_for_update().filter(user_id=locked.user_id, group=group).first()
    )
    if membership is not None and membership.status == Membership.Status.REMOVED:
        raise GroupActionRefused(
            _("This person was removed; please reinstate them from the member list.")
        )
    if membership is None or membership.status not in permissions.ACTIVE_STATUSES:
        version = (
            locked.rules_accepted_version
            if locked.rules_accepted_version >= group.rules_version
            else 0
        )
        membership = _activate(membership, user=locked.user, group=group, rules_version=version)
    locked.status = JoinRequest.Status.APPROVED
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.decision_note = note.strip()
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    join_request_event_send_on_commit(join_request_decided, join_request_id=locked.pk)
    return membership


@transaction.atomic
def join_request_decline(*, by: User, join_request: JoinRequest, note: str = "") -> JoinRequest:
    """Decline a pending request with an optional kind note the requester will see."""
    group = _lock_group(join_request.group)
    permissions.check_moderate_group(by, group)
    locked = _lock_pending_request(join_request)
    locked.status = JoinRequest.Status.DECLINED
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.decision_note = note.strip()
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    join_request_event_send_on_commit(join_request_decided, join_request_id=locked.pk)
    return locked


@transaction.atomic
def join_request_withdraw(*, user: User, group: Group) -> None:
    """The requester changes their mind; nothing happens if nothing is pending."""
    locked = _lock_group(group)
    _close_pending_requests(user=user, group=locked, by=user, status=JoinRequest.Status.WITHDRAWN)


# --- invitations ----------------------------------------------------------------------------
@transaction.atomic
def invitation_create(
    *, by: User, group: Group, expires_at: datetime, max_uses: int = 1, invitee: User | None = None
) -> Invitation:
    """A link with an expiry and a use limit, or a direct invitation to one member."""
    locked = _lock_group(group)
    permissions.check_moderate_group(by, locked)
    if locked.is_archived:
        raise GroupActionRefused(_("This group is archived, so it can't take new members."))
    if expires_at <= timezone.now():
        raise GroupActionRefused(_("Please choose an expiry in the future."))
    if invitee is not None:
        max_uses = 1
        invitee_access = permissions.access_for(invitee, locked)
        if invitee_access.is_member:
            raise GroupActionRefused(
                _("%(name)s is already a member.") % {"name": invitee.display_name}
            )
        if invitee_access.is_removed:
            raise GroupActionRefused(
                _(
                    "%(name)s was removed from this group. You can reinstate them from the member list."
                )
                % {"name": invitee.display_name}
            )
        existing = Invitation.objects.filter(
            group=locked, invitee=invitee, revoked_at__isnull=True
        ).first()
        if existing is not None and existing.is_usable():
            return existing  # Inviting someone twice sends one invitation.
    return Invitation.objects.create(
        group=locked,
        created_by=by,
        invitee=invitee,
        expires_at=expires_at,
        max_uses=max(1, max_uses),
    )


@transaction.atomic
def invitation_revoke(*, by: User, invitation: Invitation) -> Invitation:
    """Stop an invitation from working; revoking twice changes nothing."""
    group = _lock_group(invitation.group)
    permissions.check_moderate_group(by, group)
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
    return locked


@transaction.atomic
def invitation_accept(*, user: User, token: str, accept_rules: bool) -> Membership:
    """Join through an invitation; expired, used-up, revoked or someone else's are refused."""
    invitation = Invitation.objects.select_related("group").filter(token=token).first()
    if invitation is None:
        raise GroupActionRefused(_("This invitation link doesn't work."))
    group = _lock_group(invitation.group)
    invitation = (
        Invitation.objects.select_for_update().select_related("group").get(pk=invitation.pk)
    )
    membership = Membership.objects.select_for_update().filter(user=user, group=group).first()
    if membership is not None and membership.status in permissions.ACTIVE_STATUSES:
        return membership  # Already in: don't spend a use.
    if not permissions.can_use_invitation(user, invitation):
        raise GroupActionRefused(_("This invitation has expired or can no longer be used."))
    if not accept_rules:
        raise GroupActionRefused(_("Please read and accept the group's rules to join."))
    membership = _activate(membership, user=user, group=group, rules_version=group.rules_version)
    invitation.use_count += 1
    invitation.save(update_fields=["use_count"])
    _close_pending_requests(user=user, group=group, by=None, status=JoinRequest.Status.WITHDRAWN)
    return membership


# --- facilitators (administrators) ----------------------------------------------------------
@transaction.atomic
def facilitator_appoint(*, by: User, group: Group, user: User) -> Membership:
    """Make `user` a facilitator of `group`, adding them as a member if needed."""
    permissions.check_manage_groups(by)
    permissions.check_can_be_facilitator(user)
    locked = _lock_group(group)
    membership = Membership.objects.select_for_update().filter(user=user, group=locked).first()
    if membership is None or membership.status not in permissions.ACTIVE_STATUSES:
        membership = _activate(
            membership, user=user, group=locked, rules_version=locked.rules_version
        )
    newly = membership.role != Membership.Role.FACILITATOR
    membership.role = Membership.Role.FACILITATOR
    membership.status = Membership.Status.ACTIVE
    membership.muted_until = None
    membership.save(update_fields=["role", "status", "muted_until"])
    if newly:
        # They are told (in the app and by e-mail) once it has really happened.
        facilitator_role_changed_send_on_commit(membership_id=membership.pk, appointed=True)
    return membership


@transaction.atomic
def facilitator_remove(
    *, by: User, membership: Membership, allow_no_facilitator: bool = False
) -> Membership:
    """Make a facilitator a plain member again; the last one only with explicit confirmation."""
    permissions.check_manage_groups(by)
    group = _lock_group(membership.group)
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if locked.role != Membership.Role.FACILITATOR:
        return locked
    if _active_facilitator_count(group) <= 1 and not allow_no_facilitator:
        raise LastFacilitator(
            _("This is the group's only facilitator. Appoint another one first, or confirm.")
        )
    locked.role = Membership.Role.MEMBER
    locked.save(update_fields=["role"])
    facilitator_role_changed_send_on_commit(membership_id=locked.pk, appointed=False)
    return locked


# --- facilitators acting on members ---------------------------------------------------------
def _lock_target(*, by: User, membership: Membership) -> Membership:
    group = _lock_group(membership.group)
    locked = Membership.objects.select_for_update().select_related("group").get(pk=membership.pk)
    permissions.check_moderate_member(by, group, locked)
    return locked


def _set_status(
    membership: Membership, status: str, muted_until: datetime | None = None
) -> Membership:
    membership.status = status
    membership.muted_until = muted_until
    membership.status_changed_at = timezone.now()
    membership.save(update_fields=["status", "muted_until", "status_changed_at"])
    # After commit, whoever listens (the chat's open sockets) re-checks this member's access.
    membership_access_changed_send_on_commit(
        group_id=membership.group_id, user_id=membership.user_id
    )
    return membership


@transaction.atomic
def membership_mute(*, by: User, membership: Membership, until: datetime | None) -> Membership:
    """Pause a member's posting until `until` (None: until lifted); they still read."""
    locked = _lock_target(by=by, membership=membership)
    if locked.status not in permissions.ACTIVE_STATUSES:
        raise GroupActionRefused(_("Only current members can be muted."))
    if until is not None and until <= timezone.now():
        raise GroupActionRefused(_("Please choose a time in the future."))
    return _set_status(locked, Membership.Status.MUTED, until)


@transaction.atomic
def membership_unmute(*, by: User, membership: Membership) -> Membership:
    """Lift a mute; unmuting someone who isn't muted changes nothing."""
    locked = _lock_target(by=by, membership=membership)
    if locked.status != Membership.Status.MUTED:
        return locked
    return _set_status(locked, Membership.Status.ACTIVE)


@transaction.atomic
def membership_remove(*, by: User, membership: Membership) -> Membership:
    """Remove a member: they lose access and can't rejoin on their own."""
    locked = _lock_target(by=by, membership=membership)
    if locked.status == Membership.Status.REMOVED:
        return locked
    if locked.role == Membership.Role.FACILITATOR and _active_facilitator_count(locked.group) <= 1:
        raise LastFacilitator(_("This is the group's only facilitator. Appoint another one first."))
    locked.role = Membership.Role.MEMBER
    locked.save(update_fields=["role"])
    return _set_status(locked, Membership.Status.REMOVED)


@transaction.atomic
def membership_reinstate(*, by: User, membership: Membership) -> Membership:
    """Welcome a removed member back; they accept the rules again before posting."""
    locked = _lock_target(by=by, membership=membership)
    if locked.status != Membership.Status.REMOVED:
        return locked
    locked.rules_accepted_version = 0
    locked.save(update_fields=["rules_accepted_version"])
    return _set_status(locked, Membership.Status.ACTIVE)
