"""When an account is purged: memberships, join requests and invitations go, silently.

Facilitators are not told who left: no notification, no membership signal, no audit row.
Connected in GroupsConfig.ready().
"""

from peersupport.accounts.signals import account_purging

from .models import Invitation, JoinRequest, Membership


def purge_member_groups(sender: object, *, user_id: int, **kwargs) -> None:
    Membership.objects.filter(user_id=user_id).delete()
    JoinRequest.objects.filter(user_id=user_id).delete()
    Invitation.objects.filter(invitee_id=user_id).delete()


def connect() -> None:
    account_purging.connect(purge_member_groups, dispatch_uid="groups-account-purging")
