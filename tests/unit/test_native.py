"""The analysis rules compiled with mypyc (scripts/build_nlp.py): built by setup, used, current,
and saying exactly what their Python sources say."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nlp

ROOT = Path(__file__).resolve().parents[2]

_ANALYSE = """
import json, sys
import nlp
if sys.argv[1] == "sources":
    nlp.prefer_sources()
import bench.nlp_eval as E
from nlp.analyze import analysis_to_json, analyze
out = []
for name in ("nlp_holdout21.jsonl",):
    rows = E.load(E.DATA_DIR / name)
    for draw in (rows, E.noisy(rows, 0.2, seed=7)):
        for models in (True, False):
            for u, d, i in E.transcripts(draw):
                out.append(analysis_to_json(analyze(u, on=d, industry=i, models=models)))
print(json.dumps({"compiled": nlp.compiled(), "out": out}, ensure_ascii=False, sort_keys=True))
"""


def _run(code: str, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def test_setup_compiled_the_rules_and_they_are_used() -> None:
    # scripts/setup.sh runs scripts/build_nlp.py; without a C compiler the sources run, more slowly,
    # and this test says so.
    assert (ROOT / "nlp" / nlp.NATIVE_MANIFEST).exists(), "no compiled rules: run python scripts/build_nlp.py"
    done = _run("import nlp, nlp.analyze, nlp.money; print(nlp.compiled(), nlp.money.__file__)")
    assert done.returncode == 0, done.stderr
    used, path = done.stdout.split()
    assert used == "True" and not path.endswith(".py")
    rebuilt = subprocess.run([sys.executable, "scripts/build_nlp.py"], cwd=ROOT, capture_output=True, text=True)
    assert rebuilt.returncode == 0 and "compiling" not in rebuilt.stderr  # current: nothing to do


def test_compiled_rules_say_what_the_sources_say() -> None:
    # Both at once: one core each.
    runs = [subprocess.Popen([sys.executable, "-c", _ANALYSE, how], cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for how in ("compiled", "sources")]
    (out_a, err_a), (out_b, err_b) = (r.communicate(timeout=600) for r in runs)
    assert runs[0].returncode == 0, err_a
    assert runs[1].returncode == 0, err_b
    a, b = json.loads(out_a), json.loads(out_b)
    assert a["compiled"] is True and b["compiled"] is False
    assert len(a["out"]) > 100
    assert a["out"] == b["out"]


def test_an_edited_source_is_never_shadowed_by_an_old_build(tmp_path: Path) -> None:
    # A copy of the package with the compiled modules, then one source edited after the build.
    copy = tmp_path / "nlp"
    shutil.copytree(ROOT / "nlp", copy, ignore=shutil.ignore_patterns("models", "packs", "speech", "__pycache__"))
    probe = "import warnings, nlp.text, nlp; print(nlp.text.__file__)"
    first = _run(probe, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert not first.stdout.strip().endswith(".py")  # the copy's build is current: compiled
    source = copy / "text.py"
    source.write_text(source.read_text(encoding="utf-8") + "\nEDITED = True\n", encoding="utf-8")
    second = _run(probe + "; print(nlp.text.EDITED)", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert second.stdout.split() == [str(copy / "text.py"), "True"]
    assert "older than their sources" in second.stderr
