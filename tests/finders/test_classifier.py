"""The target classifier: underthesea word segmentation, the bound that skips it, the committed model."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from miner.finders import classifier, target_training
from miner.document.normalize import normalize
from miner.finders.references import find_mentions
from miner.document.sentences import sentences
from miner.finders.targets import _goal_headings, _in_goal_context, candidates

from testdata import SAMPLE
DOCUMENTS = ["69db23c781b2e9aa.txt", "8718801c503045f9.txt", "bba7944de4847629.txt", "004_stttt_gialai_gov_vn.txt"]


def _text(name: str) -> str:
    return normalize((SAMPLE / name).read_text(encoding="utf-8")).text


def _candidates(text: str):
    return candidates(text, [(m.start, m.end) for m in find_mentions(text)])


def test_words_equal_underthesea_word_tokenize():
    from underthesea import word_tokenize

    text = _text("bba7944de4847629.txt")
    checked = 0
    for sentence in sentences(text):
        piece = text[sentence.start:sentence.end]
        assert classifier._words(classifier._syllables(piece)) == word_tokenize(piece, use_token_normalize=False)
        checked += 1
    assert checked > 20


def test_syllables_equal_underthesea_pretokens():
    from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize

    for name in DOCUMENTS:
        text = _text(name)
        for sentence in sentences(text):
            piece = text[sentence.start:sentence.end]
            assert classifier._syllables(piece) == tokenize(piece, use_token_normalize=False)


def test_codes_and_numbers_stay_aligned_to_the_text():
    sentence = "Phấn đấu đến năm 2025, 100% cán bộ, công chức thực hiện Chỉ thị 18-CT/TU"
    tokens = classifier._tokens_with_offsets(sentence)
    for token, start, end in tokens:
        assert sentence[start:end].split() == token.split()
    assert ("100", 23, 26) in tokens


def _bounded_and_exact(name: str) -> int:
    """Score one document's candidates both ways, check they agree; the number settled by the bound."""
    text = _text(name)
    model = classifier.load()
    exact, bounded = _candidates(text), _candidates(text)
    headings = _goal_headings(text)
    offsets = [o for o, _ in headings]
    needed = [0.15 if _in_goal_context(text, c, headings, offsets) else 0.5 for c in bounded]
    model.score(text, exact)
    model.score(text, bounded, needed)
    assert len(exact) == len(bounded) > 0
    settled = 0
    for e, b, bar in zip(exact, bounded, needed):
        assert (e.probability >= bar) == (b.probability >= bar)
        if b.exact:
            assert b.probability == pytest.approx(e.probability, abs=1e-12)
        else:
            settled += 1
            assert e.probability <= b.probability < bar  # the bound is an upper bound
    return settled


def test_bounded_scoring_keeps_exactly_what_exact_scoring_keeps():
    settled = [_bounded_and_exact(name) for name in DOCUMENTS]
    assert sum(settled) > 0


def test_goal_statement_scores_high_and_past_statistic_low():
    model = classifier.load()
    goal = "Phấn đấu đến năm 2025, có 100% cán bộ, công chức cấp xã sử dụng thành thạo máy tính."
    past = "Năm 2019, toàn huyện có 3 trường học được sửa chữa, kinh phí 2 tỷ đồng."
    for text, expect_high in ((goal, True), (past, False)):
        cands = _candidates(text)
        model.score(text, cands)
        best = max(c.probability for c in cands)
        assert (best >= 0.5) is expect_high, (text, best)


def test_committed_model_is_what_train_builds(tmp_path):
    """The weights in models/ come from `miner train` on the committed labels and the current code."""
    rebuilt = tmp_path / "model.json"
    meta = target_training.train(out=rebuilt)
    assert json.loads(rebuilt.read_text(encoding="utf-8")) == json.loads(classifier.MODEL_PATH.read_text(encoding="utf-8"))
    assert meta["cross_validation"]["f1"] >= 0.75
