"""Turn what people actually type into tokens the taxonomy can match.

Case and Unicode folding, apostrophes or none (im, cant, dont), text-speak and digits for words
(2 → to, rn, tn, u), stretched letters (sooooo), common misspellings, a light lemmatiser
(took → take, cutting → cut) and the few emoji that signal risk. Every step is a table in
`normalise.tsv` or `lemmas.tsv` beside this file, so it can be reviewed without reading Python.

The result keeps, for each token, where it came from in the original text, so a match can be
shown to a person exactly as it was written.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from .data import load_table

# Longest text looked at. Longer posts are rare; their first 20,000 characters are scanned, so
# the time stays bounded whatever arrives.
MAX_CHARS = 20_000

# A token is a run of letters, digits and apostrophes, or one punctuation mark that matters for
# sentences and clauses. Everything else (markup, symbols, other scripts' punctuation) is space.
_TOKEN = re.compile(
    r"[^\W_]+(?:['’][^\W_]+)*|[.!?;:,\"“”()…\n]|[\U0001F300-\U0001FAFF\u2600-\u27BF]"
)
_STRETCH = re.compile(r"([a-z])\1{2,}")
_LEET = str.maketrans(
    {"1": "i", "3": "e", "0": "o", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)
_HAS_LETTER = re.compile(r"[a-z]")
_HAS_DIGIT = re.compile(r"\d")
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_MARKUP = re.compile(r"<[^>]{0,200}>|[*_~`#>|]+")

# After these, "ill" is the adjective ("I feel ill"), not "I'll"; "id" the noun ("photo id").
_ILL_AFTER = frozenset(
    "am is are was were be been being feel feeling felt so very really too quite get getting "
    "got fall falling fell seriously mentally terminally critically chronically physically become "
    "became look looks looked an the my your photo student an mentally-ill".split()
)
SENTENCE_END = frozenset({".", "!", "?", "\n", "…"})
CLAUSE_END = frozenset({",", ";", ":", "(", ")"})
QUOTES = frozenset({'"', "“", "”"})


class Token(NamedTuple):
    lemma: str  # what the taxonomy matches
    word: str  # folded surface form, contractions expanded (for tense and context)
    start: int  # span in the original text
    end: int


def _fold(text: str) -> str:
    """Lower case, compatibility forms, accents dropped, curly quotes and apostrophes unified."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'").replace("´", "'")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    """One character folded to one character ("É" → "e", "’" → "'", "…" → ".")."""
    if c.isascii():
        return c.lower()
    folded = _fold(c)
    return folded[:1] if folded else " "


class Normaliser:
    """Built once from the tables; `tokens(text)` is then pure and fast."""

    def __init__(self) -> None:
        self.singles: dict[str, tuple[str, ...]] = {}
        self.phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
        for row in load_table("normalise.tsv"):
            source, target = row[0].split(), tuple(row[1].split())
            if len(source) == 1:
                self.singles[source[0]] = target
            else:
                self.phrases[tuple(source)] = target
        self.max_phrase = max((len(k) for k in self.phrases), default=1)
        # The words a phrase can start with: only there is a phrase looked for.
        self.phrase_firsts = frozenset(k[0] for k in self.phrases)
        self.irregular: dict[str, str] = {}
        self.known: set[str] = set()
        self._lemmas: dict[str, str] = {}
        # A raw word → its words with their lemmas (cached).
        self._split: dict[str, tuple[tuple[str, str], ...]] = {}
        for row in load_table("lemmas.tsv"):
            if row[0] == "+":
                self.known.update(row[1].split())
            else:
                self.irregular[row[0]] = row[1]
        self.known.update(self.irregular.values())

    def add_known(self, words: set[str]) -> None:
        """Words the taxonomy uses: the lemmatiser only strips a suffix onto one of these."""
        self.known.update(words)
        self._lemmas.clear()
        self._split.clear()

    # --- single words ------------------------------------------------------------------------
    def _unstretch(self, word: str) -> str:
        if not _STRETCH.search(word):
            return word
        one = _STRETCH.sub(r"\1", word)
        if one in self.singles or one in self.known or one in self.irregular:
            return one
        return _STRETCH.sub(r"\1\1", word)

    def lemma(self, word: str) -> str:
        cached = self._lemmas.get(word)
        if cached is None:
            cached = self._lemma(word)
            if len(self._lemmas) < 50_000:
                self._lemmas[word] = cached
        return cached

    def _lemma(self, word: str) -> str:
        if word in self.irregular:
            return self.irregular[word]
        if len(word) < 4:
            return word
        for suffix, repl in (
            ("ying", "ie"),
            ("ing", ""),
            ("ing", "e"),
            ("ied", "y"),
            ("ies", "y"),
            ("ed", ""),
            ("ed", "e"),
            ("es", ""),
            ("s", ""),
            ("'s", ""),
        ):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                stem = word[: -len(suffix)] + repl
                if stem in self.known:
                    return stem
                # cutting → cut, planned → plan
                if len(stem) > 2 and stem[-1] == stem[-2] and stem[:-1] in self.known:
                    return stem[:-1]
        return word

    def _words(self, raw: str) -> tuple[str, ...]:
        word = self._unstretch(raw)
        if word in self.singles:
            return self.singles[word]
        if _HAS_DIGIT.search(word) and _HAS_LETTER.search(word):
            # su1c1de, k1ll: digits standing for letters
            leet = word.translate(_LEET)
            if leet in self.singles:
                return self.singles[leet]
            if leet in self.known or self.lemma(leet) in self.known:
                return (leet,)
        if "'" in word:
            head, _, tail = word.partition("'")
            if tail in ("s",) and head not in ("it", "that", "he", "she", "what", "there"):
                return (head,)
            return (word.replace("'", ""),) if word.replace("'", "") in self.singles else (word,)
        return (word,)

    # --- whole texts -------------------------------------------------------------------------
    def tokens(self, text: str) -> list[Token]:
        text = text[:MAX_CHARS]
        # Folded one character at a time (cached), so offsets stay those of the original text.
        if text.isascii():
            folded = text.lower()  # the same as folding each character, only faster
        else:
            # Each distinct character folded once (the same as folding each one in turn).
            folded = text.translate({ord(c): _fold_char(c) for c in set(text)})
        if "://" in folded or "www." in folded:
            folded = _URL.sub(lambda m: " " * len(m.group()), folded)
        folded = _MARKUP.sub(lambda m: " " * len(m.group()), folded)
        out: list[Token] = []
        append = out.append
        split, singles, lemma = self._split, self.singles, self.lemma
        new = tuple.__new__  # Token(...) without the Python-level __new__ of a NamedTuple
        for m in _TOKEN.finditer(folded):
            raw = m.group()
            pairs = split.get(raw)
            if pairs is None:
                # Each word with its lemma, worked out once per distinct raw word.
                if raw[0].isalnum() or raw[0] == "'":
                    pairs = tuple((lemma(w), w) for w in self._words(raw.replace("’", "'")))
                elif raw in singles:  # an emoji that carries meaning
                    pairs = tuple((lemma(w), w) for w in singles[raw])
                else:
                    pairs = ((raw, raw),)
                if len(split) < 50_000:
                    split[raw] = pairs
            start, end = m.span()
            for lem, word in pairs:
                append(new(Token, (lem, word, start, end)))
        # The rewrites that look at neighbours, only when a word they start from is present.
        # They leave the lemma of a word they make empty, to be filled in below.
        present = {t.word for t in out}
        rewritten = False
        if not present.isdisjoint(self.phrase_firsts):
            out = self._phrases(out)
            present = {t.word for t in out}
            rewritten = True
        if "2" in present or "4" in present:
            out = self._digits(out)
            rewritten = True
        if "ill" in present or "id" in present:
            out = self._ill(out)
            rewritten = True
        if not rewritten:
            return out
        return [t if t.lemma else Token(lemma(t.word), t.word, t.start, t.end) for t in out]

    def _phrases(self, toks: list[Token]) -> list[Token]:
        if not self.phrases:
            return toks
        out: list[Token] = []
        i = 0
        n = len(toks)
        firsts = self.phrase_firsts
        while i < n:
            if toks[i].word not in firsts:
                out.append(toks[i])
                i += 1
                continue
            for size in range(min(self.max_phrase, n - i), 1, -1):
                key = tuple(t.word for t in toks[i : i + size])
                target = self.phrases.get(key)
                if target is not None:
                    start, end = toks[i].start, toks[i + size - 1].end
                    out.extend(Token("", w, start, end) for w in target)
                    i += size
                    break
            else:
                out.append(toks[i])
                i += 1
        return out

    @staticmethod
    def _ill(toks: list[Token]) -> list[Token]:
        """ "ill" and "id" are "I'll" and "I'd" in chat, unless they follow a word like "feel"."""
        out: list[Token] = []
        for i, t in enumerate(toks):
            prev = toks[i - 1].word if i else ""
            if t.word in ("ill", "id") and prev not in _ILL_AFTER:
                out.append(Token("", "i", t.start, t.end))
                out.append(Token("", "will" if t.word == "ill" else "would", t.start, t.end))
            else:
                out.append(t)
        return out

    @staticmethod
    def _digits(toks: list[Token]) -> list[Token]:
        """A lone 2 or 4 between words is "to" / "for" ("want 2 die"), not a count ("2 pills")."""
        out = list(toks)
        for i, t in enumerate(toks):
            if t.word not in ("2", "4"):
                continue
            nxt = toks[i + 1].word if i + 1 < len(toks) else ""
            prev = toks[i - 1].word if i else ""
            if not nxt or not nxt[0].isalpha() or not prev or not prev[0].isalpha():
                continue
            if nxt.endswith("s") or nxt in ("of", "or", "and", "more", "hour", "day", "a"):
                continue  # a count: "2 pills", "4 hours", "2 or 3"
            out[i] = Token("", "to" if t.word == "2" else "for", t.start, t.end)
        return out
