"""jieba-rs cuts as jieba does: the same words for every labelled utterance and for odd text.

The segmenter cuts with jieba-rs (rjieba) for speed; every rule was written against jieba's
words, so the two must agree word for word. The reference here is jieba itself, running its
Python loop over the very dictionary the segmenter built (`jieba_tokenizer`).
"""

from __future__ import annotations

import json
import random
from functools import lru_cache
from pathlib import Path

import pytest

from nlp.packs import available_industries
from nlp.segment import jieba_tokenizer, segmenter

DATA = Path(__file__).resolve().parents[2] / "bench" / "data"


def _labelled() -> list[dict]:
    rows = []
    for path in sorted(DATA.glob("nlp_*.jsonl")):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


@lru_cache(maxsize=None)
def _jieba(industry: str | None):
    return jieba_tokenizer(segmenter(industry).pack)


def _words(industry: str | None, text: str) -> list[str]:
    return [t.word for t in segmenter(industry).tokens(text, ())]


def test_every_labelled_utterance_is_cut_as_jieba_cuts_it() -> None:
    rows = _labelled()
    assert len(rows) > 5000
    differ = [(r["industry"], r["text"]) for r in rows
              if _words(r["industry"], r["text"]) != _jieba(r["industry"]).lcut(r["text"])]
    assert differ == []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # Latin runs: jieba-rs keeps them whole, jieba cuts them at its pattern's edges.
        ("我们的MK-800每小时", ["我们", "的", "MK", "-", "800", "每", "小时"]),
        ("一年才1.5w，", ["一年", "才", "1.5", "w", "，"]),
        ("配比15-5-30", ["配比", "15", "-", "5", "-", "30"]),
        # Dictionary words of Latin letters stay whole in both.
        ("进ICU了", ["进", "ICU", "了"]),
        # 㗎 is outside jieba's range of Chinese characters, inside jieba-rs's: a word of its own
        # (jieba-rs alone says .㗎).
        ("好贵.㗎？", ["好贵", ".", "㗎", "？"]),
        ("  两个空格", [" ", " ", "两个", "空格"]),
    ],
)
def test_the_edges_where_the_two_engines_differ(text: str, words: list[str]) -> None:
    assert _jieba("medical_devices").lcut(text) == words  # jieba's own cut, the reference
    assert _words("medical_devices", text) == words


def _odd_text(rng: random.Random, han: str, latin: list[str]) -> str:
    pieces = ["MK-800", "1.5w", "3.5%", "iPhone", "A4", " ", "  ", "\t", "\n", "\r\n", "，", "……", "——",
              "ＭＫ８００", "①②", "😀", "°C", "×", "¥", "_", "+", "#", "&", ".", "%", "-", "é", "가나",
              "カタカナ", "〇", "㎡", "㗎", "嘅㗎喇", "𠮷野家", "﨑", "鿫", "\u3000", "\xa0", "\u200b"]
    out = []
    for _ in range(rng.randint(1, 8)):
        k = rng.random()
        if k < 0.45:
            a = rng.randrange(len(han) - 12)
            out.append(han[a:a + rng.randint(1, 12)])
        elif k < 0.6:
            out.append(rng.choice(latin))
        elif k < 0.8:
            out.append(rng.choice(pieces))
        else:
            out.append("".join(rng.choice("abcXYZ0123456789.-%_+#& ") for _ in range(rng.randint(1, 6))))
    return "".join(out)


@pytest.mark.parametrize("industry", [None, *available_industries()])
def test_odd_text_is_cut_as_jieba_cuts_it(industry: str | None) -> None:
    tk = _jieba(industry)
    han = "".join(r["text"] for r in _labelled()[:3000])
    # Dictionary words that hold Latin letters (B超, C++, CT): where the two engines' rules meet.
    latin = sorted(w for w, f in tk.FREQ.items() if f > 0 and any(c.isascii() for c in w))
    rng = random.Random(13)
    texts = [_odd_text(rng, han, latin) for _ in range(1500)]
    assert [t for t in texts if _words(industry, t) != tk.lcut(t)] == []
