"""Fixtures for unit tests that read the field data in tests/data/ (see tests/data/SOURCES.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.fielddata import DATA


@pytest.fixture
def field_data() -> Path:
    """The field-data folder tests/data/ (part of the repository)."""
    return DATA


def _load(relative: str) -> Any:
    return json.loads((DATA / relative).read_text(encoding="utf-8"))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize data-driven tests by photo file, conversion vector and city."""
    params: dict[str, tuple[str, Any]] = {
        "photo_case": ("photos/manifest.json", lambda d: [(f["file"], f) for f in d["files"]]),
        "coord_vector": (
            "coords.json",
            lambda d: [(f"{i}-{v['conversion']}-{v['note'] or 'vector'}", v) for i, v in enumerate(d["vectors"])],
        ),
        "city_offset": (
            "coords.json",
            lambda d: [(name, (name, v)) for name, v in d.get("wgs84_vs_gcj02_offset_m_by_city", {}).items()],
        ),
    }
    for name, (relative, extract) in params.items():
        if name not in metafunc.fixturenames:
            continue
        cases = extract(_load(relative))
        metafunc.parametrize(name, [c for _, c in cases], ids=[i for i, _ in cases])

