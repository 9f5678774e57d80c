"""The library's layout (issue 15, item 10): empty categories are hidden from readers and crisis
lines stand apart from articles."""

import re

import pytest
from django.urls import reverse

from tests.factories import CategoryFactory, CrisisLineFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def _categories_nav(body: str) -> str:
    return body.split('class="library-categories"', 1)[1].split("</nav>", 1)[0]


@pytest.fixture
def shelves():
    full = CategoryFactory(name="Sleep", slug="sleep")
    ResourceFactory(title="Sleeping better").categories.add(full)
    empty = CategoryFactory(name="Empty shelf", slug="empty-shelf")
    draft_only = CategoryFactory(name="Drafts only", slug="drafts-only")
    ResourceFactory(title="Not yet", status="draft").categories.add(draft_only)
    return full, empty, draft_only


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_empty_categories_are_hidden_from_readers(client, shelves, member, who):
    if who == "member":
        client.force_login(member)
    nav = _categories_nav(client.get(reverse("resources:library")).content.decode())
    assert "Sleep" in nav
    assert "Empty shelf" not in nav
    assert "Drafts only" not in nav  # a draft does not count


def test_curators_see_every_category_with_its_count(client, shelves, admin):
    client.force_login(admin)
    nav = _categories_nav(client.get(reverse("resources:library")).content.decode())
    assert "Empty shelf" in nav and "Drafts only" in nav
    assert re.search(r"Empty shelf</a> <span class=\"meta\">\(0\)", nav)


def test_crisis_lines_stand_apart_from_articles(client):
    ResourceFactory(title="Breathing slowly")
    CrisisLineFactory(title="Samaritans")
    body = client.get(reverse("resources:library")).content.decode()
    apart = body.split('class="crisis-apart"', 1)[1].split("</section>", 1)[0]
    assert "Samaritans" in apart and "Breathing slowly" not in apart
    rest = body.split("</section>", 1)[1]
    assert "Breathing slowly" in rest and "Samaritans" not in rest
    # The crisis lines come first.
    assert body.index("Samaritans") < body.index("Breathing slowly")


def test_search_counts_crisis_lines_and_articles_together(client):
    ResourceFactory(title="Calm evenings")
    CrisisLineFactory(title="Calm line")
    body = client.get(reverse("resources:library"), {"q": "calm"}).content.decode()
    assert "2 results for" in body
    assert "Calm line" in body.split('class="crisis-apart"', 1)[1]


def test_no_crisis_section_without_crisis_lines(client):
    ResourceFactory(title="Breathing slowly")
    body = client.get(reverse("resources:library")).content.decode()
    assert 'class="crisis-apart"' not in body
    assert "Articles and links" not in body
