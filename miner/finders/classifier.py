"""Which numeric mentions are targets: a logistic regression over sentence context.

Features come from underthesea word tokens of a bounded window of the
candidate's sentence (12 words before, 8 after; the windows of the numbers
of one sentence are merged and tokenized once) and from the rules (unit kind, range,
comparator and deadline cues). The model is stored as plain JSON — feature
weights and a bias — so loading it runs no pickle; ``train()`` rebuilds it
deterministically from ``corpus/targets/candidates.jsonl`` with
scikit-learn (``miner.finders.target_training``).
"""
from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Iterable, Optional

import regex

from miner.folding import fold_tones, fold_tones_in_place

MODEL_FILE = "target_classifier.json"


def _packaged_model() -> Path:
    import miner._models

    return Path(miner._models.__file__).resolve().parent / MODEL_FILE


MODEL_PATH = Path(os.environ["MINER_MODEL"]) if os.environ.get("MINER_MODEL") else _packaged_model()

_CUES = {
    "cue_target": r"phấn đấu|mục tiêu|chỉ tiêu|đến năm|đến hết năm|tầm nhìn|giai đoạn|bảo đảm|đảm bảo|ít nhất|tối thiểu|trở lên|đạt",
    "cue_result": r"\bđã\b|đạt được|tăng so với|so với cùng kỳ|hiện nay|hiện có|tính đến|kết quả|đến nay|năm qua|vừa qua",
    "cue_policy": r"hỗ trợ|mức phạt|phạt tiền|lãi suất|thuế suất|được hưởng|mức hưởng|không vượt quá|mức cho vay|chi phí|lệ phí|mức chi",
    "cue_forecast": r"dự báo|dự kiến|ước tính|ước đạt|khoảng",
    "cue_list": r"giải pháp|nhiệm vụ|nội dung|nhóm|đột phá|chương trình|bước|lĩnh vực",
    "cue_size": r"diện tích|\bha\b|km|\bm2\b|chiều dài|quy mô|dân số|tuổi|ngày|tháng|thời hạn",
}
_CUE_PATTERNS = {name: regex.compile(p, regex.IGNORECASE) for name, p in _CUES.items()}
# the same, matched on the lower-cased sentence: case-sensitive matching is faster
_CUE_PATTERNS_LOWER = {name: regex.compile(p) for name, p in _CUES.items()}


def _fold(token: str) -> str:
    return fold_tones(token).replace(" ", "_")


@lru_cache(maxsize=1)
def _word_segmenter():
    """underthesea's own pieces of ``word_tokenize``: its character normaliser,
    its pre-tokenizer pattern and its CRF tagger (loaded once, where
    underthesea keeps it). Calling them directly lets the classifier look at
    the syllables before paying for the CRF (see ``TargetModel.score``);
    tests check the result equals ``word_tokenize(..., use_token_normalize=False)``."""
    import importlib

    module = importlib.import_module("underthesea.pipeline.word_tokenize")
    pretokenizer = importlib.import_module("underthesea.pipeline.word_tokenize.regex_tokenize")
    if module.word_tokenize_model is None:
        module.word_tokenize("khởi tạo", use_token_normalize=False)
    return pretokenizer.normalize_characters_in_text, pretokenizer.patterns, module.word_tokenize_model


def _syllables(piece: str) -> list[str]:
    """underthesea's pre-tokens (syllables, numbers, punctuation) of ``piece``:
    its ``tokenize(piece, use_token_normalize=False)``. Each alternative of its
    pattern is one named group, so a token is the whole match (underthesea
    looks the group up in ``groupdict()`` per match, which costs more than
    the matching)."""
    normalize_characters, pattern, _ = _word_segmenter()
    return [m.group() for m in pattern.finditer(normalize_characters(piece))]


def _words(syllables: list[str]) -> list[str]:
    """The CRF's words over pre-tokens: ``word_tokenize`` without tokenizing twice."""
    if not syllables:
        return []
    tagger = _word_segmenter()[2]
    out: list[str] = []
    for tag, syllable in zip(tagger.predict([[s] for s in syllables]), syllables):
        if tag == "I-W" and out:
            out[-1] = out[-1] + " " + syllable
        else:
            out.append(syllable)
    return out


def _align(sentence: str, tokens: list[str]) -> tuple[tuple[str, int, int], ...]:
    """Tokens with character offsets in ``sentence``; a token underthesea
    rewrote (character normalisation) and that cannot be found is left out."""
    out = []
    cursor = 0
    for token in tokens:
        words = token.split()
        if not words:
            continue
        first = sentence.find(words[0], cursor)
        if first < 0:
            continue
        end = first + len(words[0])
        for w in words[1:]:
            nxt = sentence.find(w, end)
            if nxt < 0 or nxt - end > 3:
                break
            end = nxt + len(w)
        out.append((token, first, end))
        cursor = end
    return tuple(out)


def _tokens_with_offsets(sentence: str) -> tuple[tuple[str, int, int], ...]:
    """underthesea word tokens of one sentence, aligned to character offsets in it."""
    return _align(sentence, _words(_syllables(sentence)))


# Tokens are taken from a bounded window of the sentence around the number:
# the features look at most at the 8 tokens before and the 6 after it, and
# the tokenizer's CRF only looks a couple of syllables either way, so
# tokenizing a 1,000-character legal sentence for every number in it buys
# nothing but time. The window is counted in whitespace-separated words
# (syllables), so table padding and long URLs neither shrink nor cut it.
# 12/8 was chosen by retraining at several sizes (benchmarks/bench_README_extract.md):
# cross-validated F1 20/16 0.798, 14/10 0.805, 12/10 0.805, 12/8 0.809, 11/9 0.804,
# 12/7 0.796, 10/8 0.798, 8/6 0.790; the CRF's time grows with the characters it sees.
WORDS_BEFORE = 12
WORDS_AFTER = 8
_WORD_BACKWARDS = regex.compile(r"(?r)\S+")
_WORD = regex.compile(r"\S+")


def window(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The bounded part of ``sentence`` whose underthesea tokens give the features of sentence[start:end]."""
    ws = 0
    for i, m in enumerate(_WORD_BACKWARDS.finditer(sentence, 0, start), 1):
        if i == WORDS_BEFORE:
            ws = m.start()
            break
    we = len(sentence)
    for i, m in enumerate(_WORD.finditer(sentence, end), 1):
        if i == WORDS_AFTER:
            we = m.end()
            break
    return ws, we


def _window_tokens(sentence: str, start: int, end: int) -> tuple[tuple[str, int, int], ...]:
    ws, we = window(sentence, start, end)
    return tuple((t, s + ws, e + ws) for t, s, e in _tokens_with_offsets(sentence[ws:we]))


def _cue_hits(sentence: str) -> dict[str, list[tuple[int, int]]]:
    """Spans of every cue match in the sentence (one scan per sentence, not per number)."""
    lowered = sentence.lower()
    if len(lowered) != len(sentence):  # a character whose lower case is longer: offsets would shift
        return {name: [m.span() for m in pattern.finditer(sentence)] for name, pattern in _CUE_PATTERNS.items()}
    return {name: [m.span() for m in pattern.finditer(lowered)] for name, pattern in _CUE_PATTERNS_LOWER.items()}


_YEAR_IN_SENTENCE = regex.compile(r"\b(?:19|20)\d\d\b")
_SINGLE_DIGIT = regex.compile(r"\d")
_HUNDRED = regex.compile(r"100\b")


_TOKEN_SLOTS = ("L1", "L2", "L3", "R1", "R2", "R3", "LW", "RW")
_LEFT_SLOTS, _RIGHT_SLOTS = ("L1", "L2", "L3"), ("R1", "R2", "R3")
_BAG_SIZE = {"LW": 8, "RW": 6}


def token_features(tokens: tuple, start: int, end: int) -> dict[str, float]:
    """The word features of the number at [start, end): the 3 words either side
    by position, the 8 before and 6 after as a bag. Words that straddle the
    number are neither left nor right."""
    left = [t for t, s, e in tokens if e <= start]
    right = [t for t, s, e in tokens if s >= end]
    feats: dict[str, float] = {}
    for i, tok in enumerate(reversed(left[-3:]), 1):
        feats[f"L{i}={_fold(tok)}"] = 1.0
    for i, tok in enumerate(right[:3], 1):
        feats[f"R{i}={_fold(tok)}"] = 1.0
    for tok in left[-8:]:
        feats[f"LW={_fold(tok)}"] = 1.0
    for tok in right[:6]:
        feats[f"RW={_fold(tok)}"] = 1.0
    return feats


def _cue_bounds(cues: dict[str, list[tuple[int, int]]]) -> dict[str, tuple[int, int]]:
    """For each cue found: the end of its first match and the start of its last, which say
    whether some match ends before a number or starts after it."""
    return {name: (min(e for _s, e in spans), max(s for s, _e in spans)) for name, spans in cues.items() if spans}


def context_features(sentence: str, start: int, end: int, unit: str = "", ranged: bool = False,
                     cues: Optional[dict] = None, cue_bounds: Optional[dict] = None) -> dict[str, float]:
    """The features of the number at sentence[start:end] that need no word tokens
    (``cue_bounds``, from ``_cue_bounds``, may stand for ``cues``)."""
    if cue_bounds is None:
        cue_bounds = _cue_bounds(cues if cues is not None else _cue_hits(sentence))
    feats: dict[str, float] = {"bias_term": 1.0}
    feats["unit=" + ("pct" if unit in ("%", "điểm %") else "noun" if unit else "none")] = 1.0
    if ranged:
        feats["range"] = 1.0
    for name, (first_end, last_start) in cue_bounds.items():
        if first_end <= start:
            feats[f"{name}_before"] = 1.0
        if last_start >= end:
            feats[f"{name}_after"] = 1.0
    if not sentence[:start].strip(" -+•*("):
        feats["sentence_initial"] = 1.0
    if _YEAR_IN_SENTENCE.search(sentence):
        feats["year_in_sentence"] = 1.0
    number = sentence[start:end]
    if _SINGLE_DIGIT.fullmatch(number.strip()):
        feats["single_digit"] = 1.0
    if _HUNDRED.match(number):
        feats["hundred"] = 1.0
    return feats


def features(sentence: str, start: int, end: int, unit: str = "", ranged: bool = False,
             tokens: Optional[tuple] = None, cues: Optional[dict] = None) -> dict[str, float]:
    """Binary features of the number at sentence[start:end] (what the model is trained on).

    ``tokens`` (underthesea tokens with offsets into ``sentence``, covering at
    least the number's window) and ``cues`` (from ``_cue_hits``) may be given
    when several numbers share a sentence; by default they are computed here.
    """
    if tokens is None:
        tokens = _window_tokens(sentence, start, end)
    feats = context_features(sentence, start, end, unit, ranged, cues)
    feats.update(token_features(tokens, start, end))
    return feats


def _merged_windows(sentence: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The windows of several numbers of one sentence, overlapping ones merged."""
    merged: list[list[int]] = []
    for ws, we in sorted(window(sentence, s, e) for s, e in spans):
        if merged and ws <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], we)
        else:
            merged.append([ws, we])
    return [(ws, we) for ws, we in merged]


def _placed_syllables(piece: str, syllables: list[str]) -> Optional[list[tuple[str, int, int]]]:
    """(folded syllable, start, end) in ``piece``, or None when the placement
    would not be the one ``_align`` gives the words built from them (a
    syllable underthesea rewrote, a space inside one, a gap of more than 3
    characters): then the bound below is not used."""
    if _WHITESPACE.search("".join(syllables)):
        return None
    folded = fold_tones_in_place(piece)
    out = []
    cursor = 0
    for syllable in syllables:
        first = piece.find(syllable, cursor)
        if first < 0 or (first - cursor > 3 and out):
            return None
        cursor = first + len(syllable)
        key = folded[first:cursor] if folded is not None else _fold(syllable)
        if not key or "_" in key:
            return None
        out.append((key, first, cursor))
    return out


_WHITESPACE = regex.compile(r"\s")


@dataclass
class TargetModel:
    weights: dict[str, float]
    bias: float
    meta: dict

    def probability(self, feats: dict[str, float]) -> float:
        return _sigmoid(self.bias + self._sum(feats))

    def score(self, text: str, cands: Iterable, thresholds: Optional[list[float]] = None) -> None:
        """Set ``probability`` on every candidate.

        With ``thresholds`` (one per candidate: the probability it must reach
        to be kept), a candidate whose best possible word features cannot lift
        it to its threshold is settled without running the CRF word
        segmenter: its ``probability`` is then that upper bound (still below
        the threshold) and ``exact`` is False. Every candidate that could pass
        gets the exact probability, so the kept set is the same as scoring
        all exactly — only faster (most numbers in a text are not targets).
        """
        cands = list(cands)
        limit = dict(zip(map(id, cands), thresholds)) if thresholds is not None else {}
        by_sentence: dict = {}
        seen: dict = {}  # stretch → [syllables, aligned words or None]; one document only
        for cand in cands:
            by_sentence.setdefault((cand.sentence.start, cand.sentence.end), []).append(cand)
        for (s_start, s_end), group in by_sentence.items():
            sentence = text[s_start:s_end]
            cue_bounds = _cue_bounds(_cue_hits(sentence))
            spans = [(c.start - s_start, c.end - s_start) for c in group]
            for ws, we in _merged_windows(sentence, spans):
                piece = sentence[ws:we]
                segmented = seen.get(piece)
                if segmented is None:
                    segmented = seen[piece] = [_syllables(piece), None]
                placed = _placed_syllables(piece, segmented[0]) if limit else None
                hits = self._vocabulary_hits(placed) if placed is not None else None
                exact = []
                for cand, (st, en) in zip(group, spans):
                    if not ws <= st < we:
                        continue
                    base = self.bias + self._sum(context_features(sentence, st, en, cand.unit,
                                                                  cand.value_max is not None, cue_bounds=cue_bounds))
                    threshold = limit.get(id(cand))
                    if hits is not None and threshold is not None:
                        ceiling = _sigmoid(base + self._token_ceiling(hits, st - ws, en - ws))
                        if ceiling < threshold:
                            cand.probability, cand.exact = ceiling, False
                            continue
                    exact.append((cand, st, en, base))
                if not exact:
                    continue
                if segmented[1] is None:
                    segmented[1] = _align(piece, _words(segmented[0]))
                tokens = tuple((t, s + ws, e + ws) for t, s, e in segmented[1])
                for cand, st, en, base in exact:
                    cand.probability = _sigmoid(base + self._sum(token_features(tokens, st, en)))
                    cand.exact = True

    def _sum(self, feats: dict[str, float]) -> float:
        weights = self.weights
        return sum(weights.get(name, 0.0) * value for name, value in feats.items())

    @cached_property
    def _vocabulary(self) -> tuple[dict[str, dict[str, float]], frozenset[str]]:
        """Folded word → {slot: weight} for every word feature, and every
        syllable-boundary prefix of those words (a run stops growing when it
        leaves the set)."""
        words: dict[str, dict[str, float]] = {}
        for name, weight in self.weights.items():
            slot, sep, word = name.partition("=")
            if sep and slot in _TOKEN_SLOTS:
                words.setdefault(word, {})[slot] = weight
        prefixes = {word[:i] for word in words for i, c in enumerate(word) if c == "_"} | set(words)
        return words, frozenset(prefixes)

    def _vocabulary_hits(self, placed: list[tuple[str, int, int]]) -> list[tuple[str, int, int, dict]]:
        """Every run of consecutive syllables that is a word the model has a weight for."""
        words, prefixes = self._vocabulary
        hits = []
        for i, (key, start, end) in enumerate(placed):
            run = key
            j = i
            while run in prefixes:
                weights = words.get(run)
                if weights:
                    hits.append((run, start, placed[j][2], weights))
                j += 1
                if j == len(placed):
                    break
                run = f"{run}_{placed[j][0]}"
        return hits

    @staticmethod
    def _token_ceiling(hits: list, start: int, end: int) -> float:
        """The most the word features can add for the number at [start, end):
        whatever words the CRF makes, each is a run of syllables, so a left
        word is a hit ending before ``start`` and a right word one starting
        after ``end``; a positional slot holds one word, a bag at most its
        size of distinct words. (Also counting that the words cannot overlap
        settles under 1 % more candidates on the pool corpus: not worth it.)"""
        left: dict[str, dict[str, float]] = {}
        right: dict[str, dict[str, float]] = {}
        for run, s, e, weights in hits:
            if e <= start:
                left[run] = weights
            elif s >= end:
                right[run] = weights
        total = 0.0
        for words, slots, bag in ((left, _LEFT_SLOTS, "LW"), (right, _RIGHT_SLOTS, "RW")):
            if not words:
                continue
            for slot in slots:
                total += max(0.0, max(w.get(slot, 0.0) for w in words.values()))
            bag_weights = sorted((w[bag] for w in words.values() if w.get(bag, 0.0) > 0), reverse=True)
            total += sum(bag_weights[:_BAG_SIZE[bag]])
        return total


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


class ModelError(RuntimeError):
    pass


@lru_cache(maxsize=2)
def load(path: Optional[str] = None) -> TargetModel:
    model_path = Path(path) if path else MODEL_PATH
    if not model_path.is_file():
        raise ModelError(f"target classifier missing: {model_path} (run `miner train`)")
    data = json.loads(model_path.read_text(encoding="utf-8"))
    return TargetModel(weights=data["weights"], bias=data["bias"], meta=data.get("meta", {}))
