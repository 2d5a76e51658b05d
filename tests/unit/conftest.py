"""Fixtures for unit tests that read the shared field data (../shared/data)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

# The field data lives beside the project (its sibling folder shared/), in CI too.
SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def _missing_data(what: str) -> None:
    message = f"shared field data not found: {SHARED_DATA / what}"
    # On a developer machine without the data the tests are skipped; in CI the data
    # is part of the layout, so its absence is a failure, never a silent skip.
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def shared_data() -> Path:
    """The shared field-data folder; skips (or fails under CI=true) when it is absent."""
    if not SHARED_DATA.is_dir():
        _missing_data("")
    return SHARED_DATA


def _load(relative: str) -> Any | None:
    path = SHARED_DATA / relative
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


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
        data = _load(relative)
        # Without the data a single placeholder case remains; the test also requests
        # the shared_data fixture, which then skips or fails as the environment demands.
        cases = extract(data) if data is not None else [("shared-data-missing", None)]
        metafunc.parametrize(name, [c for _, c in cases], ids=[i for i, _ in cases])

