"""The member's safety plan pages, the facilitators' read-only view of a share, and /sw.js.

Every plan page is private to one person and is never stored by shared caches or the browser's
HTTP cache; the opt-in offline copy lives in the Cache API, cleared on "Remove from this device"
and on sign-out.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from groups.models import Group
from resources.countries import country_for_request
from resources.selectors import help_page_for_country

from . import selectors, services
from .content import MAX_CONTACTS, STEPS
from .forms import PlanForm, ShareForm

MAX_SUGGESTIONS = 6


def _private(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    return response


def _suggestions(request: HttpRequest) -> list[tuple[str, str]]:
    """Crisis lines of the member's country that can be called or texted."""
    page = help_page_for_country(country_for_request(request))
    lines = [
        (line.title, line.phone or line.sms) for line in page.national if line.phone or line.sms
    ]
    return lines[:MAX_SUGGESTIONS]


@login_required
@require_GET
def plan_detail(request: HttpRequest) -> HttpResponse:
    own = selectors.safety_plan_get_for_owner(owner=request.user)
    groups = selectors.groups_for_sharing(owner=request.user)
    return _private(
        render(
            request,
            "safety_plan/detail.html",
            {
                "own": own,
                "shares": list(selectors.share_list_for_owner(plan=own.plan)),
                "share_form": ShareForm(groups=groups),
                "has_groups": groups.exists(),
            },
        )
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest) -> HttpResponse:
    own = selectors.safety_plan_get_for_owner(owner=request.user)
    if own.unreadable:
        # Saving now would overwrite a plan that the right key can still open.
        return redirect("safety_plan:detail")
    suggestions = _suggestions(request)
    if request.method == "POST":
        form = PlanForm(request.POST, suggestions=suggestions)
        if form.is_valid():
            services.safety_plan_save(owner=request.user, content=form.content())
            messages.success(
                request, _("Your safety plan is saved. You can come back to it any time.")
            )
            return redirect("safety_plan:detail")
    else:
        form = PlanForm(initial=PlanForm.initial_from(own.content), suggestions=suggestions)
    return _private(
        render(
            request,
            "safety_plan/edit.html",
            {"form": form, "own": own, "steps": _form_steps(form), "max_contacts": MAX_CONTACTS},
        )
    )


def _form_steps(form: PlanForm) -> list[dict]:
    """The form's fields grouped by step, in the plan's order, for the template."""
    steps = []
    for step in STEPS:
        if step.contacts:
            rows = [
                (form[f"{step.key}_name_{i}"], form[f"{step.key}_phone_{i}"])
                for i in range(1, MAX_CONTACTS + 1)
            ]
            # Filled rows and two empty ones (at least three): a short form on a phone. Saving
            # brings more rows, up to the limit; this works without JavaScript.
            used = max(
                (
                    i
                    for i, (n, p) in enumerate(rows, start=1)
                    if n.value() or p.value() or n.errors or p.errors
                ),
                default=0,
            )
            shown = min(MAX_CONTACTS, max(3, used + 2))
            steps.append({"step": step, "rows": rows[:shown], "more": shown < MAX_CONTACTS})
        else:
            steps.append({"step": step, "field": form[step.key]})
    return steps


@login_required
@require_POST
def plan_share(request: HttpRequest) -> HttpResponse:
    groups = selectors.groups_for_sharing(owner=request.user)
    form = ShareForm(request.POST, groups=groups)
    if not selectors.safety_plan_exists_for(owner=request.user):
        messages.error(request, _("There's no plan to share yet."))
        return redirect("safety_plan:detail")
    if not form.is_valid():
        messages.error(request, form.errors["group"][0])
        return redirect("safety_plan:detail")
    group: Group = form.cleaned_data["group"]
    services.safety_plan_share_create(owner=request.user, group=group)
    messages.success(
        request,
        _(
            "The facilitators of %(group)s can read your plan for the next 24 hours. You can "
            "stop sharing at any time."
        )
        % {"group": group.name},
    )
    return redirect("safety_plan:detail")


@login_required
@require_POST
def plan_share_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    services.safety_plan_share_revoke(owner=request.user, share_id=pk)
    messages.success(request, _("Stopped sharing. Nobody else can read your plan now."))
    return redirect("safety_plan:detail")


@login_required
@require_GET
def shared_list(request: HttpRequest) -> HttpResponse:
    shares = list(selectors.share_list_for_facilitator(user=request.user))
    return _private(render(request, "safety_plan/shared_list.html", {"shares": shares}))


@login_required
@require_GET
def shared_detail(request: HttpRequest, token: str) -> HttpResponse:
    share, content = selectors.share_get_for_viewer(user=request.user, token=token)
    return _private(
        render(request, "safety_plan/shared_detail.html", {"share": share, "content": content})
    )


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The offline copy's service worker, at the site's root so its scope covers /help/ and
    /me/safety-plan/. A template, so it knows the static files' (hashed) names."""
    response = HttpResponse(
        render_to_string("safety_plan/sw.js", request=request),
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    # Always checked for updates: a stale worker could keep serving an old page.
    patch_cache_control(response, no_cache=True, max_age=0)
    return response
