"""Need keywords of a touch, ranked: TF-IDF over the industry segmenter's words.

IDF comes from jieba's own table (idf.txt, general Chinese); the domain part is the pack:
its need words and vocabulary get a boost and are never dropped, which is also how a
single-character domain word (阀, 泵, 奶, 砖) survives the usual "one character is noise"
filter. Names, dates and amounts are facts reported elsewhere, not keywords; nor are words
outside the dictionary (jieba's or the pack's): those are what jieba's HMM glues together from
unknown characters — fragments across a word boundary (月底前能到 → 前能) and personal names
(李明). The
customer's words count fully and the rep's at half weight: the rep names products all
day, the customer's words say what they need.
"""

from __future__ import annotations

import re
import statistics
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from nlp.packs import Pack
from nlp.segment import Token

REP_WEIGHT = 0.5
DOMAIN_BOOST = 1.5
TOP = 10

_STOP = frozenset("""
我 你 您 他 她 它 我们 你们 您们 他们 她们 咱们 大家 自己 这 那 哪 这个 那个 哪个 这些 那些 这边 那边 这里 那里 这样 那样 怎么 怎么样 什么
一下 一个 一些 一点 一直 一起 一般 一定 可以 需要 希望 要求 必须 能不能 有没有 是否 能否 就是 还是 然后 的话 现在 目前 已经 比较 应该
可能 知道 觉得 感觉 时候 问题 东西 情况 主要 关键 重点 因为 所以 但是 不过 如果 要是 而且 或者 还有 另外 其实 确实 肯定 当然 特别 非常
好的 好 行 对 是 的 了 吗 呢 吧 啊 嗯 哦 哈 呀 嘛 啦 喂 哎 诶 您好 你好 谢谢 麻烦 辛苦 不好意思 没问题 放心 帮忙 看看 看一下 问问 说 讲
有 没有 没 不 也 都 就 还 又 再 很 太 更 最 挺 蛮 都是 只是 只 才 在 把 被 给 跟 和 与 及 或 从 到 向 对于 关于 为了 以及 之前 之后
以后 以前 今天 明天 后天 下周 这周 本周 月底 月初 上次 下次 这次 那次 多少 几 个 台 套 些 种 次 回 下 上 中 里 外 前 后 来 去 做 弄
想 要 能 会 得 让 用 拿 发 给您 给你 我这边 您这边 你们那边 我们这边 那就 那么 这么 怎样 如何 哪里 哪些 为什么 多久 多长时间 左右
大概 差不多 基本 基本上 尽量 尽快 马上 先 后面 前面 之间 方面 这块 那块 一块 部分 整个 全部 所有 每个 其他 别的 之类 等等 什么样
有点 有些 一些 比较 还是 已经 正在 现在 刚才 这样子 的话 那个 这种 那种 一种
就是说 也就是说 谈谈 聊聊 说说 讲讲 问一下 说一下 了解一下 介绍一下 考虑一下 商量一下 这样吧 那样吧 回头 到时候 再说
""".split())
_NUMERIC = re.compile(r"^[\d.,%０-９零〇一二两三四五六七八九十百千万亿点几半]+$")
_PUNCT = re.compile(r"^[\W_]+$")

_idf_lock = threading.Lock()
_idf: tuple[Mapping[str, float], float] | None = None


@dataclass(frozen=True)
class Keyword:
    word: str
    weight: float               # 1.0 for the top word of the touch
    ref: str | None             # where it first came up: segment or message id
    speaker: str
    start_s: float | None


def idf_table() -> tuple[Mapping[str, float], float]:
    """jieba's IDF table and its median (the IDF of a word it has never seen). Read once."""
    global _idf
    with _idf_lock:
        if _idf is None:
            text = (resources.files("jieba") / "analyse" / "idf.txt").read_text(encoding="utf-8")
            table: dict[str, float] = {}
            for line in text.splitlines():
                word, _, value = line.partition(" ")
                if value:
                    table[word] = float(value)
            _idf = (table, statistics.median(table.values()))
        return _idf


@lru_cache(maxsize=1 << 16)
def _noise(word: str) -> bool:
    """Stop words, punctuation and numbers (cached: a touch repeats its words)."""
    return word in _STOP or bool(_PUNCT.match(word) or _NUMERIC.match(word))


@lru_cache(maxsize=64)
def _domain_words(pack: Pack) -> frozenset[str]:
    return frozenset({*pack.need_words, *pack.vocabulary})


@dataclass(frozen=True)
class KeywordSource:
    """One utterance's tokens and where they came from."""

    tokens: Sequence[Token]
    speaker: str
    ref: str | None
    start_s: float | None
    excluded: Sequence[tuple[int, int]] = ()   # character spans of names, dates, amounts


def rank_keywords(sources: Sequence[KeywordSource], pack: Pack, top: int = TOP,
                  known: Callable[[str], bool] | None = None) -> list[Keyword]:
    """The touch's top need keywords, weight-normalised so the first is 1.0.

    `known`: whether a word is in the dictionary (Segmenter.known); others are left out.
    """
    idf, median = idf_table()
    domain = _domain_words(pack)
    score: dict[str, float] = {}
    first: dict[str, KeywordSource] = {}
    total = 0.0
    for src in sources:
        w_speaker = REP_WEIGHT if src.speaker == "rep" else 1.0
        excluded = src.excluded
        for t in src.tokens:
            word = t.word
            if (len(word) == 1 and word not in domain) or _noise(word):
                continue
            if known is not None and word not in domain and not known(word):
                continue
            if excluded and any(a <= t.start and t.end <= b for a, b in excluded):
                continue
            score[word] = score.get(word, 0.0) + w_speaker
            first.setdefault(word, src)
            total += w_speaker
    if not score:
        return []
    ranked = []
    for word, tf in score.items():
        weight = (tf / total) * idf.get(word, median) * (DOMAIN_BOOST if word in domain else 1.0)
        ranked.append((weight, word))
    ranked.sort(key=lambda x: (-x[0], x[1]))
    best = ranked[0][0]
    out = []
    for weight, word in ranked[:top]:
        src = first[word]
        out.append(Keyword(word, round(weight / best, 4) if best > 0 else 0.0, src.ref, src.speaker, src.start_s))
    return out

