"""Session pages: fetch → permission check → form → service/selector → render or redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from groups import permissions
from groups.models import Group
from resources.countries import country_for_request
from resources.selectors import help_page_for_country

from . import selectors, services
from .calendar import render_calendar
from .forms import (
    DATETIME_LOCAL,
    CheckOutForm,
    FeedForm,
    NotesForm,
    OccurrenceForm,
    RsvpForm,
    SessionForm,
)
from .models import CalendarFeed, CheckOut, GroupSession, SessionOccurrence
from .recurrence import zone
from .services.room import checkout_open_for

SUPPORT_FLAG = "sessions_checkout_support"


def _group(slug: str) -> Group:
    return get_object_or_404(Group, slug=slug)


def _errors_to_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for e in errors:
                form.add_error(field if field in form.fields else None, e)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _session_input(cleaned: dict) -> services.SessionInput:
    return services.SessionInput(
        title=cleaned["title"],
        description=cleaned["description"],
        start=cleaned["start"].replace(tzinfo=None),
        host_timezone=cleaned["host_timezone"],
        duration_minutes=cleaned["duration_minutes"],
        capacity=cleaned["capacity"],
        recurrence=cleaned["recurrence"],
        repeat_until=cleaned["repeat_until"],
        cohosts=list(cleaned["cohosts"]),
    )


def _local(moment, tz_name: str) -> str:
    tz = zone(tz_name) or zone("UTC")
    return moment.astimezone(tz).strftime(DATETIME_LOCAL)


# --- members ---------------------------------------------------------------------------------
@login_required
@require_GET
def session_list(request: HttpRequest, slug: str) -> HttpResponse:
    group = _group(slug)
    access = permissions.check_see_sessions(request.user, group)
    occurrences = selectors.occurrence_list_for_group(group=group, user=request.user)
    return render(
        request,
        "group_sessions/list.html",
        {
            "group": group,
            "access": access,
            "occurrences": occurrences,
            "can_schedule": permissions.can_schedule_sessions(access),
            "can_rsvp": permissions.can_rsvp_session(access),
        },
    )


def _detail_context(request: HttpRequest, group: Group, occurrence: SessionOccurrence) -> dict:
    access = permissions.access_for(request.user, group)
    hosts = occurrence.session.host_ids()
    context = {
        "group": group,
        "access": access,
        "occurrence": occurrence,
        "session": occurrence.session,
        "can_rsvp": permissions.can_rsvp_session(access),
        "can_manage": permissions.can_schedule_sessions(access),
        "can_host": permissions.can_host_session(access, hosts),
        "can_check_out": checkout_open_for(occurrence, request.user),
        "checkout_form": CheckOutForm(),
        "feelings": CheckOut.Feeling.choices,
    }
    if permissions.can_see_session_attendance(access):
        context["people"] = selectors.occurrence_people(occurrence)
        context["notes_form"] = NotesForm(initial={"notes": occurrence.host_notes})
    if request.session.pop(SUPPORT_FLAG, False):
        context["support_help"] = help_page_for_country(country_for_request(request))
    return context


@login_required
@require_GET
def detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _group(slug)
    permissions.check_see_sessions(request.user, group)
    occurrence = selectors.occurrence_get(group=group, pk=pk, user=request.user)
    return render(
        request, "group_sessions/detail.html", _detail_context(request, group, occurrence)
    )


@login_required
@require_POST
def rsvp(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _group(slug)
    permissions.check_rsvp_session(request.user, group)
    occurrence = get_object_or_404(SessionOccurrence, group=group, pk=pk)
    form = RsvpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose going or not going."))
        return redirect(occurrence)
    try:
        answer = services.rsvp_set(
            occurrence=occurrence, user=request.user, going=form.cleaned_data["going"]
        )
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect(occurrence)
    messages.success(
        request,
        {
            "going": _("You're going. We'll remind you before it starts."),
            "waitlisted": _(
                "It's full right now, so you're on the waiting list. We'll tell you if a place opens."
            ),
            "not_going": _("Thanks for letting us know. You're welcome any time."),
        }[answer.status],
    )
    return redirect(occurrence)


@login_required
@require_GET
def ics(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _group(slug)
    permissions.check_see_sessions(request.user, group)
    occurrence = get_object_or_404(
        SessionOccurrence.objects.select_related("session", "group"), group=group, pk=pk
    )
    response = HttpResponse(
        render_calendar([occurrence]), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="session-{occurrence.pk}.ics"'
    return response


@login_required
@require_POST
def checkout(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _group(slug)
    permissions.check_see_sessions(request.user, group)
    occurrence = get_object_or_404(SessionOccurrence, group=group, pk=pk)
    form = CheckOutForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose one of the answers."))
        return redirect(occurrence)
    feeling = form.cleaned_data["feeling"]
    if services.checkout_submit(occurrence=occurrence, user=request.user, feeling=feeling):
        messages.success(request, _("Thank you for telling us. It stays anonymous."))
        if feeling == CheckOut.Feeling.WORSE:
            request.session[SUPPORT_FLAG] = True
    return redirect(occurrence)


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "group_sessions/mine.html",
        {
            "occurrences": selectors.occurrence_list_for_member(user=request.user),
            "feed": selectors.feed_for_user(user=request.user),
            "feed_form": FeedForm(
                initial={
                    "name_private_groups": getattr(
                        selectors.feed_for_user(user=request.user), "name_private_groups", False
                    )
                }
            ),
        },
    )


@login_required
@require_POST
def feed_manage(request: HttpRequest) -> HttpResponse:
    action = request.POST.get("action")
    if action == "replace":
        services.calendar_feed_replace(user=request.user)
        messages.success(
            request,
            _("Your calendar address is ready. Any earlier address has stopped working."),
        )
    elif action == "delete":
        services.calendar_feed_delete(user=request.user)
        messages.success(request, _("Your calendar address is switched off."))
    elif action == "settings":
        form = FeedForm(request.POST)
        form.is_valid()
        services.calendar_feed_update(
            user=request.user,
            name_private_groups=form.cleaned_data.get("name_private_groups", False),
        )
        messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Something went wrong. Please try again."))
    return redirect("my_sessions:mine")


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private feed: the token is the only key (calendar apps cannot sign in)."""
    try:
        calendar_feed, occurrences = selectors.feed_occurrences(token=token)
    except CalendarFeed.DoesNotExist:
        raise Http404 from None
    body = render_calendar(
        occurrences,
        name_private_groups=calendar_feed.name_private_groups,
        name=_("My Peer Support sessions"),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


# --- facilitators ------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, slug: str) -> HttpResponse:
    group = _group(slug)
    access = permissions.check_schedule_sessions(request.user, group)
    choices = permissions.session_cohost_candidates(group).exclude(pk=request.user.pk)
    form = SessionForm(
        request.POST or None,
        cohost_choices=choices,
        initial={"host_timezone": request.user.timezone or "UTC", "duration_minutes": 60},
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_schedule(
                group=group, host=request.user, data=_session_input(form.cleaned_data)
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The session is scheduled. Members can see it now."))
            return redirect(session.occurrences.first())
    return render(
        request,
        "group_sessions/form.html",
        {"group": group, "access": access, "form": form, "editing": None},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def series_edit(request: HttpRequest, slug: str, sid: int) -> HttpResponse:
    group = _group(slug)
    access = permissions.check_schedule_sessions(request.user, group)
    session = get_object_or_404(GroupSession, group=group, pk=sid, cancelled_at__isnull=True)
    following = session.occurrences.filter(
        start__gt=timezone.now(), is_detached=False, cancelled_at__isnull=True
    ).first()
    first = following.start if following else session.start
    choices = permissions.session_cohost_candidates(group)
    if session.host_id:
        choices = choices.exclude(pk=session.host_id)
    form = SessionForm(
        request.POST or None,
        cohost_choices=choices,
        initial={
            "title": session.title,
            "description": session.description,
            "start": _local(first, session.host_timezone),
            "host_timezone": session.host_timezone,
            "duration_minutes": session.duration_minutes,
            "capacity": session.capacity,
            "recurrence": session.recurrence,
            "repeat_until": session.repeat_until,
            "cohosts": list(session.cohosts.all()),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(
                session=session, actor=request.user, data=_session_input(form.cleaned_data)
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Saved. Anyone going to a session that moved was told."))
            return redirect("group_sessions:list", slug=group.slug)
    return render(
        request,
        "group_sessions/form.html",
        {"group": group, "access": access, "form": form, "editing": session},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def series_cancel(request: HttpRequest, slug: str, sid: int) -> HttpResponse:
    group = _group(slug)
    permissions.check_schedule_sessions(request.user, group)
    session = get_object_or_404(GroupSession, group=group, pk=sid)
    services.session_cancel(session=session, actor=request.user)
    messages.success(request, _("The session is cancelled. Everyone going was told."))
    return redirect("group_sessions:list", slug=group.slug)


@login_required
@require_http_methods(["GET", "POST"])
def occurrence_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _group(slug)
    access = permissions.check_schedule_sessions(request.user, group)
    occurrence = get_object_or_404(
        SessionOccurrence.objects.select_related("session"), group=group, pk=pk
    )
    session = occurrence.session
    form = OccurrenceForm(
        request.POST or None,
        initial={
            "start": _local(occurrence.start, session.host_timezone),
            "duration_minutes": occurrence.duration_minutes,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.occurrence_update(
                occurrence=occurrence,
                actor=request.user,
                start_local=form.cleaned_data["start"].replace(tzinfo=None),
                duration_minutes=form.cleaned_data["duration_minutes"],
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("This session has moved. Everyone going was told."))
            return redirect(occurrence)
    return render(
        request,
        "group_sessions/occurrence_form.html",
        {
            "group": group,
            "access": access,
            "form": form,
            "occurrence": occurrence,
            "session": session,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def occurrence_cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _group(slug)
    permissions.check_schedule_sessions(request.user, group)
    occurrence = get_object_or_404(SessionOccurrence, group=group, pk=pk)
    if services.occurrence_cancel(occurrence=occurrence, actor=request.user):
        messages.success(request, _("This session is cancelled. Everyone going was told."))
    return redirect(occurrence)


@login_required
@require_POST
def end(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _group(slug)
    permissions.check_see_sessions(request.user, group)
    occurrence = get_object_or_404(
        SessionOccurrence.objects.select_related("session"), group=group, pk=pk
    )
    if services.occurrence_end(occurrence=occurrence, actor=request.user):
        messages.success(request, _("The session has ended. Thank you for hosting."))
    return redirect(reverse("chat:room", kwargs={"slug": group.slug}))


@login_required
@require_POST
def notes(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _group(slug)
    permissions.check_see_session_attendance(request.user, group)
    occurrence = get_object_or_404(SessionOccurrence, group=group, pk=pk)
    form = NotesForm(request.POST)
    if form.is_valid():
        services.occurrence_notes_update(
            occurrence=occurrence, actor=request.user, notes=form.cleaned_data["notes"]
        )
        messages.success(request, _("Notes saved."))
    else:
        messages.error(request, _("Notes can be up to 4,000 characters."))
    return redirect(occurrence)
