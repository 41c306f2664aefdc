"""Which numeric mentions are targets: a logistic regression over sentence context.

Features come from the syllables around the number — underthesea's tokenizer (its character
normaliser and pre-token pattern: syllables, numbers, punctuation) over a bounded window of the
number's sentence, 12 whitespace-separated words before and 8 after — and from the rules (unit
kind, range, comparator and deadline cues). Underthesea's CRF word segmenter is not used: joined
into words, the same window cross-validates no better (F1 0.809 with CRF words, 0.808 with
syllables, 5 folds grouped by document, measured when the segmenter was dropped) and it cost a
fifth of the extraction time. The model is stored as plain JSON — feature weights and a bias — so loading it
runs no pickle; ``miner.finders.target_training`` rebuilds it deterministically.
"""
from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

import regex

from miner.folding import fold_tones

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
def _tokenizer():
    """underthesea's character normaliser and pre-token pattern (``underthesea.tokenize``), loaded
    from its smallest module; tests check the tokens equal its ``tokenize(..., use_token_normalize=False)``."""
    import importlib

    pretokenizer = importlib.import_module("underthesea.pipeline.word_tokenize.regex_tokenize")
    return pretokenizer.normalize_characters_in_text, pretokenizer.patterns


def _syllables(piece: str) -> list[str]:
    """underthesea's pre-tokens (syllables, numbers, punctuation) of ``piece``: its
    ``tokenize(piece, use_token_normalize=False)`` (each alternative of its pattern is one named
    group, so a token is the whole match; underthesea looks the group up per match, which costs more)."""
    normalize_characters, pattern = _tokenizer()
    return [m.group() for m in pattern.finditer(normalize_characters(piece))]


def _placed(piece: str, tokens: list[str]) -> tuple[tuple[str, int, int], ...]:
    """Tokens with character offsets in ``piece``; a token underthesea rewrote (character
    normalisation) and that cannot be found is left out."""
    out = []
    cursor = 0
    for token in tokens:
        first = piece.find(token, cursor)
        if first < 0:
            continue
        cursor = first + len(token)
        out.append((token, first, cursor))
    return tuple(out)


def tokens_with_offsets(sentence: str) -> tuple[tuple[str, int, int], ...]:
    """underthesea tokens of one sentence (or piece), aligned to character offsets in it."""
    return _placed(sentence, _syllables(sentence))


# Tokens are taken from a bounded window of the sentence around the number: the features look at
# the 3 syllables either side by position and at most 10 before and 8 after as bags, so tokenizing a
# 1,000-character legal sentence for every number in it buys nothing but time. The window is
# counted in whitespace-separated words, so table padding and long URLs neither shrink nor cut it.
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



def window_tokens(sentence: str, start: int, end: int) -> tuple[tuple[str, int, int], ...]:
    ws, we = window(sentence, start, end)
    return tuple((t, s + ws, e + ws) for t, s, e in tokens_with_offsets(sentence[ws:we]))


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
BAG_BEFORE, BAG_AFTER = 10, 8


def token_features(tokens: tuple, start: int, end: int) -> dict[str, float]:
    """The token features of the number at [start, end): the 3 syllables either side by position,
    the 10 before and 8 after as a bag. Tokens that straddle the number are neither left nor right."""
    left = [_fold(t) for t, s, e in tokens if e <= start][-BAG_BEFORE:]
    right = [_fold(t) for t, s, e in tokens if s >= end][:BAG_AFTER]
    feats: dict[str, float] = {}
    for i, tok in enumerate(reversed(left[-3:]), 1):
        feats[f"L{i}={tok}"] = 1.0
    for i, tok in enumerate(right[:3], 1):
        feats[f"R{i}={tok}"] = 1.0
    for tok in left:
        feats[f"LW={tok}"] = 1.0
    for tok in right:
        feats[f"RW={tok}"] = 1.0
    # syllable pairs stand for the words a segmenter would make ("ở_mức", "trở_lên")
    for a, b in zip(left, left[1:]):
        feats[f"LB={a}_{b}"] = 1.0
    for a, b in zip(right, right[1:]):
        feats[f"RB={a}_{b}"] = 1.0
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

    ``tokens`` (tokens with offsets into ``sentence``, covering at least the number's window) and
    ``cues`` (from ``_cue_hits``) may be given when several numbers share a sentence."""
    if tokens is None:
        tokens = window_tokens(sentence, start, end)
    feats = context_features(sentence, start, end, unit, ranged, cues)
    feats.update(token_features(tokens, start, end))
    return feats


@dataclass
class TargetModel:
    weights: dict[str, float]
    bias: float
    meta: dict

    def probability(self, feats: dict[str, float]) -> float:
        return _sigmoid(self.bias + self._sum(feats))

    def score(self, text: str, cands: Iterable) -> None:
        """Set ``probability`` on every candidate; the numbers of one sentence share its tokens."""
        by_sentence: dict = {}
        for cand in cands:
            by_sentence.setdefault((cand.sentence.start, cand.sentence.end), []).append(cand)
        for (s_start, s_end), group in by_sentence.items():
            sentence = text[s_start:s_end]
            cue_bounds = _cue_bounds(_cue_hits(sentence))
            spans = [(c.start - s_start, c.end - s_start) for c in group]
            for ws, we in _merged_windows(sentence, spans):  # tokenized once for all the numbers in it
                tokens = tuple((t, s + ws, e + ws) for t, s, e in tokens_with_offsets(sentence[ws:we]))
                for cand, (st, en) in zip(group, spans):
                    if not ws <= st < we:
                        continue
                    feats = context_features(sentence, st, en, cand.unit, cand.value_max is not None,
                                             cue_bounds=cue_bounds)
                    feats.update(token_features(tokens, st, en))
                    cand.probability = _sigmoid(self.bias + self._sum(feats))

    def _sum(self, feats: dict[str, float]) -> float:
        weights = self.weights
        return sum(weights.get(name, 0.0) * value for name, value in feats.items())


def _merged_windows(sentence: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The windows of several numbers of one sentence, overlapping ones merged."""
    merged: list[list[int]] = []
    for ws, we in sorted(window(sentence, s, e) for s, e in spans):
        if merged and ws <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], we)
        else:
            merged.append([ws, we])
    return [(ws, we) for ws, we in merged]


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
