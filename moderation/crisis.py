"""The project's own crisis-language detector: a small lexicon of patterns plus context rules.

Pure Python, no database: the safety scan (Celery) and the composer's live check both call
`detect(text)`. It errs towards noticing: a false alarm costs a facilitator a glance, a miss
can cost far more. The context rules only set aside matches that are clearly about someone
else, about the past, negated, quoted, asked about help in general, or an everyday idiom.

Each verdict carries RULES_VERSION so a recorded decision can be traced to the rules used.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

RULES_VERSION = "crisis-2026.11.1"

SUICIDE = "suicide"
SELF_HARM = "self_harm"


@dataclass(frozen=True)
class CrisisMatch:
    phrase: str
    start: int
    end: int
    category: str
    rule: str


@dataclass(frozen=True)
class CrisisVerdict:
    is_crisis: bool
    category: str = ""
    matches: tuple[CrisisMatch, ...] = field(default_factory=tuple)
    rules_version: str = RULES_VERSION

    @property
    def matched_phrases(self) -> list[str]:
        return [m.phrase for m in self.matches]


@dataclass(frozen=True)
class _Rule:
    name: str
    category: str
    pattern: re.Pattern
    # A rule whose own words carry the negation ("I don't want to live") must not be undone
    # by the negation check.
    negatable: bool = True
    # Past-tense rules ("I tried to kill myself") count only with a sign that it is recent.
    past: bool = False


# Words that may sit between a subject and its verb ("I really just want to die").
_FILL = r"(?:[a-z']+\s+){0,4}?"
_DIE = r"(?:die|be dead|not exist|stop existing|cease to exist|not wake up|never wake up)"
_KILL_SELF = r"(?:kill(?:ing)?\s+my\s*self|end(?:ing)?\s+(?:my\s+(?:own\s+)?life|it\s+all|everything|my\s+suffering|things\s+for\s+good|it\s+(?:all\s+)?(?:tonight|today|now|soon|tomorrow|this\s+(?:weekend|week|time)|on\s+\w+day|for\s+good))|tak(?:e|ing)\s+my\s+(?:own\s+)?life(?!\s+(?:back|one|in|into|seriously|slowly))|commit(?:ting)?\s+suicide|off\s+myself|unalive\s+myself|hang(?:ing)?\s+myself|overdos(?:e|ing)|jump(?:ing)?\s+(?:off|from|in\s+front\s+of)\s+(?:a|the|my)\s+\w+|step(?:ping)?\s+in\s+front\s+of\s+a\s+(?:train|bus|car|truck))"
_WANT = r"(?:want|wants|wanna|need|needs|plan|plans|planning|my\s+plan\s+is|going|gonna|ready|about|decided|intend|intending|wish\s+i\s+could|could\s+just|will|'ll|feel\s+like|think\s+about|thinking\s+about|keep\s+thinking\s+about|can't\s+stop\s+thinking\s+about|tempted|urge|urges)"


def _r(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


RULES: tuple[_Rule, ...] = (
    # --- suicide: intent ---------------------------------------------------------------------
    _Rule("want_to_die", SUICIDE, _r(rf"\b{_WANT}\s+(?:to\s+)?{_DIE}\b")),
    _Rule(
        "want_it_to_stop",
        SUICIDE,
        _r(
            r"\bwant\s+(?:it\s+all|everything|the\s+pain|my\s+life)\s+to\s+(?:stop|end|be\s+over)\s+(?:forever|for\s+good|permanently)\b|\b(?:i'd|i\s+would)\s+rather\s+be\s+dead\b"
        ),
    ),
    _Rule("want_kill_self", SUICIDE, _r(rf"\b{_WANT}\s+(?:to\s+)?{_KILL_SELF}")),
    _Rule("kill_self", SUICIDE, _r(rf"\b(?:i|i'm|im|i'll|ill|i've|i'd)\s+{_FILL}{_KILL_SELF}")),
    _Rule(
        "kill_self_bare", SUICIDE, _r(rf"^\s*(?:just\s+|so\s+|honestly\s+|really\s+)?{_KILL_SELF}")
    ),
    _Rule(
        "wish_dead",
        SUICIDE,
        _r(
            r"\bwish(?:ing)?\s+(?:i\s+)?(?:was|were|could\s+be)\s+(?:dead|gone|never\s+born)\b|\bwish\s+i\s+(?:had\s+)?never\s+(?:been\s+born|woke\s+up|existed)\b"
        ),
        negatable=False,
    ),
    _Rule(
        "better_off_dead",
        SUICIDE,
        _r(
            r"\bbetter\s+off\s+(?:dead|without\s+me|if\s+i\s+(?:was|were)n?'?t?\s+(?:here|around|alive))\b"
        ),
        negatable=False,
    ),
    _Rule(
        "dont_want_to_live",
        SUICIDE,
        _r(
            r"\b(?:don't|do\s+not|dont|no\s+longer)\s+want\s+to\s+(?:live|be\s+alive|be\s+here|exist|wake\s+up|go\s+on|keep\s+going|see\s+tomorrow)\b"
        ),
        negatable=False,
    ),
    _Rule(
        "hope_not_wake",
        SUICIDE,
        _r(
            r"\bhope\s+i\s+(?:don't|do\s+not|never)\s+wake\s+up\b|\bgo\s+to\s+sleep\s+and\s+never\s+wake\s+up\b|\bsleep\s+forever\b"
        ),
        negatable=False,
    ),
    _Rule(
        "no_reason_to_live",
        SUICIDE,
        _r(
            r"\bno\s+(?:reason|point)\s+(?:to|in)\s+(?:live|living|going\s+on|being\s+alive|staying\s+alive)\b|\bnothing\s+(?:left\s+)?to\s+live\s+for\b|\b(?:life|living|my\s+life)\s+(?:isn't|is\s+not|isnt|is\s+no\s+longer)\s+worth\s+(?:living|it)\b"
        ),
        negatable=False,
    ),
    _Rule(
        "cant_go_on",
        SUICIDE,
        _r(
            r"\b(?:can't|cannot|can\s+not|cant)\s+(?:go\s+on|keep\s+living|do\s+this\s+anymore\s+and\s+i'm\s+done|live\s+like\s+this)\b(?!\s+(?:a|an|the|holiday|vacation|about|with|at|to|for|that|this|trips?)\b)"
        ),
        negatable=False,
    ),
    _Rule(
        "suicidal",
        SUICIDE,
        _r(
            r"\b(?:i'm|im|i\s+am|i\s+feel|feeling|i've\s+been|been|i\s+get|getting|i\s+was)\s+(?:so\s+|really\s+|very\s+|pretty\s+|kind\s+of\s+|actively\s+|really\s+really\s+)?suicidal\b|\bsuicidal\s+(?:thoughts|feelings|urges|ideation)\b|\bmy\s+suicidal\b"
        ),
    ),
    _Rule(
        "not_be_here",
        SUICIDE,
        _r(
            r"\b(?:won't|will\s+not|wont|not\s+going\s+to|not\s+gonna)\s+be\s+(?:here|around|alive)\s+(?:tomorrow|much\s+longer|for\s+long|after\s+tonight)\b|\bnot\s+be\s+(?:here|around|alive)\s+(?:tomorrow|much\s+longer)\b"
        ),
        negatable=False,
    ),
    _Rule(
        "goodbye",
        SUICIDE,
        _r(
            r"\b(?:this\s+is\s+(?:my\s+)?(?:goodbye|last\s+(?:post|message|time))(?!\s+(?:before|for\s+now|for\s+today|of\s+the|until|here\s+before))|goodbye\s+(?:everyone|all|forever|world)|wrote\s+(?:my\s+|a\s+)?(?:suicide\s+|goodbye\s+)?(?:notes?|letters?)\s+(?:to|for)\s+(?:my\s+)?(?:family|kids|children|parents|mum|mom|dad|partner|husband|wife|friends|everyone)\b|\bfor\s+when\s+i'm\s+(?:gone|dead|not\s+here)\b|wrote\s+(?:my|a)\s+suicide\s+note|my\s+suicide\s+note|gave\s+away\s+(?:all\s+)?my\s+(?:things|stuff|belongings))"
        ),
        negatable=False,
    ),
    _Rule(
        "if_i_died",
        SUICIDE,
        _r(
            r"\b(?:happier|better|easier|relieved|care|notice|miss\s+me)\s+if\s+i\s+(?:killed\s+myself|died|was\s+dead|were\s+dead|was\s+gone|were\s+gone|ended\s+(?:it|my\s+life)|took\s+my\s+(?:own\s+)?life)\b"
        ),
        negatable=False,
    ),
    _Rule("feel_like_dying", SUICIDE, _r(r"\bfeel(?:s|ing)?\s+like\s+dying\b")),
    _Rule(
        "nobody_miss",
        SUICIDE,
        _r(
            r"\b(?:nobody|no\s+one|no-one)\s+(?:would|will)\s+(?:even\s+)?(?:miss|notice|care)\s+(?:me\s+)?if\s+i\s+(?:was|were|died|disappeared|killed)\b"
        ),
        negatable=False,
    ),
    # --- suicide: plan and means -------------------------------------------------------------
    _Rule(
        "means_pills",
        SUICIDE,
        _r(
            r"\b(?:saving|saved|stockpil\w*|hoard\w*|collect\w*|counting|counted|bought|got|have)\s+(?:up\s+)?(?:enough\s+|all\s+)?(?:my\s+|the\s+|some\s+)?(?:pills|tablets|meds|medication|paracetamol|sleeping\s+pills)\s+(?:to|so|for|and\s+i'm)\b|\bhow\s+many\s+(?:pills|tablets|paracetamol|sleeping\s+pills)\s+(?:would\s+it\s+take|does\s+it\s+take|to\s+(?:die|overdose|not\s+wake))\b|\b(?:have|got)\s+(?:\w+\s+)?(?:pills|tablets|meds)\s+(?:saved|stashed|hidden|ready)\b|\bswallow\w*\s+(?:every|all(?:\s+of)?\s+(?:my|the))\s+(?:pill|pills|tablets?|meds)\b|\btak(?:e|ing)\s+(?:all|every|the\s+whole\s+(?:box|bottle))\s+(?:of\s+)?(?:my|the|those)?\s*(?:pills|tablets|meds|medication)\b|\btook\s+(?:all|the\s+whole\s+(?:box|bottle))\s+(?:of\s+)?(?:my\s+)?(?:pills|tablets|meds)\b"
        ),
    ),
    _Rule(
        "means_rope",
        SUICIDE,
        _r(
            r"\b(?:bought|got|tied|made|have)\s+(?:a\s+)?(?:rope|noose)\b|\b(?:got|bought|have)\s+a\s+gun\s+(?:to|for|and)\b"
        ),
    ),
    _Rule(
        "means_research",
        SUICIDE,
        _r(
            r"\b(?:looking\s+up|looked\s+up|googl\w+|research\w*|searching|searched)\s+(?:for\s+)?(?:painless\s+|quick\s+|easy\s+|the\s+best\s+)?(?:ways|methods|how)\s+to\s+(?:die|kill\s+myself|end\s+(?:it|my\s+life))\b"
        ),
    ),
    _Rule(
        "means_place",
        SUICIDE,
        _r(
            r"\b(?:i'm|im|i\s+am)\s+(?:standing\s+)?(?:on|at)\s+(?:the\s+)?(?:edge\s+of\s+the\s+)?(?:bridge|roof|ledge|cliff|tracks|platform\s+edge)\b[^.!?\n]{0,120}?\b(?:jump|end|done|goodbye)\b"
        ),
    ),
    _Rule(
        "attempt_past",
        SUICIDE,
        _r(
            r"\b(?:tried|attempted)\s+(?:to\s+)?(?:kill\s+myself|end\s+my\s+life|take\s+my\s+(?:own\s+)?life|suicide|overdose)\b|\boverdosed\b"
        ),
        past=True,
    ),
    _Rule("wanted_to_die", SUICIDE, _r(rf"\bwanted\s+to\s+(?:{_DIE}|{_KILL_SELF})"), past=True),
    # --- self-harm ---------------------------------------------------------------------------
    _Rule(
        "cut_self",
        SELF_HARM,
        _r(
            r"\b(?:cut|cutting|cuts|slit|slitting|slash\w*|carv\w*|burn\w*|scratch\w*|bruis\w*|punch\w*|hit|hitting|starv\w*)\s+(?:into\s+)?(?:my\s*self|my\s+(?:wrists?|arms?|legs?|thighs?|skin))\b(?!\s+(?:a|an|some|off|free|loose)\b)"
        ),
    ),
    _Rule(
        "cut_bare",
        SELF_HARM,
        _r(
            r"\b(?:urge|urges|need|want|wanna|going|gonna|feel\s+like|feeling\s+like|can't\s+stop|cannot\s+stop|keep|started|start|starting|relapsed\s+and|relapse\s+and|back\s+to|not\s+to)\s+(?:to\s+)?(?:cut|cutting|burn|burning)\b(?=\s*(?:$|[.,!?;]|again|tonight|today|so\s+bad|right\s+now|is|and|but|after|when|myself))"
        ),
    ),
    _Rule(
        "hurt_self",
        SELF_HARM,
        _r(
            r"\b(?:want|wanna|need|going|gonna|urge|urges|keep|kept|started|start|tempted|thinking\s+about|think\s+about|can't\s+stop|not\s+to)\s+(?:to\s+)?(?:hurt|harm|hurting|harming|punish|punishing)\w*\s+myself\b|\b(?:hurt|hurting|harm|harming|punish|punishing)\s+myself\s+(?:again|on\s+purpose|deliberately|tonight|every\s+night|to\s+feel|so\s+i|until)\b|\b(?:i|i've)\s+(?:been\s+)?(?:hurting|harming)\s+myself\b"
        ),
    ),
    _Rule(
        "self_harm_word",
        SELF_HARM,
        _r(
            r"\b(?:i|i've|i'm|im)\s+(?:\w+\s+){0,3}?self[-\s]?harm\w*\b|\bmy\s+self[-\s]?harm\s+(?:urges|is|has|got)\b|\burges?\s+to\s+self[-\s]?harm\b|\bself[-\s]?harm(?:ed|ing)?\s+(?:again|tonight|today|last\s+night|this\s+morning)\b|\brelapsed\s+(?:on|into|with)?\s*(?:self[-\s]?harm|cutting)\b"
        ),
    ),
    _Rule(
        "blade",
        SELF_HARM,
        _r(
            r"\b(?:keep|kept|hid|hide|hiding|got|have)\s+(?:a\s+|my\s+)?(?:blade|razor|razors|blades)\s+(?:in|under|for|to)\b[^.!?\n]{0,120}?\b(?:again|myself|just\s+in\s+case|need)\b|\bpicked\s+up\s+(?:the\s+|a\s+|my\s+)?(?:blade|razor)\s+again\b"
        ),
    ),
)

# --- context ---------------------------------------------------------------------------------
_QUOTED = re.compile(
    r"\"[^\"]{1,400}\"|“[^”]{1,400}”|(?<![a-z])'[^']{4,400}'(?![a-z])", re.IGNORECASE
)
_CLAUSE_SPLIT = re.compile(
    r"[.!?;:\n]+|,|\s+-\s+|\s+—\s+|\b(?:but|although|though|however|and\s+now|and\s+then|so\s+now)\b",
    re.IGNORECASE,
)
_SENTENCE_SPLIT = re.compile(r"[.!?\n]+")

_NEGATION = re.compile(
    r"\b(?:not|never|no\s+longer|don't|dont|do\s+not|doesn't|didn't|did\s+not|won't|wont|wouldn't|would\s+never|"
    r"isn't|aren't|haven't|havent|hasn't|hadn't|no\s+intention|no\s+plans?|stopped|quit|resisted|"
    r"without|instead\s+of|rather\s+than)\b",
    re.IGNORECASE,
)
# These undo a negation: "I can't stop thinking about...", "trying not to cut".
_NEGATION_CANCEL = re.compile(
    r"\b(?:can't\s+stop|cannot\s+stop|can't\s+help|don't\s+know\s+(?:how\s+much\s+longer|if\s+i\s+can)|"
    r"trying\s+(?:so\s+hard\s+)?not\s+to|struggling\s+not\s+to|hard\s+not\s+to|fighting\s+not\s+to|(?:trying|struggling|fighting)\s+\w*\s*not\s+to|"
    r"not\s+sure\s+i\s+can|don't\s+think\s+i\s+can\s+(?:stop|hold|keep)|i\s+don't\s+care|never\s+been\s+so)\b",
    re.IGNORECASE,
)
_PAST = re.compile(
    r"\b(?:used\s+to|years?\s+ago|months?\s+ago|decades?\s+ago|a\s+long\s+time\s+ago|back\s+then|back\s+in|"
    r"in\s+the\s+past|when\s+i\s+was|as\s+a\s+(?:teen\w*|kid|child|student)|in\s+(?:high\s+school|college|uni|my\s+teens|my\s+twenties)|"
    r"at\s+the\s+time|at\s+my\s+lowest|that\s+(?:year|winter|summer)|in\s+(?:19|20)\d\d|first\s+(?:got\s+)?diagnosed|"
    r"recovered|recovery|clean\s+(?:for|since)|free\s+(?:for|since)|(?:free|clean)\s+(?:of|from)\s+(?:self[-\s]?harm\w*|cutting)|\d+\s+(?:days?|weeks?|months?|years?)\s+(?:clean|free|without)|"
    r"survived|survivor|glad\s+i(?:'m|\s+am)\s+still\s+here|glad\s+i\s+(?:didn't|stayed|survived)|these\s+days|"
    r"i'm\s+(?:doing\s+)?(?:much\s+|so\s+)?better\s+now|since\s+then|have\s+come\s+a\s+long\s+way|long\s+way\s+since)\b",
    re.IGNORECASE,
)
_RECENT = re.compile(
    r"\b(?:again|last\s+night|tonight|today|yesterday|this\s+(?:morning|afternoon|evening|week)|right\s+now|just\s+now|"
    r"an\s+hour\s+ago|hours\s+ago|minutes\s+ago|earlier|still|lately|every\s+day|all\s+day|few\s+days\s+ago|on\s+\w+day)\b",
    re.IGNORECASE,
)
# Someone other than the writer is the subject: reported speech, third person, fiction.
_SUBJECT = re.compile(
    r"\b(?:(?P<first>i|i'm|im|i've|ive|i'd|i'll|me|myself)|"
    r"(?P<other>he|she|they|he's|she's|they're|they've|you|you're|your|u|someone|somebody|anyone|anybody|people|"
    r"friend|friends|brother|sister|mum|mom|mother|dad|father|son|daughter|partner|husband|wife|boyfriend|"
    r"girlfriend|kid|kids|child|teen|teenager|student|students|character|song|lyrics|lyric|singer|book|film|movie|"
    r"show|novel|poem|author|narrator|patient|client|who|whoever|member|members|cousin|aunt|uncle|colleague|roommate))\b",
    re.IGNORECASE,
)
_REPORTED = re.compile(
    r"\b(?:said|says|say|told\s+me|tells\s+me|wrote|posted|texted|screamed|shouted|sang|sings|song\s+goes|goes\s+like|quote|quoting|lyrics?|"
    r"line\s+(?:in|from)|the\s+(?:song|book|film|movie|show|character|poem)|in\s+the\s+(?:song|book|film|movie|show|novel|poem))\b",
    re.IGNORECASE,
)
_RESOURCE = re.compile(
    r"\b(?:hotline|helpline|crisis\s+line|lifeline|samaritans|988|111|999|911|number\s+to\s+call|who\s+(?:do|should|can)\s+i\s+(?:call|talk|text)|"
    r"what\s+(?:do|should|can)\s+i\s+(?:do|say)|resources?|warning\s+signs|signs\s+that|how\s+(?:do|can)\s+i\s+help|support\s+someone|"
    r"safety\s+plan|therapist|counsel\w*|crisis\s+text|text\s+line|is\s+there\s+(?:a|any)\s+(?:number|line|service|group))\b",
    re.IGNORECASE,
)
_HYPOTHETICAL = re.compile(
    r"^\s*(?:what\s+if|if\s+(?:i|you|someone|anyone)\s+ever|if\s+(?:someone|anyone|a\s+friend|my\s+friend|a\s+member)|"
    r"in\s+case|suppose|hypothetically|should\s+i\s+ever|when\s+someone)\b",
    re.IGNORECASE,
)
# Everyday idioms that share words with crisis language.
_IDIOM_AFTER = re.compile(
    r"^\s*(?:of\s+(?:embarrassment|shame|boredom|laughter|laughing|cringe|happiness|joy)|from\s+(?:embarrassment|cringe|laughing|boredom)|"
    r"laughing|with\s+laughter|for\s+(?:a|an|some|one|that|this|those|these|the)\b|over\s+(?:this|that|the)\s+(?:homework|essay|exam|project|work|report)|"
    r"at\s+the\s+gym|in\s+the\s+gym|working|studying|trying\s+to|shaving|cooking|chopping|slicing|on\s+(?:a|the|some)\s+\w+|"
    r"by\s+accident|accidentally|lol|lmao|haha|jk)\b",
    re.IGNORECASE,
)
_IDIOM_ANYWHERE = re.compile(
    r"\b(?:lol|lmao|lmfao|haha\w*|jk|rofl|😂|🤣|😅|kidding|joking|figuratively|metaphorically|shaving|while\s+cooking|chopping|"
    r"paper\s+cut|by\s+accident|accidentally|sunburn\w*|burned\s+(?:my\s+)?(?:toast|dinner|the)|"
    r"traffic|this\s+heat|these\s+shoes|my\s+feet|hangover|exam\s+(?:stress|season)|deadline)\b",
    re.IGNORECASE,
)


_OWN_NEGATIVE = re.compile(
    r"\b(?:not\s+wake\s+up|never\s+wake\s+up|not\s+exist|not\s+be\s+(?:here|around|alive))\b",
    re.IGNORECASE,
)


def _normalise(text: str) -> str:
    # Curly apostrophes and stray spacing should not change a verdict.
    return text.replace("’", "'").replace("‘", "'").replace("`", "'").replace("\u00a0", " ")


def _spans(pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def _boundaries(text: str, splitter: re.Pattern) -> tuple[list[int], list[int]]:
    """Starts and ends of the separators in `text`, computed once per text."""
    starts, ends = [], []
    for m in splitter.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
    return starts, ends


def _segment(bounds: tuple[list[int], list[int]], length: int, pos: int) -> tuple[int, int]:
    """The [start, end) of the segment that contains `pos`."""
    starts, ends = bounds
    i = bisect.bisect_right(ends, pos)  # separators wholly before pos
    start = ends[i - 1] if i else 0
    j = bisect.bisect_left(starts, pos)  # first separator at or after pos
    end = starts[j] if j < len(starts) else length
    return start, max(end, start)


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    return any(a <= pos < b for a, b in spans)


def _set_aside(
    rule: _Rule,
    text: str,
    start: int,
    end: int,
    quoted: list[tuple[int, int]],
    clauses: tuple,
    sentences: tuple,
) -> bool:
    """True when context shows the match is not the writer's own present risk."""
    if _inside(quoted, start):
        return True
    c_start, c_end = _segment(clauses, len(text), start)
    s_start, s_end = _segment(sentences, len(text), start)
    before = text[c_start:start]
    after = text[end:c_end]
    clause = text[c_start:c_end]
    sentence = text[s_start:s_end]
    # Quotation and third person: the nearest subject before the phrase is someone else.
    subjects = list(_SUBJECT.finditer(before))
    if subjects and subjects[-1].group("other"):
        return True
    if _REPORTED.search(before) and not re.search(
        r"\bi\s+(?:said|told|wrote|posted)\b", before, re.IGNORECASE
    ):
        return True
    # Negation close before the phrase, unless something undoes it.
    if rule.negatable:
        # The match itself may carry the negation ("I would never kill myself"), but not the
        # phrases whose meaning is the negation ("not wake up").
        own = _OWN_NEGATIVE.sub(" ", text[start:end])
        window = before[-40:] + " " + own
        if _NEGATION.search(window) and not _NEGATION_CANCEL.search(before + text[start:end]):
            return True
    # Idioms: "I'd die for a coffee", "killing myself laughing", "cut myself shaving".
    if _IDIOM_AFTER.search(after) or _IDIOM_ANYWHERE.search(sentence):
        return True
    # Questions about help, and hypotheticals, are not a disclosure of present risk.
    if _HYPOTHETICAL.search(clause) or (
        _HYPOTHETICAL.search(sentence) and _RESOURCE.search(sentence)
    ):
        return True
    if (
        "?" in text[s_end : s_end + 1]
        and _RESOURCE.search(sentence)
        and not re.search(r"\bi\s+(?:want|need|am\s+going)\b", before, re.IGNORECASE)
    ):
        return True
    # Past and recovery: set aside unless something says it is happening now.
    recent = _RECENT.search(sentence)
    if _PAST.search(sentence) and not (recent and not _PAST.search(clause)):
        return True
    if rule.past and not recent:
        return True
    return False


def detect(text: str) -> CrisisVerdict:
    """Return whether `text` discloses present crisis (suicide or self-harm) and what matched."""
    if not text or not text.strip():
        return CrisisVerdict(is_crisis=False)
    norm = _normalise(text)
    quoted = _spans(_QUOTED, norm)
    clauses = _boundaries(norm, _CLAUSE_SPLIT)
    sentences = _boundaries(norm, _SENTENCE_SPLIT)
    found: list[CrisisMatch] = []
    taken: list[tuple[int, int]] = []
    for rule in RULES:
        for m in rule.pattern.finditer(norm):
            start, end = m.start(), m.end()
            if any(a < end and start < b for a, b in taken):
                continue
            if _set_aside(rule, norm, start, end, quoted, clauses, sentences):
                continue
            taken.append((start, end))
            found.append(
                CrisisMatch(
                    phrase=text[start:end],
                    start=start,
                    end=end,
                    category=rule.category,
                    rule=rule.name,
                )
            )
    if not found:
        return CrisisVerdict(is_crisis=False)
    found.sort(key=lambda m: m.start)
    # Suicide outranks self-harm: it decides how urgently people are told.
    category = SUICIDE if any(m.category == SUICIDE for m in found) else SELF_HARM
    return CrisisVerdict(is_crisis=True, category=category, matches=tuple(found))
