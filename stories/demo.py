"""Demo stories and replies for `manage.py seed_demo`: warm, realistic, deterministic, idempotent.

Stories are looked up by (group, title); groups missing from the demo data are skipped. Rows are
written directly (not through services) so creation times can be set in the past, which the
"waiting for a reply" view needs; the counters are recomputed at the end.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from groups.models import Group, Membership
from peersupport.accounts.models import User
from peersupport.markdown import render_markdown

from .models import Follow, Reaction, Reply, Story, make_excerpt


@dataclass(frozen=True)
class DemoReply:
    author: str
    body: str
    hours_after: float
    anonymous: bool = False


@dataclass(frozen=True)
class DemoStory:
    group: str
    author: str
    title: str
    body: str
    hours_ago: float
    warnings: str = ""
    warning_note: str = ""
    anonymous: bool = False
    replies_welcome: bool = True
    pinned: bool = False
    replies: tuple[DemoReply, ...] = field(default_factory=tuple)
    reactions: tuple[tuple[str, str], ...] = ()


STORIES = [
    DemoStory(
        "anxiety-support",
        "willow",
        "Welcome: how stories work here",
        "Hello, and welcome. This is a place to share what living with anxiety is like for you, "
        "at your own pace.\n\n- Add a **content warning** if your story touches on something heavy.\n"
        "- Choose *Just sharing* if you'd rather not have replies.\n- Support reactions are a quiet way "
        "to say you read something.\n\nIf you are in danger right now, please use **Get help now** at the "
        "top of every page.",
        hours_ago=24 * 20,
        pinned=True,
        reactions=(("ash", "thanks"), ("river", "thanks")),
    ),
    DemoStory(
        "anxiety-support",
        "ash",
        "The supermarket queue",
        "I had to leave my basket in the queue today. My heart was going so fast I was sure everyone "
        "could see. I sat in the car for twenty minutes before I could drive.\n\nI went back an hour "
        "later and finished the shop. I'm counting that as a win, even if it doesn't feel like one.",
        hours_ago=30,
        replies=(
            DemoReply(
                "river",
                "That *is* a win. Going back takes so much courage. I've left baskets too.",
                1.5,
            ),
            DemoReply(
                "willow",
                "Thank you for sharing this, Ash. Sitting in the car until you felt steady was "
                "a kind thing to do for yourself.",
                3,
            ),
            DemoReply(
                "quietfox",
                "Me too, more times than I can count. Self-checkouts helped me a little.",
                5,
                anonymous=True,
            ),
        ),
        reactions=(("river", "metoo"), ("quietfox", "hear"), ("willow", "strength")),
    ),
    DemoStory(
        "anxiety-support",
        "quietfox",
        "Nights are the hardest",
        "Most days I manage. It's 3am that gets me: every worry from the day comes back louder. "
        "I've started keeping a notebook by the bed to write them down, so they're somewhere other "
        "than my head.\n\nDoes anyone else have something that helps at night?",
        hours_ago=18,
        anonymous=True,
    ),
    DemoStory(
        "anxiety-support",
        "river",
        "A panic attack at work",
        "I had my first panic attack at work today. I thought I was having a heart attack. A colleague "
        "sat with me in the quiet room until it passed.\n\nI'm not ready for advice, I just needed to say "
        "it somewhere.",
        hours_ago=50,
        warnings="other",
        warning_note="panic attack, medical fear",
        replies_welcome=False,
        reactions=(("ash", "hear"), ("ash", "strength"), ("willow", "thanks")),
    ),
    DemoStory(
        "living-with-depression",
        "morningwalker",
        "Walking every morning, even the grey ones",
        "Six months ago a doctor suggested walking. I laughed. Now I walk every morning before work, "
        "even when it's raining and every part of me says stay in bed.\n\nIt doesn't fix things. But it "
        "gives the day a first step that isn't a failure.",
        hours_ago=72,
        replies=(
            DemoReply("ash", "\"A first step that isn't a failure\" - I'm writing that down.", 2),
            DemoReply("willow", "I love this. Thank you for sharing what works for you.", 6),
        ),
        reactions=(("ash", "thanks"), ("willow", "strength")),
    ),
    DemoStory(
        "living-with-depression",
        "ash",
        "When the flat gets messy",
        "The washing up piles up and then I feel worse about the washing up than about anything else. "
        "I did one plate today. Just one.\n\nSome days one plate is what there is.",
        hours_ago=14,
        anonymous=True,
    ),
    DemoStory(
        "living-with-depression",
        "morningwalker",
        "Thoughts I didn't want to have",
        "Last winter I had thoughts about not being here any more. I told my GP, which was the hardest "
        "conversation I've ever had. Things are better now, and I wanted to say out loud that telling "
        "someone helped.",
        hours_ago=26,
        warnings="suicide",
        replies=(
            DemoReply(
                "willow",
                "Thank you for trusting us with this. I'm really glad you told your GP, "
                "and glad you're here.",
                1,
            ),
        ),
        reactions=(("ash", "strength"), ("ash", "hear")),
    ),
    DemoStory(
        "new-parents",
        "bluebell",
        "Nobody told me about the 4am loneliness",
        "The baby is fed and asleep and I'm wide awake, scrolling, feeling like the only person in the "
        "world who is awake. I love her so much and I also feel completely lost.",
        hours_ago=20,
    ),
    DemoStory(
        "new-parents",
        "river",
        "Asking for help with feeds",
        "I finally asked the health visitor about feeding, after weeks of thinking I should just know. "
        "She was lovely. If you're holding a question in, this is your sign to ask it.",
        hours_ago=40,
        replies=(
            DemoReply(
                "bluebell",
                "Thank you. I've got a list of questions I've been too embarrassed to ask.",
                4,
            ),
        ),
        reactions=(("bluebell", "thanks"),),
    ),
    DemoStory(
        "grief-and-loss",
        "quietfox",
        "Mum's birthday",
        "It would have been Mum's birthday today. I bought the cake she liked anyway and ate a slice in "
        "the garden. It was strange and sad and a bit lovely.",
        hours_ago=16,
        warnings="grief",
    ),
    DemoStory(
        "grief-and-loss",
        "juniper",
        "Grief doesn't follow a timetable",
        "A gentle reminder from one of your facilitators: there is no right way or right speed to grieve. "
        "Share when you want to, read when you'd rather not speak.",
        hours_ago=24 * 10,
        pinned=True,
        warnings="grief",
    ),
    DemoStory(
        "carers-circle",
        "juniper",
        "Caring for Dad, and for me",
        "Dad's dementia has moved on this year. I've had to learn to ask for respite without feeling guilty. "
        "I'm not there yet, but I'm closer.",
        hours_ago=60,
    ),
    DemoStory(
        "lgbtq-wellbeing",
        "juniper",
        "Small joys this week",
        "Let's share one small good thing from this week. Mine: a stranger complimented my badge.",
        hours_ago=36,
    ),
]


def _member(user: User, group: Group) -> None:
    # Authors are members in the demo data; make it so if the groups demo has not.
    Membership.objects.get_or_create(
        user=user,
        group=group,
        defaults={
            "rules_accepted_version": group.rules_version,
            "rules_accepted_at": timezone.now(),
        },
    )


@transaction.atomic
def seed(*, users: dict[str, User], log: Callable[[str], None]) -> None:
    """Add demo stories, replies and reactions to the demo groups that exist."""
    groups = {g.slug: g for g in Group.objects.filter(slug__in={s.group for s in STORIES})}
    now = timezone.now()
    created = 0
    touched: list[int] = []
    for demo in STORIES:
        group = groups.get(demo.group)
        if group is None:
            continue
        author = users[demo.author]
        _member(author, group)
        when = now - timedelta(hours=demo.hours_ago)
        story, was_created = Story.objects.get_or_create(
            group=group,
            title=demo.title,
            defaults=dict(
                author=author,
                body=demo.body,
                body_html=render_markdown(demo.body),
                excerpt=make_excerpt(render_markdown(demo.body)),
                warnings=demo.warnings,
                warning_note=demo.warning_note,
                is_anonymous=demo.anonymous,
                replies_welcome=demo.replies_welcome,
                is_pinned=demo.pinned,
                created_at=when,
                last_activity_at=when,
            ),
        )
        created += was_created
        touched.append(story.pk)
        Follow.objects.get_or_create(user=author, story=story)
        for item in demo.replies:
            replier = users[item.author]
            _member(replier, group)
            Reply.objects.get_or_create(
                story=story,
                author=replier,
                body=item.body,
                defaults=dict(
                    body_html=render_markdown(item.body),
                    is_anonymous=item.anonymous,
                    created_at=when + timedelta(hours=item.hours_after),
                ),
            )
        for key, kind in demo.reactions:
            _member(users[key], group)
            Reaction.objects.get_or_create(user=users[key], story=story, kind=kind)
    # Recompute the denormalised counters from the rows, so re-running changes nothing.
    visible_replies = Q(replies__moderation_state="visible", replies__is_deleted=False)
    for story in Story.objects.filter(pk__in=touched).annotate(
        n_replies=Count("replies", filter=visible_replies, distinct=True),
        last_reply=Max("replies__created_at"),
        n_reactions=Count("reactions", distinct=True),
    ):
        story.reply_count = story.n_replies
        story.reaction_count = story.n_reactions
        story.last_activity_at = max(story.created_at, story.last_reply or story.created_at)
        story.save(update_fields=["reply_count", "reaction_count", "last_activity_at"])
    log(f"Demo stories ready: {len(touched)} ({created} new).")
