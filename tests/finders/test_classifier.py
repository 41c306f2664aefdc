"""The target classifier: underthesea's syllables aligned to the text, per-sentence scoring, the committed model."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from miner.finders import classifier, target_training
from miner.document.normalize import normalize
from miner.finders.references import find_mentions
from miner.document.sentences import sentences
from miner.finders.targets import candidates

from testdata import SAMPLE
DOCUMENTS = ["69db23c781b2e9aa.txt", "8718801c503045f9.txt", "bba7944de4847629.txt", "004_stttt_gialai_gov_vn.txt"]


def _text(name: str) -> str:
    return normalize((SAMPLE / name).read_text(encoding="utf-8")).text


def _candidates(text: str):
    return candidates(text, [(m.start, m.end) for m in find_mentions(text)])


def test_syllables_equal_underthesea_pretokens():
    from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize

    for name in DOCUMENTS:
        text = _text(name)
        for sentence in sentences(text):
            piece = text[sentence.start:sentence.end]
            assert classifier._syllables(piece) == tokenize(piece, use_token_normalize=False)


def test_codes_and_numbers_stay_aligned_to_the_text():
    sentence = "Phấn đấu đến năm 2025, 100% cán bộ, công chức thực hiện Chỉ thị 18-CT/TU"
    tokens = classifier.tokens_with_offsets(sentence)
    for token, start, end in tokens:
        assert sentence[start:end].split() == token.split()
    assert ("100", 23, 26) in tokens


def test_numbers_of_one_sentence_score_as_if_alone():
    """Scoring a document at once (windows merged per sentence) gives each number the probability
    its own features give."""
    model = classifier.load()
    checked = 0
    for name in DOCUMENTS:
        text = _text(name)
        cands = _candidates(text)
        model.score(text, cands)
        for cand in cands[:40]:
            sentence = text[cand.sentence.start:cand.sentence.end]
            st, en = cand.start - cand.sentence.start, cand.end - cand.sentence.start
            alone = model.probability(classifier.features(sentence, st, en, cand.unit, cand.value_max is not None))
            assert cand.probability == pytest.approx(alone, abs=1e-9)
            checked += 1
    assert checked > 50


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
