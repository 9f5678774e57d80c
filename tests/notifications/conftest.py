import pytest

from tests.factories import UserFactory


@pytest.fixture
def recipient(db):
    return UserFactory(display_name="Reader Robin", timezone="Europe/London")


@pytest.fixture
def outbox_of():
    from peersupport.notifications.models import EmailOutbox

    def get(user):
        return list(EmailOutbox.objects.filter(recipient=user).order_by("pk"))

    return get


@pytest.fixture(autouse=True)
def eager_tasks():
    """Run tasks inline even when REDIS_URL points at a real broker (the worker test opts out)."""
    from peersupport.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = before
