"""Moderation pages: fetch → permission → form → service/selector → render or redirect."""

import csv
import json
from datetime import UTC

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from groups import selectors as group_selectors
from groups.forms import MemberActionForm
from groups.models import Group, Membership, mute_until
from groups.permissions import (
    access_for,
    case_actions_allowed,
    check_moderate_group,
    check_moderate_member,
    check_moderate_scope,
    check_moderator_anywhere,
    check_report_item,
    check_site_admin,
    is_site_admin,
    member_actions_allowed,
)
from groups.services import GroupActionRefused
from peersupport.accounts.models import User

from . import audit_labels, registry, safety, selectors
from .forms import (
    COMBINABLE,
    AppealDecisionForm,
    AppealForm,
    AuditFilterForm,
    CaseActionForm,
    DebriefForm,
    FollowUpForm,
    GroupSettingsForm,
    HandOverForm,
    HeldDecisionForm,
    ModeratorNoteForm,
    ReplyForm,
    ReportForm,
    StaffMessageForm,
    WatchedWordForm,
)
from .models import (
    Action,
    Appeal,
    AuditLogEntry,
    AuthorNotice,
    Case,
    HeldItem,
    StaffThread,
    WatchedWord,
)
from .screening import group_settings
from .services import appeals, care, cases, held, members, protocol, reports, watched_words
from .services import incidents as cases_incident
from .services import messages as staff_messages
from .services.base import ModerationError

PAGE_SIZE = 100


def _nav(request: HttpRequest, current: str) -> dict:
    """What the moderation sub-navigation shows (administrators see the site-wide pages)."""
    return {"nav_current": current, "can_site_moderate": is_site_admin(request.user)}


# --- reporting (every member) ---------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, content_type_id: int, object_id: int) -> HttpResponse:
    _ct, obj, adapter = registry.get_content(content_type_id, object_id)
    check_report_item(request.user, adapter.group(obj), visible=adapter.is_visible(obj), item=obj)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reports.report_create(reporter=request.user, content=obj, **form.cleaned_data)
        except ModerationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _(
                    "Thank you for telling us. A facilitator will look at it; the person you reported "
                    "won't know it was you. You can follow what happens on this page."
                ),
            )
            return redirect("moderation:my_reports")
    return render(
        request,
        "moderation/report.html",
        {
            "form": form,
            "item_title": adapter.title(obj),
            "item_noun": adapter.noun,
            "item_url": adapter.url(obj),
        },
    )


@login_required
def my_reports(request: HttpRequest) -> HttpResponse:
    reports = selectors.reports_for_reporter(request.user)[:PAGE_SIZE]
    return render(request, "moderation/my_reports.html", {"reports": reports})


@login_required
def notices(request: HttpRequest) -> HttpResponse:
    items = selectors.notices_for_member(request.user)[:PAGE_SIZE]
    return render(request, "moderation/notices.html", {"notices": items})


@login_required
@require_http_methods(["GET", "POST"])
def appeal_create(request: HttpRequest, pk: int) -> HttpResponse:
    # 404, not 403: someone else's notice must not be revealed.
    notice = get_object_or_404(
        AuthorNotice.objects.select_related("action"), pk=pk, recipient=request.user
    )
    if not notice.can_appeal:
        raise Http404
    if Appeal.objects.filter(action=notice.action).exists():
        messages.info(request, _("You've already asked for this decision to be looked at again."))
        return redirect("moderation:notices")
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        appeals.appeal_create(
            author=request.user, action=notice.action, text=form.cleaned_data["text"]
        )
        messages.success(
            request,
            _("Thank you. An administrator who wasn't part of the decision will look at it."),
        )
        return redirect("moderation:notices")
    return render(request, "moderation/appeal_form.html", {"form": form, "notice": notice})


# --- the review queue and cases -------------------------------------------------------------
@login_required
def queue(request: HttpRequest) -> HttpResponse:
    check_moderator_anywhere(request.user)
    groups = list(
        selectors.moderated_groups(request.user)
        .filter(is_archived=False)
        .only("pk", "name", "slug")[:PAGE_SIZE]
    )
    # One group's queue: ?group=<slug>, among the groups this person moderates (else 404).
    current = None
    if request.GET.get("group"):
        current = next((g for g in groups if g.slug == request.GET["group"]), None)
        if current is None:
            raise Http404
    show = request.GET.get("show", "")
    if show not in selectors.QUEUE_FILTERS:
        show = ""
    cases = list(
        selectors.case_queue_for_moderator(request.user, group=current, show=show)[:PAGE_SIZE]
    )
    held_count = selectors.held_queue_for_moderator(request.user).count()
    return render(
        request,
        "moderation/queue.html",
        {
            "cases": cases,
            # Risk cases in their own section at the top, whatever the filter's order.
            "urgent_cases": [case for case in cases if case.is_urgent],
            "other_cases": [case for case in cases if not case.is_urgent],
            "held_count": held_count,
            "groups": groups,
            "current_group": current,
            "show": show,
            "filters": [
                ("", _("All open")),
                ("mine", _("Mine")),
                ("unclaimed", _("Unclaimed")),
                ("urgent", _("Someone may be at risk")),
            ],
            **_nav(request, "queue"),
        },
    )


def _case_or_404(request: HttpRequest, pk: int) -> Case:
    try:
        case = selectors.case_for_moderator(request.user, pk)
    except Case.DoesNotExist:
        raise Http404 from None
    check_moderate_scope(request.user, case.group)
    return case


def _allowed_kinds(
    request: HttpRequest, case: Case, adapter: registry.ModeratedContent, obj: object
) -> list[str]:
    return case_actions_allowed(
        request.user,
        case_open=case.is_open,
        subject_id=case.subject_id,
        in_group=case.group_id is not None,
        item_exists=obj is not None,
        can_hide=adapter.can_hide,
        can_redact=adapter.can_redact,
    )


def _case_item(case: Case) -> tuple[registry.ModeratedContent, object | None]:
    adapter = registry.adapter_for_content_type(case.content_type)
    model = case.content_type.model_class()
    obj = model._default_manager.filter(pk=case.object_id).first() if model else None
    return adapter, obj


def _case_action_form(
    request: HttpRequest, case: Case, adapter: registry.ModeratedContent, obj: object, **kwargs
) -> CaseActionForm:
    return CaseActionForm(
        allowed=_allowed_kinds(request, case, adapter, obj),
        urgent=case.is_urgent and case.is_open,
        outreach_recorded=selectors.case_outreach_recorded(case),
        **kwargs,
    )


def _case_page(request: HttpRequest, case: Case, *, status: int = 200, **forms) -> HttpResponse:
    """The case page: the item, its reports and history, the member's record, and the forms."""
    adapter, obj = _case_item(case)
    can_message = bool(case.group_id and case.subject_id and case.subject_id != request.user.pk)
    template = None
    if can_message and "message_form" not in forms and request.GET.get("template"):
        template = selectors.message_template_get(request.GET["template"])
    context = {
        "case": case,
        "item": obj,
        "item_text": adapter.text(obj) if obj is not None else "",
        "item_html": adapter.rendered_html(obj) if obj is not None else "",
        "item_warnings": adapter.warnings(obj) if obj is not None else [],
        "item_url": adapter.url(obj) if obj is not None else "",
        "item_visible": adapter.is_visible(obj) if obj is not None else False,
        "reports": selectors.case_reports(case),
        "history": selectors.case_history(case),
        "record": selectors.member_record(case.subject, case.group, exclude_case=case),
        "staff_messages": selectors.case_staff_messages(case),
        "follow_ups": selectors.case_follow_ups(case),
        "can_message": can_message,
        "message_templates": selectors.message_templates(supportive_first=case.is_urgent),
        "form": forms.get("form")
        or _case_action_form(
            request,
            case,
            adapter,
            obj,
            initial={"new_text": adapter.text(obj) if obj is not None else ""},
        ),
        "message_form": forms.get("message_form")
        or StaffMessageForm(initial={"body": template.body} if template else None),
        "handover_form": forms.get("handover_form") or HandOverForm(),
        "follow_up_form": forms.get("follow_up_form") or FollowUpForm(),
        **_nav(request, "queue"),
    }
    return render(request, "moderation/case.html", context, status=status)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_page(request, _case_or_404(request, pk))


@login_required
@require_POST
def case_claim(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    try:
        cases.case_claim(actor=request.user, case=case)
    except ModerationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You've claimed this case."))
    return redirect(case)


def _what_happened(actions: list[Action]) -> str:
    """The confirmation says only what actually happened, and whether anyone was told."""
    told = AuthorNotice.objects.filter(action__in=actions).exists()
    kinds = [a.kind for a in actions]
    if kinds == [Action.Kind.DISMISS]:
        if told:
            return _("Closed with no action. Your note was sent to the member privately.")
        return _("Closed with no action. Nobody was sent a message.")
    done = ", ".join(str(a.get_kind_display()) for a in actions)
    if told:
        return _(
            "Done: %(done)s. The member has been told privately, in one message, and it's in "
            "the audit log."
        ) % {"done": done}
    return _("Done: %(done)s. Nobody was sent a message; it's in the audit log.") % {"done": done}


@login_required
@require_POST
def case_act(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    adapter, obj = _case_item(case)
    form = _case_action_form(request, case, adapter, obj, data=request.POST)
    if not form.is_valid():
        return _case_page(request, case, status=400, form=form)
    data = form.cleaned_data
    kind = data["kind"]
    common = {"actor": request.user, "reason": data["reason"]}
    told = {"reason_code": data["reason_code"], "note_to_author": data["note_to_author"]}
    try:
        if kind in COMBINABLE:
            done = cases_incident.case_incident_act(
                case=case,
                content=kind if kind in (Action.Kind.HIDE, Action.Kind.REDACT) else "",
                new_text=data.get("new_text", ""),
                warn=kind == Action.Kind.WARN or bool(data.get("also_warn")),
                mute=kind == Action.Kind.MUTE or data["mute"],
                mute_until=data["mute_until"],
                **common,
                **told,
            )
        elif kind == Action.Kind.DISMISS:
            done = [
                cases.case_dismiss(
                    case=case,
                    no_outreach_reason=data.get("no_outreach_reason", ""),
                    **common,
                    **told,
                )
            ]
        elif kind == Action.Kind.HIDE_PENDING:
            done = [cases.content_hide(case=case, pending=True, **common, **told)]
        elif kind == Action.Kind.RESTORE:
            done = [cases.content_restore(case=case, **common, **told)]
        elif kind == Action.Kind.REMOVE:
            done = [
                members.member_remove(
                    case=case, subject=case.subject, group=case.group, **common, **told
                )
            ]
        else:  # BAN
            done = [members.member_ban(case=case, subject=case.subject, **common, **told)]
    except ModerationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _what_happened(done))
    return redirect(case)


# --- the risk protocol and private messages from a case -------------------------------------
@login_required
@require_POST
def case_message(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    if not (case.group_id and case.subject_id):
        raise Http404
    form = StaffMessageForm(request.POST)
    if form.is_valid():
        try:
            staff_messages.staff_message_send(
                actor=request.user,
                group=case.group,
                member=case.subject,
                body=form.cleaned_data["body"],
                case=case,
            )
        except ModerationError as exc:
            form.add_error("body", exc.message)
    if form.errors:
        return _case_page(request, case, status=400, message_form=form)
    messages.success(request, _("Your message was sent privately. It's recorded on this case."))
    return redirect(case)


@login_required
@require_POST
def case_handover(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    form = HandOverForm(request.POST)
    if form.is_valid():
        try:
            protocol.case_hand_over(actor=request.user, case=case, note=form.cleaned_data["note"])
        except ModerationError as exc:
            form.add_error("note", exc.message)
    if form.errors:
        return _case_page(request, case, status=400, handover_form=form)
    messages.success(
        request, _("Handed over. The administrators have been alerted; the case stays open.")
    )
    return redirect(case)


@login_required
@require_POST
def case_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            follow_up = protocol.case_follow_up_plan(
                actor=request.user,
                case=case,
                due_at=form.cleaned_data["due_at"],
                note=form.cleaned_data["note"],
            )
        except ModerationError as exc:
            form.add_error("at", exc.message)
    if form.errors:
        return _case_page(request, case, status=400, follow_up_form=form)
    messages.success(
        request,
        _("Follow-up planned. %(name)s will be reminded then.")
        % {"name": follow_up.owner.display_name},
    )
    return redirect(case)


# --- held posts -----------------------------------------------------------------------------
@login_required
def held_queue(request: HttpRequest) -> HttpResponse:
    check_moderator_anywhere(request.user)
    items = list(selectors.held_queue_for_moderator(request.user)[:PAGE_SIZE])
    return render(
        request,
        "moderation/held_queue.html",
        {
            "items": items,
            "contents": selectors.held_item_contents(items),
            "form": HeldDecisionForm(),
            **_nav(request, "held"),
        },
    )


@login_required
@require_POST
def held_decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(HeldItem.objects.select_related("group"), pk=pk)
    check_moderate_group(request.user, item.group)
    form = HeldDecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("moderation:held_queue")
    try:
        if form.cleaned_data["decision"] == "approve":
            held.held_post_approve(actor=request.user, item=item, note=form.cleaned_data["note"])
            messages.success(
                request, _("Approved. The post is now visible and its author has been told.")
            )
        else:
            held.held_post_decline(actor=request.user, item=item, note=form.cleaned_data["note"])
            messages.success(
                request, _("Declined. The author has been told, kindly, with your note.")
            )
    except ModerationError as exc:
        messages.error(request, exc.message)
    return redirect("moderation:held_queue")


# --- watched words and group settings -------------------------------------------------------
def _watched_words_page(request: HttpRequest, group: Group | None) -> HttpResponse:
    form = WatchedWordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            watched_words.watched_word_create(actor=request.user, group=group, **form.cleaned_data)
        except ModerationError as exc:
            form.add_error("phrase", exc.message)
        else:
            messages.success(request, _("The word is now watched."))
            return redirect(request.path)
    context = {
        "form": form,
        "group": group,
        "words": selectors.watched_words_for(group),
        **_nav(request, "words" if group is None else ""),
    }
    if group is not None:
        current = group_settings(group)
        context["settings_form"] = GroupSettingsForm(
            initial={
                "premoderation": current.premoderation,
                "thread_slow_mode_minutes": current.thread_slow_mode_minutes,
            }
        )
    return render(
        request, "moderation/watched_words.html", context, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def watched_words_site(request: HttpRequest) -> HttpResponse:
    check_site_admin(request.user)
    return _watched_words_page(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def watched_words_group(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group, slug=slug)
    check_moderate_group(request.user, group)
    return _watched_words_page(request, group)


@login_required
@require_POST
def watched_word_delete(request: HttpRequest, pk: int) -> HttpResponse:
    word = get_object_or_404(WatchedWord.objects.select_related("group"), pk=pk)
    if word.group is None:
        check_site_admin(request.user)
    else:
        check_moderate_group(request.user, word.group)
    watched_words.watched_word_delete(actor=request.user, word=word)
    messages.success(request, _("The word is no longer watched."))
    if word.group is None:
        return redirect("moderation:watched_words")
    return redirect("moderation:group_watched_words", slug=word.group.slug)


@login_required
@require_POST
def group_settings_update(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group, slug=slug)
    check_moderate_group(request.user, group)
    form = GroupSettingsForm(request.POST)
    if form.is_valid():
        watched_words.group_settings_update(actor=request.user, group=group, **form.cleaned_data)
        messages.success(request, _("The group's moderation settings are saved."))
    else:
        messages.error(request, _("Please enter a number of minutes between 0 and 1440."))
    return redirect("moderation:group_watched_words", slug=group.slug)


# --- moderator notes ------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def member_notes(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    group = get_object_or_404(Group, slug=slug)
    check_moderate_group(request.user, group)
    if not Membership.objects.filter(group=group, user_id=user_id).exists():
        raise Http404
    subject = get_object_or_404(User, pk=user_id)
    form = ModeratorNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        members.moderator_note_create(
            actor=request.user, group=group, subject=subject, text=form.cleaned_data["text"]
        )
        messages.success(
            request, _("Note saved. Only this group's facilitators and administrators can see it.")
        )
        return redirect(request.path)
    return render(
        request,
        "moderation/notes.html",
        {
            "group": group,
            "subject": subject,
            "form": form,
            "notes": selectors.notes_about(group, subject),
            **_nav(request, ""),
        },
        status=400 if form.errors else 200,
    )


# --- private messages between facilitators and a member ------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def staff_thread(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    """A member's private thread with the group's facilitators and administrators."""
    group = get_object_or_404(Group, slug=slug)
    check_moderate_group(request.user, group)
    if not Membership.objects.filter(group=group, user_id=user_id).exists():
        raise Http404
    member = get_object_or_404(User, pk=user_id)
    template = None
    if request.method == "GET" and request.GET.get("template"):
        template = selectors.message_template_get(request.GET["template"])
    form = StaffMessageForm(
        request.POST or None, initial={"body": template.body} if template else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            staff_messages.staff_message_send(
                actor=request.user, group=group, member=member, body=form.cleaned_data["body"]
            )
        except ModerationError as exc:
            form.add_error("body", exc.message)
        else:
            messages.success(request, _("Your message was sent privately."))
            return redirect(request.path)
    thread = selectors.staff_thread_for(group, member)
    return render(
        request,
        "moderation/staff_thread.html",
        {
            "group": group,
            "member": member,
            "thread_messages": selectors.staff_thread_messages(thread),
            "form": form,
            "message_templates": selectors.message_templates(),
            "is_self": member.pk == request.user.pk,
            **_nav(request, ""),
        },
        status=400 if form.errors else 200,
    )


@login_required
def my_messages(request: HttpRequest) -> HttpResponse:
    threads = list(selectors.staff_threads_for_member(request.user)[:PAGE_SIZE])
    return render(request, "moderation/my_messages.html", {"threads": threads})


@login_required
@require_http_methods(["GET", "POST"])
def my_thread(request: HttpRequest, pk: int) -> HttpResponse:
    # 404, not 403: someone else's conversation must not be revealed.
    thread = get_object_or_404(
        StaffThread.objects.select_related("group"), pk=pk, member=request.user
    )
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            staff_messages.staff_message_reply(
                member=request.user, thread=thread, body=form.cleaned_data["body"]
            )
        except ModerationError as exc:
            form.add_error("body", exc.message)
        else:
            messages.success(request, _("Thank you. Your reply was sent to the facilitators."))
            return redirect(request.path)
    return render(
        request,
        "moderation/my_thread.html",
        {
            "thread": thread,
            "thread_messages": selectors.staff_thread_messages(thread),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


# --- audit log and appeals ------------------------------------------------------------------
def _audit_entries(request: HttpRequest) -> tuple[AuditFilterForm, list[AuditLogEntry]]:
    groups = list(selectors.moderated_groups(request.user).only("pk", "name"))
    form = AuditFilterForm(
        request.GET or None,
        groups=groups,
        actions=[(code, audit_labels.label_for(code)) for code in selectors.audit_actions()],
    )
    filters = {}
    if form.is_valid():
        filters = {
            "group_id": form.cleaned_data["group"],
            "actor_name": form.cleaned_data["actor"],
            "action": form.cleaned_data["action"],
            "since": form.cleaned_data["since"],
            "until": form.cleaned_data["until"],
        }
    return form, list(selectors.audit_log_for_moderator(request.user, **filters)[: PAGE_SIZE * 2])


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    check_moderator_anywhere(request.user)
    form, entries = _audit_entries(request)
    return render(
        request,
        "moderation/audit_log.html",
        {
            "form": form,
            "rows": [audit_labels.describe(entry) for entry in entries],
            # Filters kept: the export and the form carry the same query.
            "query": request.GET.urlencode(),
            **_nav(request, "audit"),
        },
    )


def _csv_cell(value: object) -> str:
    """A spreadsheet must never run a cell as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
def audit_export(request: HttpRequest) -> HttpResponse:
    """The filtered audit log as CSV, for administrators."""
    check_site_admin(request.user)
    _form, entries = _audit_entries(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["when_utc", "who", "action", "what", "target", "target_id", "group", "reason", "details"]
    )
    for entry in entries:
        writer.writerow(
            [
                _csv_cell(value)
                for value in (
                    entry.created_at.astimezone(UTC).isoformat(),
                    entry.actor_repr,
                    entry.action,
                    audit_labels.label_for(entry.action),
                    entry.target_repr,
                    entry.target_id,
                    entry.group.name if entry.group else "",
                    entry.reason,
                    " ".join(
                        part
                        for part in (audit_labels.duration_for(entry), json.dumps(entry.after))
                        if part
                    ),
                )
            ]
        )
    return response


@login_required
def audit_target(request: HttpRequest, pk: int) -> HttpResponse:
    """An audit entry's content, in place (404 if it is gone or outside the viewer's groups)."""
    check_moderator_anywhere(request.user)
    entry = selectors.audit_log_for_moderator(request.user).filter(pk=pk).first()
    if entry is None or entry.target_content_type_id is None or not entry.target_id.isdigit():
        raise Http404
    _ct, obj, adapter = registry.get_content(entry.target_content_type_id, int(entry.target_id))
    check_moderate_scope(request.user, adapter.group(obj))
    return redirect(adapter.url(obj))


@login_required
def appeal_queue(request: HttpRequest) -> HttpResponse:
    check_site_admin(request.user)
    return _appeals_page(request)


def _appeals_page(
    request: HttpRequest, *, failed: Appeal | None = None, form: AppealDecisionForm | None = None
) -> HttpResponse:
    """Pending appeals with the content and the original decision; a failed decision's form
    shows its field errors in place."""
    items = list(selectors.appeals_pending()[:PAGE_SIZE])
    return render(
        request,
        "moderation/appeals.html",
        {
            "appeals": items,
            "contents": selectors.appeal_contents(items),
            "failed_pk": failed.pk if failed else None,
            "failed_form": form,
            **_nav(request, "appeals"),
        },
        status=400 if failed else 200,
    )


@login_required
@require_POST
def appeal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    check_site_admin(request.user)
    appeal = get_object_or_404(Appeal.objects.select_related("action"), pk=pk)
    form = AppealDecisionForm(request.POST)
    if not form.is_valid():
        return _appeals_page(request, failed=appeal, form=form)
    try:
        appeals.appeal_decide(
            actor=request.user,
            appeal=appeal,
            overturn=form.cleaned_data["decision"] == "overturn",
            note=form.cleaned_data["note"],
        )
    except ModerationError as exc:
        messages.error(request, exc.message)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Decided. The member has been told."))
    return redirect("moderation:appeals")


# --- supportive, never silencing: the composer's check ---------------------------------------
def _support_group(request: HttpRequest) -> Group | None:
    """The group the member is writing in, when they may read it (else no offer is made)."""
    slug = request.POST.get("support_group", "")
    group = Group.objects.filter(slug=slug).first() if slug else None
    if group is None or not access_for(request.user, group).can_read:
        return None
    return group


@login_required
@require_POST
def support_check(request: HttpRequest) -> HttpResponse:
    """The composer's debounced check: a calm panel for crisis language, else nothing."""
    text = "\n".join(
        request.POST.get(name, "")[:20000] for name in ("text", "title", "body", "warning_note")
    )
    severity = safety.support_severity(text)
    if severity is None:
        return HttpResponse("")
    return render(
        request,
        "moderation/_support_panel.html",
        safety.support_panel_context(
            request, _support_group(request), in_form=True, severity=severity
        ),
    )


@login_required
@require_POST
def support_request(request: HttpRequest) -> HttpResponse:
    """Let a facilitator of the group know, privately, that the member may need support."""
    group = _support_group(request)
    if group is None:
        raise Http404
    safety.support_request_create(member=request.user, group=group)
    if request.htmx:
        return render(request, "moderation/_support_sent.html", {"support_group": group})
    messages.success(
        request,
        _(
            "Thank you for telling us. A facilitator of %(group)s will reach out to you "
            "privately. If you're in danger right now, please use the crisis lines."
        )
        % {"group": group.name},
    )
    nxt = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        nxt = group.get_absolute_url()
    return redirect(nxt)


# --- a group's members page (the page is group core's; the sanctions are moderation's) ---
@login_required
@require_POST
def group_member_action(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = group_selectors.group_get_by_slug(slug=slug)
    check_moderate_group(request.user, group)
    target = group_selectors.membership_get_in_group(group=group, pk=pk)
    access = check_moderate_member(request.user, group, target)
    form = MemberActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose what to do, and for how long if muting."))
        return redirect("groups:members", slug=group.slug)
    action, name = form.cleaned_data["action"], target.user.display_name
    if action not in member_actions_allowed(request.user, access, target):
        messages.error(request, _("That isn't possible for %(name)s now.") % {"name": name})
        return redirect("groups:members", slug=group.slug)
    # Through moderation's services, so each change is audited and the member is told.
    who = {"actor": request.user, "group": group, "subject": target.user}
    try:
        if action == "mute":
            until = mute_until(form.cleaned_data["mute_for"], now=timezone.now())
            members.member_mute(
                **who, until=until, reason=_("Muted from the group's members page.")
            )
            messages.success(request, _("%(name)s is muted. They can still read.") % {"name": name})
        elif action == "unmute":
            members.member_unmute(**who)
            messages.success(request, _("%(name)s can post again.") % {"name": name})
        elif action == "remove":
            members.member_remove(**who, reason=_("Removed from the group's members page."))
            messages.success(request, _("%(name)s is no longer in the group.") % {"name": name})
        else:
            members.member_reinstate(**who)
            messages.success(request, _("%(name)s is back in the group.") % {"name": name})
    except GroupActionRefused as refused:
        messages.error(request, str(refused))
    except ModerationError as refused:
        messages.error(request, refused.message)
    return redirect("groups:members", slug=group.slug)


# --- volunteer care -------------------------------------------------------------------------
@login_required
@require_POST
def case_debrief(request: HttpRequest, pk: int) -> HttpResponse:
    """ "This was hard": after closing a risk case, an administrator is told privately."""
    case = _case_or_404(request, pk)
    form = DebriefForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("note", []):
            messages.error(request, error)
        return redirect(case)
    try:
        care.case_debrief_request(actor=request.user, case=case, note=form.cleaned_data["note"])
    except ModerationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _(
                "Thank you for saying so. An administrator has been told privately and will "
                "check in with you. Please be gentle with yourself today."
            ),
        )
    return redirect(case)


@login_required
def group_workload(request: HttpRequest, slug: str) -> HttpResponse:
    """For administrators: who carries how much in one group, and how quickly cases are claimed."""
    check_site_admin(request.user)
    group = get_object_or_404(Group, slug=slug)
    return render(
        request,
        "moderation/group_workload.html",
        {
            "group": group,
            "workload": selectors.workload_for_group(group),
            **_nav(request, "workload"),
        },
    )
