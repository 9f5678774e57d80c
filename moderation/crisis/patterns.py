"""The small pattern language of the taxonomy files, compiled to regular expressions.

A pattern is a sequence of words separated by spaces, matched against the normalised, lemmatised
tokens of a text (so `take pill` also matches "took 30 pills"... once the gap is allowed):

    word        that word (after normalising: `take` matches took, taking, takes)
    a|b|c       any of these words (| binds single words)
    (a b|c d)   any of these phrases
    word*       a word starting with this (`suicid*`)
    {NAME}      any phrase of the concept NAME (concepts.tsv)
    _           any one word
    ..          up to three words;  ...  up to six words
    #           a number (digits or a number word)
    x?          the element x is optional ({NAME}? and _? too)
    [a b]       an optional group of words
    ^           only at the start of a sentence
    $           only where the phrase ends (a mark or a joining word follows)

Each compiled element consumes whole tokens, each followed by one space, in a string that
starts with a space: `" i want to die . "`.
"""

from __future__ import annotations

import re

# What one "any word" may be: not a sentence or clause mark, not a quote.
_WORD = r"[^\s.!?,;:\"“”()…¶']+"
_NUMBER_WORDS = (
    "a few|few|several|some|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    "fifteen|twenty|thirty|forty|fifty|sixty|hundred|dozen|a dozen"
)
NUMBER = rf"(?:\d+|{_NUMBER_WORDS}) "


# `$`: the phrase ends here (a mark, a joining word, or a word of time or emphasis follows).
_CLAUSE_END = (
    r"(?=$|[.!?,;:¶\"“”()…] |(?:and|but|so|because|or|lol|tbh|honestly|already|anymore|now|"
    r"tonight|today|tomorrow|soon|forever|for good|please|too|right now|fr|ngl|this time|then|"
    r"i|im|idk|just|rn|x|xx|at|in|on|when|after|before|once|if|with|without) )"
)


class PatternError(ValueError):
    pass


def _split(pattern: str) -> list[str]:
    """Split into elements, keeping [ ... ] and ( ... ) groups whole."""
    out, depth, current = [], 0, []
    for part in pattern.split():
        depth += part.count("[") - part.count("]") + part.count("(") - part.count(")")
        current.append(part)
        if depth == 0:
            out.append(" ".join(current))
            current = []
    if depth:
        raise PatternError(f"unbalanced brackets in {pattern!r}")
    return out


def _is_wrapped(element: str) -> bool:
    """True for "(a b|c)", false for "(a)|(b c)" or "a|(b c)"."""
    if not (element.startswith("(") and element.endswith(")")):
        return False
    depth = 0
    for i, ch in enumerate(element):
        depth += ch in "(["
        depth -= ch in ")]"
        if depth == 0 and i < len(element) - 1:
            return False
    return True


def _alternatives(inner: str) -> list[str]:
    """Split "a b|c d" on the | that are not inside a nested group."""
    out, depth, current = [], 0, ""
    for ch in inner:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == "|" and depth == 0:
            out.append(current)
            current = ""
        else:
            current += ch
    out.append(current)
    if any(not a.strip() for a in out):
        raise PatternError(f"empty alternative in ({inner})")
    return out


def compile_sequence(pattern: str, concepts: dict[str, str], lemma=lambda w: w) -> str:
    """The regex (a string) for one pattern; each consumed token is followed by a space."""
    parts: list[str] = []
    for element in _split(pattern):
        if element.startswith("[") and element.endswith("]"):
            inner = compile_sequence(element[1:-1], concepts, lemma)
            parts.append(f"(?:{inner})?")
            continue
        optional = element.endswith("?") and len(element) > 1
        if optional:
            element = element[:-1]
        if "(" in element:
            inner = element[1:-1] if _is_wrapped(element) else element
            alts = [compile_sequence(a, concepts, lemma) for a in _alternatives(inner)]
            frag = "(?:" + "|".join(dict.fromkeys(alts)) + ")"  # a repeat adds nothing
            parts.append(f"(?:{frag})?" if optional else frag)
            continue
        if element == "^":
            parts.append(r"(?:(?<=^ )|(?<=[.!?¶] ))")
            continue
        if element == "$":
            parts.append(_CLAUSE_END)
            continue
        if element == "..":
            parts.append(rf"(?:{_WORD} ){{0,3}}")
            continue
        if element == "...":
            parts.append(rf"(?:{_WORD} ){{0,6}}")
            continue
        if element == "_":
            frag = rf"{_WORD} "
        elif element == "#":
            frag = NUMBER
        elif element.startswith("{") and element.endswith("}"):
            name = element[1:-1]
            if name not in concepts:
                raise PatternError(f"unknown concept {{{name}}} in {pattern!r}")
            frag = f"(?:{concepts[name]})"
        else:
            alts = []
            for word in element.split("|"):
                if not word:
                    raise PatternError(f"empty alternative in {pattern!r}")
                if word.endswith("*"):
                    alts.append(re.escape(word[:-1]) + r"[^\s]*")
                else:
                    alts.append(re.escape(lemma(word)))
            frag = "(?:" + "|".join(dict.fromkeys(alts)) + ") "
        parts.append(f"(?:{frag})?" if optional else frag)
    return "".join(parts)


def words_in(pattern: str) -> set[str]:
    """The literal words of a pattern (for the lemmatiser's list of known words)."""
    found = set()
    for element in re.sub(r"[\[\]()]", " ", pattern).split():
        element = element.rstrip("?")
        if element.startswith("{") or element in ("_", "..", "...", "#", "^"):
            continue
        for word in element.split("|"):
            if word and not word.endswith("*"):
                found.add(word)
    return found


def first_words(pattern: str, concept_first, lemma=lambda w: w) -> frozenset[str] | None:
    """The words a match of `pattern` can start with (`w*` entries are prefixes), or None when
    it may start with any word. Lets the engine try a rule only where it could begin."""
    found: set[str] = set()
    for element in _split(pattern):
        if element in ("^", "$"):
            continue
        if element.startswith("[") and element.endswith("]"):
            inner = first_words(element[1:-1], concept_first, lemma)
            if inner is None:
                return None
            found |= inner
            continue
        optional = element.endswith("?") and len(element) > 1
        if optional:
            element = element[:-1]
        if element in ("..", "...", "_", "#"):
            return None
        if "(" in element:
            inner = element[1:-1] if _is_wrapped(element) else element
            words: set[str] = set()
            for alternative in _alternatives(inner):
                sub = first_words(alternative, concept_first, lemma)
                if sub is None:
                    return None
                words |= sub
        elif element.startswith("{") and element.endswith("}"):
            sub = concept_first(element[1:-1])
            if sub is None:
                return None
            words = set(sub)
        else:
            words = {w if w.endswith("*") else lemma(w) for w in element.split("|")}
        found |= words
        if not optional:
            return frozenset(found)
    return None


# Words so common that requiring one of them rules little out: when a phrase offers a choice,
# a rarer word of it is the better one to require (this only changes speed, never a match).
COMMON_WORDS = frozenset(
    "i me my a an the to of in on at for and or but so it is am are was be been do did not no "
    "this that all just can will would have has had get got go going want up out with about "
    "you he she they we one some any what when how if as by from like".split()
)


def _cost(words: frozenset[str]) -> int:
    return sum(100 if w in COMMON_WORDS else 1 for w in words)


def _element_required(element: str, concept_required, lemma) -> frozenset[str] | None:
    """Words one of which every match of this (non-optional) element contains, or None."""
    if element in ("^", "$", "..", "...", "_", "#"):
        return None
    if "(" in element:
        inner = element[1:-1] if _is_wrapped(element) else element
        found: set[str] = set()
        for alternative in _alternatives(inner):
            best = _best(required_words(alternative, concept_required, lemma))
            if best is None:
                return None
            found |= best
        return frozenset(found)
    if element.startswith("{") and element.endswith("}"):
        return concept_required(element[1:-1])
    words = element.split("|")
    if any(not w or w.endswith("*") for w in words):
        return None
    return frozenset(lemma(w) for w in words)


def _best(sets: list[frozenset[str]]) -> frozenset[str] | None:
    return min(sets, key=_cost) if sets else None


def best_required(pattern: str, concept_required, lemma=lambda w: w) -> frozenset[str] | None:
    """The cheapest set of `required_words` of a pattern (for a concept's own set)."""
    return _best(required_words(pattern, concept_required, lemma))


def required_words(pattern: str, concept_required, lemma=lambda w: w) -> list[frozenset[str]]:
    """For each element every match must contain, words one of which the match holds (for a
    choice of phrases, a rare word of each phrase): a text, or a stretch of it between
    punctuation, without any word of one of these sets cannot match. A cheap test before the
    regular expression. `concept_required(name)` gives a concept's own set (or None)."""
    out = []
    for element in _split(pattern):
        if element.startswith("[") or (element.endswith("?") and len(element) > 1):
            continue
        words = _element_required(element, concept_required, lemma)
        if words is not None:
            out.append(words)
    return out
