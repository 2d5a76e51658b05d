"""Hypothesis strategies for fuzzed job messages, and the outcome every one of them must reach.

Used by tests/integration/test_fuzz_messages.py (a few hundred cases in CI) and bench/fuzz.py
(10,000+ cases). Every schema of queues/schemas.py is covered: valid messages, each field
dropped, retyped, out of range or replaced by hostile text (NUL, lone surrogates, over-long,
whitespace), extra fields, unknown schemas and versions, messages on the wrong queue, bodies
that are not JSON objects, not UTF-8, nested past the parser's recursion limit, and content
types other than JSON.

A case is (body bytes, content type, queue); `publishable` gives each case a unique identity
(a fresh job_id, or a nonce for bodies whose job_id is broken) so one case is one ap_jobs row.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from queues.schemas import JOB_QUEUES, RESOLUTIONS, SCHEMAS, MessageError, parse_message, queue_for
from workers.consumer import _unstorable, stable_job_id

JOB = "\x01JOB\x01"  # placeholder: replaced by a unique job_id when published
FINAL = ("done", "failed", "rejected", "dead_lettered")
REJECT_CODES = ("invalid_message", "unknown_schema")
FAIL_CODES = ("not_found", "consent_missing", "media_outside_root", "media_missing", "media_unreadable",
              "media_too_large", "media_too_long", "alert_closed", "forbidden", "invalid_correction",
              "voiceprint_consent_missing", "voice_sample_too_short", "invalid_plan", "plan_item_not_red",
              "invalid_stage", "gate_not_blocked")
JOB_ID_OK = re.compile(r"^[A-Za-z0-9._:@/-]{1,128}$")

PAYLOAD: dict[str, dict[str, Any]] = {
    "action.submitted/1": {"action_id": 1},
    "recording.submitted/1": {"recording_id": 1},
    "message.submitted/1": {"message_id": 1},
    "transcript.ready/1": {"transcript_id": 1},
    "customer.changed/1": {"customer_id": 1, "reason": "message_analyzed"},
    "alert.resolved/1": {"alert_id": 1, "resolution": "信号漂移", "note": "GPS", "resolved_by": 1},
    "alert.resolved/2": {"alert_id": 1, "resolution": "客户临时改址", "resolved_by": 1,
                         "position": {"lat": 30.27, "lon": 120.15, "datum": "gcj02"}},
    "speakers.corrected/1": {"transcript_id": 1, "corrected_by": 1, "swap": True,
                             "segments": [{"seq": 0, "speaker": "rep"}]},
    "rep.changed/1": {"rep_id": 1},
    "plan.submitted/1": {"rep_id": 1, "plan_date": "2026-03-02"},
    "plan.reason/1": {"plan_id": 1, "reason": "资料未齐", "given_by": 1},
    "stage.requested/1": {"customer_id": 1, "target_stage": "方案报价", "requested_by": 1},
    "stage.override/1": {"gate_id": 1, "overridden_by": 1, "reason": "老客户"},
    "store.node.completed/1": {"store_event_id": 1},
}
assert set(PAYLOAD) == set(SCHEMAS), "a new schema needs its fuzz payload here"

hostile_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=20),
    st.sampled_from(["", " ", "\x00", "a\x00b", "\ud800", "🙂" * 70, "x" * 65, "x" * 129, "x" * 3000,
                     "王总", " padded ", "\n", "null", "1; DROP TABLE ap_jobs", "../../etc/passwd"]),
)
json_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), hostile_text)
json_value = st.recursive(json_scalar, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                               st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                          max_leaves=6)
ids = st.one_of(st.integers(min_value=1, max_value=50), st.integers(), st.sampled_from(
    [0, -1, 2**31, 2**63 - 1, 2**63, 10**30, 1.5, 1.0, "7", " 7 ", "seven", True, None, [], {}]))
times = st.one_of(st.sampled_from(["2026-03-02T10:15:00+08:00", "2026-03-02T10:15:00Z", "2026-03-02T10:15:00",
                                   "2026-03-02", "yesterday", "", "9999-12-31T23:59:59+14:00",
                                   "0001-01-01T00:00:00+00:00", "2026-02-30T10:00:00+08:00"]),
                  st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()), json_value)
field_values = {"action_id": ids, "recording_id": ids, "message_id": ids, "transcript_id": ids, "customer_id": ids,
                "alert_id": ids, "resolved_by": ids, "corrected_by": ids, "rep_id": ids, "plan_id": ids, "gate_id": ids,
                "given_by": ids, "requested_by": ids, "store_event_id": ids, "position": json_value, "overridden_by": ids, "plan_date": times,
                "target_stage": hostile_text,
                "swap": st.one_of(st.booleans(), json_value),
                "segments": st.one_of(st.lists(st.fixed_dictionaries(
                    {"seq": st.one_of(st.integers(min_value=-1, max_value=5), json_value),
                     "speaker": st.one_of(st.sampled_from(["rep", "customer", "unknown"]), hostile_text)}), max_size=3),
                    json_value),
                "reason": hostile_text, "note": hostile_text,
                "resolution": st.one_of(st.sampled_from(RESOLUTIONS), hostile_text), "sent_at": times,
                "org_id": hostile_text, "job_id": st.one_of(hostile_text, st.integers(), st.none()),
                "schema": st.one_of(st.sampled_from(sorted(SCHEMAS)), hostile_text,
                                    st.sampled_from(["action.submitted/2", "action.submitted", "ACTION.SUBMITTED/1",
                                                     "action.verified", "recording.submitted/0"]))}


@dataclass(frozen=True)
class Case:
    body: bytes
    content_type: str
    queue: str
    kind: str  # what was done to it, for the counts


@st.composite
def _message(draw) -> tuple[dict[str, Any], str]:
    schema = draw(st.sampled_from(sorted(SCHEMAS)))
    msg: dict[str, Any] = {"schema": schema, "job_id": JOB, "org_id": draw(st.sampled_from(["fuzz-org", "org-a"])),
                           "sent_at": "2026-03-02T10:15:00+08:00", **PAYLOAD[schema]}
    for key in PAYLOAD[schema]:
        if key.endswith(("_id", "_by")):
            msg[key] = draw(st.integers(min_value=1, max_value=50))
    if schema == "alert.resolved/1":
        msg["resolution"] = draw(st.sampled_from(RESOLUTIONS))
    kind = draw(st.sampled_from(["valid", "drop", "retype", "extra", "several", "ws_job_id"]))
    if kind == "drop":
        del msg[draw(st.sampled_from(sorted(msg)))]
    elif kind == "retype":
        key = draw(st.sampled_from(sorted(msg)))
        msg[key] = draw(field_values.get(key, json_value))
    elif kind == "extra":
        msg[draw(st.text(min_size=1, max_size=10))] = draw(json_value)
    elif kind == "several":
        for key in draw(st.lists(st.sampled_from(sorted(field_values)), min_size=2, max_size=5, unique=True)):
            msg[key] = draw(field_values[key])
    elif kind == "ws_job_id":
        msg["job_id"] = " " + JOB + " "
    return msg, kind


@st.composite
def cases(draw) -> Case:
    """One fuzzed message as it would arrive on a queue."""
    shape = draw(st.sampled_from(["object"] * 8 + ["wrong_queue", "not_json", "not_object", "not_utf8", "deep",
                                                   "content_type"]))
    msg, kind = draw(_message())
    queue = queue_for(msg["schema"]) if msg.get("schema") in SCHEMAS else draw(st.sampled_from(JOB_QUEUES))
    ctype = "application/json"
    if shape == "object":
        body = json.dumps(msg, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")
    elif shape == "wrong_queue":
        body, kind = json.dumps(msg).encode(), "wrong_queue"
        queue = draw(st.sampled_from([q for q in JOB_QUEUES if q != queue]))
    elif shape == "not_json":
        body, kind = draw(st.one_of(st.binary(max_size=64), st.text(max_size=64).map(str.encode),
                                    st.just(json.dumps(msg).encode()[:-1]))), "not_json"
    elif shape == "not_object":
        body, kind = json.dumps(draw(st.one_of(json_scalar, st.lists(json_value, max_size=3)))).encode(), "not_object"
    elif shape == "not_utf8":
        body, kind = json.dumps(msg).encode("utf-16"), "not_utf8"
    elif shape == "deep":
        depth = draw(st.sampled_from([50, 2000, 100_000]))
        body, kind = ("[" * depth + "]" * depth).encode(), "deep"
    else:
        body, kind = json.dumps(msg).encode(), "content_type"
        ctype = draw(st.sampled_from(["text/plain", "application/x-python-serialize", "application/xml",
                                      "application/json; charset=utf-8", "APPLICATION/JSON", "application/octet-stream"]))
    return Case(body, ctype, queue, kind)


def publishable(case: Case, n: int, prefix: str = "fz") -> Case:
    """The case with a unique identity: its placeholder job_id replaced, or a nonce where it has none."""
    job_id = f"{prefix}-{n}"
    body = case.body
    escaped = json.dumps(JOB).strip('"')  # how the placeholder appears in any JSON text
    for encoding in ("utf-8", "utf-16-le"):
        if escaped.encode(encoding) in body:
            body = body.replace(escaped.encode(encoding), job_id.encode(encoding))
            return Case(body, case.content_type, case.queue, case.kind)
    if case.kind == "deep":
        return Case(f'["{job_id}",'.encode() + body + b"]", case.content_type, case.queue, case.kind)
    try:
        data = json.loads(body)
    except Exception:  # noqa: BLE001 - not JSON: a unique prefix keeps it garbage
        return Case(f"{job_id}:".encode() + body, case.content_type, case.queue, case.kind)
    if isinstance(data, dict):
        if isinstance(data.get("job_id"), str) and JOB_ID_OK.match(data["job_id"].strip()):
            data["job_id"] = f"{job_id}.{data['job_id'].strip()}"[:128]  # a usable id made unique
        else:
            data["fuzz_nonce"] = job_id  # an extra field: still invalid, now unique
        return Case(json.dumps(data).encode(), case.content_type, case.queue, case.kind)
    return Case(json.dumps([job_id, data]).encode(), case.content_type, case.queue, case.kind)


def expected(case: Case) -> tuple[str, str]:
    """(job_id of its ap_jobs row, "rejected" or "processed"): what the consumer must make of it."""
    ctype = (case.content_type or "").split(";")[0].strip().lower()
    if ctype not in ("application/json", ""):
        return stable_job_id(case.body), "rejected"
    try:
        msg = parse_message(case.body)
    except MessageError as e:
        return (e.job_id if e.job_id and JOB_ID_OK.match(e.job_id) else stable_job_id(case.body)), "rejected"
    except Exception:  # noqa: BLE001 - e.g. RecursionError: the consumer must reject it too
        return stable_job_id(case.body), "rejected"
    if queue_for(msg.schema_) != case.queue or _unstorable(msg):  # the database could not hold its text/ids
        return msg.job_id, "rejected"
    return msg.job_id, "processed"


def check_rows(cases_: list[Case], rows: dict[str, tuple[str, str | None]]) -> dict[str, Any]:
    """Every case has exactly one row in a final state with a contract error code; returns counts."""
    problems, by_outcome, by_kind = [], {}, {}
    seen: dict[str, Case] = {}
    for case in cases_:
        job_id, outcome = expected(case)
        if job_id in seen:
            problems.append(f"two cases share job_id {job_id!r}: {seen[job_id].body[:80]!r} / {case.body[:80]!r}")
            continue
        seen[job_id] = case
        row = rows.get(job_id)
        if row is None:
            problems.append(f"no ap_jobs row for {job_id!r} ({case.kind}, {case.body[:120]!r})")
            continue
        status, code = row
        ok = (status == "rejected" and code in REJECT_CODES) if outcome == "rejected" else (
            status == "done" or (status == "failed" and code in FAIL_CODES))
        if not ok:
            problems.append(f"{job_id!r} ({case.kind}) ended {status}/{code}, expected {outcome}: {case.body[:160]!r}")
        key = f"{status}/{code}" if code else status
        by_outcome[key] = by_outcome.get(key, 0) + 1
        by_kind[case.kind] = by_kind.get(case.kind, 0) + 1
    extra = set(rows) - set(seen)
    if extra:
        problems.append(f"{len(extra)} rows no case accounts for, e.g. {sorted(extra)[:3]}")
    return {"problems": problems, "outcomes": by_outcome, "kinds": by_kind, "cases": len(cases_)}
