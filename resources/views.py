"""Library pages, staff curation pages, suggestions and Get help now."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

# Resources sit above group core: who may do what is asked of the one permissions module.
from groups.models import Group
from groups.permissions import check_moderate_group, check_read_group, is_site_admin

from . import selectors, services
from .countries import HELP_COOKIE, country_for_request
from .forms import CategoryForm, CountryForm, LibrarySearchForm, ResourceForm, SuggestionForm
from .models import Resource, Suggestion

PAGE_SIZE = 30
HELP_COOKIE_AGE = 60 * 60 * 24 * 365
HELP_MAX_AGE = 300


def admin_required(view: Callable) -> Callable:
    """Staff pages are 404 to everyone else: they need not know the pages exist."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_site_admin(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


# --- library --------------------------------------------------------------------------------
def _library(request: HttpRequest, *, category=None, tag=None, heading: str = "") -> HttpResponse:
    form = LibrarySearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    narrow = {"query": query, "category": category, "tag": tag}
    resources = selectors.resource_list_for_library(**narrow, crisis_lines=False)
    page = Paginator(resources, PAGE_SIZE).get_page(request.GET.get("page"))
    can_curate = is_site_admin(request.user)
    crisis_lines = (
        list(selectors.resource_list_for_library(**narrow, crisis_lines=True))
        if page.number == 1
        else []
    )
    return render(
        request,
        "resources/library.html",
        {
            "form": form,
            "query": query,
            "page": page,
            "resources": page.object_list,
            # Crisis lines stand apart, above the articles, on the first page only.
            "crisis_lines": crisis_lines,
            "result_count": page.paginator.count + len(crisis_lines),
            "categories": selectors.category_list(include_empty=can_curate),
            "category": category,
            "tag": tag,
            "heading": heading,
            "can_curate": can_curate,
        },
    )


@require_GET
def library(request: HttpRequest) -> HttpResponse:
    return _library(request)


@require_GET
def category(request: HttpRequest, slug: str) -> HttpResponse:
    found = selectors.category_get(slug)
    if found is None:
        raise Http404
    return _library(request, category=found, heading=found.name)


@require_GET
def tag(request: HttpRequest, slug: str) -> HttpResponse:
    found = selectors.tag_get(slug)
    if found is None:
        raise Http404
    return _library(request, tag=found, heading=_("Tagged “%(tag)s”") % {"tag": found.name})


@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    resource = selectors.resource_get_published(slug)
    if resource is None:
        raise Http404  # drafts and archived resources are not part of the library
    return render(
        request,
        "resources/detail.html",
        {"resource": resource, "can_curate": is_site_admin(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def suggest(request: HttpRequest) -> HttpResponse:
    form = SuggestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.suggestion_create(author=request.user, **form.cleaned_data)
        messages.success(request, _("Thank you. An administrator will look at your suggestion."))
        return redirect("resources:library")
    return render(request, "resources/suggest.html", {"form": form})


# --- staff ----------------------------------------------------------------------------------
@admin_required
@require_GET
def staff_dashboard(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in Resource.Status.values:
        status = ""
    page = Paginator(selectors.resource_list_for_staff(status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "resources/staff/dashboard.html",
        {
            "page": page,
            "resources": page.object_list,
            "status": status,
            "statuses": Resource.Status.choices,
            "due": selectors.resources_due_for_review()[:50],
            "pending_count": selectors.suggestion_queue().count(),
        },
    )


def _resource_args(form: ResourceForm) -> dict:
    data = dict(form.cleaned_data)
    categories = data.pop("categories")
    tag_names = data.pop("tags")
    return {"data": data, "categories": categories, "tag_names": tag_names}


def _preview_of(form: ResourceForm) -> Resource:
    """An unsaved resource built from the form, for the preview panel."""
    from peersupport.markdown import render_markdown

    data = form.cleaned_data
    preview = Resource(**{k: data[k] for k in services.RESOURCE_FIELDS if k in data})
    preview.body_html = (
        render_markdown(preview.body) if preview.kind == Resource.Kind.ARTICLE else ""
    )
    return preview


@admin_required
@require_http_methods(["GET", "POST"])
def staff_create(request: HttpRequest) -> HttpResponse:
    form = ResourceForm(
        request.POST or None, initial={"kind": request.GET.get("kind", Resource.Kind.ARTICLE)}
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = _preview_of(form)
        else:
            resource = services.resource_create(actor=request.user, **_resource_args(form))
            messages.success(request, _("Saved as a draft. Preview it, then publish when ready."))
            return redirect("resources:staff_preview", pk=resource.pk)
    return render(
        request, "resources/staff/form.html", {"form": form, "preview": preview, "resource": None}
    )


@admin_required
@require_http_methods(["GET", "POST"])
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    resource = selectors.resource_get_for_staff(pk)
    if resource is None:
        raise Http404
    form = ResourceForm(request.POST or None, initial=ResourceForm.initial_for(resource))
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = _preview_of(form)
        else:
            services.resource_update(actor=request.user, resource=resource, **_resource_args(form))
            messages.success(request, _("Changes saved."))
            return redirect("resources:staff_preview", pk=resource.pk)
    return render(
        request,
        "resources/staff/form.html",
        {"form": form, "preview": preview, "resource": resource},
    )


@admin_required
@require_GET
def staff_preview(request: HttpRequest, pk: int) -> HttpResponse:
    resource = selectors.resource_get_for_staff(pk)
    if resource is None:
        raise Http404
    return render(request, "resources/staff/preview.html", {"resource": resource})


def _staff_action(pk: int, request: HttpRequest, action: Callable, message: str) -> HttpResponse:
    resource = selectors.resource_get_for_staff(pk)
    if resource is None:
        raise Http404
    action(actor=request.user, resource=resource)
    messages.success(request, message)
    return redirect("resources:staff_preview", pk=pk)


@admin_required
@require_POST
def staff_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _staff_action(
        pk, request, services.resource_publish, _("Published. It is now in the library.")
    )


@admin_required
@require_POST
def staff_archive(request: HttpRequest, pk: int) -> HttpResponse:
    return _staff_action(
        pk, request, services.resource_archive, _("Archived. It is no longer in the library.")
    )


@admin_required
@require_POST
def staff_mark_reviewed(request: HttpRequest, pk: int) -> HttpResponse:
    return _staff_action(
        pk, request, services.resource_mark_reviewed, _("Marked as reviewed today.")
    )


@admin_required
@require_http_methods(["GET", "POST"])
def staff_categories(request: HttpRequest) -> HttpResponse:
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.category_create(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Category added."))
        return redirect("resources:staff_categories")
    return render(
        request,
        "resources/staff/categories.html",
        {"form": form, "categories": selectors.category_list()},
    )


@admin_required
@require_GET
def staff_suggestions(request: HttpRequest) -> HttpResponse:
    return render(
        request, "resources/staff/suggestions.html", {"suggestions": selectors.suggestion_queue()}
    )


def _suggestion(pk: int) -> Suggestion:
    suggestion = selectors.suggestion_get_pending(pk)
    if suggestion is None:
        raise Http404
    return suggestion


@admin_required
@require_POST
def staff_suggestion_accept(request: HttpRequest, pk: int) -> HttpResponse:
    resource = services.suggestion_accept(actor=request.user, suggestion=_suggestion(pk))
    messages.success(request, _("Accepted. A draft is ready for you to finish."))
    return redirect("resources:staff_edit", pk=resource.pk)


@admin_required
@require_POST
def staff_suggestion_decline(request: HttpRequest, pk: int) -> HttpResponse:
    services.suggestion_decline(actor=request.user, suggestion=_suggestion(pk))
    messages.success(request, _("Declined."))
    return redirect("resources:staff_suggestions")


# --- Get help now ---------------------------------------------------------------------------
@require_GET
def help_now(request: HttpRequest) -> HttpResponse:
    """Crisis lines for the visitor's country: chosen, remembered, or guessed from the browser."""
    chosen = None
    unknown_country = False
    if "country" in request.GET:
        form = CountryForm(request.GET)
        if form.is_valid():
            chosen = form.cleaned_data["country"]
        else:
            unknown_country = True
    country = chosen if chosen is not None else country_for_request(request)
    response = render(
        request,
        "resources/help.html",
        {
            "help": selectors.help_page_for_country(country),
            "unknown_country": unknown_country,
        },
    )
    if chosen is not None:
        response.set_cookie(
            HELP_COOKIE,
            chosen,
            max_age=HELP_COOKIE_AGE,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure(),
        )
    # Private, not public: the page shares base.html, whose header names the signed-in person
    # and carries their CSRF token, so no shared cache may keep it. The browser may reuse it for
    # a few minutes, and the crisis lines themselves are cached server-side.
    patch_cache_control(response, private=True, max_age=HELP_MAX_AGE)
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    return response


# --- resources featured for a group (facilitators choose; members read) ---------------------
@require_GET
def group_resources(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group, slug=slug)
    access = check_read_group(request.user, group)
    featured = selectors.featured_for_group(group.pk)
    choices = []
    if access.can_moderate:
        taken = {f.resource_id for f in featured}
        query = request.GET.get("q", "").strip()[:200]
        choices = [
            r for r in selectors.resource_list_for_library(query=query)[:50] if r.pk not in taken
        ]
    return render(
        request,
        "resources/group_features.html",
        {
            "group": group,
            "access": access,
            "featured": featured,
            "choices": choices,
            "query": request.GET.get("q", "")[:200],
            "max_featured": services.MAX_FEATURED,
        },
    )


def _resource_from_post(request: HttpRequest) -> Resource:
    try:
        pk = int(request.POST.get("resource", ""))
    except ValueError:
        raise Http404 from None
    return get_object_or_404(Resource, pk=pk)


@require_POST
def group_resource_feature(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group, slug=slug)
    check_moderate_group(request.user, group)
    resource = _resource_from_post(request)
    try:
        services.resource_feature_for_group(actor=request.user, group=group, resource=resource)
    except services.FeatureLimitReached as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request, _("“%(title)s” is now featured for this group.") % {"title": resource.title}
        )
    return redirect("group_resources:list", slug=group.slug)


@require_POST
def group_resource_unfeature(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group, slug=slug)
    check_moderate_group(request.user, group)
    resource = _resource_from_post(request)
    services.resource_unfeature_for_group(actor=request.user, group=group, resource=resource)
    messages.success(request, _("Removed from this group's resources."))
    return redirect("group_resources:list", slug=group.slug)
