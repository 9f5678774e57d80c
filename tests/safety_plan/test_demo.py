from django.core.management import call_command

from peersupport.accounts.models import User
from peersupport.safety_plan.models import SafetyPlan
from peersupport.safety_plan.selectors import safety_plan_get_for_owner


def test_the_demo_gives_ash_one_plan_however_often_it_runs(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", "--quiet-logins")
    call_command("seed_demo", "--quiet-logins")
    ash = User.objects.get(email="ash@example.org")
    assert SafetyPlan.objects.count() == 1
    assert safety_plan_get_for_owner(owner=ash).content.coping[0] == "Hold something cold"
