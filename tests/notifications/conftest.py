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
def _tasks_inline(eager_tasks):
    """Run tasks inline even when REDIS_URL points at a real broker (the worker test overrides
    `eager_tasks`)."""
