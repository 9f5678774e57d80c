"""The welcome page after sign-up: groups by topic, each joined (its rules shown and accepted)
in one form that lands on the group's composer, so a first post is four steps from the
landing page: sign up, join, write, post."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import permissions, selectors, services
from .forms import JoinForm


def _welcome(request: HttpRequest, *, failed: str = "", failed_form: JoinForm | None = None):
    topics = selectors.group_suggestions_for_welcome(user=request.user)
    for topic in topics:
        for group in topic.groups:
            # Each group's own prefix keeps the checkboxes' ids apart on one page.
            group.join_form = (
                failed_form if group.slug == failed else JoinForm(prefix=f"join-{group.slug}")
            )
    context = {
        "topics": topics,
        "needs_consent": request.user.health_consent_at is None,
    }
    return render(request, "groups/welcome.html", context, status=400 if failed else 200)


@login_required
@require_GET
def welcome(request: HttpRequest) -> HttpResponse:
    return _welcome(request)


@login_required
@require_POST
def welcome_join(request: HttpRequest, slug: str) -> HttpResponse:
    group = selectors.group_get_by_slug(slug=slug)
    access = permissions.check_see_group(request.user, group)
    composer = reverse("stories:create", kwargs={"slug": group.slug})
    if access.is_member:
        return redirect(composer)  # A double click: the first one joined.
    if not access.can_join:
        raise services.GroupActionRefused(_("This group isn't open to join directly."))
    form = JoinForm(request.POST, prefix=f"join-{group.slug}")
    if not form.is_valid():
        return _welcome(request, failed=group.slug, failed_form=form)
    services.membership_join(user=request.user, group=group, accept_rules=True)
    messages.success(
        request,
        _(
            "Welcome to %(group)s. Write your first story whenever you're ready: a facilitator "
            "reads a new member's first story before the group sees it."
        )
        % {"group": group.name},
    )
    return redirect(composer)
