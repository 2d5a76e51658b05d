"""`actionproof analyze`: the conversation analysis on text or a transcript file, no broker or database.

The same code path as the analyze worker (nlp.analyze.analyze); its --json output is the
stable contract of nlp.analyze.analysis_to_json.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

SPEAKERS = ("rep", "customer", "unknown")


def add_analyze_command(subparsers: Any) -> argparse.ArgumentParser:
    """Register `analyze` on the CLI's subparsers (workers/cli.py calls this)."""
    from nlp.packs import available_industries

    p = subparsers.add_parser("analyze", help="needs, roles, dates, money and objections in a conversation "
                                              "(no broker or database)")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--text", help="the conversation text (one utterance)")
    src.add_argument("--file", help='a transcript: {"segments": [{"speaker", "text", "start_s", "end_s"}]} '
                                    "(the output of `actionproof transcribe --json`) or a list of such segments; "
                                    "- reads standard input")
    p.add_argument("--date", help="the conversation's day, YYYY-MM-DD (relative dates resolve against it; "
                                  "default: today)")
    p.add_argument("--industry", choices=available_industries(), help="industry pack (default: the base pack)")
    p.add_argument("--segment", help="customer segment, e.g. 三甲 (shown with the pack's required roles)")
    p.add_argument("--speaker", choices=SPEAKERS,
                   help="who speaks in --text, and in file segments that do not say (default: unknown)")
    p.add_argument("--json", action="store_true", help="print the JSON contract")
    p.set_defaults(func=cmd_analyze)
    return p


def _segments(raw: Any, default_speaker: str) -> list:
    """Utterances from a transcript document; raises ValueError naming what is wrong."""
    from nlp.analyze import Utterance

    items = raw.get("segments") if isinstance(raw, dict) else raw
    if not isinstance(items, list):
        raise ValueError('expected {"segments": [...]} or a list of segments')
    out = []
    for i, seg in enumerate(items):
        if not isinstance(seg, dict) or not isinstance(seg.get("text"), str):
            raise ValueError(f"segments[{i}]: expected an object with a text string")
        speaker = seg.get("speaker")
        # Mono recordings carry guesses or nothing; anything but rep/customer is unknown.
        speaker = speaker if speaker in ("rep", "customer") else default_speaker
        start, end = seg.get("start_s"), seg.get("end_s")
        out.append(Utterance(seg["text"], speaker,
                             float(start) if isinstance(start, (int, float)) else None,
                             float(end) if isinstance(end, (int, float)) else None,
                             str(seg.get("id") if seg.get("id") is not None else i)))
    return out


def cmd_analyze(args: argparse.Namespace, settings: Any = None) -> int:
    """Analyse --text or --file and print the result; 2 on unusable input."""
    from nlp.analyze import Utterance, analysis_to_json, analyze, required_roles

    try:
        on = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
    except ValueError:
        print(f"--date {args.date!r}: use YYYY-MM-DD", file=sys.stderr)
        return 2
    speaker = args.speaker or "unknown"
    if args.text is not None:
        utterances = [Utterance(args.text, speaker)]
    else:
        try:
            raw_text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
            utterances = _segments(json.loads(raw_text), speaker)
        except OSError as e:
            print(f"{args.file}: {e.strerror}", file=sys.stderr)
            return 2
        except json.JSONDecodeError as e:
            print(f"{args.file}: not JSON ({e.msg} at line {e.lineno})", file=sys.stderr)
            return 2
        except ValueError as e:
            print(f"{args.file}: {e}", file=sys.stderr)
            return 2
    result = analyze(utterances, on=on, industry=args.industry, segment=args.segment)
    out = analysis_to_json(result)
    out["date"] = on.isoformat()
    out["required_roles"] = sorted(required_roles(args.industry, args.segment))
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    _print_text(out)
    return 0


def _print_text(out: dict) -> None:
    print(f"day {out['date']}   industry {out['industry']}   need stated: {'yes' if out['has_need'] else 'no'}")
    sections = [
        ("roles", lambda r: f"{r['mention']:<12} {r['role']:<15} {'took part' if r['took_part'] else 'mentioned'}"
                            f" ({r['evidence']})"),
        ("needs", lambda n: f"[{n['speaker']}] {n['text']}"),
        ("commitments", lambda c: f"{c['kind']:<9} {c['date']}  {c['phrase']}  [{c['speaker']}]"
                                  + (f"  window {c['window_start']}…{c['window_end'] or ''}" if c["window_start"] else "")),
        ("money", lambda m: f"{m['kind']:<9} " + (f"×{m['ratio']}" if m["ratio"] is not None else f"{m['yuan']:,.2f} 元")
                            + f"  {m['phrase']}  [{m['speaker']}]"),
        ("objections", lambda o: f"{o['type']:<9} {o['text']}"),
        ("keywords", lambda k: f"{k['word']} {k['weight']:.2f}"),
    ]
    for name, fmt in sections:
        items = out[name]
        print(f"\n{name}: " + ("none" if not items else ""))
        for item in items:
            print("  " + fmt(item))
    if out.get("notes"):
        print("\nnotes: " + "; ".join(out["notes"]))
