"""Find the provinces, districts and communes a document is about.

The gazetteer is rules/places.jsonl (built by scripts/build_places.py from
underthesea's address data); it is loaded lazily, once.

Matching works on tone-folded syllables ("Hoá" == "Hóa", "Đăk" == "Đắk"),
with a diacritic-free fallback for ASCII text ("Quang Binh Portal").
``find_places`` scores every candidate (title, administrative prefix,
issuer, dateline, repetition) and keeps those above a threshold, plus the
province of every kept district or commune.
"""
from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Iterator, Optional

import regex

from miner.records import Place, Span
from miner import rulebook
from miner.rulebook import RULES_DIR
from miner.folding import PLAIN as _PLAIN, TONE_OF as _TONE_OF, TONELESS as _TONELESS

GAZETTEER_PATH = RULES_DIR / "places.jsonl"  # the same rules folder as every other table (MINER_RULES_DIR)

_TOKEN = re.compile(r"\w+(?:'\w+)?")
_MAX_NAME_SYLLABLES = 6

# --- folding -----------------------------------------------------------------
# Per-character tables (miner.folding) keep folding fast enough to index the
# 12 000 gazetteer names at load time.

def _nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower case without tone marks (keeps â, ă, ê, ô, ơ, ư, đ)."""
    return _nfc(text).lower().translate(_TONELESS)


_OLD_PLACEMENT = re.compile(r"(?<!q)(o)([àáảãạ])(?!\w)|(?<!q)(o)([èéẻẽẹ])(?!\w)|(?<!q)(u)([ỳýỷỹỵ])(?!\w)")


def _modern_placement(match: re.Match) -> str:
    first, toned = [g for g in match.groups() if g is not None]
    return first + _TONE_OF[ord(toned)] + toned.translate(_TONELESS)


def exact_key(name: str) -> str:
    """Lower case, modern tone placement: "Hoá" and "Hóa" give one key."""
    lowered = _nfc(name).lower()
    if _OLD_PLACEMENT.search(lowered):
        lowered = unicodedata.normalize("NFC", _OLD_PLACEMENT.sub(_modern_placement, lowered))
    return " ".join(_TOKEN.findall(lowered))


def ascii_fold(text: str) -> str:
    return _nfc(text).lower().translate(_PLAIN)


def name_key(name: str) -> str:
    return " ".join(_TOKEN.findall(fold(name)))


def ascii_key(name: str) -> str:
    return " ".join(_TOKEN.findall(ascii_fold(name)))


LEVELS = ("province", "district", "commune")

# Folded prefix syllables -> (level it implies, issuer?), longest first (rules/admin_levels.jsonl).
# "Huyện ủy X" / "Tỉnh ủy X" name the party committee of X: an issuer.
_PREFIXES = sorted(((tuple(fold(w.word).split()), w.level, w.role == "issuer_prefix")
                    for w in rulebook.admin_words() if w.role in ("prefix", "issuer_prefix")),
                   key=lambda p: len(p[0]), reverse=True)
_PREFIX_LAST_WORDS = {words[-1] for words, _level, _issuer in _PREFIXES}
# the prefixes a word can end, longest first ("tỉnh ủy", "huyện ủy" … for "ủy")
_PREFIXES_BY_LAST_WORD = {last: [p for p in _PREFIXES if p[0][-1] == last] for last in _PREFIX_LAST_WORDS}
# Words before a prefix that make the place the issuer ("UBND tỉnh X").
_ISSUER_BEFORE = [tuple(fold(w.word).split()) for w in rulebook.admin_words() if w.role == "issuer_before"]

# Provinces whose bare name is mostly something else (a person): need a prefix.
_PREFIX_ONLY = {"hô chi minh"}

SCORE_THRESHOLD = 3.0
HEAD_CHARS = 600  # "the first lines" of a document
# An issuer late in a long text is usually a partner named in passing.
ISSUER_CHARS = 1500
ISSUER_SHARE = 0.25
# "tỉnh"/"huyện" used without a name ("UBND tỉnh", "trên địa bàn huyện"):
# the document speaks of its own province or district.
_DEICTIC_LEVEL = {fold(w.word): w.level for w in rulebook.admin_words() if w.deictic}
_NOT_DEICTIC_BEFORE = {fold(w) for w in ("các", "nhiều", "mỗi", "cấp", "những", "hai", "ba", "và")}
_NOT_DEICTIC_AFTER = {fold(w) for w in ("ủy", "lộ", "đoàn", "bạn", "thành")}
DEICTIC_MIN = 2
DEICTIC_BONUS = 1.5
# A national body's document (dated "Hà Nội, ngày …") is about a place only
# when its title says so or the place clearly dominates.
NATIONAL_THRESHOLD = 5.0
_NATIONAL_HEAD = re.compile(
    r"(?i)chính phủ|thủ tướng|bộ chính trị|ban chấp hành trung ương|ban bí thư|quốc hội"
    r"|\bbộ\s+(?:[a-zđ]|\w{2,})|trung ương đảng")
_LOCAL_HEAD = re.compile(r"(?i)ủy ban nhân dân|ubnd|hội đồng nhân dân|hđnd|tỉnh ủy|huyện ủy|thành ủy|đảng bộ")


# --- gazetteer ---------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    name: str
    level: str
    kind: str
    province: Optional[str]  # parent province (None for a province)
    district: Optional[str]
    new_province: Optional[str]
    era: str


@dataclass
class Gazetteer:
    by_exact: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    by_key: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    by_ascii: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    source: str = ""
    first_syllables: set[str] = field(default_factory=set)
    one_syllable_names: set[str] = field(default_factory=set)  # tone-folded keys of names of one word
    # every leading run of syllables of a name, so a match stops growing as soon as no name can continue
    key_prefixes: set[str] = field(default_factory=set)
    ascii_prefixes: set[str] = field(default_factory=set)

    def add(self, entry: Entry, names: list[str]) -> None:
        for n in names:
            for index, key in ((self.by_exact, exact_key(n)), (self.by_key, name_key(n)),
                               (self.by_ascii, ascii_key(n))):
                bucket = index[key]
                if not any(e is entry for e in bucket):
                    bucket.append(entry)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    gaz = Gazetteer()
    with GAZETTEER_PATH.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row.get("header"):
                gaz.source = row.get("source", "")
                continue
            province = row.get("province") if row["level"] != "province" else None
            entry = Entry(row["name"], row["level"], row.get("kind", ""), province,
                          row.get("district"), row.get("new_province"), row.get("era", "pre-2025"))
            gaz.add(entry, [row["name"], *row.get("aliases", [])])
    gaz.first_syllables = {k.split(" ")[0] for index in (gaz.by_key, gaz.by_ascii) for k in index if k}
    gaz.one_syllable_names = {k for k in gaz.by_key if k and " " not in k}
    for index, prefixes in ((gaz.by_key, gaz.key_prefixes), (gaz.by_ascii, gaz.ascii_prefixes)):
        for key in index:
            parts = key.split(" ")
            prefixes.update(" ".join(parts[:k]) for k in range(1, len(parts) + 1))
    gaz.by_exact = dict(gaz.by_exact)
    gaz.by_key = dict(gaz.by_key)
    gaz.by_ascii = dict(gaz.by_ascii)
    return gaz


def to_place(entry: Entry, span: Optional[Span] = None) -> Place:
    if entry.level == "province":
        new = entry.new_province if entry.new_province != entry.name else None
    else:
        province_new = _province_entry(entry.province)
        new = province_new.new_province if province_new else None
        if new == entry.province:
            new = None
    return Place(entry.name, entry.level, entry.province, new, span)


def _province_entry(name: Optional[str]) -> Optional[Entry]:
    if not name:
        return None
    for e in gazetteer().by_key.get(name_key(name), []):
        if e.level == "province" and e.name == name:
            return e
    return None


# --- lookup ------------------------------------------------------------------

def _strip_prefix(folded_tokens: list[str]) -> tuple[list[str], Optional[str]]:
    plain = [ascii_fold(t) for t in folded_tokens]
    for words, level, _issuer in _PREFIXES:
        n = len(words)
        if len(plain) > n and tuple(plain[:n]) == tuple(ascii_fold(w) for w in words):
            return folded_tokens[n:], level
    return folded_tokens, None


def _level_ok(entry: Entry, level: Optional[str]) -> bool:
    if level is None:
        return True
    if level == "city":  # "thành phố X": a centrally governed city or a district-level one
        return entry.level in ("province", "district") and entry.kind == "thành phố" \
            or entry.level == "province" and entry.era == "2025"
    return entry.level == level


def lookup(name: str, level: Optional[str] = None) -> list[Place]:
    """Places called `name` (old or 2025 names, any diacritics, optional prefix).

    Provinces come first, then districts, then communes.
    """
    tokens, prefix_level = _strip_prefix(_TOKEN.findall(_nfc(name).lower()))
    gaz = gazetteer()
    joined = " ".join(tokens)
    # exact spelling first, then without tones, then without diacritics
    tiers = [gaz.by_exact.get(exact_key(joined), []), gaz.by_key.get(fold(joined), []),
             gaz.by_ascii.get(ascii_key(joined), [])]
    wanted: list[Entry] = []
    for entries in tiers:
        wanted = [e for e in entries if _level_ok(e, level) and _level_ok(e, prefix_level)]
        if not wanted and prefix_level:  # a loose prefix ("thành phố Hà Giang" when it was a town)
            wanted = [e for e in entries if _level_ok(e, level)]
        if wanted:
            break
    wanted.sort(key=lambda e: (LEVELS.index(e.level), e.era != "pre-2025"))
    return [to_place(e) for e in wanted]


def province_of(district_name: str) -> Optional[str]:
    """The (pre-2025) province of a district; None if unknown or ambiguous."""
    provinces = {p.province for p in lookup(district_name, "district")}
    return provinces.pop() if len(provinces) == 1 else None


# --- finding mentions --------------------------------------------------------

class Token:
    """A word of the text with its tone-folded and ascii-folded forms."""

    __slots__ = ("text", "start", "end", "key", "plain")

    def __init__(self, text: str, start: int, end: int,
                 known_folds: Optional[dict[str, tuple[str, str]]] = None) -> None:
        """``known_folds`` (word -> key, plain) spares folding a word of a document twice."""
        self.text, self.start, self.end = text, start, end
        self.key, self.plain = _fold_token(text, known_folds)

    @property
    def exact(self) -> str:
        return exact_key(self.text)


def _fold_token(text: str, known_folds: Optional[dict[str, tuple[str, str]]] = None) -> tuple[str, str]:
    """A token's tone-folded and ascii-folded forms (looked up in and kept in ``known_folds``)."""
    if known_folds is not None and (known := known_folds.get(text)) is not None:
        return known
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = text
    folds = lowered.translate(_TONELESS), lowered.translate(_PLAIN)
    if known_folds is not None:
        known_folds[text] = folds
    return folds


@dataclass
class Mention:
    entries: list[Entry]
    start: int
    end: int
    prefix_level: Optional[str]
    issuer: bool
    in_title: bool
    dateline: bool
    weak: bool  # diacritic-free match


def _tokens(text: str, start: int, end: int, known_folds: dict[str, tuple[str, str]]) -> list[Token]:
    return [Token(m.group(), m.start(), m.end(), known_folds) for m in _TOKEN.finditer(text, start, end)]


# A name is a run of capitalised words (or numbers: "Quận 10") joined by
# spaces or a hyphen; only such runs are looked up, and only the few words
# before a run are tokenized (for "tỉnh", "UBND tỉnh" …), so the cost follows
# the capitalised words, not every word of the text. Possessive quantifiers:
# no backtracking over long gaps.
_CAPITALISED_RUN = regex.compile(
    r"(?<!\w)(?<!\w')[\p{Lu}\p{Lt}\p{N}]\w*+(?:'\w++)?"
    r"(?:(?:\s++-?\s*+|-\s*+)[\p{Lu}\p{Lt}\p{N}]\w*+(?:'\w++)?)*+")


@lru_cache(maxsize=1)
def _capitalised_run_in_re() -> re.Pattern:
    """``_CAPITALISED_RUN`` for `re`, with the characters `regex` takes for
    \\w, \\s and a capital spelled out.

    `regex` tries the pattern at every character, most of the time spent on
    runs; `re` skips ahead to a capital with a table of them, about three
    times faster (the lookbehinds come after the capital, so that it leads:
    they look at the same characters). The classes stop at the BMP: a text
    with a character beyond is scanned with `regex` (``_capitalised_runs``)."""
    bmp = "".join(map(chr, range(0x10000)))

    def spelled_out(char_class: str) -> str:  # the BMP characters in a `regex` class, as ranges
        ranges = (m.group() for m in regex.finditer(char_class + "++", bmp))  # code points in a row
        return "[" + "".join(re.escape(r[0]) + ("-" + re.escape(r[-1]) if len(r) > 1 else "")
                             for r in ranges) + "]"

    word, space, capital = (spelled_out(c) for c in (r"\w", r"\s", r"[\p{Lu}\p{Lt}\p{N}]"))
    return re.compile(rf"(?s){capital}(?<!{word}.)(?<!{word}'.){word}*+(?:'{word}++)?"
                      rf"(?:(?:{space}++-?{space}*+|-{space}*+){capital}{word}*+(?:'{word}++)?)*+")


def _capitalised_runs(text: str) -> Iterator[re.Match | regex.Match]:
    """``_CAPITALISED_RUN.finditer(text)``, faster."""
    # `re` has possessive quantifiers from Python 3.11; a character beyond the
    # BMP takes two UTF-16 code units (quicker to count than to look for)
    if sys.version_info < (3, 11) or len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text):
        return _CAPITALISED_RUN.finditer(text)
    return _capitalised_run_in_re().finditer(text)


_CONTEXT_CHARS = 120  # enough for the longest prefix before a name ("Ủy ban nhân dân thành phố")
_CONTEXT_TOKENS = 7
_WORD_BEFORE = regex.compile(r"(?r)\w+(?:'\w+)?")


def _context_before(text: str, start: int, known_folds: dict[str, tuple[str, str]]) -> list[Token]:
    """The last few words before ``start`` (a word cut by the window is left out)."""
    left = max(0, start - _CONTEXT_CHARS)
    words = list(_TOKEN.finditer(text, left, start))
    if words and left > 0 and words[0].start() == left and (text[left - 1].isalnum() or text[left - 1] in "_'"):
        words = words[1:]
    return [Token(m.group(), m.start(), m.end(), known_folds) for m in words[-_CONTEXT_TOKENS:]]


def _after_prefix_word(text: str, start: int, known_folds: dict[str, tuple[str, str]]) -> bool:
    before = _WORD_BEFORE.search(text, max(0, start - _CONTEXT_CHARS), start)
    if before is None:
        return False
    word = before.group()
    return _fold_token(word, known_folds)[0] in _PREFIX_LAST_WORDS


def _capitalised(tok: Token) -> bool:
    return tok.text[0].isupper() or tok.text[0].isdigit()


def _all_caps(tok: Token) -> bool:
    letters = [c for c in tok.text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


_DOT_GAP = re.compile(r"\.?\s*")
_HYPHEN_GAP = re.compile(r"\s*-?\s*")


def _joined(text: str, a: Token, b: Token, allow_dot: bool = False) -> bool:
    """Whether two tokens are adjacent parts of one phrase (spaces, a hyphen)."""
    gap = text[a.end:b.start]
    if gap.count("\n") > 1:
        return False
    pattern = _DOT_GAP if allow_dot else _HYPHEN_GAP
    return pattern.fullmatch(gap) is not None and (gap != "" or allow_dot)


def _prefix_before(text: str, toks: list[Token], i: int) -> tuple[Optional[str], bool, int]:
    """The administrative prefix right before token i: (level, issuer?, index of its first token)."""
    if i == 0 or toks[i - 1].key not in _PREFIX_LAST_WORDS:
        return None, False, i
    for words, level, issuer in _PREFIXES_BY_LAST_WORD[toks[i - 1].key]:
        n = len(words)
        j = i - n
        if j < 0 or tuple(t.key for t in toks[j:i]) != words:
            continue
        if not all(_joined(text, toks[k], toks[k + 1]) for k in range(j, i - 1)):
            continue
        if not _joined(text, toks[i - 1], toks[i], allow_dot=words == ("tp",)):
            continue
        return level, issuer or _issuer_before(text, toks, j), j
    return None, False, i


def _issuer_before(text: str, toks: list[Token], j: int) -> bool:
    for words in _ISSUER_BEFORE:
        n = len(words)
        if j - n >= 0 and tuple(t.key for t in toks[j - n:j]) == words \
                and _joined(text, toks[j - 1], toks[j]):
            return True
    return False


_ADDRESS = re.compile(r"(?i)(địa chỉ|địa điểm|trụ sở|tọa lạc|điện thoại|e-?mail)[^\n]*$")


def _in_address(text: str, start: int) -> bool:
    """A place in a postal address or venue line ("Địa chỉ: …, tỉnh Tây Ninh") is in passing."""
    line_start = text.rfind("\n", max(0, start - 150), start) + 1
    return _ADDRESS.search(text, max(line_start, start - 150), start) is not None


_DATELINE_AFTER = re.compile(r"\s*,\s*ngày\s+\d")


def _is_dateline(text: str, end: int) -> bool:
    return _DATELINE_AFTER.match(text[end:end + 20]) is not None


def _part_of_longer_name(text: str, toks: list[Token], i: int, j: int) -> bool:
    """A capitalised word glued before or after (tokens i..j-1): "Bùi Thanh Sơn", "Thái Bình Dương"."""
    if _all_caps(toks[i]):
        return False  # a heading in capitals: case says nothing
    before = i > 0 and _capitalised(toks[i - 1]) and not _all_caps(toks[i - 1]) \
        and re.fullmatch(r" ", text[toks[i - 1].end:toks[i].start]) is not None \
        and not _sentence_start(text, toks[i - 1].start)
    after = j < len(toks) and _capitalised(toks[j]) and not _all_caps(toks[j]) \
        and re.fullmatch(r" ", text[toks[j - 1].end:toks[j].start]) is not None
    return before or after


def _sentence_start(text: str, pos: int) -> bool:
    before = text[max(0, pos - 3):pos].rstrip(" *#\t")
    return before == "" or before[-1] in "\n.:;!?(\"'-"


def _match_at(gaz: Gazetteer, toks: list[Token], text: str, i: int) -> tuple[int, list[Entry], bool]:
    """Longest gazetteer name starting at token i: (end index, entries, weak?)."""
    first = toks[i]
    if not _capitalised(first) or (first.key not in gaz.first_syllables
                                   and first.plain not in gaz.first_syllables):
        return i, [], False
    # A numbered unit ("Quận 10", "Phường 1") is a place only right after its prefix word.
    if first.text[0].isdigit() and (i == 0 or toks[i - 1].key not in _PREFIX_LAST_WORDS):
        return i, [], False
    longest = 0
    key_run = plain_run = ""
    for n in range(1, min(_MAX_NAME_SYLLABLES, len(toks) - i) + 1):
        key_run = f"{key_run} {toks[i + n - 1].key}" if n > 1 else toks[i].key
        plain_run = f"{plain_run} {toks[i + n - 1].plain}" if n > 1 else toks[i].plain
        if key_run not in gaz.key_prefixes and plain_run not in gaz.ascii_prefixes:
            break
        longest = n
    exact_keys = [t.exact for t in toks[i:i + longest]]
    for n in range(longest, 0, -1):
        window = toks[i:i + n]
        # (a window of one word is the first word: capitalised, as checked above)
        if n > 1 and not (all(_capitalised(t) for t in window)
                          and all(_joined(text, a, b) for a, b in zip(window, window[1:]))):
            continue
        entries = list(gaz.by_exact.get(" ".join(exact_keys[:n]), []))
        if n > 1:  # "Đăk Song" for "Đắk Song"; one syllable is too risky ("Chủ"/"Chũ")
            entries += [e for e in gaz.by_key.get(" ".join(t.key for t in window), [])
                        if not any(e is x for x in entries)]
        if entries:
            return i + n, entries, False
        if n > 1 and all(t.text.isascii() for t in window):
            entries = gaz.by_ascii.get(" ".join(t.plain for t in window))
            if entries:
                return i + n, entries, True
    return i, [], False


def _may_hold_a_name(gaz: Gazetteer, run: str, known_folds: dict[str, tuple[str, str]]) -> bool:
    """Whether some words of a capitalised run spell a gazetteer name, compared
    without case and tones as ``_match_at`` does first (a cheap test on
    strings: most runs hold no name, and need no tokens).

    ``known_folds`` (word -> key, plain) keeps the folds of the document's
    words: most words come back in many runs."""
    lowered = run.lower()
    if len(lowered) != len(run):
        return True  # a character whose lower case is longer: let _match_at decide
    if lowered.isalnum():  # one word, most runs: a name if it is a name of one word
        key = lowered.translate(_TONELESS)
        if len(key) == len(lowered):  # (else a combining mark was left: see below)
            return key in gaz.one_syllable_names
    keys, plains = [], []
    for word in _TOKEN.findall(lowered):
        key, plain = _fold_token(word, known_folds)
        if len(key) != len(word):  # a tone dropped left a combining mark, which splits the word
            keys = _TOKEN.findall(lowered.translate(_TONELESS))
            plains = _TOKEN.findall(lowered.translate(_PLAIN))
            return len(keys) != len(plains) or _spells_a_name(gaz, keys, plains)
        keys.append(key)
        plains.append(plain)
    return _spells_a_name(gaz, keys, plains)


def _spells_a_name(gaz: Gazetteer, keys: list[str], plains: list[str]) -> bool:
    """Whether some of these folded words, in a row, are a gazetteer name."""
    key_prefixes, ascii_prefixes = gaz.key_prefixes, gaz.ascii_prefixes
    for i in range(len(keys)):
        key, plain = keys[i], plains[i]
        if key not in key_prefixes and plain not in ascii_prefixes:
            continue
        if key in gaz.one_syllable_names:
            return True
        for n in range(2, min(_MAX_NAME_SYLLABLES, len(keys) - i) + 1):
            key, plain = f"{key} {keys[i + n - 1]}", f"{plain} {plains[i + n - 1]}"
            if key not in key_prefixes and plain not in ascii_prefixes:
                break
            if key in gaz.by_key or plain in gaz.by_ascii:
                return True
    return False


def _mentions(text: str, in_title: bool) -> list[Mention]:
    gaz = gazetteer()
    found: list[Mention] = []
    # The same runs and words come back again and again in a document: each
    # is folded, tested and matched once.
    may_hold: dict[str, bool] = {}
    folds: dict[str, tuple[str, str]] = {}
    names_by_run: dict[str, list[tuple[int, int, list[Entry], bool]]] = {}
    for run in _capitalised_runs(text):
        words = run.group()
        verdict = may_hold.get(words)
        if verdict is None:
            verdict = may_hold[words] = _may_hold_a_name(gaz, words, folds)
        if not verdict:
            continue  # most runs: "Theo", "Các", "Ủy ban nhân dân", "Kế hoạch"
        if words[0].isdigit() and _after_prefix_word(text, run.start(), folds):
            # a number is a place only right after its prefix word ("quận 10"): the
            # words before the run take part in matching it
            toks = _tokens(text, run.start(), run.end(), folds)
            before = _context_before(text, run.start(), folds)
            toks, i = before + toks, len(before)
            while i < len(toks):
                j, entries, weak = _match_at(gaz, toks, text, i)
                if not entries:
                    i += 1
                    continue
                mention = _mention(text, toks, i, j, entries, weak, in_title)
                if mention is not None:
                    found.append(mention)
                i = j
            continue
        names = names_by_run.get(words)
        if names is None:
            lone_number = words[0].isdigit() and words.isalnum()  # (it needs its prefix word)
            names = names_by_run[words] = [] if lone_number else \
                _names_in_run(gaz, text, run.start(), run.end(), folds)
        if not names:
            continue
        # the words before the run give a match its prefix ("tỉnh", "UBND tỉnh" …);
        # a capitalised word before a name would be in the run itself
        before = _context_before(text, run.start(), folds)
        toks = before + _tokens(text, run.start(), run.end(), folds)
        for i, j, entries, weak in names:
            mention = _mention(text, toks, i + len(before), j + len(before), entries, weak, in_title)
            if mention is not None:
                found.append(mention)
    return found


def _names_in_run(gaz: Gazetteer, text: str, start: int, end: int,
                  known_folds: dict[str, tuple[str, str]]) -> list[tuple[int, int, list[Entry], bool]]:
    """The names in a run not after a prefix word, by their token indexes in the
    run: (first, last + 1, entries, weak?). They depend on the run's words only,
    so they hold for every place the run comes back at."""
    toks = _tokens(text, start, end, known_folds)
    i = 1 if toks[0].text[0].isdigit() else 0  # a number needs its prefix word
    names = []
    while i < len(toks):
        j, entries, weak = _match_at(gaz, toks, text, i)
        if not entries:
            i += 1
            continue
        names.append((i, j, entries, weak))
        i = j
    return names


def _mention(text: str, toks: list[Token], i: int, j: int, entries: list[Entry], weak: bool,
             in_title: bool) -> Optional[Mention]:
    """The mention of the name of tokens i..j-1, if its prefix and its place in the text allow it."""
    prefix_level, issuer, _ = _prefix_before(text, toks, i)
    entries = _resolve_level(entries, prefix_level)
    if entries and _plausible(text, toks, i, j, entries, prefix_level) \
            and not _in_address(text, toks[i].start):
        return Mention(entries, toks[i].start, toks[j - 1].end, prefix_level,
                       issuer, in_title, _is_dateline(text, toks[j - 1].end), weak)
    return None


def _resolve_level(entries: list[Entry], prefix_level: Optional[str]) -> list[Entry]:
    if prefix_level is None:
        # bare names: provinces and districts only; a province name wins
        provinces = [e for e in entries if e.level == "province"]
        return provinces or [e for e in entries if e.level == "district"]
    if prefix_level == "city":
        provinces = [e for e in entries if e.level == "province" and e.kind == "thành phố"]
        return provinces or [e for e in entries if e.level == "district"] \
            or [e for e in entries if e.level == "province"]
    chosen = [e for e in entries if e.level == prefix_level]
    if prefix_level == "district" and not chosen:  # "thị xã Hà Giang" before it became a city
        chosen = [e for e in entries if e.level == "province"]
    return chosen


def _plausible(text: str, toks: list[Token], i: int, j: int, entries: list[Entry],
               prefix_level: Optional[str]) -> bool:
    if prefix_level is not None:
        return True
    if any(t.text.isdigit() for t in toks[i:j]):
        return False  # "Quận 1" needs its prefix
    if entries[0].level == "province":
        if name_key(entries[0].name) in _PREFIX_ONLY:
            return False
        return not _part_of_longer_name(text, toks, i, j) or _all_caps(toks[i])
    if _all_caps(toks[i]):
        return False  # a bare district in a capitalised heading: too ambiguous
    return not _part_of_longer_name(text, toks, i, j)


# --- scoring -----------------------------------------------------------------

@dataclass
class Candidate:
    entries: list[Entry]
    level: str
    name: str
    span: Optional[Span] = None
    title: bool = False
    prefixed: int = 0
    bare: int = 0
    issuer: bool = False
    dateline: bool = False
    early: bool = False
    weak: int = 0
    bonus: float = 0.0

    def score(self) -> float:
        if self.level == "commune":
            # communes are named in passing all the time: only a title or an issuer counts
            return 3.0 * (self.title or self.issuer)
        s = 3.0 * self.title + min(self.prefixed, 4) + 2.0 * self.issuer + self.bonus
        if self.level == "province":
            s += 3.0 * self.dateline + min(0.5 * self.bare, 2.0) + min(0.5 * self.weak, 1.0)
        else:
            s += min(0.5 * self.bare, 1.5) + min(0.5 * self.weak, 1.0)
        s += 1.0 * (self.early and (self.prefixed > 0 or self.issuer))
        return s


def _is_national(text: str) -> bool:
    """Whether the document's head names a central body and no local one."""
    head = text[:HEAD_CHARS].replace("uỷ", "ủy").replace("Uỷ", "Ủy").replace("UỶ", "ỦY")
    return _NATIONAL_HEAD.search(head) is not None and _LOCAL_HEAD.search(head) is None


def _collect(mentions: list[Mention], text_length: int = 0,
             national: bool = False) -> dict[tuple[str, str], Candidate]:
    cands: dict[tuple[str, str], Candidate] = {}
    for m in mentions:
        level = m.entries[0].level
        if m.dateline and level == "district":
            continue  # "Vĩnh Yên, ngày …": the seat of the issuer, not the subject
        key = (name_key(m.entries[0].name), level)
        c = cands.get(key)
        if c is None:
            c = cands[key] = Candidate(list(m.entries), level, m.entries[0].name)
        else:
            c.entries.extend(e for e in m.entries if e not in c.entries)
        if m.in_title:
            c.title = True
            continue
        if c.span is None:
            c.span = Span(m.start, m.end)
            c.early = m.start < HEAD_CHARS
        if m.weak:
            c.weak += 1
        elif m.prefix_level:
            c.prefixed += 1
        else:
            c.bare += 1
        early_enough = m.start < max(ISSUER_CHARS, ISSUER_SHARE * text_length)
        c.issuer |= m.issuer and early_enough
        # the document's own dateline heads it; one deep inside is a form's or a quoted letter's
        c.dateline |= m.dateline and level == "province" and not national and early_enough
    return cands


def _word_pattern(folded: str) -> str:
    """A pattern for every spelling of a folded word: any case, any tone ("tinh" → tỉnh, Tỉnh, TỈNH, tình …)."""
    spellings: dict[str, set[str]] = defaultdict(set)
    for code in list(range(0x41, 0x7B)) + list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        ch = chr(code)
        lowered = ch.lower()
        if len(lowered) == 1:
            spellings[lowered.translate(_TONELESS)].add(ch)
    return "".join("[" + "".join(sorted(spellings[c] | {c})) + "]" for c in folded)


_DEICTIC_WORD = regex.compile(
    r"(?<!\w)(?<!\w')(?:" + "|".join(_word_pattern(w) for w in _DEICTIC_LEVEL) + r")(?!\w)(?!'\w)")


def _deictic_counts(text: str, levels: set[str]) -> dict[str, int]:
    """How often the text says "tỉnh"/"huyện" without a name after it (for the
    given levels; counting stops once each is said DEICTIC_MIN times)."""
    counts: dict[str, int] = defaultdict(int)
    for m in _DEICTIC_WORD.finditer(text):
        if all(counts[level] >= DEICTIC_MIN for level in levels):
            break
        level = _DEICTIC_LEVEL.get(Token(m.group(), m.start(), m.end()).key)
        if level is None:
            continue
        after = _TOKEN.search(text, m.end())
        if after is not None:
            nxt = Token(after.group(), after.start(), after.end())
            if _capitalised(nxt) or nxt.key in _NOT_DEICTIC_AFTER:
                continue  # a name, "Tỉnh ủy", "tỉnh lộ", "tỉnh bạn"
        before = _WORD_BEFORE.search(text, 0, m.start())
        if before is not None and Token(before.group(), 0, 0).key in _NOT_DEICTIC_BEFORE:
            continue  # "các tỉnh", "cấp huyện"
        counts[level] += 1
    return counts


# "… bao gồm các tỉnh, thành phố trực thuộc Trung ương: Hà Tĩnh, Quảng Trị, Huế …": a plural
# prefix announces the places a text is about, each item taking the prefix
_PLURAL_PREFIX = regex.compile(
    r"(?:các|những)\s+(?:tỉnh|thành\s+phố|địa\s+phương)(?:\s*,\s*thành\s+phố)?(?:\s+trực\s+thuộc\s+trung\s+ương)?"
    r"(?:\s*,?\s*(?:là|gồm|bao\s+gồm|như|sau))?\s*:?\s*$", regex.IGNORECASE)
_LIST_SEPARATOR = regex.compile(r"\s*(?:,|;|và)\s*(?:và\s+)?")
_LIST_BONUS = 3.0  # enough alone: the enumeration states the scope
# a news round-up gives each province a paragraph whose subject it is ("Bạc Liêu huy động …")
_SUBJECT_BONUS = 2.5
_SUBJECT_NEXT = regex.compile(r"[ ]+\p{Ll}")


def _add_scope_bonus(text: str, mentions: list[Mention], cands: dict[tuple[str, str], Candidate],
                     national: bool) -> None:
    """Provinces announced as the scope (an enumeration after "các tỉnh, thành phố: …") or named as the
    subject at the head of a paragraph. A national text keeps none of them: the provinces it lists are
    the ones its measures reach, not whose document it is (the record contract: a national text has [])."""
    provinces = sorted((m for m in mentions if not m.in_title and m.entries[0].level == "province"),
                       key=lambda m: m.start)

    def candidate(m: Mention) -> Optional[Candidate]:
        return cands.get((name_key(m.entries[0].name), "province"))

    runs: list[list[Mention]] = []
    for m in provinces:
        if runs and _LIST_SEPARATOR.fullmatch(text, runs[-1][-1].end, m.start):
            runs[-1].append(m)
        else:
            runs.append([m])
    for run in runs if not national else ():
        if len(run) >= 3 and _PLURAL_PREFIX.search(text, max(0, run[0].start - 100), run[0].start):
            for c in {id(c): c for c in map(candidate, run) if c is not None}.values():
                c.bonus += _LIST_BONUS
    subjects: dict[int, Candidate] = {}
    for m in provinces if not national else ():
        line_start = text.rfind("\n", 0, m.start) + 1
        lead = text[line_start:m.start].strip(" *#-+•\t")
        if (lead == "" or (m.prefix_level and len(lead) <= 12)) and _SUBJECT_NEXT.match(text, m.end):
            c = candidate(m)
            if c is not None:
                subjects[id(c)] = c
    for c in subjects.values():
        c.bonus += _SUBJECT_BONUS


def _threshold(c: Candidate, national: bool) -> float:
    return SCORE_THRESHOLD if c.title or not national else NATIONAL_THRESHOLD


def _add_deictic_bonus(text: str, cands: dict[tuple[str, str], Candidate], national: bool) -> None:
    """The one province (district) named with its prefix, in a text that keeps
    saying "the province" ("the district"), is the document's own."""
    named = {level: [c for c in cands.values() if c.level == level and (c.prefixed or c.title)]
             for level in set(_DEICTIC_LEVEL.values())}
    # counting reads the whole text: only where the bonus decides whether the place is kept
    levels = {level for level, candidates in named.items() if len(candidates) == 1
              and candidates[0].score() < _threshold(candidates[0], national)
              <= replace(candidates[0], bonus=candidates[0].bonus + DEICTIC_BONUS).score()}
    if not levels:
        return
    counts = _deictic_counts(text, levels)
    for level in levels:
        if counts[level] >= DEICTIC_MIN:
            named[level][0].bonus += DEICTIC_BONUS


def _choose_entry(c: Candidate, provinces: set[str]) -> Optional[Entry]:
    """One entry for a candidate; a shared name is settled by the document's provinces."""
    entries = c.entries
    if c.level == "province":
        return min(entries, key=lambda e: e.era != "pre-2025")
    local = [e for e in entries if e.province in provinces or e.new_province in provinces]
    pool = local or entries
    parents = {e.province for e in pool}
    if len(parents) == 1:
        return min(pool, key=lambda e: e.era != "pre-2025")
    return Entry(c.name, c.level, pool[0].kind, None, None, None, "ambiguous")


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[tuple[regex.Pattern, Entry], ...]:
    """rules/place_abbreviations.jsonl: (pattern, the place's gazetteer entry)."""
    out = []
    for row in rulebook.read_jsonl("place_abbreviations.jsonl"):
        entry = _province_entry(row["name"]) if row["level"] == "province" else None
        if entry is not None:
            out.append((regex.compile(row["pattern"]), entry))
    return tuple(out)


_ISSUER_WORDS_BEFORE = regex.compile(r"(?:UBND|HĐND|Ủy ban nhân dân|Hội đồng nhân dân|Thành ủy|Tỉnh ủy)[ ]*$",
                                     regex.IGNORECASE)


def _abbreviated(text: str, in_title: bool) -> list[Mention]:
    """Mentions of places by an abbreviation the gazetteer cannot read ("TP.HCM", "TPHCM"): prefixed."""
    out = []
    for pattern, entry in _abbreviations():
        for m in pattern.finditer(text):
            if _in_address(text, m.start()):
                continue
            dateline = _is_dateline(text, m.end())
            if dateline and m.start() > max(ISSUER_CHARS, ISSUER_SHARE * len(text)):
                continue  # a form's or a quoted letter's dateline, deep in the text
            issuer = _ISSUER_WORDS_BEFORE.search(text, max(0, m.start() - 30), m.start()) is not None
            out.append(Mention([entry], m.start(), m.end(), entry.level, issuer, in_title, dateline, False))
    return out


def find_places(text: str, title: Optional[str] = None, national: Optional[bool] = None) -> list[Place]:
    """The provinces, districts and communes `text` is about (spans: first mention). ``national``: the
    text is known to be issued by a central body (from its own number); else its head is read for one."""
    if title is None:
        title = _guess_title(text)
    mentions = _mentions(title, in_title=True) + _abbreviated(title, in_title=True) if title else []
    mentions += _mentions(text, in_title=False) + _abbreviated(text, in_title=False)
    national = _is_national(text) if national is None else national or _is_national(text)
    cands = _collect(mentions, len(text), national)
    _add_scope_bonus(text, mentions, cands, national)
    _add_deictic_bonus(text, cands, national)
    kept = [c for c in cands.values() if c.score() >= _threshold(c, national)]

    provinces = {c.name for c in kept if c.level == "province"}
    # context for shared district/commune names: provinces named at all
    context = provinces | {c.name for c in cands.values() if c.level == "province"}
    places: dict[tuple[str, str], Place] = {}
    for c in sorted(kept, key=lambda c: LEVELS.index(c.level)):
        entry = _choose_entry(c, context)
        if entry is None or (c.name[:1].isdigit() and entry.province not in context):
            continue  # "Quận 10", "phường 3": meaningless without their province
        places.setdefault((entry.name, entry.level), to_place(entry, c.span))
        if entry.level != "province" and entry.province:
            parent = _province_entry(entry.province)
            if parent and (parent.name, "province") not in places:
                span = cands.get((name_key(parent.name), "province"))
                places[(parent.name, "province")] = to_place(parent, span.span if span else None)
    return _merge_renamed(list(places.values()))


def _merge_renamed(places: list[Place]) -> list[Place]:
    """Drop a 2025-only province when its pre-2025 self is there ("Huế" with "Thừa Thiên Huế")."""
    renamed = {p.new_province for p in places if p.level == "province" and p.new_province}
    return [p for p in places
            if not (p.level == "province" and p.name in renamed and p.name in _new_only_provinces())]


@lru_cache(maxsize=1)
def _new_only_provinces() -> frozenset[str]:
    return frozenset(e.name for entries in gazetteer().by_key.values() for e in entries
                     if e.level == "province" and e.era == "2025")


# datelines, document numbers and the national motto head a full text but are no title
_NOT_A_TITLE = re.compile(r"(?i)ngày\s+\d+\s+tháng|^số\b|cộng hòa xã hội|chủ nghĩa việt nam|độc lập - tự do")


def _guess_title(text: str) -> Optional[str]:
    for line in text.splitlines()[:8]:
        line = line.strip(" #*\t")
        if len(line.split()) >= 4 and not _NOT_A_TITLE.search(line):
            return line
    return None
