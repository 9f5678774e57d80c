"""/styleguide/: every component on one page, for administrators (or anyone under DEBUG)."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_styleguide_shows_every_component_to_an_administrator(client, admin):
    client.force_login(admin)
    response = client.get(reverse("styleguide"))
    assert response.status_code == 200
    body = response.content.decode()
    for marker in (
        'class="pill pill-danger"',
        'class="badge badge-count"',
        'class="card card-danger"',
        'class="alert alert-warning"',
        'class="table table-stack"',
        'class="empty-state"',
        "avatar-neutral",
        'class="button button-secondary"',
        'class="tabs"',
        "aria-invalid",
    ):
        assert marker in body, marker


@pytest.mark.django_db
def test_styleguide_is_not_found_for_members_and_visitors(client, member):
    assert client.get(reverse("styleguide")).status_code == 404
    client.force_login(member)
    assert client.get(reverse("styleguide")).status_code == 404


@pytest.mark.django_db
def test_styleguide_is_open_to_anyone_under_debug(client, settings):
    settings.DEBUG = True
    assert client.get(reverse("styleguide")).status_code == 200
