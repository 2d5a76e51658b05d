"""Health radar: the axes' normalisation, and a PNG whose Chinese labels are real glyphs."""
from __future__ import annotations

import io
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.radar import (
    AXES, CjkFontMissing, RadarInputs, budget_fit, cjk_font_path, missing_glyphs, radar_axes, render_radar_png,
    saturate,
)

LABELS = "".join(label for _, label in AXES)
WEEK = RadarInputs(touches=3, doc_view_seconds=900, proposal_revisions=1, rebate_queries=0, chain_reached=3,
                   chain_target=4, need_statements=5, budget_mentions=1, budget_low_yuan=90_000,
                   budget_high_yuan=120_000, quote_yuan=80_000)


def test_axes_fold_the_seven_inputs():
    a = radar_axes(WEEK)
    assert a.coverage == pytest.approx(0.75 * 0.75 + 0.25 * 3 / 5)
    assert a.need_clarity == pytest.approx(0.5 * 5 / 7 + 0.25 * 900 / 1500 + 0.25 * 0.5)
    assert a.budget_match == pytest.approx(0.6 * 80 / 90 + 0.2 * 0.5 + 0.2 * 0)
    assert a.missing == ()
    doc = a.to_json()
    assert doc["axes"]["coverage"]["label"] == "决策链覆盖度"
    assert [c["name"] for c in doc["axes"]["budget_match"]["components"]] == ["price_fit", "budget_mentions",
                                                                            "rebate_queries"]


def test_missing_components_are_left_out_and_listed():
    a = radar_axes(RadarInputs(touches=2, need_statements=2))
    assert a.missing == ("coverage.chain", "budget_match.price_fit")
    assert a.coverage == pytest.approx(0.5)  # touches only
    assert a.budget_match is None and a.no_data == ("budget_match",)  # nothing about money this week
    assert radar_axes(RadarInputs()).as_array().tolist() == [0.0, 0.0, 0.0]


def test_an_axis_without_input_is_no_data_and_a_real_zero_stays_zero():
    empty = radar_axes(RadarInputs())
    assert (empty.coverage, empty.need_clarity, empty.budget_match) == (None, None, None)
    assert empty.to_json()["no_data"] == ["coverage", "need_clarity", "budget_match"]
    # A target chain nobody was in touch with this week is no input; a rep who talked without hearing
    # a need, or reached nobody of the chain, measured a real 0 % (or near it); so does a budget far off.
    assert radar_axes(RadarInputs(chain_target=4, chain_reached=0)).coverage is None
    talked = radar_axes(RadarInputs(touches=3, chain_target=4))
    assert talked.need_clarity == 0.0 and talked.budget_match is None
    assert talked.components["coverage"][0].value == 0.0 and talked.coverage == pytest.approx(0.25 * 0.6)
    priced = radar_axes(RadarInputs(budget_low_yuan=100.0, quote_yuan=1e9))
    assert priced.budget_match is not None and priced.budget_match < 0.01


def test_budget_fit_and_saturation():
    # A quote against the stated budget range: 1 inside, the ratio to the nearer bound outside.
    assert budget_fit(100, 90, 120) == 1.0
    assert budget_fit(45, 90, 120) == 0.5
    assert budget_fit(240, 90, 120) == 0.5
    assert budget_fit(None, 90, 120) is None and budget_fit(100, None, None) is None
    assert budget_fit(100, 100, None) == 1.0
    assert saturate([0, 2, -1], 2).tolist() == [0.0, 0.5, 0.0]


counts = st.integers(min_value=0, max_value=10_000)
money = st.one_of(st.none(), st.floats(min_value=0, max_value=1e9, allow_nan=False))


@settings(max_examples=100, deadline=None, database=None)
@given(counts, counts, counts, counts, counts, counts, counts, counts, money, money, money)
def test_axes_stay_within_0_and_1_and_reaching_more_roles_never_lowers_coverage(
        touches, views, revisions, rebates, reached, target, needs, mentions, low, high, quote):
    inputs = RadarInputs(touches, views, revisions, rebates, reached, target, needs, mentions, low, high, quote)
    a = radar_axes(inputs)
    assert np.all((a.as_array() >= 0) & (a.as_array() <= 1))
    more = radar_axes(RadarInputs(touches, views, revisions, rebates, reached + 1, target, needs, mentions,
                                  low, high, quote))
    assert more.coverage is not None  # reaching someone is an input of the week
    assert more.coverage >= (a.coverage or 0.0)


# ---- the font and the picture ------------------------------------------------------------------
def _render_one(font) -> np.ndarray:
    font.draw_glyphs_to_bitmap(antialiased=True)
    return np.asarray(font.get_image()).copy()


def _draw(font_path: Path, ch: str | None) -> np.ndarray:
    from matplotlib.ft2font import FT2Font

    font = FT2Font(str(font_path))
    font.set_size(48, 72)
    if ch is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Glyph … missing": exactly what is wanted here
            font.set_text("\U0010FFFD")  # a private-use code point no font maps: drawn as .notdef
    else:
        font.set_text(ch)
    return _render_one(font)


def test_the_installed_cjk_font_has_real_glyphs_for_the_axis_labels():
    path = cjk_font_path()
    assert path.is_file()
    assert missing_glyphs(path, LABELS + "客户健康雷达") == []
    tofu = _draw(path, None)
    bitmaps = {}
    for ch in sorted(set(LABELS)):
        bm = _draw(path, ch)
        assert bm.size and (bm > 128).sum() > 50, f"{ch} draws nothing"
        assert bm.shape != tofu.shape or not np.array_equal(bm, tofu), f"{ch} draws as .notdef (tofu)"
        bitmaps[ch] = bm.tobytes()
    assert len(set(bitmaps.values())) == len(bitmaps), "distinct characters must draw distinct glyphs"


def test_radar_png_renders_with_cjk_labels_and_no_missing_glyph(tmp_path):
    a = radar_axes(WEEK)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)" before drawing tofu
        png = render_radar_png("杭州宏达五金配件有限公司", a, "2026-W12", reference=0.73)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (600, 600)
    pixels = np.asarray(image)
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 50  # anti-aliased text and fill, not a blank
    blue = (pixels[..., 2] > 200) & (pixels[..., 0] < 100)
    assert blue.sum() > 500  # the customer's triangle outline
    out = tmp_path / "radar.png"
    out.write_bytes(png)
    assert out.stat().st_size == len(png)


def test_render_refuses_a_font_without_chinese_glyphs():
    import matplotlib

    latin = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    assert missing_glyphs(latin, "决策")
    with pytest.raises(CjkFontMissing):
        render_radar_png("x", radar_axes(WEEK), "2026-W12", font_path=latin)


def test_an_axis_without_data_is_drawn_labelled_not_as_zero():
    import dataclasses

    a = radar_axes(WEEK)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # 无数据 must be in the font too
        none = render_radar_png("杭州宏达五金", dataclasses.replace(a, budget_match=None), "2026-W12")
        zero = render_radar_png("杭州宏达五金", dataclasses.replace(a, budget_match=0.0), "2026-W12")
    assert none[:8] == b"\x89PNG\r\n\x1a\n" and none != zero
    assert missing_glyphs(cjk_font_path(), "无数据") == []
