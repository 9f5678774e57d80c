"""Moderation's reads that are not covered through a page."""

import pytest

from moderation import selectors, services
from tests.content import make_post
from tests.factories import GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_open_case_counts_cover_only_what_the_viewer_moderates(group, facilitator, admin):
    elsewhere = GroupFactory()
    services.case_open(
        content=make_post(group=group, author=MembershipFactory(group=group).user), source="report"
    )
    services.case_open(
        content=make_post(group=group, author=MembershipFactory(group=group).user),
        source="safety_scan",
        urgent=True,
    )
    services.case_open(
        content=make_post(group=elsewhere, author=MembershipFactory(group=elsewhere).user),
        source="report",
    )
    assert selectors.open_case_counts(facilitator) == {"total": 2, "urgent": 1}
    assert selectors.open_case_counts(admin) == {"total": 3, "urgent": 1}
