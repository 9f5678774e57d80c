"""Story pages: fetch → permission → form → service/selector → render or redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from groups.models import Group
from groups.permissions import (
    access_for,
    check_moderate_group,
    check_read_group,
    check_reply_in_group,
)
from moderation.safety import support_after_post_flag
from moderation.selectors import held_wait_for_group

from . import selectors, services
from .forms import (
    ReactionForm,
    ReplyEditForm,
    ReplyForm,
    SearchForm,
    SlowModeForm,
    StoryEditForm,
    StoryForm,
    WarningPreferencesForm,
)
from .models import ModerationState, Reply, Story
from .thread_cache import PageInfo


def _group(slug: str) -> Group:
    return get_object_or_404(Group, slug=slug)


def _refused(request: HttpRequest, exc: PermissionDenied, group: Group, back: str) -> HttpResponse:
    """A 403 that says why, kindly, with a way back."""
    reason = str(exc) or _("You can't do that here right now.")
    return render(
        request,
        "stories/refused.html",
        {"group": group, "reason": reason, "back": back},
        status=403,
    )


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
@require_http_methods(["GET"])
def story_list(request: HttpRequest, slug: str, waiting: bool = False) -> HttpResponse:
    group = _group(slug)
    access = check_read_group(request.user, group)
    page = selectors.story_list_for_viewer(
        group=group, user=request.user, page_number=request.GET.get("page"), waiting=waiting
    )
    return render(
        request,
        "stories/story_list.html",
        {
            "group": group,
            "access": access,
            "page": page,
            "waiting": waiting,
            "search_form": SearchForm(),
        },
    )


@login_required
@require_http_methods(["GET"])
def story_waiting(request: HttpRequest, slug: str) -> HttpResponse:
    return story_list(request, slug, waiting=True)


@login_required
@require_http_methods(["GET", "POST"])
def story_create(request: HttpRequest, slug: str) -> HttpResponse:
    group = _group(slug)
    access = check_read_group(request.user, group)
    back = reverse("stories:list", kwargs={"slug": group.slug})
    if not access.can_post:
        return _refused(request, PermissionDenied(access.post_refusal_reason), group, back)
    form = StoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            story = services.story_submit(group=group, author=request.user, **form.cleaned_data)
        except PermissionDenied as exc:
            return _refused(request, exc, group, back)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            # A held story's page says how long it may wait and what to do meanwhile.
            messages.success(request, _("Thank you for sharing your story."))
            # Supportive, never silencing: the next page offers help if the words sound like crisis.
            support_after_post_flag(request, group=group, text=f"{story.title}\n{story.body}")
            return redirect(story.get_absolute_url())
    return render(
        request, "stories/story_form.html", {"group": group, "access": access, "form": form}
    )


def _detail_context(
    request: HttpRequest, group: Group, story: Story, access, reply_form=None
) -> dict:
    thread = selectors.thread_for_viewer(
        story=story, user=request.user, access=access, page_number=request.GET.get("page")
    )
    selectors.mark_collapsed(story, thread.warning_prefs)
    following = getattr(story, "following", None)
    if following is None:
        following = selectors.is_following(story=story, user=request.user)
    return {
        "group": group,
        "access": access,
        "story": story,
        "thread": thread,
        "page": PageInfo(thread.page.number, thread.page.num_pages),
        "reply_form": reply_form or ReplyForm(),
        "following": following,
        "slow_mode_form": SlowModeForm(
            initial={
                "minutes": ""
                if story.reply_slow_mode_minutes is None
                else story.reply_slow_mode_minutes
            }
        )
        if access.can_moderate
        else None,
        # Library resources on the themes the author named, so help is a click away.
        "related": thread.related,
        # The author of a held story is told how long facilitators here have lately taken.
        "held_wait": held_wait_for_group(group)
        if story.moderation_state == ModerationState.HELD and story.author_id == request.user.pk
        else None,
    }


@login_required
@require_http_methods(["GET"])
def story_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _group(slug)
    access = check_read_group(request.user, group)
    story = selectors.story_page_for_viewer(group=group, pk=pk, user=request.user, access=access)
    return render(
        request, "stories/story_detail.html", _detail_context(request, group, story, access)
    )


@login_required
@require_http_methods(["GET", "POST"])
def story_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _group(slug)
    access = check_read_group(request.user, group)
    story = selectors.story_for_viewer(group=group, pk=pk, user=request.user, access=access)
    if not access.can_edit_post(story):
        raise PermissionDenied
    initial = {
        "title": story.title,
        "body": story.body,
        "warnings": story.warning_list,
        "warning_note": story.warning_note,
        "replies_welcome": "yes" if story.replies_welcome else "no",
    }
    form = StoryEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.story_edit(story=story, editor=request.user, **form.cleaned_data)
        except PermissionDenied as exc:
            return _refused(request, exc, group, story.get_absolute_url())
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(story.get_absolute_url())
    return render(
        request,
        "stories/story_form.html",
        {"group": group, "access": access, "form": form, "story": story},
    )


@login_required
@require_http_methods(["GET", "POST"])
def story_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _group(slug)
    access = check_read_group(request.user, group)
    story = selectors.story_for_viewer(group=group, pk=pk, user=request.user, access=access)
    if not access.is_author(story):
        raise PermissionDenied
    if request.method == "POST":
        services.story_delete(story=story, user=request.user)
        messages.success(
            request, _("Your story is removed. Replies stay, marked as a removed story.")
        )
        return redirect("stories:list", slug=group.slug)
    return render(
        request,
        "stories/confirm_delete.html",
        {"group": group, "access": access, "item": story, "back": story.get_absolute_url()},
    )


@login_required
@require_POST
def reply_create(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _group(slug)
    try:
        check_reply_in_group(request.user, group)
    except PermissionDenied as exc:
        if not access_for(request.user, group).can_read:
            # Someone who left: their old story page is a 404 now, so send them home.
            return _refused(request, exc, group, reverse("home"))
    access = check_read_group(request.user, group)
    # The page's own selector: if the form comes back with errors, the page is built as on GET.
    story = selectors.story_page_for_viewer(group=group, pk=pk, user=request.user, access=access)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            reply = services.reply_submit(story=story, author=request.user, **form.cleaned_data)
        except PermissionDenied as exc:
            return _refused(request, exc, group, story.get_absolute_url())
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            if reply.is_visible:
                messages.success(request, _("Your reply is posted. Thank you for being here."))
            else:
                messages.success(
                    request,
                    _(
                        "Thank you. Your reply is waiting for a facilitator and will appear "
                        "once they approve it."
                    ),
                )
            support_after_post_flag(request, group=group, text=reply.body)
            last = selectors.reply_page_for_story(
                story=story, user=request.user, access=access, page_number="last"
            )
            return redirect(f"{story.get_absolute_url()}?page={last.number}#reply-{reply.pk}")
    return render(
        request,
        "stories/story_detail.html",
        _detail_context(request, group, story, access, form),
        status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def reply_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _group(slug)
    access = check_read_group(request.user, group)
    reply = selectors.reply_for_viewer(group=group, pk=pk, user=request.user, access=access)
    if not access.can_edit_post(reply):
        raise PermissionDenied
    form = ReplyEditForm(request.POST or None, initial={"body": reply.body})
    back = reply.story.get_absolute_url()
    if request.method == "POST" and form.is_valid():
        try:
            services.reply_edit(reply=reply, editor=request.user, body=form.cleaned_data["body"])
        except PermissionDenied as exc:
            return _refused(request, exc, group, back)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(f"{back}#reply-{reply.pk}")
    return render(
        request,
        "stories/reply_form.html",
        {"group": group, "access": access, "form": form, "reply": reply},
    )


@login_required
@require_http_methods(["GET", "POST"])
def reply_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _group(slug)
    access = check_read_group(request.user, group)
    reply = selectors.reply_for_viewer(group=group, pk=pk, user=request.user, access=access)
    if not access.is_author(reply):
        raise PermissionDenied
    back = reply.story.get_absolute_url()
    if request.method == "POST":
        services.reply_delete(reply=reply, user=request.user)
        messages.success(request, _("Your reply is removed."))
        return redirect(back)
    return render(
        request,
        "stories/confirm_delete.html",
        {"group": group, "access": access, "item": reply, "back": back},
    )


def _react(
    request: HttpRequest, group: Group, access, *, story: Story | None, reply: Reply | None
) -> HttpResponse:
    target_story = story if story is not None else reply.story
    back = target_story.get_absolute_url() + (
        f"#reply-{reply.pk}" if reply is not None else "#story"
    )
    if request.method == "GET":
        # "React": the four choices as one form, in place (htmx) or on a small page.
        if not access.can_post:
            return _refused(request, PermissionDenied(access.post_refusal_reason), group, back)
        item = reply if reply is not None else story
        context = {
            "group": group,
            "access": access,
            "item": item,
            "is_reply": reply is not None,
            "story": target_story,
            "back": back,
            "reaction_state": selectors.reaction_state_for(
                user=request.user, story=story, reply=reply
            ),
        }
        template = "stories/_reactions.html" if request.htmx else "stories/react.html"
        return render(request, template, context)
    form = ReactionForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Please choose one of the reactions."), status=400)
    try:
        services.reaction_toggle(
            user=request.user, kind=form.cleaned_data["kind"], story=story, reply=reply
        )
    except PermissionDenied as exc:
        return _refused(request, exc, group, back)
    if not request.htmx:
        return redirect(back)
    # htmx swaps just this item's reaction control.
    item = reply if reply is not None else story
    return render(
        request,
        "stories/_reactions.html",
        {
            "group": group,
            "access": access,
            "item": item,
            "is_reply": reply is not None,
            "reaction_state": selectors.reaction_state_for(
                user=request.user, story=story, reply=reply
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def story_react(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _group(slug)
    access = check_read_group(request.user, group)
    story = selectors.story_for_viewer(group=group, pk=pk, user=request.user, access=access)
    return _react(request, group, access, story=story, reply=None)


@login_required
@require_http_methods(["GET", "POST"])
def reply_react(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _group(slug)
    access = check_read_group(request.user, group)
    reply = selectors.reply_for_viewer(group=group, pk=pk, user=request.user, access=access)
    return _react(request, group, access, story=None, reply=reply)


@login_required
@require_POST
def story_pin(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _group(slug)
    access = check_moderate_group(request.user, group)
    story = selectors.story_for_viewer(group=group, pk=pk, user=request.user, access=access)
    if request.POST.get("pinned") == "no":
        services.story_unpin(story=story, user=request.user)
        messages.success(request, _("The story is unpinned."))
    else:
        try:
            services.story_pin(story=story, user=request.user)
        except PermissionDenied as exc:
            return _refused(request, exc, group, story.get_absolute_url())
        messages.success(request, _("The story is pinned to the top of the group."))
    return redirect(story.get_absolute_url())


@login_required
@require_POST
def story_slow_mode(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _group(slug)
    access = check_moderate_group(request.user, group)
    story = selectors.story_for_viewer(group=group, pk=pk, user=request.user, access=access)
    form = SlowModeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose from the list."))
    else:
        services.story_slow_mode_set(
            story=story, user=request.user, minutes=form.cleaned_data["minutes"]
        )
        messages.success(request, _("Slow mode for this thread is saved."))
    return redirect(story.get_absolute_url())


@login_required
@require_POST
def story_follow(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _group(slug)
    access = check_read_group(request.user, group)
    story = selectors.story_for_viewer(group=group, pk=pk, user=request.user, access=access)
    if request.POST.get("follow") == "no":
        services.story_unfollow(story=story, user=request.user)
        messages.success(request, _("You're no longer following this story."))
    else:
        services.story_follow(story=story, user=request.user)
        messages.success(request, _("You're following this story."))
    return redirect(story.get_absolute_url())


@login_required
@require_http_methods(["GET"])
def story_history(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _group(slug)
    access = check_moderate_group(request.user, group)
    story = selectors.story_for_viewer(group=group, pk=pk, user=request.user, access=access)
    return render(
        request,
        "stories/history.html",
        {
            "group": group,
            "access": access,
            "story": story,
            "item": story,
            "revisions": selectors.revisions_for(story=story),
        },
    )


@login_required
@require_http_methods(["GET"])
def reply_history(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _group(slug)
    access = check_moderate_group(request.user, group)
    reply = selectors.reply_for_viewer(group=group, pk=pk, user=request.user, access=access)
    return render(
        request,
        "stories/history.html",
        {
            "group": group,
            "access": access,
            "story": reply.story,
            "item": reply,
            "revisions": selectors.revisions_for(reply=reply),
        },
    )


@login_required
@require_http_methods(["GET"])
def group_search(request: HttpRequest, slug: str) -> HttpResponse:
    group = _group(slug)
    access = check_read_group(request.user, group)
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = selectors.story_search_for_viewer(
        user=request.user, query=query, group=group, page_number=request.GET.get("page")
    )
    return render(
        request,
        "stories/search.html",
        {"group": group, "access": access, "form": form, "query": query, "page": page},
    )


@login_required
@require_http_methods(["GET"])
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = selectors.story_search_for_viewer(
        user=request.user, query=query, page_number=request.GET.get("page")
    )
    return render(request, "stories/search.html", {"form": form, "query": query, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def warning_preferences(request: HttpRequest) -> HttpResponse:
    current = selectors.warning_preferences_for(request.user)
    form = WarningPreferencesForm(request.POST or None, initial_choices=current)
    if request.method == "POST" and form.is_valid():
        services.warning_preferences_set(user=request.user, choices=form.cleaned_data)
        messages.success(request, _("Your content warning choices are saved."))
        return redirect("story_preferences")
    return render(request, "stories/preferences.html", {"form": form})
