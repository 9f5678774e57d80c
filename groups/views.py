"""Group pages: fetch → permission → form → service/selector → render or redirect."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import permissions, selectors, services
from .forms import (
    DecisionForm,
    DirectInvitationForm,
    DirectoryFilterForm,
    FacilitatorAppointForm,
    FacilitatorRemoveForm,
    GroupForm,
    InvitationAcceptForm,
    InvitationLinkForm,
    JoinForm,
    JoinRequestForm,
    MemberActionForm,
)
from .models import Group


# --- everyone -------------------------------------------------------------------------------
@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    topics = selectors.group_topics_for_directory(user=request.user)
    form = DirectoryFilterForm(request.GET or None, topics=topics)
    topic = q = ""
    if form.is_bound and form.is_valid():
        topic, q = form.cleaned_data["topic"], form.cleaned_data["q"].strip()
    groups = selectors.group_list_for_directory(user=request.user, topic=topic, q=q)
    return render(
        request,
        "groups/directory.html",
        {"form": form, "groups": groups, "filtered": bool(topic or q)},
    )


@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    group = selectors.group_get_by_slug(slug=slug)
    access = permissions.check_see_group(request.user, group)
    context = {"group": group, "access": access}
    if access.can_moderate:
        context["pending_count"] = selectors.join_request_count_pending(group=group)
    if access.can_read:
        context["members"] = selectors.member_list_for_group(group=group)
    else:
        context["join_form"] = JoinForm(prefix="join")
        context["request_form"] = JoinRequestForm(prefix="request")
        context["decision"] = selectors.join_request_latest_decision(user=request.user, group=group)
    return render(request, "groups/detail.html", context)


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    return render(
        request, "groups/mine.html", {"mine": selectors.my_groups_for_user(user=request.user)}
    )


def _detail_with_errors(request: HttpRequest, group: Group, **forms: object) -> HttpResponse:
    access = permissions.access_for(request.user, group)
    context = {
        "group": group,
        "access": access,
        "join_form": JoinForm(prefix="join"),
        "request_form": JoinRequestForm(prefix="request"),
        **forms,
    }
    return render(request, "groups/detail.html", context, status=400)


@login_required
@require_POST
def join(request: HttpRequest, slug: str) -> HttpResponse:
    group = selectors.group_get_by_slug(slug=slug)
    access = permissions.check_see_group(request.user, group)
    if access.is_member:
        return redirect(group)
    form = JoinForm(request.POST, prefix="join")
    if not access.can_join:
        raise services.GroupActionRefused(_("This group isn't open to join directly."))
    if not form.is_valid():
        return _detail_with_errors(request, group, join_form=form)
    services.membership_join(user=request.user, group=group, accept_rules=True)
    messages.success(
        request, _("Welcome to %(group)s. We're glad you're here.") % {"group": group.name}
    )
    return redirect(group)


@login_required
@require_POST
def request_to_join(request: HttpRequest, slug: str) -> HttpResponse:
    group = selectors.group_get_by_slug(slug=slug)
    access = permissions.check_see_group(request.user, group)
    if access.is_member or access.has_pending_request:
        return redirect(group)  # A double click: the first request stands.
    if not access.can_request_to_join:
        raise services.GroupActionRefused(_("This group doesn't take join requests."))
    form = JoinRequestForm(request.POST, prefix="request")
    if not form.is_valid():
        return _detail_with_errors(request, group, request_form=form)
    services.join_request_create(
        user=request.user, group=group, message=form.cleaned_data["message"]
    )
    messages.success(request, _("Thank you. Your request is with the group's facilitators."))
    return redirect(group)


@login_required
@require_POST
def withdraw_request(request: HttpRequest, slug: str) -> HttpResponse:
    group = selectors.group_get_by_slug(slug=slug)
    permissions.check_see_group(request.user, group)
    services.join_request_withdraw(user=request.user, group=group)
    messages.success(request, _("Your request is withdrawn."))
    return redirect(group)


@login_required
@require_POST
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    group = selectors.group_get_by_slug(slug=slug)
    permissions.check_read_group(request.user, group)
    try:
        services.membership_leave(user=request.user, group=group)
    except services.LastFacilitator as refused:
        messages.error(request, str(refused))
        return redirect(group)
    messages.success(
        request, _("You've left %(group)s. You're welcome back any time.") % {"group": group.name}
    )
    return redirect("groups:mine")


@login_required
@require_POST
def accept_rules(request: HttpRequest, slug: str) -> HttpResponse:
    group = selectors.group_get_by_slug(slug=slug)
    permissions.check_read_group(request.user, group)
    services.membership_accept_rules(user=request.user, group=group)
    messages.success(request, _("Thank you for accepting the rules."))
    return redirect(group)


@login_required
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    invite = selectors.invitation_get_by_token(token=token)
    group = invite.group
    # A token someone else was given, or one that no longer works, reveals nothing about the group.
    access = permissions.access_for(request.user, group)
    if not access.is_member and not permissions.can_use_invitation(request.user, invite):
        return render(request, "groups/invitation_unusable.html", status=404)
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.invitation_accept(user=request.user, token=token, accept_rules=True)
        messages.success(
            request, _("Welcome to %(group)s. We're glad you're here.") % {"group": group.name}
        )
        return redirect(group)
    return render(
        request,
        "groups/invitation.html",
        {"invitation": invite, "group": group, "access": access, "form": form},
    )


# --- facilitators ---------------------------------------------------------------------------
@login_required
@require_GET
def requests_queue(request: HttpRequest, slug: str) -> HttpResponse:
    group = selectors.group_get_by_slug(slug=slug)
    access = permissions.check_moderate_group(request.user, group)
    pending = selectors.join_request_list_pending(group=group)
    context = {
        "group": group,
        "access": access,
        "pending": pending,
        "pending_count": len(pending),
        "form": DecisionForm(),
    }
    return render(request, "groups/facilitate_requests.html", context)


@login_required
@require_POST
def request_decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = selectors.group_get_by_slug(slug=slug)
    permissions.check_moderate_group(request.user, group)
    join_request = selectors.join_request_get_in_group(group=group, pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose approve or decline."))
        return redirect("groups:requests", slug=group.slug)
    name = join_request.user.display_name
    try:
        if form.cleaned_data["decision"] == "approve":
            services.join_request_approve(
                by=request.user, join_request=join_request, note=form.cleaned_data["note"]
            )
            messages.success(request, _("%(name)s is now a member.") % {"name": name})
        else:
            services.join_request_decline(
                by=request.user, join_request=join_request, note=form.cleaned_data["note"]
            )
            messages.success(
                request,
                _("You declined %(name)s's request. They'll see your note.") % {"name": name},
            )
    except services.GroupActionRefused as refused:
        messages.error(request, str(refused))
    return redirect("groups:requests", slug=group.slug)


@login_required
@require_http_methods(["GET", "POST"])
def invitations(request: HttpRequest, slug: str) -> HttpResponse:
    group = selectors.group_get_by_slug(slug=slug)
    access = permissions.check_moderate_group(request.user, group)
    link_form = InvitationLinkForm(prefix="link")
    direct_form = DirectInvitationForm(prefix="direct")
    status = 200
    if request.method == "POST":
        kind = request.POST.get("kind")
        if kind == "link":
            link_form = InvitationLinkForm(request.POST, prefix="link")
            if link_form.is_valid():
                try:
                    services.invitation_create(
                        by=request.user,
                        group=group,
                        expires_at=timezone.now() + link_form.expires_in,
                        max_uses=link_form.cleaned_data["max_uses"],
                    )
                except services.GroupActionRefused as refused:
                    link_form.add_error(None, str(refused))
                else:
                    messages.success(request, _("A new invitation link is ready to share."))
                    return redirect("groups:invitations", slug=group.slug)
        elif kind == "direct":
            direct_form = DirectInvitationForm(request.POST, prefix="direct")
            if direct_form.is_valid():
                invitee = selectors.user_get_by_display_name(
                    display_name=direct_form.cleaned_data["display_name"]
                )
                if invitee is None:
                    direct_form.add_error(
                        "display_name", _("We couldn't find a member with that display name.")
                    )
                else:
                    try:
                        services.invitation_create(
                            by=request.user,
                            group=group,
                            invitee=invitee,
                            expires_at=timezone.now()
                            + timedelta(days=direct_form.cleaned_data["expires_in_days"]),
                        )
                    except services.GroupActionRefused as refused:
                        direct_form.add_error("display_name", str(refused))
                    else:
                        messages.success(
                            request,
                            _("%(name)s will find your invitation on their My groups page.")
                            % {"name": invitee.display_name},
                        )
                        return redirect("groups:invitations", slug=group.slug)
        else:
            raise Http404
        status = 400
    context = {
        "group": group,
        "access": access,
        "link_form": link_form,
        "direct_form": direct_form,
        "invitations": selectors.invitation_list_for_group(group=group),
        "now": timezone.now(),
        "pending_count": selectors.join_request_count_pending(group=group),
    }
    return render(request, "groups/facilitate_invitations.html", context, status=status)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = selectors.group_get_by_slug(slug=slug)
    permissions.check_moderate_group(request.user, group)
    invite = selectors.invitation_get_in_group(group=group, pk=pk)
    services.invitation_revoke(by=request.user, invitation=invite)
    messages.success(request, _("The invitation no longer works."))
    return redirect("groups:invitations", slug=group.slug)


@login_required
@require_GET
def members(request: HttpRequest, slug: str) -> HttpResponse:
    group = selectors.group_get_by_slug(slug=slug)
    access = permissions.check_moderate_group(request.user, group)
    rows = [
        (m, permissions.member_actions_allowed(request.user, access, m))
        for m in selectors.membership_list_for_facilitator(group=group)
    ]
    context = {
        "group": group,
        "access": access,
        "rows": rows,
        "form": MemberActionForm(),
        "pending_count": selectors.join_request_count_pending(group=group),
    }
    return render(request, "groups/facilitate_members.html", context)


# --- administrators -------------------------------------------------------------------------
@login_required
@require_GET
def staff_list(request: HttpRequest) -> HttpResponse:
    permissions.check_manage_groups(request.user)
    return render(request, "groups/staff_list.html", {"groups": selectors.group_list_for_staff()})


@login_required
@require_http_methods(["GET", "POST"])
def staff_create(request: HttpRequest) -> HttpResponse:
    permissions.check_manage_groups(request.user)
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        group = services.group_create(by=request.user, **form.cleaned_data)
        messages.success(request, _("%(group)s is ready.") % {"group": group.name})
        return redirect("groups:staff_facilitators", slug=group.slug)
    return render(
        request,
        "groups/staff_form.html",
        {"form": form, "group": None},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_edit(request: HttpRequest, slug: str) -> HttpResponse:
    permissions.check_manage_groups(request.user)
    group = selectors.group_get_by_slug(slug=slug)
    # The form validates against its own copy, so a failed edit never touches `group`.
    form = GroupForm(request.POST or None, instance=selectors.group_get_by_slug(slug=slug))
    if request.method == "POST" and form.is_valid():
        group = services.group_update(by=request.user, group=group, **form.cleaned_data)
        messages.success(request, _("Your changes to %(group)s are saved.") % {"group": group.name})
        return redirect("groups:staff_list")
    return render(
        request,
        "groups/staff_form.html",
        {"form": form, "group": group},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def staff_archive(request: HttpRequest, slug: str) -> HttpResponse:
    permissions.check_manage_groups(request.user)
    group = selectors.group_get_by_slug(slug=slug)
    archived = request.POST.get("archived", "1") != "0"
    services.group_archive(by=request.user, group=group, archived=archived)
    if archived:
        messages.success(request, _("%(group)s is archived.") % {"group": group.name})
    else:
        messages.success(request, _("%(group)s is open again.") % {"group": group.name})
    return redirect("groups:staff_list")


@login_required
@require_http_methods(["GET", "POST"])
def staff_facilitators(request: HttpRequest, slug: str) -> HttpResponse:
    permissions.check_manage_groups(request.user)
    group = selectors.group_get_by_slug(slug=slug)
    form = FacilitatorAppointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = selectors.user_get_by_display_name(display_name=form.cleaned_data["display_name"])
        if user is None:
            form.add_error("display_name", _("We couldn't find a member with that display name."))
        else:
            try:
                services.facilitator_appoint(by=request.user, group=group, user=user)
            except PermissionDenied as exc:
                form.add_error("display_name", str(exc))
            else:
                messages.success(
                    request,
                    _("%(name)s now facilitates %(group)s.")
                    % {"name": user.display_name, "group": group.name},
                )
                return redirect("groups:staff_facilitators", slug=group.slug)
    context = {
        "group": group,
        "form": form,
        "facilitators": selectors.facilitator_list_for_group(group=group),
    }
    return render(
        request, "groups/staff_facilitators.html", context, status=400 if form.is_bound else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_facilitator_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """GET (or a POST without `confirm`): a confirmation page; POST with it: stop them."""
    permissions.check_manage_groups(request.user)
    group = selectors.group_get_by_slug(slug=slug)
    membership = selectors.membership_get_in_group(group=group, pk=pk)
    form = FacilitatorRemoveForm(request.POST or None)
    if not (request.method == "POST" and form.is_valid() and form.cleaned_data["confirm"]):
        facilitators = selectors.facilitator_list_for_group(group=group)
        return render(
            request,
            "groups/staff_facilitator_remove.html",
            {
                "group": group,
                "membership": membership,
                "form": FacilitatorRemoveForm(),
                "is_last": len(facilitators) <= 1,
            },
        )
    try:
        services.facilitator_remove(
            by=request.user,
            membership=membership,
            allow_no_facilitator=form.cleaned_data.get("allow_no_facilitator", False),
        )
    except services.LastFacilitator as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("%(name)s is no longer a facilitator here.") % {"name": membership.user.display_name},
        )
    return redirect(reverse("groups:staff_facilitators", kwargs={"slug": group.slug}))
