from moderation.demo import seed
from moderation.models import Case, Report, WatchedWord
from peersupport.demo import seed_people


def test_seed_is_idempotent_and_makes_a_risk_case(db):
    users = seed_people()
    seed(users=users, log=lambda m: None)
    seed(users=users, log=lambda m: None)
    assert WatchedWord.objects.filter(group__isnull=True).count() == 2
    assert Report.objects.count() == 3
    assert Case.objects.filter(is_urgent=True).count() == 1
    assert Case.objects.count() == 2
