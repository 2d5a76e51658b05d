"""`actionproof analyze` through cmd_analyze (the same code path as the worker)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from workers.cli_analyze import add_analyze_command, cmd_analyze

DONE_WHEN = "王总您好，我们希望三月二十日前交付第一批，预算大概十二万"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="actionproof")
    add_analyze_command(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["analyze", *argv])
    code = cmd_analyze(args, None)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_done_when_command(capsys) -> None:
    code, out, _ = run(capsys, "--text", DONE_WHEN, "--date", "2026-03-02", "--speaker", "customer", "--json")
    assert code == 0
    data = json.loads(out)
    assert [(r["mention"], r["role"], r["took_part"]) for r in data["roles"]] == [("王总", "decision_maker", True)]
    assert [n["text"] for n in data["needs"]] == ["我们希望三月二十日前交付第一批"]
    assert [(c["kind"], c["date"]) for c in data["commitments"]] == [("expected", "2026-03-20")]
    assert [(m["kind"], m["yuan"]) for m in data["money"]] == [("budget", 120000.0)]


def test_rep_speaker_makes_promises_not_needs(capsys) -> None:
    _, out, _ = run(capsys, "--text", "我们需要确认一下，预计三月二十五号能到", "--date", "2026-03-02", "--speaker", "rep",
                    "--json")
    data = json.loads(out)
    assert data["needs"] == [] and [c["kind"] for c in data["commitments"]] == ["promised"]


@pytest.mark.parametrize("shape", ["object", "list"])
def test_transcript_file(capsys, tmp_path: Path, shape: str) -> None:
    segments = [{"speaker": "rep", "text": "张工您好，参数表发您了。", "start_s": 0.0, "end_s": 2.1},
                {"speaker": "customer", "text": "我们需要兼容新国标的型号，月底前要到货。", "start_s": 2.4, "end_s": 5.0},
                {"speaker": "speaker_1", "text": "打个九五折吧。", "start_s": 5.2, "end_s": 6.0}]
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"segments": segments} if shape == "object" else segments, ensure_ascii=False),
                    encoding="utf-8")
    code, out, _ = run(capsys, "--file", str(path), "--date", "2026-03-02", "--industry", "manufacturing", "--json")
    data = json.loads(out)
    assert code == 0 and data["industry"] == "manufacturing"
    assert [(r["mention"], r["took_part"]) for r in data["roles"]] == [("张工", True)]
    assert [n["speaker"] for n in data["needs"]] == ["customer", "customer"]
    assert [(c["kind"], c["date"]) for c in data["commitments"]] == [("expected", "2026-03-31")]
    assert [(m["kind"], m["ratio"], m["speaker"]) for m in data["money"]] == [("discount", 0.95, "unknown")]
    assert data["keywords"][0]["weight"] == 1.0 and data["required_roles"] == ["decision_maker", "procurement", "technical"]


def test_text_output(capsys) -> None:
    code, out, _ = run(capsys, "--text", DONE_WHEN, "--date", "2026-03-02", "--speaker", "customer")
    assert code == 0 and "王总" in out and "expected  2026-03-20" in out and "120,000.00 元" in out


def test_bad_input(capsys, tmp_path: Path) -> None:
    assert run(capsys, "--text", "你好", "--date", "2026/03/02")[0] == 2
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    code, _, err = run(capsys, "--file", str(bad))
    assert code == 2 and "not JSON" in err
    bad.write_text('{"segments": [{"speaker": "rep"}]}', encoding="utf-8")
    code, _, err = run(capsys, "--file", str(bad))
    assert code == 2 and "segments[0]" in err
    code, _, err = run(capsys, "--file", str(tmp_path / "missing.json"))
    assert code == 2
    with pytest.raises(SystemExit):
        run(capsys, "--text", "你好", "--industry", "aerospace")
