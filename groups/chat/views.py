"""The chat room page (works without JavaScript), the catch-up API and facilitator controls."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from groups.models import Group
from groups.permissions import can_host_session, check_moderate_group, check_read_group
from groups.sessions import services as session_services
from groups.sessions.selectors import occurrence_live_for_room

from . import services as chat_services
from .forms import ChatMessageForm, ChatMuteForm, ChatRoomSettingsForm
from .models import ChatMessage
from .selectors import (
    PAGE_SIZE,
    chat_facilitator_here,
    chat_messages_after,
    chat_messages_for_room,
    chat_messages_mark_cases,
    chat_room_settings,
    message_payload,
    presence_payload,
    replay_limit,
)


def _int_param(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name)
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise Http404 from None
    if value < 0:
        raise Http404
    return value


def _room_url(group: Group) -> str:
    return reverse("chat:room", kwargs={"slug": group.slug})


def _client_strings() -> dict[str, str]:
    """Words the script shows, translated here because the script has no catalogue."""
    return {
        "you": _("You"),
        "sending": _("Sending…"),
        "removed": _("Removed by a facilitator."),
        "live": _("Connected: new messages appear as they arrive."),
        "connecting": _("Connecting…"),
        "reconnecting": _("Connection lost. Reconnecting…"),
        "refused": _("The chat is not available to you right now."),
        "hereOne": _("{n} person here now"),
        "hereMany": _("{n} people here now"),
        "openNow": _("A facilitator is here, so the room is open."),
        "closed": _("The room is closed for now. It opens when a facilitator joins."),
        "slowMode": _("Slow mode: one message every {n} seconds."),
        "empty": _("Your message is empty. Write something before sending."),
        "notSent": _("Not sent — try again."),
        "retry": _("Try again"),
        "paused": _("Live updates are paused — your messages still send."),
        "today": _("Today"),
        "yesterday": _("Yesterday"),
    }


@login_required
def room(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group, slug=slug)
    access = check_read_group(request.user, group)
    form = ChatMessageForm()
    if request.method == "POST":
        form = ChatMessageForm(request.POST)
        if form.is_valid():
            try:
                chat_services.chat_message_post(
                    group=group,
                    author=request.user,
                    body=form.cleaned_data["body"],
                    client_id=form.cleaned_data["client_id"],
                )
            except chat_services.ChatRefused as refused:
                form.add_error("body", refused.message)
            else:
                return redirect(_room_url(group) + "#composer")
    before = _int_param(request, "before")
    page = chat_messages_for_room(group, before=before)
    if access.can_moderate:
        # Only facilitators see which messages opened a case (and reach it from here).
        chat_messages_mark_cases(page)
    room_settings = chat_room_settings(group)
    presence = presence_payload(group.pk)
    # A scheduled session on now (or about to start): its banner, and opening the room
    # during it counts as attending.
    live_session = occurrence_live_for_room(group.pk)
    if live_session is not None and before is None and request.method == "GET":
        session_services.attendance_record(group=group, user=request.user)
    response = render(
        request,
        "chat/room.html",
        {
            "group": group,
            "access": access,
            "chat_messages": page,
            "has_earlier": bool(page) and page[0].seq > 1,
            "earliest": page[0].seq if page else None,
            "last_id": page[-1].seq if page and before is None else 0,
            "is_history": before is not None,
            "form": form,
            "room_settings": room_settings,
            "settings_form": ChatRoomSettingsForm(
                initial={
                    "slow_mode_seconds": room_settings.slow_mode_seconds,
                    "facilitator_only": room_settings.facilitator_only,
                    "retention_days": room_settings.retention_days,
                }
            ),
            "mute_form": ChatMuteForm(),
            "live_session": live_session,
            "can_end_session": live_session is not None
            and can_host_session(access, live_session.session.host_ids()),
            "presence": presence,
            "room_open": not room_settings.facilitator_only or chat_facilitator_here(group.pk),
            "page_size": PAGE_SIZE,
            "chat_strings": _client_strings(),
            # Live messages build their report links from this (the script swaps in the id).
            "report_base": reverse(
                "moderation:report",
                kwargs={
                    "content_type_id": ContentType.objects.get_for_model(ChatMessage).pk,
                    "object_id": 0,
                },
            ),
        },
        status=400 if form.errors else 200,
    )
    return response


@login_required
@require_GET
def messages_api(request: HttpRequest, slug: str) -> JsonResponse:
    """JSON pages of messages: `?after=N` to catch up, `?before=N` to load earlier ones."""
    group = get_object_or_404(Group, slug=slug)
    check_read_group(request.user, group)
    after, before = _int_param(request, "after"), _int_param(request, "before")
    if after is not None:
        limit = replay_limit()
        found = chat_messages_after(group.pk, after, limit=limit + 1)
        more = len(found) > limit
        found = found[:limit]
    else:
        found = chat_messages_for_room(group, before=before)
        more = bool(found) and found[0].seq > 1
    return JsonResponse({"messages": [message_payload(m) for m in found], "more": more})


@login_required
@require_POST
def message_delete(request: HttpRequest, slug: str, seq: int) -> HttpResponse:
    group = get_object_or_404(Group, slug=slug)
    check_moderate_group(request.user, group)
    get_object_or_404(ChatMessage, group=group, seq=seq)
    chat_services.chat_message_delete(group=group, actor=request.user, seq=seq)
    messages.success(request, _("The message was removed for everyone."))
    return redirect(_room_url(group))


@login_required
@require_POST
def member_mute(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group, slug=slug)
    check_moderate_group(request.user, group)
    form = ChatMuteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose how long to pause their posting."))
        return redirect(_room_url(group))
    try:
        chat_services.chat_member_mute(
            group=group,
            actor=request.user,
            user_id=form.cleaned_data["user_id"],
            mute_for=form.cleaned_data["mute_for"],
        )
    except chat_services.ChatRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request, _("Their posting is paused in this group for now. They can still read.")
        )
    return redirect(_room_url(group))


@login_required
@require_POST
def room_settings_update(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group, slug=slug)
    check_moderate_group(request.user, group)
    form = ChatRoomSettingsForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_room_url(group))
    chat_services.chat_room_settings_update(group=group, actor=request.user, **form.cleaned_data)
    messages.success(request, _("Room settings saved."))
    return redirect(_room_url(group))
