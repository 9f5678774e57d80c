"""Well-known crisis lines with their public numbers, for `seed_crisis_lines` and the demo.

Also the Get help now page's fallback when the library holds no published crisis line yet:
a fresh deployment must never show an empty help page.
"""

import datetime
from dataclasses import dataclass, field

VERIFIED_ON = datetime.date(2026, 11, 25)


@dataclass(frozen=True)
class CrisisLine:
    slug: str
    title: str
    summary: str
    countries: tuple[str, ...]
    phone: str = ""
    sms: str = ""
    chat_url: str = ""
    url: str = ""
    opening_hours: str = ""
    languages: tuple[str, ...] = ("en",)
    source_note: str = ""
    categories: tuple[str, ...] = field(default=("crisis-support",))


CRISIS_LINES = [
    CrisisLine(
        slug="988-suicide-and-crisis-lifeline-us",
        title="988 Suicide & Crisis Lifeline",
        summary="Free, confidential support for anyone in distress in the United States. Call or text 988.",
        countries=("US",),
        phone="988",
        sms="988",
        chat_url="https://988lifeline.org/chat/",
        url="https://988lifeline.org/",
        opening_hours="24 hours, every day",
        languages=("en", "es"),
        source_note="988lifeline.org",
    ),
    CrisisLine(
        slug="988-suicide-crisis-helpline-canada",
        title="9-8-8 Suicide Crisis Helpline",
        summary="Free support for anyone in Canada thinking about suicide. Call or text 988.",
        countries=("CA",),
        phone="988",
        sms="988",
        url="https://988.ca/",
        opening_hours="24 hours, every day",
        languages=("en", "fr"),
        source_note="988.ca",
    ),
    CrisisLine(
        slug="samaritans-uk-ireland",
        title="Samaritans",
        summary="Whatever you're going through, you can call Samaritans for free, any time.",
        countries=("GB", "IE"),
        phone="116 123",
        url="https://www.samaritans.org/",
        opening_hours="24 hours, every day",
        source_note="samaritans.org",
    ),
    CrisisLine(
        slug="lifeline-australia",
        title="Lifeline Australia",
        summary="Crisis support and suicide prevention for anyone in Australia.",
        countries=("AU",),
        phone="13 11 14",
        sms="0477 13 11 14",
        chat_url="https://www.lifeline.org.au/crisis-chat/",
        url="https://www.lifeline.org.au/",
        opening_hours="24 hours, every day",
        source_note="lifeline.org.au",
    ),
    CrisisLine(
        slug="find-a-helpline",
        title="Find a Helpline",
        summary="A directory of free, confidential crisis lines in more than 130 countries.",
        countries=(),
        url="https://findahelpline.com/",
        source_note="findahelpline.com; see also the IASP directory at iasp.info",
    ),
]
