import zoneinfo

import pytest
from django.core.management import call_command

from groups.sessions.models import GroupSession, Rsvp


@pytest.mark.django_db
def test_seed_demo_schedules_a_weekly_session_with_the_demo_member_going(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--quiet-logins")
    call_command("seed_demo", "--quiet-logins")  # idempotent
    sessions = {s.title: s for s in GroupSession.objects.all()}
    assert set(sessions) == {"Tuesday evening check-in", "Sunday morning coffee"}
    weekly = sessions["Tuesday evening check-in"]
    assert weekly.recurrence == "weekly" and weekly.occurrences.count() == 8
    assert weekly.group.slug == "anxiety-support" and weekly.host.display_name == "Willow"
    going = Rsvp.objects.filter(status="going", occurrence__session=weekly)
    assert "Ash" in set(going.values_list("user__display_name", flat=True))
    assert all(
        o.start.astimezone(zoneinfo.ZoneInfo("Europe/London")).hour == 19
        for o in weekly.occurrences.all()
    )
