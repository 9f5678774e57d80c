"""Demo library content for `seed_demo`: the crisis lines, categories and a few sample articles."""

import datetime
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from peersupport.accounts.models import User
from peersupport.markdown import render_markdown

from .models import Category, Resource, Suggestion, Tag
from .seeding import crisis_lines_seed

CATEGORIES = [
    ("coping-day-to-day", "Coping day to day", "Small, practical things that help."),
    ("understanding-anxiety", "Understanding anxiety", "What anxiety is and why it happens."),
    ("grief-and-loss", "Grief and loss", "For when someone or something is gone."),
    ("for-carers", "For carers", "Looking after someone else, and yourself."),
]

ARTICLES = [
    (
        "grounding-5-4-3-2-1",
        "Grounding with 5-4-3-2-1",
        "coping-day-to-day",
        ["anxiety", "panic", "grounding"],
        "A simple way to come back to the present when panic rises.",
        "When panic rises, name:\n\n- **5** things you can see\n- **4** things you can touch\n- **3** things you can hear\n"
        "- **2** things you can smell\n- **1** thing you can taste\n\nGo slowly. There is no wrong way to do it.",
    ),
    (
        "sleep-when-your-mind-races",
        "Sleep when your mind races",
        "coping-day-to-day",
        ["sleep", "anxiety"],
        "Gentle habits for nights when thoughts won't settle.",
        "## Before bed\n\nWrite tomorrow's worries on paper, then close the notebook.\n\n## If you wake\n\n"
        "Get up after twenty minutes and do something quiet in dim light.",
    ),
    (
        "what-grief-can-feel-like",
        "What grief can feel like",
        "grief-and-loss",
        ["grief", "bereavement"],
        "Grief is not a straight line, and there is no right way to feel.",
        "Grief can come in waves: numbness, anger, guilt, relief, deep sadness. All of them are normal.",
    ),
    (
        "looking-after-yourself-as-a-carer",
        "Looking after yourself as a carer",
        "for-carers",
        ["carers", "burnout"],
        "You matter too. Small ways to keep going without burning out.",
        'Ask for specific help ("could you sit with Dad on Tuesday?"). Rest is not selfish.',
    ),
]


@transaction.atomic
def seed(*, users: dict[str, User], log: Callable[[str], None]) -> None:
    crisis_lines_seed(log=log)
    admin = users["admin"]
    categories = {}
    for position, (slug, name, description) in enumerate(CATEGORIES, start=1):
        categories[slug], _c = Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )
    reviewed = datetime.date(2026, 9, 1)
    for slug, title, category, tags, summary, body in ARTICLES:
        resource, _created = Resource.objects.update_or_create(
            slug=slug,
            defaults={
                "kind": Resource.Kind.ARTICLE,
                "title": title,
                "summary": summary,
                "body": body,
                "body_html": render_markdown(body),
                "status": Resource.Status.PUBLISHED,
                "author": admin,
                "reviewer": admin,
                "last_reviewed": reviewed,
                "source_note": "Written by the Peer Support team.",
                "published_at": timezone.make_aware(datetime.datetime(2026, 9, 1)),
            },
        )
        resource.categories.set([categories[category]])
        resource.tags.set(
            [Tag.objects.get_or_create(slug=t, defaults={"name": t})[0] for t in tags]
        )
    # One link that is overdue for review, so the dashboard shows how that looks.
    Resource.objects.update_or_create(
        slug="nhs-every-mind-matters",
        defaults={
            "kind": Resource.Kind.LINK,
            "title": "Every Mind Matters (NHS)",
            "url": "https://www.nhs.uk/every-mind-matters/",
            "summary": "Expert advice and practical tips to look after your mental health.",
            "status": Resource.Status.PUBLISHED,
            "author": admin,
            "reviewer": admin,
            "last_reviewed": datetime.date(2025, 6, 1),
            "source_note": "NHS England",
        },
    )
    Suggestion.objects.get_or_create(
        title="Breathing exercises for panic",
        suggested_by=users["ash"],
        defaults={
            "kind": Suggestion.Kind.TOPIC,
            "note": "Something short I could read on my phone during a panic attack.",
        },
    )
    log(f"Resources ready: {len(ARTICLES)} articles, {len(CATEGORIES)} categories, crisis lines.")
