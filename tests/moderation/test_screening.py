import pytest

from moderation.models import WatchedWord
from moderation.screening import normalize_phrase, screen_text
from moderation.services import watched_word_create


@pytest.fixture
def words(admin, group):
    watched_word_create(actor=admin, phrase="ass", action=WatchedWord.Action.FLAG)
    watched_word_create(actor=admin, phrase="buy followers", action=WatchedWord.Action.BLOCK)
    watched_word_create(actor=admin, phrase="kill", action=WatchedWord.Action.HOLD, group=group)
    watched_word_create(actor=admin, phrase="café", action=WatchedWord.Action.FLAG)


@pytest.mark.parametrize(
    "text",
    [
        "what an ASS",
        "what an Àss",
        "what an a\u200bss",
        "what an @ss",
        "what an a$$",
        "what an 4ss",
        "what an ａｓｓ",  # full-width letters, folded by NFKC
    ],
)
def test_evasions_of_a_watched_word_are_caught(words, group, text):
    result = screen_text(text=text, group=group)
    assert result.flag and result.phrase == "ass"


@pytest.mark.parametrize(
    "text", ["my class today", "an assessment", "Passing by", "bass guitar", "mass"]
)
def test_innocent_words_containing_a_watched_word_are_not_matched(words, group, text):
    assert screen_text(text=text, group=group).action is None


@pytest.mark.parametrize(
    "text", ["Buy followers now", "BUY  F0LL0WERS", "buy\u200b f0ll0w3rs!", "bùy fòllowers"]
)
def test_phrases_match_across_spacing_case_and_leet(words, group, text):
    result = screen_text(text=text, group=group)
    assert result.blocked and result.phrase == "buy followers"
    assert "reword" in result.message


def test_one_may_stand_for_i_or_l(words, group):
    assert screen_text(text="k1ll", group=group).hold
    assert screen_text(text="ki11", group=group).hold


def test_group_words_apply_only_in_their_group(words, group, other_group):
    assert screen_text(text="kill", group=group).hold
    assert screen_text(text="kill", group=other_group).action is None
    assert screen_text(text="kill", group=None).action is None


def test_the_strongest_action_wins_and_every_match_is_listed(words, group):
    result = screen_text(text="kill, buy followers, ass", group=group)
    assert result.blocked
    assert set(result.matched) == {"kill", "buy followers", "ass"}


def test_accented_watched_word_matches_without_accent(words, group):
    assert screen_text(text="meet at the cafe", group=group).flag


def test_no_words_no_match(db, group):
    assert screen_text(text="anything at all", group=group).action is None


def test_normalize_phrase():
    assert normalize_phrase("  Buy   F0LLOWERS ") == "buy followers"
    assert normalize_phrase("!!!") == ""


def test_a_hold_word_in_a_crisis_text_only_flags_so_the_person_is_not_held_back(group):
    from moderation.models import WatchedWord
    from moderation.screening import screen_text

    WatchedWord.objects.create(
        phrase="tonight", normalized="tonight", group=group, action=WatchedWord.Action.HOLD
    )
    calm = screen_text(text="See you all tonight", group=group)
    crisis = screen_text(text="I want to kill myself tonight", group=group)
    assert calm.hold and not calm.flag
    assert crisis.flag and not crisis.hold
