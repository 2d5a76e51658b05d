"""`actionproof voice enrol|show|forget`: an operator's view of reps' voiceprints (never the vectors)."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from .config import Settings


def cmd_voice_enrol(args: argparse.Namespace, settings: Settings) -> int:
    from nlp.speech.audio import AudioError
    from nlp.speech.voices import voiceprints

    from models import CrmUser

    from .app import sessions
    from .asr_model import ModelError, SpeechSettings, load_speaker_model
    from .cli_speech import read_voice
    from .voiceprints import add_sample, may_enrol, sample_counts

    speech = SpeechSettings.of(settings)
    with sessions(settings)() as s:
        user = s.get(CrmUser, args.rep)
        if user is None:
            print(f"not_found: no user {args.rep}", file=sys.stderr)
            return 1
        if not may_enrol(user):
            print(f"voiceprint_consent_missing: rep {args.rep} has not agreed to a voiceprint "
                  "(crm_users.voiceprint_consent) or has left; nothing was read", file=sys.stderr)
            return 1
        org_id = user.org_id
    samples = []
    for f in args.files:
        path = Path(f)
        try:
            samples.append(voiceprints([read_voice(path, speech)], 16000, load_speaker_model()))
        except FileNotFoundError:
            print(f"media_missing: {path} does not exist", file=sys.stderr)
            return 1
        except OSError as e:
            code = "media_too_large" if e.errno == 27 else "media_unreadable"  # EFBIG from read_voice
            print(f"{code}: {path}: {e.strerror}", file=sys.stderr)
            return 1
        except AudioError as e:
            print(f"{e.code}: {path}: {e}", file=sys.stderr)
            return 1
        except ModelError as e:
            print(f"{e.code}: {e}", file=sys.stderr)
            return 2
        if samples[-1][0].seconds < 2.0:
            print(f"voice_sample_too_short: {path} holds {samples[-1][0].seconds:.1f} s of speech (at least 2 s)",
                  file=sys.stderr)
            return 1
    now = dt.datetime.now(dt.timezone.utc)
    with sessions(settings)() as s, s.begin():
        for sample in (p for prints in samples for p in prints):
            add_sample(s, org_id, args.rep, sample, source="operator", recording_id=None, now=now)
    with sessions(settings)() as s:
        print(json.dumps(sample_counts(s, args.rep), ensure_ascii=False))
    return 0


def cmd_voice_show(args: argparse.Namespace, settings: Settings) -> int:
    from .app import sessions
    from .voiceprints import sample_counts

    with sessions(settings)() as s:
        print(json.dumps(sample_counts(s, args.rep), ensure_ascii=False))
    return 0


def cmd_voice_forget(args: argparse.Namespace, settings: Settings) -> int:
    from .app import sessions
    from .voiceprints import forget_rep

    with sessions(settings)() as s, s.begin():
        n = forget_rep(s, args.rep, actor="operator:cli", reason=args.reason)
    print(json.dumps({"rep_id": args.rep, "samples_deleted": n}))
    return 0


def add_voice_commands(sub: argparse._SubParsersAction) -> None:
    v = sub.add_parser("voice", help="reps' voiceprints: enrol from recordings, show what is stored, forget")
    vs = v.add_subparsers(dest="voice_command", required=True)
    e = vs.add_parser("enrol", help="enrol a consenting rep's voiceprint from recordings of the rep alone")
    e.add_argument("--rep", type=int, required=True)
    e.add_argument("files", nargs="+")
    e.set_defaults(func=cmd_voice_enrol)
    s = vs.add_parser("show", help="what is stored for a rep: samples, seconds, sources, recording ids")
    s.add_argument("--rep", type=int, required=True)
    s.set_defaults(func=cmd_voice_show)
    f = vs.add_parser("forget", help="delete every voice sample of a rep (audited)")
    f.add_argument("--rep", type=int, required=True)
    f.add_argument("--reason", default="operator_request")
    f.set_defaults(func=cmd_voice_forget)
