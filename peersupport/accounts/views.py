"""A member's own profile (the page others see is groups.profiles.member_profile)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .forms import TAKEN_MESSAGE, ProfileForm
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
