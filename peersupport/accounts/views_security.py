"""The member's security pages: signed-in sessions (/me/security/) and deletion (/me/delete/)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import deletion, sessions
from .adapter import CANCEL_SESSION_KEY, CANCEL_WINDOW
from .forms_security import AccountDeleteForm, DeletionCancelForm
from .models import User


@login_required
@require_http_methods(["GET"])
def security(request: HttpRequest) -> HttpResponse:
    current = request.session.session_key or ""
    if current:
        sessions.session_touch(
            user=request.user,
            session_key=current,
            user_agent=request.headers.get("User-Agent", ""),
        )
    rows = sessions.session_list_for_user(user=request.user)
    return render(
        request,
        "accounts/security.html",
        {
            "sessions": rows,
            "current_key": current,
            "others": sum(1 for s in rows if s.session_key != current),
        },
    )


@login_required
@require_POST
def sign_out_others(request: HttpRequest) -> HttpResponse:
    ended = sessions.sessions_revoke(
        user=request.user, keep_session_key=request.session.session_key
    )
    if ended:
        messages.success(
            request, _("You're signed out everywhere else. This browser stays signed in.")
        )
    else:
        messages.info(request, _("You weren't signed in anywhere else."))
    return redirect("accounts:security")


# Wrong passwords or codes at deletion, per member: a few tries, then a pause.
DELETE_ATTEMPTS = 5
DELETE_ATTEMPTS_WINDOW = 15 * 60


def _delete_attempts_key(user: User) -> str:
    return f"account-delete-attempts:{user.pk}"


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = AccountDeleteForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST":
        key = _delete_attempts_key(user)
        if cache.get(key, 0) >= DELETE_ATTEMPTS:
            # Checked before the password, so guessing cannot go on.
            form.is_valid()
            form.errors.clear()
            form.add_error(
                None,
                _("That was a few wrong tries in a row. Please wait 15 minutes and try again."),
            )
        elif form.is_valid():
            cache.delete(key)
            deletion.account_deletion_request(user=user, choice=form.cleaned_data["choice"])
            logout(request)
            return redirect("accounts:deletion_scheduled")
        elif "password" in form.errors or "code" in form.errors:
            cache.add(key, 0, DELETE_ATTEMPTS_WINDOW)
            cache.incr(key)
    return render(
        request,
        "accounts/delete.html",
        {"form": form, "grace_days": deletion.grace_days()},
        status=400 if request.method == "POST" else 200,
    )


def deletion_scheduled(request: HttpRequest) -> HttpResponse:
    return render(
        request, "accounts/deletion_scheduled.html", {"grace_days": deletion.grace_days()}
    )


def _user_waiting_to_cancel(request: HttpRequest) -> User | None:
    marker = request.session.get(CANCEL_SESSION_KEY)
    if not isinstance(marker, dict):
        return None
    if timezone.now().timestamp() - float(marker.get("at", 0)) > CANCEL_WINDOW.total_seconds():
        return None
    user = User.objects.filter(pk=marker.get("user_id"), is_active=False).first()
    if user is None or not deletion.deletion_can_cancel(deletion.deletion_scheduled_for(user)):
        return None
    return user


@require_http_methods(["GET", "POST"])
def deletion_cancel(request: HttpRequest) -> HttpResponse:
    # 404 unless this browser has just signed in with the right password for an account that
    # is waiting to be deleted: the page must not reveal anything to anyone else.
    user = _user_waiting_to_cancel(request)
    if user is None:
        raise Http404
    scheduled = deletion.deletion_scheduled_for(user)
    form = DeletionCancelForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        request.session.pop(CANCEL_SESSION_KEY, None)
        if deletion.account_deletion_cancel(user=user):
            user.refresh_from_db()
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            messages.success(request, _("Welcome back. Your account is no longer being deleted."))
            return redirect("home")
        raise Http404
    return render(
        request,
        "accounts/deletion_cancel.html",
        {"form": form, "deletion": scheduled},
        status=400 if request.method == "POST" else 200,
    )
