"""The notification centre, preferences and one-click unsubscribe."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from groups.models import Group
from groups.permissions import (
    check_moderator_anywhere,
    check_read_group,
    filter_groups_moderated,
    is_site_admin,
)
from groups.selectors import group_get_by_slug

from . import selectors, services
from .forms import DutyForm, GroupFollowForm, PreferencesForm, delivery_field_name
from .models import Kind, Notification


def _centre_context(request: HttpRequest) -> dict:
    items = selectors.notification_list_for_user(user=request.user)
    return {"notifications": items, "has_unread": any(n.is_unread for n in items)}


@login_required
def centre(request: HttpRequest) -> HttpResponse:
    return render(request, "notifications/centre.html", _centre_context(request))


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    # 404 for someone else's notification: it must not be revealed.
    if not services.notification_mark_read(user=request.user, notification_id=pk):
        raise Http404
    if request.htmx:
        notification = Notification.objects.only(
            "pk", "kind", "url", "text", "created_at", "read_at"
        ).get(pk=pk)
        return render(request, "notifications/_notification.html", {"n": notification})
    return redirect("notifications:centre")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    services.notification_mark_all_read(user=request.user)
    if request.htmx:
        return render(request, "notifications/_list.html", _centre_context(request))
    messages.success(request, _("All caught up."))
    return redirect("notifications:centre")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user = request.user
    # Facilitator kinds are shown only to people who moderate somewhere (or administrators).
    moderates = is_site_admin(user) or filter_groups_moderated(Group.objects.all(), user).exists()
    if request.method == "POST":
        form = PreferencesForm(request.POST, include_facilitator_kinds=moderates)
        if form.is_valid():
            services.preferences_update(
                user=user,
                deliveries=form.deliveries(),
                digest_hour=form.cleaned_data["digest_hour"],
                quiet_start=form.cleaned_data["quiet_start"],
                quiet_end=form.cleaned_data["quiet_end"],
                include_details=form.cleaned_data["include_details"],
            )
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:preferences")
    else:
        prefs = services.settings_for(user)
        initial = {
            "digest_hour": prefs.digest_hour,
            "quiet_start": prefs.quiet_start,
            "quiet_end": prefs.quiet_end,
            "include_details": prefs.include_details,
        }
        for kind in Kind:
            initial[delivery_field_name(kind)] = services.delivery_for(user=user, kind=kind)
        form = PreferencesForm(initial=initial, include_facilitator_kinds=moderates)
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "moderates": moderates,
            "off_duty_since": services.settings_for(user).off_duty_since if moderates else None,
        },
    )


@login_required
@require_POST
def duty(request: HttpRequest) -> HttpResponse:
    """A facilitator goes off duty (their alerts go to others) or comes back on."""
    check_moderator_anywhere(request.user)
    form = DutyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Sorry, that didn't work. Please try again."))
        return redirect("notifications:preferences")
    off_duty = form.cleaned_data["duty"] == "off"
    services.duty_set(user=request.user, off_duty=off_duty)
    if off_duty:
        messages.success(
            request,
            _(
                "You're off duty. Take good care of yourself: alerts go to the other "
                "facilitators, or to the administrators if nobody else is on duty."
            ),
        )
    else:
        messages.success(request, _("Welcome back: you're on duty and will get alerts again."))
    return redirect("notifications:preferences")


@login_required
@require_POST
def group_follow(request: HttpRequest, slug: str) -> HttpResponse:
    group = group_get_by_slug(slug=slug)
    check_read_group(request.user, group)
    form = GroupFollowForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Sorry, that didn't work. Please try again."))
        return redirect("groups:detail", slug=group.slug)
    if services.group_follow_set(
        user=request.user, group=group, follow=form.cleaned_data["follow"] == "on"
    ):
        messages.success(request, _("We'll let you know when someone shares a new story here."))
    else:
        messages.success(request, _("You won't hear about new stories in this group any more."))
    return redirect("groups:detail", slug=group.slug)


# The token is the authority here (RFC 8058 one-click: a mail client POSTs without a session
# or CSRF token), so CSRF protection would only break it.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    parsed = services.unsubscribe_token_read(token)
    if parsed is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    kind = parsed[1]
    label = dict(Kind.choices).get(kind, _("Daily digest"))
    if request.method == "POST":
        user = services.email_unsubscribe(token=token)
        if user is None:
            return render(request, "notifications/unsubscribe_invalid.html", status=400)
        return render(request, "notifications/unsubscribe.html", {"done": True, "label": label})
    return render(
        request, "notifications/unsubscribe.html", {"done": False, "label": label, "token": token}
    )
