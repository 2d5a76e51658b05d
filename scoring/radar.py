"""Weekly customer health radar: seven behavioural inputs folded into three axes, and its PNG.

Axes (each 0…1):
* 决策链覆盖度 coverage     = 0.75·(roles reached ÷ target roles) + 0.25·s(touches, 2)
* 需求明确度 need clarity   = 0.50·s(need statements, 2) + 0.25·s(doc viewing s, 600)
                              + 0.25·s(proposal revisions, 1)
* 预算匹配度 budget match   = 0.60·fit(latest quote, stated budget range) + 0.20·s(budget mentions, 1)
                              + 0.20·s(rebate queries, 1)
where s(x, h) = x ÷ (x + h) (0 at none, ½ at the half-saturation constant h, → 1) and
fit = 1 inside [budget low, budget high] (a point budget: low = high), quote ÷ low below it,
high ÷ quote above — falling with the distance to the nearer bound. The quote compared is the
latest one in the budget's terms: a per-unit budget (每吨不超过四千) only with per-unit quotes of
the same unit, a total budget only with totals (the caller picks it: workers/scoring_data.py).
A component without data (no target chain, no stated budget or no comparable quote) is left out and
the axis is the weighted mean of the rest; it is listed in `missing`. Constants: RadarConfig.

An axis with **no input at all** in the period is None (drawn and labelled 无数据), never 0 %: coverage
without touches and without anyone reached (a target chain alone is configuration, not an input);
need clarity without touches, need statements, document viewing or proposal revisions; budget match
without a comparable quote and budget, budget mentions or rebate queries. A measured nothing —
touches in which no need was stated — stays a real 0 %.

`render_radar_png` draws with matplotlib's Agg backend (no pyplot, no global state) in a CJK
font the project installs (`mplfonts` ships Noto Sans CJK SC); it refuses to draw rather
than print tofu boxes when the font lacks a label's glyph.
"""
from __future__ import annotations

import importlib.util
import io
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import numpy as np

AXES: tuple[tuple[str, str], ...] = (
    ("coverage", "决策链覆盖度"),
    ("need_clarity", "需求明确度"),
    ("budget_match", "预算匹配度"),
)
AXIS_LABELS = dict(AXES)

# Font files looked for, best first: the PyPI package `mplfonts`, then fonts installed on the
# system (Debian fonts-noto-cjk / fonts-wqy-*), found through matplotlib's font list.
_PACKAGE_FONTS = (("mplfonts", "fonts/NotoSansCJKsc-Regular.otf"),
                  ("mplfonts", "fonts/SourceHanSerifSC-Regular.otf"))
_SYSTEM_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "Source Han Sans CN",
                    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "PingFang SC")


class CjkFontMissing(RuntimeError):
    """No font with the needed Chinese glyphs: install `mplfonts` (or fonts-noto-cjk)."""


@dataclass(frozen=True)
class RadarInputs:
    """One customer's week. Counts are for the week; the budget/quotes may be older (latest known)."""

    touches: int = 0
    doc_view_seconds: float = 0.0
    proposal_revisions: int = 0
    rebate_queries: int = 0
    chain_reached: int = 0
    chain_target: int = 0
    need_statements: int = 0
    budget_mentions: int = 0
    budget_low_yuan: float | None = None  # the latest stated budget (a point: low = high)
    budget_high_yuan: float | None = None
    quote_yuan: float | None = None  # the latest quote in the budget's terms (a range: its middle)
    unit: str | None = None  # both per this unit (台, 吨 …); None: totals
    source_ids: Mapping[str, tuple] = field(default_factory=dict)  # input name -> ids it was counted from


def _default_half() -> dict[str, float]:
    return {"touches": 2.0, "doc_view_seconds": 600.0, "proposal_revisions": 1.0, "rebate_queries": 1.0,
            "need_statements": 2.0, "budget_mentions": 1.0}


def _default_weights() -> dict[str, dict[str, float]]:
    return {
        "coverage": {"chain": 0.75, "touches": 0.25},
        "need_clarity": {"need_statements": 0.5, "doc_view_seconds": 0.25, "proposal_revisions": 0.25},
        "budget_match": {"price_fit": 0.6, "budget_mentions": 0.2, "rebate_queries": 0.2},
    }


@dataclass(frozen=True)
class RadarConfig:
    half_saturation: Mapping[str, float] = field(default_factory=_default_half)
    weights: Mapping[str, Mapping[str, float]] = field(default_factory=_default_weights)


@dataclass(frozen=True)
class Component:
    name: str
    raw: float | None
    value: float | None  # normalised 0…1, None when there is no data
    weight: float

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "raw": self.raw, "value": self.value, "weight": self.weight}


NO_DATA = "无数据"


@dataclass(frozen=True)
class RadarAxes:
    coverage: float | None  # None: no input in the period (无数据)
    need_clarity: float | None
    budget_match: float | None
    components: Mapping[str, tuple[Component, ...]]
    missing: tuple[str, ...]  # components without data ("coverage.chain", "budget_match.price_fit")
    inputs: RadarInputs

    @property
    def no_data(self) -> tuple[str, ...]:
        """Axes without any input in the period."""
        return tuple(k for k, _ in AXES if getattr(self, k) is None)

    def as_array(self) -> np.ndarray:
        """The three values for drawing: an axis without data sits at the centre (its label says 无数据)."""
        return np.array([0.0 if v is None else v for v in (self.coverage, self.need_clarity, self.budget_match)],
                        dtype=float)

    def to_json(self) -> dict[str, Any]:
        return {"axes": {k: {"label": AXIS_LABELS[k], "value": getattr(self, k),
                             "components": [c.to_json() for c in self.components.get(k, ())]} for k, _ in AXES},
                "missing": list(self.missing), "no_data": list(self.no_data),
                "inputs": {k: (dict(v) if isinstance(v, Mapping) else v)
                           for k, v in self.inputs.__dict__.items()}}


def saturate(x: Any, half: Any) -> np.ndarray:
    """x ÷ (x + half) elementwise, negatives taken as 0: 0 → 0, half → 0.5, ∞ → 1."""
    x = np.maximum(np.asarray(x, dtype=float), 0.0)
    return x / (x + np.asarray(half, dtype=float))


def budget_fit(quote: float | None, low: float | None, high: float | None) -> float | None:
    """How well a quote fits the stated budget range: 1 inside it, the ratio to the nearer bound outside."""
    if quote is None or low is None or quote <= 0 or low <= 0:
        return None
    high = low if high is None else max(high, low)
    if quote < low:
        return quote / low
    if quote > high:
        return high / quote
    return 1.0


def radar_axes(inputs: RadarInputs, config: RadarConfig | None = None) -> RadarAxes:
    config = config or RadarConfig()
    h = config.half_saturation
    counts = ("touches", "doc_view_seconds", "proposal_revisions", "rebate_queries", "need_statements",
              "budget_mentions")
    raw = np.array([getattr(inputs, k) or 0 for k in counts], dtype=float)
    norm = dict(zip(counts, saturate(raw, np.array([float(h[k]) for k in counts]))))
    chain = (min(1.0, inputs.chain_reached / inputs.chain_target) if inputs.chain_target > 0 else None)
    fit = budget_fit(inputs.quote_yuan, inputs.budget_low_yuan, inputs.budget_high_yuan)
    values: dict[str, tuple[float | None, float | None]] = {
        **{k: (float(getattr(inputs, k) or 0), float(norm[k])) for k in counts},
        "chain": (None if inputs.chain_target <= 0 else float(inputs.chain_reached), chain),
        "price_fit": (inputs.quote_yuan, fit),
    }
    observed = {
        # The target chain is the customer's standing configuration, not an input of the week.
        "coverage": (inputs.touches or 0) > 0 or (inputs.chain_reached or 0) > 0,
        "need_clarity": any((getattr(inputs, k) or 0) > 0 for k in ("touches", "need_statements", "doc_view_seconds",
                                                                     "proposal_revisions")),
        "budget_match": fit is not None or any((getattr(inputs, k) or 0) > 0
                                               for k in ("budget_mentions", "rebate_queries")),
    }
    components, missing, axes = {}, [], {}
    for axis, _ in AXES:
        comps = tuple(Component(name, values[name][0], values[name][1], float(w))
                      for name, w in config.weights[axis].items())
        components[axis] = comps
        missing += [f"{axis}.{c.name}" for c in comps if c.value is None]
        present = [c for c in comps if c.value is not None and c.weight > 0]
        if not observed[axis]:
            axes[axis] = None
        elif present:
            w = np.array([c.weight for c in present])
            v = np.array([c.value for c in present])
            axes[axis] = float(np.clip(np.dot(w, v) / w.sum(), 0.0, 1.0))
        else:
            axes[axis] = 0.0
    return RadarAxes(axes["coverage"], axes["need_clarity"], axes["budget_match"], components, tuple(missing), inputs)


# ---- fonts -----------------------------------------------------------------------------------
def _package_file(package: str, relative: str) -> Path | None:
    try:
        spec = importlib.util.find_spec(package)  # locates the package without importing it
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for base in spec.submodule_search_locations:
        path = Path(base) / relative
        if path.is_file():
            return path
    return None


def missing_glyphs(font_path: str | Path, text: str) -> list[str]:
    """Characters of `text` (spaces aside) the font has no glyph for."""
    cmap = _charmap(str(font_path))
    return sorted({ch for ch in text if not ch.isspace() and ord(ch) not in cmap})


@lru_cache(maxsize=8)
def _charmap(path: str) -> frozenset[int]:
    from matplotlib.ft2font import FT2Font

    return frozenset(code for code, glyph in FT2Font(path).get_charmap().items() if glyph)


def cjk_font_path(needed: str = "".join(label for _, label in AXES)) -> Path:
    """A font file with every glyph of `needed`: the project's `mplfonts` font, else a system one."""
    candidates = [p for pkg, rel in _PACKAGE_FONTS if (p := _package_file(pkg, rel)) is not None]
    try:
        from matplotlib import font_manager

        by_name = {f.name: f.fname for f in font_manager.fontManager.ttflist}
        candidates += [Path(by_name[n]) for n in _SYSTEM_FAMILIES if n in by_name]
    except Exception:  # noqa: BLE001 - a broken font cache only loses the system candidates
        pass
    for path in candidates:
        try:
            if not missing_glyphs(path, needed):
                return path
        except (OSError, RuntimeError):
            continue
    raise CjkFontMissing("no installed font has the Chinese glyphs for the radar labels "
                         "(install the PyPI package mplfonts, or Debian's fonts-noto-cjk)")


# ---- drawing ---------------------------------------------------------------------------------
def render_radar_png(customer_name: str, axes: RadarAxes, week_label: str, *,
                     font_path: str | Path | None = None, size_px: int = 600, dpi: int = 100,
                     reference: float | None = None) -> bytes:
    """The radar chart as PNG bytes: three labelled axes, the customer's triangle, values in %.

    `reference` (0…1) draws a dashed ring, e.g. a healthy line. Raises CjkFontMissing when
    the font lacks a glyph of the axis labels (the chart would otherwise show tofu boxes).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    labels = [label for _, label in AXES]
    title = f"{customer_name}\n{week_label} 客户健康雷达"
    path = Path(font_path) if font_path is not None else cjk_font_path("".join(labels) + "客户健康雷达" + NO_DATA)
    lacking = missing_glyphs(path, "".join(labels) + NO_DATA)
    if lacking:
        raise CjkFontMissing(f"{path} has no glyph for {''.join(lacking)}")
    # Characters of the customer's name the font lacks are dropped rather than drawn as boxes.
    title = "".join(ch for ch in title if ch.isspace() or not missing_glyphs(path, ch))
    font = FontProperties(fname=str(path))

    values = axes.as_array()
    n = len(values)
    angles = np.pi / 2 + np.arange(n) * 2 * np.pi / n  # first axis straight up, then anticlockwise
    fig = Figure(figsize=(size_px / dpi, size_px / dpi), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(projection="polar")
    ax.set_ylim(0, 1)
    ax.set_yticks([0.25, 0.5, 0.75, 1.0])
    ax.set_yticklabels(["25%", "50%", "75%", "100%"], fontproperties=font, fontsize=8, color="#777777")
    ax.set_xticks(angles % (2 * np.pi))
    raw = (axes.coverage, axes.need_clarity, axes.budget_match)
    ax.set_xticklabels([f"{lab}\n{NO_DATA if r is None else f'{v * 100:.0f}%'}" for lab, v, r in zip(labels, values, raw)],
                       fontproperties=font, fontsize=13)
    ax.tick_params(axis="x", pad=14)
    closed = np.append(angles, angles[0])
    ring = np.append(values, values[0])
    if reference is not None:
        ax.plot(closed, np.full(n + 1, float(reference)), linestyle="--", linewidth=1, color="#999999")
    ax.fill(closed, ring, color="#2a7ae2", alpha=0.30)
    ax.plot(closed, ring, color="#2a7ae2", linewidth=2)
    # Measured points filled, axes without data hollow and grey at the centre: no data is not a zero.
    for angle, v, r in zip(angles, values, raw):
        ax.plot([angle], [v], marker="o", markersize=7, color="#2a7ae2" if r is not None else "#999999",
                markerfacecolor="#2a7ae2" if r is not None else "white")
    # Long company names shrink to fit the width (about 1.4 px per point per character at 100 dpi).
    longest = max(len(line) for line in title.splitlines())
    title_pt = max(7.0, min(14.0, 0.95 * size_px / max(1, longest) / 1.39 * (100 / dpi)))
    ax.set_title(title, fontproperties=font, fontsize=title_pt, pad=24)
    ax.grid(True, color="#cccccc")
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()

