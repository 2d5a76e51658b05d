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
    done = _run("import nlp, nlp.analyze, nlp.money, nlp.learned; "
                "print(nlp.compiled(), nlp.money.__file__, nlp.learned._NATIVE is not None)")
    assert done.returncode == 0, done.stderr
    used, path, native_scores = done.stdout.split()
    assert used == "True" and not path.endswith(".py")
    assert native_scores == "True"  # the models score through nlp.grams, not numpy
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


_SCORES = """
import json, sys
import numpy as np
import bench.nlp_eval as E
import nlp.learned as L
assert L._NATIVE is not None
texts = [r["text"] for r in E.load(E.DATA_DIR / "nlp_holdout21.jsonl")]
texts += ["", "好", "  嗯 ", "预算𠀾𪚥二十万😀", "3k一台，1.2个w，５ｗ", "ＡＢＣ abc？！"]
asked = {
    "objections": [L.objection_query(t, said=("price",) * (i % 2), before_money=("quote",) * (i % 3 == 0))
                   for i, t in enumerate(texts)],
    "needs": [L.need_query(t, before=texts[i - 1], said=bool(i % 2), money=("budget",), dates=("expected",))
              for i, t in enumerate(texts)],
    "money": [L.money_query(t, min(2, len(t)), min(5, len(t)), "customer", "台" if i % 2 else None, bool(i % 3),
                            20000.0 if i % 4 else None) for i, t in enumerate(texts)],
    "commitments": [L.commitment_query(t, min(3, len(t)), min(6, len(t)), "rep", bool(i % 2), "promised")
                    for i, t in enumerate(texts)],
}
same = {}
for name, queries in asked.items():
    m = L.load(name)
    batches = [queries[i:i + k] for k in (1, 3, 50) for i in range(0, len(queries), k)]
    native = [m.score(b) for b in batches]
    L._NATIVE, kept = None, L._NATIVE
    plain = [m.score(b) for b in batches if len(b) > L._FEW]  # the hashed path (one or two: feature strings)
    L._NATIVE = kept
    native = [a for a, b in zip(native, batches) if len(b) > L._FEW]
    same[name] = [len(plain), all(a.shape == b.shape and (a == b).all() for a, b in zip(native, plain))]
print(json.dumps(same))
"""


def test_compiled_scores_are_numpys_to_the_bit() -> None:
    # nlp.grams hashes and sums the models' features in machine integers; numpy's hashed path is
    # the reference, with rare characters (astral, full-width, emoji), empty texts and batch sizes.
    done = _run(_SCORES)
    assert done.returncode == 0, done.stderr
    same = json.loads(done.stdout)
    assert set(same) == {"objections", "needs", "money", "commitments"}
    assert all(n > 10 and equal for n, equal in same.values()), same
