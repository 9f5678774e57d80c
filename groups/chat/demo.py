"""Demo chat for `manage.py seed_demo`: a few friendly messages in two rooms, if they exist."""

from collections.abc import Callable

from django.db import transaction

from groups.models import Group
from peersupport.accounts.models import User

from .models import ChatMessage, ChatRoomSettings

DEMO_CHAT = {
    "anxiety-support": [
        ("willow", "Good evening, everyone. The room is open; say hello whenever you're ready."),
        ("ash", "Hi all. Rough day, but I managed a short walk at lunch."),
        ("river", "That counts for a lot, Ash. I'm glad you're here."),
        ("quietfox", "Mostly reading tonight, but hello."),
    ],
    "living-with-depression": [
        ("juniper", "Welcome in. No pressure to talk; reading along is fine too."),
        (
            "morningwalker",
            "Morning walk done. Small wins. Here's the breathing guide I mentioned: https://www.nhs.uk/mental-health/",
        ),
        ("bluebell", "Thank you for sharing that. Saving it for later."),
    ],
}


@transaction.atomic
def seed(*, users: dict[str, User], log: Callable[[str], None]) -> None:
    """Create the demo messages once (natural key: author + a fixed client_id)."""
    made = 0
    for slug, lines in DEMO_CHAT.items():
        group = Group.objects.filter(slug=slug).first()
        if group is None:
            continue
        room, _created = ChatRoomSettings.objects.get_or_create(group=group)
        room = ChatRoomSettings.objects.select_for_update().get(pk=group.pk)
        for index, (key, body) in enumerate(lines):
            author = users.get(key)
            if author is None:
                continue
            client_id = f"demo-{slug}-{index}"[:64]
            if ChatMessage.objects.filter(author=author, client_id=client_id).exists():
                continue
            room.last_seq += 1
            ChatMessage.objects.create(
                group=group, seq=room.last_seq, author=author, client_id=client_id, body=body
            )
            made += 1
        room.save(update_fields=["last_seq"])
    log(f"Demo chat messages added: {made}.")
