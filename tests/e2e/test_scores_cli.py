"""`actionproof cqi`, `suggest` and `radar` on the worked example's customer (embedded default)."""
from __future__ import annotations

import json

import pytest

from tests.e2e.test_cli import cli
from workers.worked_example import seed
from tests.support import prepared, settings_for
from queues.broker import connect
from queues.publisher import Publisher
from queues.topology import Topology
from workers.app import make_worker

pytestmark = pytest.mark.timeout(240)


def test_cqi_suggest_and_radar_commands(tmp_path):
    home = tmp_path / "home"
    env = {"ACTIONPROOF_HOME": str(home)}
    settings = settings_for(home, f"sqlite:///{home / 'actionproof.db'}", f"sqlite-lease:///{home / 'broker.db'}")
    sessions = prepared(settings)
    customer_id, jobs = seed(sessions, "zj")
    pub = Publisher(connect(settings.broker_url), Topology())
    for job in jobs:
        pub.publish_job(job)
    make_worker(settings, ["analyze", "score"]).run(until_idle=1.5, max_seconds=200)

    out = json.loads(cli("cqi", "--customer", str(customer_id), "--period", "2026-03-01:2026-03-31", "--json",
                         env=env).stdout)
    assert out["cqi"] == 69.9
    assert [out["parts"][k]["value"] for k in ("depth", "anchoring")] == [0.75, 0.625]
    assert out["parts"]["rhythm"]["value"] == pytest.approx(13 / 18)
    assert [e["expected_date"] for e in out["open_expectations"]] == ["2026-03-31"]
    assert any("rhythm match 0.722" in line for line in out["explain"])

    sug = json.loads(cli("suggest", "--customer", str(customer_id), "--action-type", "上门拜访", "--json", env=env).stdout)
    assert sug["action_type"] == "上门拜访" and sug["keywords"] and sug["read_ms"] < 50
    assert sug["next_touch_at"]

    rep_id = 2  # the seed's rep (manager first, then rep)
    radar = json.loads(cli("radar", "--rep", str(rep_id), "--week", "2026-W10", "--out", str(tmp_path / "png"),
                           env=env).stdout)
    assert [c["customer_id"] for c in radar["charts"]] == [customer_id]
    png = tmp_path / "png" / f"radar-{customer_id}-2026-W10.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
    axes = radar["charts"][0]["axes"]
    assert set(axes) == {"coverage", "need_clarity", "budget_match"} and all(v is None or 0 <= v <= 1 for v in axes.values())
