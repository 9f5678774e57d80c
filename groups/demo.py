"""Demo groups, members and a waiting join request. Deterministic and idempotent."""

from collections.abc import Callable

from django.db import transaction

from peersupport.accounts.models import User
from peersupport.markdown import render_markdown

from .models import Group, JoinRequest, Membership

COMMON_RULES = """\
1. **Be kind.** Everyone here is doing their best, often on a hard day.
2. **Keep it here.** What people share in this group stays in this group.
3. **Share experience, not instructions.** Say what helped you; don't tell others what to do.
4. **No diagnosing, no selling.** Please don't name conditions for others or promote products.
5. **If you're in danger, get help now.** This group isn't watched around the clock: use the
   *Get help now* link at the top of every page.
"""

GROUPS = [
    dict(
        slug="anxiety-support",
        name="Anxiety support",
        topic="Anxiety",
        description="A calm corner for anyone living with worry, panic or social anxiety. Share what a hard "
        "day feels like, swap small things that help, and be heard without judgement.",
        extra_rules="6. Content warnings help: add one if you describe a panic attack in detail.",
        visibility=Group.Visibility.LISTED,
        join_policy=Group.JoinPolicy.OPEN,
    ),
    dict(
        slug="grief-and-loss",
        name="Grief and loss",
        topic="Grief",
        description="For anyone grieving a person, a pet, a pregnancy or a life they expected. There's no right "
        "way to grieve and no timetable here. Facilitators welcome each new member personally.",
        extra_rules="6. Every loss counts. Please never compare or rank someone's grief.",
        visibility=Group.Visibility.LISTED,
        join_policy=Group.JoinPolicy.REQUEST,
    ),
    dict(
        slug="new-parents",
        name="New parents",
        topic="Parenting",
        description="The first months with a baby can be lonely and overwhelming, whatever anyone says. Talk "
        "honestly about sleep, low mood, anxiety and the days that don't feel like a photo album.",
        extra_rules="6. No judging feeding, sleeping or parenting choices. We're all learning.",
        visibility=Group.Visibility.LISTED,
        join_policy=Group.JoinPolicy.OPEN,
    ),
    dict(
        slug="living-with-depression",
        name="Living with depression",
        topic="Depression",
        description="Somewhere to be honest about depression: the heavy days, the slightly lighter ones and "
        "everything in between. You don't need to be 'better' to belong here.",
        extra_rules="6. Please use a content warning when you write about self-harm or suicidal thoughts.",
        visibility=Group.Visibility.LISTED,
        join_policy=Group.JoinPolicy.OPEN,
    ),
    dict(
        slug="lgbtq-wellbeing",
        name="LGBTQ+ wellbeing",
        topic="Identity",
        description="A safe, affirming group for lesbian, gay, bisexual, trans, queer and questioning people to "
        "talk about mental health, coming out, family and finding community.",
        extra_rules="6. Use the names and pronouns people give. Never share anyone's identity outside the group.",
        visibility=Group.Visibility.LISTED,
        join_policy=Group.JoinPolicy.REQUEST,
    ),
    dict(
        slug="carers-circle",
        name="Carers' circle",
        topic="Caring",
        description="A private circle for people caring for someone they love. Vent, ask, rest for a moment: "
        "your wellbeing matters too. Members join by invitation from a facilitator.",
        extra_rules="6. Talk about the people you care for with dignity, and never by their real name.",
        visibility=Group.Visibility.UNLISTED,
        join_policy=Group.JoinPolicy.INVITE,
    ),
]

FACILITATORS = {
    "willow": ["anxiety-support", "living-with-depression", "new-parents"],
    "juniper": ["grief-and-loss", "carers-circle", "lgbtq-wellbeing"],
}
MEMBERS = {
    "anxiety-support": ["ash", "river", "quietfox"],
    "living-with-depression": ["ash", "morningwalker"],
    "new-parents": ["bluebell", "river"],
    "grief-and-loss": ["quietfox"],
    "carers-circle": ["morningwalker"],
}
PENDING_REQUESTS = [
    (
        "bluebell",
        "grief-and-loss",
        "I lost my grandmother last month and I'd like somewhere to talk about her.",
    ),
]


def _membership(user: User, group: Group, role: str) -> None:
    Membership.objects.update_or_create(
        user=user,
        group=group,
        defaults={
            "role": role,
            "status": Membership.Status.ACTIVE,
            "muted_until": None,
            "rules_accepted_version": group.rules_version,
        },
    )


@transaction.atomic
def seed(*, users: dict[str, User], log: Callable[[str], None]) -> None:
    """Create or refresh the six demo groups, their facilitators, members and one waiting request."""
    groups: dict[str, Group] = {}
    for spec in GROUPS:
        rules = COMMON_RULES + spec["extra_rules"] + "\n"
        group, _ = Group.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "topic": spec["topic"],
                "description": spec["description"],
                "rules": rules,
                "rules_html": render_markdown(rules),
                "visibility": spec["visibility"],
                "join_policy": spec["join_policy"],
                "is_archived": False,
            },
        )
        groups[group.slug] = group
    for key, slugs in FACILITATORS.items():
        for slug in slugs:
            _membership(users[key], groups[slug], Membership.Role.FACILITATOR)
    for slug, keys in MEMBERS.items():
        for key in keys:
            _membership(users[key], groups[slug], Membership.Role.MEMBER)
    for key, slug, message in PENDING_REQUESTS:
        user, group = users[key], groups[slug]
        if not Membership.objects.filter(
            user=user, group=group, status__in=["active", "muted"]
        ).exists():
            JoinRequest.objects.get_or_create(
                user=user,
                group=group,
                status=JoinRequest.Status.PENDING,
                defaults={"message": message, "rules_accepted_version": group.rules_version},
            )
    log(f"Demo groups ready: {len(groups)}.")
