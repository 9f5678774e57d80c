"""Score a text against the taxonomy: rules find risk language, context rules set aside what is
not the writer's own present risk, and the worst sentence decides the verdict.

Loaded once from the data files beside this module (concepts.tsv, rules.tsv, context.tsv,
normalise.tsv, lemmas.tsv); `Engine.detect` is then pure Python with no I/O.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate

from .data import load_table
from .normalise import CLAUSE_END, QUOTES, SENTENCE_END, Normaliser, Token
from .patterns import (
    COMMON_WORDS,
    PatternError,
    best_required,
    compile_sequence,
    first_words,
    required_words,
    words_in,
)

IMMINENT, HIGH, CONCERN = "imminent", "high", "concern"
SEVERITY_RANK = {CONCERN: 1, HIGH: 2, IMMINENT: 3}
SUICIDE, SELF_HARM = "suicide", "self_harm"

# When two categories are equally severe, the verdict names the more specific one.
CATEGORY_ORDER = (
    "in_progress",
    "dangerous_place",
    "unsafe",
    "means",
    "method_plan",
    "intent_timing",
    "preparatory",
    "active",
    "euphemism",
    "slang",
    "self_harm",
    "passive",
    "hopeless_risk",
)
CATEGORIES = frozenset(CATEGORY_ORDER)
FLAGS = frozenset({"strong", "noneg", "sh", "recent", "text", "-"})
CONTEXT_KINDS = frozenset(
    {
        "self",
        "other",
        "reported",
        "media",
        "negation",
        "negation_cancel",
        "past",
        "recovered",
        "recent",
        "hypothetical",
        "hypothetical_soft",
        "supportive",
        "joke",
        "serious",
        "info",
        "idiom",
        "idiom_sentence",
        "psychoed",
        "clause_break",
    }
)
# Words whose surface form shows the writer is telling of something done before.
_PAST_FORM = re.compile(
    r"^(?:took|tried|was|were|had|hung|wrote|gave|went|felt|thought|bought|swallowed|attempted|"
    r"overdosed|wanted|planned|cut|burned|burnt|jumped|\w+ed)$"
)


class Matcher:
    """One compiled pattern, with the words its matches can start with and the words they must
    hold."""

    __slots__ = ("source", "first", "prefixes", "required", "required_ids", "first_id", "regex")

    def __init__(
        self, source: str, first: frozenset[str] | None, required: list[frozenset[str]]
    ) -> None:
        self.source = source
        # Sets of words, one of each must be in a text for it to match (smallest first).
        self.required = tuple(sorted(required, key=len))
        self.first = None if first is None else frozenset(w for w in first if not w.endswith("*"))
        self.prefixes = tuple(w[:-1] for w in first or () if w.endswith("*"))
        self.required_ids: tuple[int, ...] = ()  # the engine's numbers for `required`
        self.first_id = -1  # and for (first, prefixes)
        self.regex: re.Pattern | None = None  # compiled by the engine


@dataclass(frozen=True)
class Rule:
    name: str
    category: str
    severity: str
    flags: frozenset[str]
    primary: Matcher
    also: tuple[Matcher, ...]  # must match in the same sentence
    unless: tuple[Matcher, ...]  # must not match in the same sentence
    why: str

    @property
    def kind(self) -> str:
        return SELF_HARM if self.category == "self_harm" or "sh" in self.flags else SUICIDE


@dataclass(frozen=True)
class Hit:
    rule: Rule
    first: int  # token indexes, [first, last)
    last: int


class Engine:
    def __init__(self) -> None:
        self.normaliser = Normaliser()
        # Every distinct set of required words, numbered: a text works out once where each
        # set's words are, however many patterns require it.
        self._matchers: list[Matcher] = []
        self.required_sets: list[frozenset[str]] = []
        self._required_ids: dict[frozenset[str], int] = {}
        self.first_sets: list[tuple[frozenset[str], tuple[str, ...]]] = []
        self._first_ids: dict[tuple[frozenset[str], tuple[str, ...]], int] = {}
        concept_rows = load_table("concepts.tsv")
        rule_rows = load_table("rules.tsv")
        context_rows = load_table("context.tsv")
        # Every word the files use: the lemmatiser strips endings only onto these.
        known: set[str] = set()
        for row in concept_rows:
            known |= words_in(row[1])
        for row in rule_rows:
            if len(row) >= 4:
                known |= words_in(row[3].replace("!", " ").replace("&", " "))
        for row in context_rows:
            known |= words_in(row[1])
        self.normaliser.add_known({w for w in known if w.isalpha()})
        self._raw_concepts: dict[str, list[str]] = {}
        for row in concept_rows:
            # A concept line is a list of alternative phrases.
            self._raw_concepts.setdefault(row[0], []).append(f"({row[1]})")
        self.concepts: dict[str, str] = {}
        self.concept_firsts: dict[str, frozenset[str] | None] = {}
        self.concept_required: dict[str, frozenset[str] | None] = {}
        for name in self._raw_concepts:
            self._concept(name, ())
        self.rules: list[Rule] = []
        for number, row in enumerate(rule_rows, 1):
            if len(row) < 5:
                raise PatternError(f"rules.tsv entry {number}: five fields expected: {row}")
            category, severity, flags, pattern, why = row[:5]
            if category not in CATEGORIES or severity not in SEVERITY_RANK:
                raise PatternError(f"rules.tsv entry {number}: {category}/{severity}")
            flagset = frozenset(f for f in flags.split(",") if f)
            if flagset - FLAGS:
                raise PatternError(f"rules.tsv entry {number}: unknown flag {flagset - FLAGS}")
            parts = [p.strip() for p in pattern.split(" & ")]
            also, unless = [], []
            for part in parts[1:]:
                if part.startswith("!"):
                    unless.append(self._compile(f"({part[1:].strip()})"))
                else:
                    also.append(self._compile(part))
            self.rules.append(
                Rule(
                    name=f"{category}.{number}",
                    category=category,
                    severity=severity,
                    flags=flagset - {"-"},
                    primary=self._compile(parts[0]),
                    also=tuple(also),
                    unless=tuple(unless),
                    why=why,
                )
            )
        # A word index: each rule is filed under the words of one set its matches require (a
        # text without any of them cannot match), the set whose words the fewest rules use (so
        # "i" or "to" file nothing when a rarer word is required too). A text then tries only
        # the rules its words allow.
        usage: dict[str, int] = {}
        for rule in self.rules:
            for words in rule.primary.required:
                for word in words:
                    usage[word] = usage.get(word, 0) + 1
        self.rules_always: list[int] = []
        self.rules_by_word: dict[str, list[int]] = {}
        for number, rule in enumerate(self.rules):
            if not rule.primary.required:
                self.rules_always.append(number)
                continue
            rarest = min(rule.primary.required, key=lambda ws: sum(_rarity(w, usage) for w in ws))
            for word in rarest:
                self.rules_by_word.setdefault(word, []).append(number)
        lines: dict[str, list[str]] = {}
        for row in context_rows:
            kind, pattern = row[0], row[1]
            if kind not in CONTEXT_KINDS:
                raise PatternError(f"context.tsv: unknown kind {kind}")
            lines.setdefault(kind, []).append(f"({pattern})")
        # One matcher per context kind: each is run once over the whole text.
        self.context_re = {
            kind: self._compile("(" + "|".join(ls) + ")") for kind, ls in lines.items()
        }
        # One per concept, for the model's features.
        self.concept_matchers = {name: self._compile(f"{{{name}}}") for name in self.concepts}
        # Every regular expression compiled now, once per process (about a second), so no
        # text pays for compiling a rule it is the first to need.
        # Each pattern checks its rarest required set first: the check stops at the first set
        # the text lacks.
        for matcher in self._matchers:
            matcher.required_ids = tuple(
                sorted(
                    matcher.required_ids,
                    key=lambda k: sum(_rarity(w, usage) for w in self.required_sets[k]),
                )
            )
        # The fast path assumes no match starts at a punctuation mark.
        for words, prefixes in self.first_sets:
            if words & _MARKS or any(not p or p[0] in _MARKS for p in prefixes):
                raise PatternError(f"a pattern starts with a punctuation mark: {words}")
        compiled: dict[str, re.Pattern] = {}
        for matcher in self._matchers:
            if matcher.source not in compiled:
                compiled[matcher.source] = re.compile(matcher.source)
            matcher.regex = compiled[matcher.source]

    def _concept(self, name: str, stack: tuple[str, ...]) -> str:
        if name in self.concepts:
            return self.concepts[name]
        if name in stack:
            raise PatternError(f"concept {name} refers to itself through {stack}")
        if name not in self._raw_concepts:
            raise PatternError(f"unknown concept {{{name}}}")
        for p in self._raw_concepts[name]:
            for ref in re.findall(r"\{(\w+)\}", p):
                self._concept(ref, (*stack, name))
        firsts = [
            first_words(p, self._concept_first, self.normaliser.lemma)
            for p in self._raw_concepts[name]
        ]
        self.concept_firsts[name] = (
            None if any(f is None for f in firsts) else frozenset().union(*firsts)
        )
        needs = [
            best_required(p, self._concept_required, self.normaliser.lemma)
            for p in self._raw_concepts[name]
        ]
        self.concept_required[name] = (
            None if any(n is None for n in needs) else frozenset().union(*needs)
        )
        self.concepts[name] = "|".join(
            dict.fromkeys(
                f"(?:{compile_sequence(p, self.concepts, self.normaliser.lemma)})"
                for p in self._raw_concepts[name]
            )
        )
        return self.concepts[name]

    def _concept_first(self, name: str) -> frozenset[str] | None:
        return self.concept_firsts[name]

    def _concept_required(self, name: str) -> frozenset[str] | None:
        return self.concept_required[name]

    def _compile(self, pattern: str) -> Matcher:
        sequence = compile_sequence(pattern, self.concepts, self.normaliser.lemma)
        first = first_words(pattern, self._concept_first, self.normaliser.lemma)
        required = required_words(pattern, self._concept_required, self.normaliser.lemma)
        matcher = Matcher(r"(?<= )(?:" + sequence + ")", first, required)
        self._matchers.append(matcher)
        ids = []
        for words in matcher.required:
            if words not in self._required_ids:
                self._required_ids[words] = len(self.required_sets)
                self.required_sets.append(words)
            ids.append(self._required_ids[words])
        matcher.required_ids = tuple(ids)
        if matcher.first is not None:
            key = (matcher.first, matcher.prefixes)
            if key not in self._first_ids:
                self._first_ids[key] = len(self.first_sets)
                self.first_sets.append(key)
            matcher.first_id = self._first_ids[key]
        return matcher

    def explain(self, text: str) -> list[tuple[str, str, str]]:
        """Every rule match with the reason context set it aside ("" = kept): for reviewing."""
        toks = self.normaliser.tokens(text)
        if not toks:
            return []
        t = _Text(self, toks)
        out = []
        for rule in self.rules:
            for first, last in t._spans(rule.primary):
                phrase = text[toks[first].start : toks[last - 1].end]
                out.append((rule.name, phrase, t._set_aside(rule, first, last)))
        return out

    def analyse(self, text: str, *, exhaustive: bool = False) -> Analysis:
        """The rule hits of a text, what context set aside, and its tokens (`exhaustive`: by
        the slow reference path, for tests)."""
        toks = self.normaliser.tokens(text)
        if not toks:
            return Analysis([], [], [], None)
        t = _Text(self, toks, exhaustive=exhaustive)
        hits = t.hits()
        return Analysis(hits, t.asides, toks, t)

    def concepts_in(self, analysis: Analysis) -> list[str]:
        """The names of the concepts present in a text (features for the model)."""
        t = analysis.text
        if t is None:
            return []
        return [name for name, m in self.concept_matchers.items() if t.matches_anywhere(m)]


@dataclass(frozen=True)
class Analysis:
    hits: list[Hit]
    asides: list[tuple[Rule, str]]  # rule matches that context set aside, and why
    tokens: list[Token]
    text: _Text | None


# Tokens that end a stretch of words: no pattern element consumes one (`_` and `..` stop at
# marks, and no pattern names a mark), so every match lies inside one stretch between them.
_MARKS = frozenset(SENTENCE_END | CLAUSE_END | {"¶", '"'})
_SENTENCE_ENDS = frozenset(SENTENCE_END | {"¶"})
_SHOWN = {"\n": "¶", "'": '"', **{q: '"' for q in QUOTES}}


def _rarity(word: str, usage: dict[str, int]) -> int:
    """How often a word is likely in a text: how many rules use it, and much more for words
    in almost every text (the index then files a rule under words that rule more out)."""
    return usage.get(word, 0) + (1000 if word in COMMON_WORDS else 0)


def _last_before(positions: list[int], index: int, lowest: int) -> int | None:
    """The greatest of the sorted `positions` below `index` and not below `lowest`."""
    k = bisect.bisect_left(positions, index)
    if k and positions[k - 1] >= lowest:
        return positions[k - 1]
    return None


def _between(positions: list[int], first: int, last: int) -> bool:
    """Whether any of the sorted `positions` is in [first, last)."""
    k = bisect.bisect_left(positions, first)
    return k < len(positions) and positions[k] < last


class _Text:
    """One text's tokens with its sentences, clauses and context marks, computed once.

    Speed: the words are split into stretches between punctuation marks, and each lemma knows
    (as bits of an integer) which stretches hold it. A pattern is then tried only at the words
    it can start with, in stretches that hold a word of every set it requires. With
    `exhaustive`, every rule is tried by scanning the whole text instead: the slow reference
    the fast path must agree with (tests/moderation/crisis/test_speed.py)."""

    def __init__(self, engine: Engine, toks: list[Token], *, exhaustive: bool = False) -> None:
        self.engine = engine
        self.toks = toks
        self.exhaustive = exhaustive
        shown = _SHOWN
        lemmas = [t[0] for t in toks]
        lemmas = list(map(shown.get, lemmas, lemmas))  # marks as patterns see them
        self.lemmas = lemmas
        n = len(lemmas)
        # Where each lemma starts in `joined` (" i want to die . "), and the space after it.
        starts = list(accumulate([len(lemma) + 1 for lemma in lemmas], initial=1))
        self.at_space = dict(zip([p - 1 for p in starts[1:]], range(n), strict=True))
        starts.pop()
        self.starts = starts
        self.at_start = dict(zip(starts, range(n), strict=True))  # token index by its offset
        stretch: list[int] = []  # each token's stretch (-1 for a mark)
        masks: dict[str, int] = {}  # lemma -> the stretches holding it, as bits
        positions: dict[str, list[int]] = {}
        stretches: list[tuple[int, int]] = []  # each stretch's tokens, [first, last)
        sentence: list[int] = []  # each token's sentence number
        sentence_masks: dict[int, int] = {}  # sentence number -> its stretches, as bits
        bounds: dict[int, tuple[int, int]] = {}  # sentence number -> its tokens
        marks, ends, sid, opened, s, bit, began = _MARKS, _SENTENCE_ENDS, 0, -1, 0, 0, 0
        add_sentence, add_stretch = sentence.append, stretch.append
        for i, lemma in enumerate(lemmas):
            add_sentence(sid)
            if lemma in marks:
                if opened >= 0:
                    stretches.append((opened, i))
                    opened = -1
                add_stretch(-1)
                if lemma in ends:
                    bounds[sid] = (began, i + 1)
                    sid += 1
                    began = i + 1
            else:
                if opened < 0:
                    opened, s = i, len(stretches)
                    bit = 1 << s
                    sentence_masks[sid] = sentence_masks.get(sid, 0) | bit
                add_stretch(s)
                known = masks.get(lemma)
                masks[lemma] = bit if known is None else known | bit
            here = positions.get(lemma)
            if here is None:
                positions[lemma] = [i]
            else:
                here.append(i)
        if opened >= 0:
            stretches.append((opened, n))
        if began < n:
            bounds[sid] = (began, n)
        self.stretch = stretch
        self.stretches = stretches
        self.sentence_masks = sentence_masks
        self.masks = masks
        self.positions = positions
        self.vocab = frozenset(positions)
        self.joined = " " + " ".join(lemmas) + " "
        self._starts: dict[int, list[int]] = {}
        self._required_masks: dict[int, int] = {}
        self._sets: dict[str, set[int]] = {}
        self._sentence_sets: dict[str, set[int]] = {}
        self._in_sentence: dict[tuple[str, int], bool] = {}
        self._anywhere: dict[str, bool] = {}
        self._sentence_tokens: dict[tuple[str, int], set[int]] = {}
        self._subjects: dict[int, tuple[list[int], dict[int, str], list[int]]] = {}
        self.asides: list[tuple[Rule, str]] = []
        # (Clauses are counted when context is first needed.)
        self.sentence = sentence
        self.sentence_bounds = bounds

    # --- context marks, each computed on first use -----------------------------------------
    @cached_property
    def clause(self) -> list[int]:
        breaks = self._token_set("clause_break")
        clause, c = [], 0
        for i, lemma in enumerate(self.lemmas):
            if i in breaks:
                c += 1
            clause.append(c)
            if lemma in SENTENCE_END or lemma == "¶" or lemma in CLAUSE_END:
                c += 1
        return clause

    @cached_property
    def quoted(self) -> list[bool]:
        """Quoted stretches: between two quote marks in one sentence."""
        quoted = [False] * len(self.lemmas)
        open_at = None
        for i in self.positions.get('"', ()):
            if open_at is not None and self.sentence[open_at] == self.sentence[i]:
                for k in range(open_at, i):
                    quoted[k] = True
                open_at = None
            else:
                open_at = i
        return quoted

    @cached_property
    def subject(self) -> dict[int, str]:
        subject: dict[int, str] = {}
        for kind in ("self", "other"):
            for i in self._token_set(kind):
                subject.setdefault(i, kind)
        return subject

    @cached_property
    def negations(self) -> set[int]:
        return self._token_set("negation") - self._token_set("negation_cancel")

    @cached_property
    def clauses_recent(self) -> set[int]:
        clause = self.clause
        return {clause[i] for i in self._token_set("recent")}

    @cached_property
    def reported_positions(self) -> list[int]:
        return sorted(self._token_set("reported"))

    def subjects_in(self, sid: int) -> tuple[list[int], dict[int, str], list[int]]:
        """Sentence `sid`'s subjects: their positions in order, who each is ("self" or
        "other"), and the writer's positions (`subject` within the sentence), looked for in
        that sentence only (the reference path takes them from `subject`)."""
        found = self._subjects.get(sid)
        if found is None:
            if self.exhaustive:
                a, b = self.sentence_bounds[sid]
                who = {i: k for i, k in self.subject.items() if a <= i < b}
            else:
                a, b = self.sentence_bounds[sid]
                who = {}
                for kind in ("self", "other"):
                    for i in sorted(self.tokens_in_sentence(kind, sid)):
                        if a <= i < b:
                            who.setdefault(i, kind)
            found = (sorted(who), who, sorted(i for i, k in who.items() if k == "self"))
            self._subjects[sid] = found
        return found

    def in_sentence(self, kind: str, sid: int) -> bool:
        """Whether context of `kind` is in sentence `sid` (`sid in sentences_with(kind)`),
        looked for in that sentence only."""
        key = (kind, sid)
        found = self._in_sentence.get(key)
        if found is None:
            matcher = self.engine.context_re.get(kind)
            if self.exhaustive or matcher is None or kind in self._sets:
                found = sid in self.sentences_with(kind)
            else:
                found = self.matches_anywhere(matcher, self.sentence_masks.get(sid, 0))
            self._in_sentence[key] = found
        return found

    def anywhere(self, kind: str) -> bool:
        """Whether context of `kind` is anywhere in the text (`_token_set(kind)` not empty)."""
        found = self._anywhere.get(kind)
        if found is None:
            matcher = self.engine.context_re.get(kind)
            if self.exhaustive or matcher is None or kind in self._sets:
                found = bool(self._token_set(kind))
            else:
                found = self.matches_anywhere(matcher)
            self._anywhere[kind] = found
        return found

    def tokens_in_sentence(self, kind: str, sid: int) -> set[int]:
        """The tokens of sentence `sid` inside a match of context `kind` (those of
        `_token_set(kind)`), looked for in that sentence only."""
        key = (kind, sid)
        found = self._sentence_tokens.get(key)
        if found is None:
            matcher = self.engine.context_re.get(kind)
            if self.exhaustive or matcher is None or matcher.first is None or kind in self._sets:
                found = self._token_set(kind)
            else:
                found = set()
                allowed = self._allowed(matcher)
                within = self.sentence_masks.get(sid, 0)
                allowed = within if allowed == -1 else allowed & within
                if allowed:
                    for first, last in self._spans(matcher, allowed):
                        found.update(range(first, last))
            self._sentence_tokens[key] = found
        return found

    def sentences_with(self, kind: str) -> set[int]:
        found = self._sentence_sets.get(kind)
        if found is None:
            found = {self.sentence[i] for i in self._token_set(kind)}
            self._sentence_sets[kind] = found
        return found

    def _index(self, pos: int) -> int:
        return bisect.bisect_right(self.starts, pos) - 1

    def _allowed(self, matcher: Matcher) -> int:
        """The stretches (as bits) holding a word of every set `matcher` requires; -1 if it
        requires none."""
        allowed, known = -1, self._required_masks
        for number in matcher.required_ids:
            mask = known.get(number)
            if mask is None:
                mask, masks = 0, self.masks
                for word in self.engine.required_sets[number] & self.vocab:
                    mask |= masks[word]
                known[number] = mask
            allowed &= mask
            if not allowed:
                return 0
        return allowed

    def _spans(self, matcher: Matcher, allowed: int | None = None) -> list[tuple[int, int]]:
        """Token spans [first, last) where `matcher` matches, as `finditer` over the whole text
        would find them, trying only where a match could start."""
        if self.exhaustive:
            found = matcher.regex.finditer(self.joined)
            return self._to_tokens([(m.start(), m.end()) for m in found if m.end() > m.start()])
        if allowed is None:
            allowed = self._allowed(matcher)
        if not allowed:
            return []
        if matcher.first is None:
            found = matcher.regex.finditer(self.joined)
            return self._to_tokens([(m.start(), m.end()) for m in found if m.end() > m.start()])
        # Where its first words are (worked out once per text for each set of first words),
        # kept only in the stretches that hold every required word (no match crosses a mark).
        candidates = self._candidates(matcher.first_id, allowed)
        # A match starts at a token and ends just after the space that follows one.
        match, spans, reached, starts, joined = (
            matcher.regex.match,
            [],
            -1,
            self.starts,
            self.joined,
        )
        at_space = self.at_space
        for i in candidates:
            start = starts[i]
            if start < reached:
                continue  # inside the previous match, as finditer would skip it
            m = match(joined, start)
            if m is not None:
                end = m.end()
                if end > start:
                    spans.append((i, at_space[end - 1] + 1))
                    reached = end
        return spans

    def matches_anywhere(self, matcher: Matcher, within: int = -1) -> bool:
        """Whether `matcher` matches somewhere in the text (`_spans` is not empty), or in
        the stretches `within` (as bits). Stops at the first match."""
        if self.exhaustive or matcher.first is None:
            if within == -1:
                return bool(self._spans(matcher))
            stretch = self.stretch
            return any(
                stretch[a] >= 0 and within >> stretch[a] & 1 for a, _b in self._spans(matcher)
            )
        allowed = self._allowed(matcher)
        allowed = within if allowed == -1 else allowed & within
        if not allowed:
            return False
        match, joined, starts = matcher.regex.match, self.joined, self.starts
        for i in self._candidates(matcher.first_id, allowed):
            m = match(joined, starts[i])
            if m is not None and m.end() > m.start():
                return True
        return False

    def _candidates(self, first_id: int, allowed: int) -> list[int]:
        """Where a word of the engine's first-word set `first_id` is, in order, in the
        stretches `allowed` (as bits; -1: anywhere)."""
        positions = self._starts.get(first_id)
        if positions is None:
            positions = self._start_positions(first_id)
        if allowed == -1 or not positions:
            return positions
        if allowed.bit_count() * 4 <= len(positions):
            # Few stretches for the positions: those inside each, found by bisection.
            out, stretches, left = [], self.stretches, bisect.bisect_left
            while allowed:
                low = allowed & -allowed
                allowed ^= low
                a, b = stretches[low.bit_length() - 1]
                lo = left(positions, a)
                out.extend(positions[lo : left(positions, b, lo)])
            return out
        # Many: each position's stretch looked up in the bits, written out once, lowest first.
        bits, stretch = bin(allowed)[:1:-1], self.stretch
        top = len(bits)
        return [i for i in positions if stretch[i] < top and bits[stretch[i]] == "1"]

    def _sentences_matching(self, matcher: Matcher, sids: set[int]) -> set[int]:
        """Those of the sentences `sids` where `matcher` matches (tried only in their
        stretches: a match never crosses a sentence's end)."""
        within, masks = 0, self.sentence_masks
        for sid in sids:
            within |= masks.get(sid, 0)
        allowed = self._allowed(matcher)
        allowed = within if allowed == -1 else allowed & within
        if not allowed:
            return set()
        sentence = self.sentence
        return {sentence[a] for a, _b in self._spans(matcher, allowed)} & sids

    def _start_positions(self, number: int) -> list[int]:
        """Where a word of the engine's first-word set `number` is, in order (computed once
        per text, however many patterns start with the same words)."""
        words, prefixes = self.engine.first_sets[number]
        positions, present = self.positions, words & self.vocab
        if prefixes:
            present |= {word for word in self.vocab if word.startswith(prefixes)}
        # A first word is never a mark (no pattern names one), so each is in a stretch. Each
        # word's positions are in order and no two words share one: one word's list is the
        # answer as it is (never changed), several are merged.
        if len(present) == 1:
            found = positions[next(iter(present))]
        else:
            found = sorted([i for word in present for i in positions[word]])
        self._starts[number] = found
        return found

    def _to_tokens(self, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        at_start, at_space, index = self.at_start, self.at_space, self._index
        return [
            (
                at_start[a] if a in at_start else index(a),
                (at_space[b - 1] if b - 1 in at_space else index(b - 1)) + 1,
            )
            for a, b in spans
        ]

    def _token_set(self, kind: str) -> set[int]:
        found = self._sets.get(kind)
        if found is not None:
            return found
        found = set()
        pattern = self.engine.context_re.get(kind)
        if pattern is not None:
            for first, last in self._spans(pattern):
                found.update(range(first, last))
        self._sets[kind] = found
        return found

    def hits(self) -> list[Hit]:
        found: list[Hit] = []
        engine = self.engine
        if self.exhaustive:
            candidates = range(len(engine.rules))
        else:
            by_word = engine.rules_by_word
            chosen = set(engine.rules_always)
            for word in self.vocab:
                numbers = by_word.get(word)
                if numbers is not None:
                    chosen.update(numbers)
            candidates = sorted(chosen)
        rules, exhaustive, known = engine.rules, self.exhaustive, self._required_masks
        required_sets, vocab, masks = engine.required_sets, self.vocab, self.masks
        candidates_of, starts, joined, at_space = (
            self._candidates,
            self.starts,
            self.joined,
            self.at_space,
        )
        for number in candidates:
            rule = rules[number]
            if exhaustive:
                spans = self._spans(rule.primary)
            else:
                # `_allowed` and `_spans`, inlined: most rules stop at the first.
                primary = rule.primary
                within = -1
                for k in primary.required_ids:
                    mask = known.get(k)
                    if mask is None:
                        mask = 0
                        for word in required_sets[k] & vocab:
                            mask |= masks[word]
                        known[k] = mask
                    within &= mask
                    if not within:
                        break
                if not within:
                    continue
                if primary.first is None:
                    spans = self._spans(primary, within)
                else:
                    spans, reached, match = [], -1, primary.regex.match
                    for i in candidates_of(primary.first_id, within):
                        start = starts[i]
                        if start < reached:
                            continue  # inside the previous match, as finditer would skip it
                        m = match(joined, start)
                        if m is not None:
                            end = m.end()
                            if end > start:
                                spans.append((i, at_space[end - 1] + 1))
                                reached = end
            if not spans:
                continue
            if not exhaustive and (rule.also or rule.unless) and "text" not in rule.flags:
                # The other parts are looked for only in the sentences this part matched in.
                sentence = self.sentence
                sids = {sentence[a] for a, _b in spans}
                for part in rule.also:
                    sids &= self._sentences_matching(part, sids)
                    if not sids:
                        break
                for part in rule.unless:
                    if not sids:
                        break
                    sids -= self._sentences_matching(part, sids)
                for first, last in spans:
                    if sentence[first] not in sids:
                        continue
                    why = self._set_aside(rule, first, last)
                    if why:
                        self.asides.append((rule, why))
                        continue
                    found.append(Hit(rule, first, last))
                continue
            also_sentences = [{self.sentence[a] for a, _b in self._spans(p)} for p in rule.also]
            unless_sentences = [{self.sentence[a] for a, _b in self._spans(p)} for p in rule.unless]
            whole_text = "text" in rule.flags
            for first, last in spans:
                # "text": the other parts may be anywhere in the text, not only this sentence.
                sid = -1 if whole_text else self.sentence[first]
                if whole_text:
                    also_sentences = [{-1} if ss else set() for ss in also_sentences]
                    unless_sentences = [{-1} if ss else set() for ss in unless_sentences]
                if any(sid not in ss for ss in also_sentences):
                    continue
                if any(sid in ss for ss in unless_sentences):
                    continue
                why = self._set_aside(rule, first, last)
                if why:
                    self.asides.append((rule, why))
                    continue
                found.append(Hit(rule, first, last))
        return found

    # --- context -----------------------------------------------------------------------------
    def _set_aside(self, rule: Rule, first: int, last: int) -> str:
        """Why context shows the match is not the writer's own present risk ("" if it is)."""
        sid = self.sentence[first]
        # Quotation: inside quote marks.
        if self.quoted[first]:
            return "quoted"
        # Third person and reported speech: the nearest subject before it is someone else.
        s_start, _s_end = self.sentence_bounds[sid]
        subjects, subject, writer = self.subjects_in(sid)
        # (Unless the match names the writer itself: "I want to die".)
        if not _between(writer, first, last):
            before = _last_before(subjects, first, s_start)
            if before is not None and subject[before] == "other":
                return "other_subject"
        # Someone else's words: a reporting verb before it whose own subject is not the writer
        # ("she said she wants to die"), or a song, film or book in the sentence.
        verb = _last_before(self.reported_positions, first, s_start)
        if verb is not None:
            # No subject before it: chat drops the "I" ("need to say that ..."), so it is the
            # writer's.
            who = _last_before(subjects, verb, s_start)
            if who is not None and subject[who] == "other":
                return "reported"
        if self.in_sentence("media", sid):
            return "media"
        # Negation close before (or inside) the match, unless something undoes it.
        if "noneg" not in rule.flags:
            # A strong rule is negated only by a word right before it ("I won't jump"), not by
            # one inside it ("the tide is coming in and I'm not moving").
            strong = "strong" in rule.flags
            c = self.clause[first]
            lo = first - (2 if strong else 3)
            while lo < 0 or self.clause[lo] != c:
                lo += 1
                if lo >= first:
                    break
            if any(i in self.negations for i in range(lo, first if strong else last)):
                return "negation"
        # Past and recovered: told as something over, with nothing saying it is happening now.
        recent = self.clause[first] in self.clauses_recent
        if not recent and self.in_sentence("past", sid):
            return "past"
        recent = recent or self.in_sentence("recent", sid)
        if (
            not recent
            and self.anywhere("recovered")
            and any(_PAST_FORM.match(self.toks[i].word) for i in range(max(0, first - 2), last))
        ):
            return "recovered_past"
        if "recent" in rule.flags and not recent:
            return "not_recent"
        # Idioms that borrow crisis words: "dying of embarrassment", "killing it".
        idioms = self.tokens_in_sentence("idiom", sid)
        if idioms and any(i in idioms for i in range(first, last)):
            return "idiom"
        # Clear hypotheticals ("if I ever", "what if") and words of support to someone else are
        # not a disclosure, whatever they mention.
        if self.in_sentence("hypothetical", sid):
            return "hypothetical"
        if self.in_sentence("supportive", sid):
            return "supportive"
        # Psycho-education: a sentence about warning signs or risk with no "I" in it.
        if not writer and self.in_sentence("psychoed", sid):
            return "psychoed"
        if "strong" in rule.flags:
            return ""
        if self.in_sentence("idiom_sentence", sid):
            return "idiom_sentence"
        # A joke ("lol kms i sent it to my dentist"), unless the writer says it is not one.
        if self.anywhere("joke") and not self.anywhere("serious"):
            return "joke"
        # Softer hypotheticals and questions asking for information.
        if self.in_sentence("hypothetical_soft", sid):
            return "hypothetical"
        if self.in_sentence("info", sid):
            return "info"
        return ""
