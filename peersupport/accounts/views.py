"""A member's own profile (the page others see is groups.profiles.member_profile)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .forms import TAKEN_MESSAGE, ConsentForm, ProfileForm
from .models import ConsentRecord
from .privacy.consent import consent_give
from .privacy.export import (
    ExportTooSoon,
    data_export_for_download,
    data_export_latest_for,
    data_export_request,
    export_path,
)
from .privacy.notice import privacy_notice_current, privacy_notice_mark_seen
from .services import DisplayNameTaken, profile_update


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST, user=user)
        if form.is_valid():
            try:
                profile_update(user=user, **form.cleaned_data)
            except DisplayNameTaken:
                form.add_error("display_name", TAKEN_MESSAGE)
            else:
                messages.success(request, _("Your profile is saved."))
                return redirect("accounts:profile")
    else:
        form = ProfileForm(
            user=user,
            initial={
                "display_name": user.display_name,
                "pronouns": user.pronouns,
                "bio": user.bio,
                "timezone": user.timezone,
            },
        )
    return render(request, "accounts/profile_edit.html", {"form": form})


# --- privacy: the notice, consent, export ---------------------------------------------------
def privacy_notice(request: HttpRequest) -> HttpResponse:
    notice = privacy_notice_current()
    if request.user.is_authenticated and notice is not None:
        privacy_notice_mark_seen(user=request.user)
    return render(request, "accounts/privacy_notice.html", {"notice": notice})


@login_required
@require_POST
def privacy_notice_seen(request: HttpRequest) -> HttpResponse:
    privacy_notice_mark_seen(user=request.user)
    return redirect(_safe_next(request, "home"))


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


@login_required
@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = ConsentForm(request.POST)
        if form.is_valid():
            consent_give(user=user, source=ConsentRecord.Source.PROMPT)
            messages.success(request, _("Thank you. You can now post and chat in your groups."))
            return redirect(_safe_next(request, "groups:mine"))
    else:
        form = ConsentForm()
    return render(
        request,
        "accounts/consent.html",
        {"form": form, "next": _safe_next(request, "groups:mine")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def data_export(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            _export, created = data_export_request(user=request.user)
        except ExportTooSoon as exc:
            messages.info(
                request,
                _("You can ask for one copy a day. You can ask for a new one after %(when)s.")
                % {"when": date_format(localtime(exc.available_at), "DATETIME_FORMAT")},
            )
        else:
            if created:
                messages.success(
                    request,
                    _(
                        "We're preparing your copy. We'll let you know here and by e-mail "
                        "when it's ready to download."
                    ),
                )
            else:
                messages.info(
                    request, _("We're still preparing the copy you asked for. It won't be long.")
                )
        return redirect("accounts:data")
    export = data_export_latest_for(request.user)
    return render(
        request,
        "accounts/data_export.html",
        {"export": export, "downloadable": export is not None and export.is_downloadable()},
    )


@login_required
def data_export_download(request: HttpRequest, token: str) -> HttpResponse:
    # 404 for anything but the member's own ready export: another account's link, an expired
    # one and a tampered one look exactly alike.
    export = data_export_for_download(user=request.user, token=token)
    if export is None:
        raise Http404
    filename = f"peer-support-data-{localtime(export.finished_at):%Y-%m-%d}.zip"
    # Read whole: exports are small, and a plain response streams well under ASGI too.
    response = HttpResponse(export_path(export).read_bytes(), content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response
