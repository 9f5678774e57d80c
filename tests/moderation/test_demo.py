from moderation.demo import seed
from moderation.models import Case, Report, WatchedWord
from peersupport.demo import seed_people


def test_seed_is_idempotent_and_makes_a_risk_case(db):
    from groups.demo import seed as seed_groups

    users = seed_people()
    # Profiles are reported by people who share a group with them, as in the full demo.
    seed_groups(users=users, log=lambda m: None)
    seed(users=users, log=lambda m: None)
    seed(users=users, log=lambda m: None)
    assert WatchedWord.objects.filter(group__isnull=True).count() == 2
    assert Report.objects.count() == 3
    assert Case.objects.filter(is_urgent=True).count() == 1
    assert Case.objects.count() == 2


def test_full_demo_reports_a_reply_at_risk_a_story_and_a_chat_message_once(db):
    from peersupport.demo import seed_all

    seed_all(log=lambda m: None)
    seed_all(log=lambda m: None)
    by_model = {
        case.content_type.model: case for case in Case.objects.select_related("content_type")
    }
    assert {"reply", "story", "chatmessage", "user"} <= set(by_model)
    assert by_model["reply"].is_urgent and by_model["reply"].is_open
    assert (
        Case.objects.filter(content_type__model__in=["reply", "story", "chatmessage"]).count() == 3
    )
