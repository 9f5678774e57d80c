import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from resources.models import Category, GroupFeature, Resource, Suggestion
from resources.selectors import featured_for_group, related_for_themes
from tests.factories import CategoryFactory, ResourceFactory, TagFactory

pytestmark = pytest.mark.django_db

VALID = {
    "kind": "link",
    "title": "A good site",
    "summary": "Calm advice.",
    "url": "https://example.org/",
}


def test_library_shows_published_and_never_drafts_or_archived(client):
    ResourceFactory(title="Published piece")
    ResourceFactory(title="Draft piece", status="draft")
    ResourceFactory(title="Archived piece", status="archived")
    body = client.get(reverse("resources:library")).content.decode()
    assert "Published piece" in body
    assert "Draft piece" not in body and "Archived piece" not in body


@pytest.mark.parametrize("status", ["draft", "archived"])
def test_detail_of_unpublished_resource_is_404_even_with_search(client, status):
    resource = ResourceFactory(title="Hidden breath", status=status)
    assert (
        client.get(reverse("resources:detail", kwargs={"slug": resource.slug})).status_code == 404
    )
    assert (
        "Hidden breath"
        not in client.get(reverse("resources:library"), {"q": "Hidden"}).content.decode()
    )


def test_detail_shows_who_reviewed_it_and_when(client, admin):
    resource = ResourceFactory(reviewer=admin)
    body = client.get(resource.get_absolute_url()).content.decode()
    assert f"Reviewed by {admin.display_name}" in body


def test_search_finds_by_title_and_body(client):
    ResourceFactory(title="Sleeping better", body="Quiet routines at night.")
    ResourceFactory(title="Grief", body="Waves of loss.")
    body = client.get(reverse("resources:library"), {"q": "sleeping"}).content.decode()
    assert "Sleeping better" in body and ">Grief<" not in body


def test_category_and_tag_pages_narrow_the_library(client):
    cat = CategoryFactory(name="Sleep", slug="sleep")
    tag = TagFactory(name="night", slug="night")
    inside = ResourceFactory(title="Inside one")
    inside.categories.add(cat)
    inside.tags.add(tag)
    ResourceFactory(title="Outside one")
    for url in (cat.get_absolute_url(), tag.get_absolute_url()):
        body = client.get(url).content.decode()
        assert "Inside one" in body and "Outside one" not in body


def test_hostile_markdown_is_rendered_inert(client, admin):
    client.force_login(admin)
    hostile = "<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>"
    client.post(
        reverse("resources:staff_create"),
        {"kind": "article", "title": "Hostile", "summary": "s", "body": hostile},
    )
    resource = Resource.objects.get(title="Hostile")
    assert "<script" not in resource.body_html and "<img" not in resource.body_html
    assert 'href="javascript' not in resource.body_html
    client.post(reverse("resources:staff_publish", kwargs={"pk": resource.pk}))
    body = client.get(resource.get_absolute_url()).content.decode()
    assert "<script>alert" not in body and "<img" not in body


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,<b>x</b>", "ftp://example.org/", "example.org"]
)
def test_staff_create_refuses_non_http_links_and_saves_nothing(client, admin, url):
    client.force_login(admin)
    response = client.post(reverse("resources:staff_create"), {**VALID, "url": url})
    assert response.status_code == 200
    assert "Please give a web address starting with https://" in response.content.decode()
    assert Resource.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "x" * 151, "at most 150 characters"),
        ("countries", "GB, XX", "recognise XX"),
        ("categories", "999999", "Select a valid choice"),
        ("chat_url", "javascript:alert(1)", "starting with https://"),
        ("phone", "call me", "digits, spaces"),
        ("tags", "a, " * 11, "at most 10 tags"),
    ],
)
def test_staff_create_bad_input_gives_field_errors_and_saves_nothing(
    client, admin, field, value, message
):
    client.force_login(admin)
    response = client.post(reverse("resources:staff_create"), {**VALID, field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Resource.objects.count() == 0
    assert Category.objects.count() == 0


def test_staff_preview_button_renders_without_saving(client, admin):
    client.force_login(admin)
    response = client.post(
        reverse("resources:staff_create"),
        {
            "kind": "article",
            "title": "Preview me",
            "summary": "s",
            "body": "**bold**",
            "preview": "1",
        },
    )
    assert "<strong>bold</strong>" in response.content.decode()
    assert Resource.objects.count() == 0


def test_staff_create_then_publish_puts_it_in_the_library(client, admin):
    client.force_login(admin)
    cat = CategoryFactory()
    client.post(
        reverse("resources:staff_create"), {**VALID, "categories": [cat.pk], "tags": "sleep, night"}
    )
    resource = Resource.objects.get()
    assert resource.status == "draft" and list(resource.categories.all()) == [cat]
    client.post(reverse("resources:staff_publish", kwargs={"pk": resource.pk}))
    assert "A good site" in client.get(reverse("resources:library")).content.decode()


def test_staff_edit_keeps_slug_and_updates(client, admin):
    client.force_login(admin)
    resource = ResourceFactory(title="Old title")
    slug = resource.slug
    client.post(
        reverse("resources:staff_edit", kwargs={"pk": resource.pk}),
        {"kind": "article", "title": "New title", "summary": "s", "body": "b"},
    )
    resource.refresh_from_db()
    assert resource.title == "New title" and resource.slug == slug


def test_member_suggestion_reaches_the_queue_and_accepting_makes_a_draft(client, member, admin):
    client.force_login(member)
    client.post(
        reverse("resources:suggest"),
        {"kind": "link", "title": "Mind", "url": "https://www.mind.org.uk/"},
    )
    suggestion = Suggestion.objects.get()
    assert suggestion.suggested_by == member
    client.force_login(admin)
    assert "Mind" in client.get(reverse("resources:staff_suggestions")).content.decode()
    response = client.post(
        reverse("resources:staff_suggestion_accept", kwargs={"pk": suggestion.pk})
    )
    resource = Resource.objects.get()
    assert response.url == reverse("resources:staff_edit", kwargs={"pk": resource.pk})
    assert resource.status == "draft"


def test_suggestion_with_javascript_link_is_refused(client, member):
    client.force_login(member)
    response = client.post(
        reverse("resources:suggest"), {"kind": "link", "title": "x", "url": "javascript:alert(1)"}
    )
    assert response.status_code == 200
    assert Suggestion.objects.count() == 0


def test_dashboard_lists_resources_due_for_review(client, admin):
    import datetime

    ResourceFactory(
        title="Long ago", last_reviewed=datetime.date.today() - datetime.timedelta(days=400)
    )
    client.force_login(admin)
    body = client.get(reverse("resources:staff_dashboard")).content.decode()
    assert "Due for review" in body and "Long ago" in body


def _make(n: int) -> None:
    cat = CategoryFactory(slug="shared")
    tag = TagFactory(name="shared")
    for _ in range(n):
        r = ResourceFactory()
        r.categories.add(cat)
        r.tags.add(tag)


@pytest.mark.parametrize("url_name", ["resources:library", "resources:staff_dashboard"])
def test_list_pages_use_the_same_number_of_queries_for_3_and_30(client, admin, url_name):
    client.force_login(admin)
    counts = []
    for n in (3, 27):
        _make(n)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(url_name)).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert Resource.objects.count() == 30
    assert counts[0] == counts[1]


def test_featured_for_group_shows_only_published_in_order(group, facilitator):
    first, second, hidden = ResourceFactory(), ResourceFactory(), ResourceFactory(status="archived")
    GroupFeature.objects.create(group_id=group.pk, resource=second, position=1)
    GroupFeature.objects.create(group_id=group.pk, resource=first, position=0)
    GroupFeature.objects.create(group_id=group.pk, resource=hidden, position=2)
    assert [f.resource for f in featured_for_group(group.pk)] == [first, second]


def test_facilitator_features_a_resource_and_members_see_it(client, group, facilitator, member):
    resource = ResourceFactory(title="Chosen one")
    client.force_login(facilitator)
    url = reverse("group_resources:feature", kwargs={"slug": group.slug})
    client.post(url, {"resource": resource.pk})
    client.post(url, {"resource": resource.pk})
    assert GroupFeature.objects.filter(group_id=group.pk).count() == 1
    client.force_login(member)
    body = client.get(reverse("group_resources:list", kwargs={"slug": group.slug})).content.decode()
    assert "Chosen one" in body and "Feature “" not in body


def test_facilitator_cannot_feature_a_draft(client, group, facilitator):
    client.force_login(facilitator)
    draft = ResourceFactory(status="draft")
    response = client.post(
        reverse("group_resources:feature", kwargs={"slug": group.slug}), {"resource": draft.pk}
    )
    assert response.status_code == 404
    assert GroupFeature.objects.count() == 0


def test_other_groups_facilitator_cannot_feature(client, group, other_facilitator):
    client.force_login(other_facilitator)
    response = client.post(
        reverse("group_resources:feature", kwargs={"slug": group.slug}),
        {"resource": ResourceFactory().pk},
    )
    assert response.status_code == 404
    assert GroupFeature.objects.count() == 0


def test_related_for_themes_matches_tags_and_ranks_by_overlap():
    grief, sleep = TagFactory(name="grief"), TagFactory(name="sleep")
    both = ResourceFactory(title="Both")
    both.tags.add(grief, sleep)
    one = ResourceFactory(title="One")
    one.tags.add(grief)
    draft = ResourceFactory(status="draft")
    draft.tags.add(grief)
    ResourceFactory(title="None")
    assert related_for_themes(["Grief"], ["sleep"]) == [both, one]
    assert related_for_themes([], []) == []


def test_featured_and_related_partials_render():
    from django.template.loader import render_to_string

    r = ResourceFactory(title="Partial item")
    feature = GroupFeature.objects.create(group_id=1, resource=r)
    assert "Partial item" in render_to_string(
        "resources/_featured_list.html", {"featured": [feature]}
    )
    assert "Partial item" in render_to_string("resources/_related.html", {"related": [r]})
    assert render_to_string("resources/_related.html", {"related": []}).strip() == ""


def test_group_resources_page_uses_the_same_number_of_queries_for_3_and_12_features(
    client, group, facilitator
):
    client.force_login(facilitator)
    url = reverse("group_resources:list", kwargs={"slug": group.slug})
    counts = []
    for n in (3, 9):
        for _ in range(n):
            GroupFeature.objects.create(group_id=group.pk, resource=ResourceFactory())
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_group_home_shows_its_featured_resources_in_constant_queries(client, group, member):
    client.force_login(member)
    url = reverse("groups:detail", kwargs={"slug": group.slug})
    counts = []
    for n in (3, 9):
        for i in range(n):
            GroupFeature.objects.create(
                group_id=group.pk, resource=ResourceFactory(title=f"Chosen {n}-{i}")
            )
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(url).content.decode()
        counts.append(len(ctx.captured_queries))
        assert f"Chosen {n}-{n - 1}" in body
    assert counts[0] == counts[1]
    assert "All resources chosen for this group" in body


def test_group_home_keeps_featured_resources_for_those_who_can_read_the_group(
    client, group, non_member
):
    GroupFeature.objects.create(group_id=group.pk, resource=ResourceFactory(title="Kept in"))
    client.force_login(non_member)
    response = client.get(reverse("groups:detail", kwargs={"slug": group.slug}))
    assert response.status_code == 200
    assert "Kept in" not in response.content.decode()


def test_a_twelfth_feature_is_the_last_and_the_thirteenth_is_refused_kindly(
    client, group, facilitator
):
    client.force_login(facilitator)
    url = reverse("group_resources:feature", kwargs={"slug": group.slug})
    for _ in range(12):
        client.post(url, {"resource": ResourceFactory().pk})
    response = client.post(url, {"resource": ResourceFactory().pk}, follow=True)
    assert GroupFeature.objects.filter(group_id=group.pk).count() == 12
    assert "already features 12 resources" in response.content.decode()


def test_a_resource_archived_after_featuring_leaves_the_group_page(client, group, member, admin):
    from resources.services import resource_archive

    resource = ResourceFactory(title="Soon archived")
    GroupFeature.objects.create(group_id=group.pk, resource=resource)
    resource_archive(actor=admin, resource=resource)
    client.force_login(member)
    assert (
        "Soon archived"
        not in client.get(
            reverse("group_resources:list", kwargs={"slug": group.slug})
        ).content.decode()
    )


def test_only_administrators_see_the_curation_links(client, member, admin):
    resource = ResourceFactory()
    for user, shown in ((None, False), (member, False), (admin, True)):
        client.logout()
        if user:
            client.force_login(user)
        assert (
            "/staff/resources/" in client.get(reverse("resources:library")).content.decode()
        ) is shown
        assert (
            "Edit this resource" in client.get(resource.get_absolute_url()).content.decode()
        ) is shown
