"""Featured resources per group: facilitators choose from the library what the group page shows.

Lives in groups because the decision (who moderates this group) is a groups question; it
imports resources, never the other way round.
"""

from django.contrib import messages
from django.db import transaction
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peersupport.accounts.models import User
from resources.models import GroupFeature, Resource
from resources.selectors import featured_for_group, resource_list_for_library

from .models import Group
from .permissions import check_moderate_group, check_read_group

MAX_FEATURED = 12


# --- services -------------------------------------------------------------------------------
@transaction.atomic
def resource_feature_for_group(*, actor: User, group: Group, resource: Resource) -> GroupFeature:
    """Feature a published resource on the group page (idempotent)."""
    check_moderate_group(actor, group)
    if resource.status != Resource.Status.PUBLISHED:
        raise Http404
    existing = GroupFeature.objects.filter(group_id=group.pk, resource=resource).first()
    if existing is not None:
        return existing
    last = GroupFeature.objects.filter(group_id=group.pk).aggregate(m=Max("position"))["m"]
    return GroupFeature.objects.create(
        group_id=group.pk,
        resource=resource,
        featured_by=actor,
        position=0 if last is None else last + 1,
    )


@transaction.atomic
def resource_unfeature_for_group(*, actor: User, group: Group, resource: Resource) -> None:
    """Stop featuring a resource on the group page."""
    check_moderate_group(actor, group)
    GroupFeature.objects.filter(group_id=group.pk, resource=resource).delete()


# --- views ----------------------------------------------------------------------------------
@require_GET
def group_resources(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group, slug=slug)
    access = check_read_group(request.user, group)
    featured = featured_for_group(group.pk)
    choices = []
    if access.can_moderate:
        taken = {f.resource_id for f in featured}
        query = request.GET.get("q", "").strip()[:200]
        choices = [r for r in resource_list_for_library(query=query)[:50] if r.pk not in taken]
    return render(
        request,
        "groups/resource_features.html",
        {
            "group": group,
            "access": access,
            "featured": featured,
            "choices": choices,
            "query": request.GET.get("q", "")[:200],
            "max_featured": MAX_FEATURED,
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
    if len(featured_for_group(group.pk)) >= MAX_FEATURED:
        messages.error(
            request,
            _("This group already features %(n)d resources. Remove one first.")
            % {"n": MAX_FEATURED},
        )
    else:
        resource_feature_for_group(actor=request.user, group=group, resource=resource)
        messages.success(
            request, _("“%(title)s” is now featured for this group.") % {"title": resource.title}
        )
    return redirect("group_resources:list", slug=group.slug)


@require_POST
def group_resource_unfeature(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group, slug=slug)
    check_moderate_group(request.user, group)
    resource = _resource_from_post(request)
    resource_unfeature_for_group(actor=request.user, group=group, resource=resource)
    messages.success(request, _("Removed from this group's resources."))
    return redirect("group_resources:list", slug=group.slug)
