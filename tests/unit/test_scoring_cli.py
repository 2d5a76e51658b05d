"""`actionproof radar` / `notify` as registered by add_scoring_commands (no database needed)."""
from __future__ import annotations

import argparse
import json

from tests.support import settings_for
from workers.cli_scoring import RadarRow, add_scoring_commands
from scoring.radar import RadarInputs


def _parser(**wiring) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="actionproof")
    add_scoring_commands(p.add_subparsers(dest="command", required=True), **wiring)
    return p


def test_radar_from_json_writes_one_png_per_customer(tmp_path, capsys):
    inputs = tmp_path / "week.json"
    inputs.write_text(json.dumps([
        {"customer_id": 11, "customer_name": "杭州宏达五金", "touches": 3, "chain_reached": 3, "chain_target": 4,
         "need_statements": 5, "budget_low_yuan": 90000, "budget_high_yuan": 120000, "quote_yuan": 80000},
        {"customer_id": 12, "customer_name": "宁波精工", "touches": 1},
    ], ensure_ascii=False), encoding="utf-8")
    settings = settings_for(tmp_path, "sqlite://", "memory://")
    args = _parser().parse_args(["radar", "--week", "2026-W12", "--from-json", str(inputs), "--out", str(tmp_path / "out")])
    assert args.func(args, settings) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["week"] == "2026-W12" and [c["customer_id"] for c in report["charts"]] == [11, 12]
    for chart in report["charts"]:
        data = (tmp_path / "out" / f"radar-{chart['customer_id']}-2026-W12.png").read_bytes()
        assert data[:4] == b"\x89PNG" and len(data) == chart["bytes"]
    assert report["charts"][1]["missing"] == ["coverage.chain", "budget_match.price_fit"]


def test_radar_uses_the_wired_rows_and_rejects_bad_weeks(tmp_path, capsys):
    seen = {}

    def rows(settings, week, customers, rep):
        seen.update(week=week.label, customers=customers, rep=rep)
        return [RadarRow(5, "客户五", RadarInputs(touches=2))]

    settings = settings_for(tmp_path, "sqlite://", "memory://")
    p = _parser(radar_rows=rows)
    args = p.parse_args(["radar", "--week", "2026-W02", "--customer", "5", "--out", str(tmp_path)])
    assert args.func(args, settings) == 0
    assert seen == {"week": "2026-W02", "customers": ["5"], "rep": None} and (tmp_path / "radar-5-2026-W02.png").is_file()
    args = p.parse_args(["radar", "--week", "2026-W60", "--out", str(tmp_path)])
    assert args.func(args, settings) == 2
    args = _parser().parse_args(["radar", "--out", str(tmp_path)])
    assert args.func(args, settings) == 2  # nothing wired and no --from-json
    assert "--from-json" in capsys.readouterr().err


def test_notify_needs_webhooks(tmp_path, capsys):
    settings = settings_for(tmp_path, "sqlite://", "memory://")
    args = _parser().parse_args(["notify", "--until-idle", "0.1"])
    assert args.func(args, settings) == 2
    assert "ACTIONPROOF_NOTIFY_WEBHOOKS" in capsys.readouterr().err
