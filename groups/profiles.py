"""The page other people see for a member: only for those who share a group with them.

It lives with groups, not accounts, because who may see it depends on memberships and the
accounts app imports nothing of ours.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from peersupport.accounts.models import User

from .permissions import check_view_profile


@login_required
def member_profile(request: HttpRequest, handle: str) -> HttpResponse:
    # E-mail addresses are never shown; the handle cannot be counted up like an id.
    member = get_object_or_404(
        User.objects.only(
            "pk", "handle", "display_name", "pronouns", "bio", "date_joined", "is_active"
        ),
        handle=handle,
        is_active=True,
    )
    check_view_profile(request.user, member)
    return render(request, "accounts/member_detail.html", {"member": member})
