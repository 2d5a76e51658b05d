"""Logs carry no phone numbers or credentials, whatever text reaches them."""
from __future__ import annotations

import io
import json
import logging

import pytest

from workers.logs import JsonFormatter, scrub


@pytest.mark.parametrize("text, hidden, shown", [
    ("call to 13912345678 failed", "13912345678", "139****5678"),
    ("tel +86 139-1234-5678", "1234", "+86 139-****-5678"),
    ("+8613912345678", "13912345678", "+86139****5678"),
    ("座机 0571-8888 6666", "8888", "6666"),
    ("010 12345678", "12345678", "5678"),
    ("postgresql+psycopg://ap:hunter2@db:5432/crm", "hunter2", "ap:***@db"),
    ("https://oapi.dingtalk.com/robot/send?access_token=abc123&timestamp=1&sign=xyz%3D", "abc123", "access_token=***"),
    ("webhook secret=SECabc", "SECabc", "secret=***"),
])
def test_scrub_hides(text: str, hidden: str, shown: str) -> None:
    out = scrub(text)
    assert hidden not in out and shown in out, out


@pytest.mark.parametrize("text", [
    "job crm-act-1042-1 done in 12.5 ms", "phash 0123456789abcdef", "ts 1764236400123", "action:13912345",
    "2026-11-27T10:05:00+08:00",
])
def test_scrub_leaves_ids_times_and_hashes(text: str) -> None:
    assert scrub(text) == text


def test_json_lines_are_scrubbed_in_message_extra_and_traceback() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    log = logging.getLogger("test.scrub")
    log.addHandler(handler)
    log.propagate = False
    try:
        try:
            raise ValueError("bad number 13800138000")
        except ValueError:
            log.exception("job failed for %s", "15912345678",
                          extra={"error": "amqp://u:topsecret@mq//", "number": "+86 138 0013 8000"})
    finally:
        log.removeHandler(handler)
    line = stream.getvalue()
    record = json.loads(line)  # still one valid JSON object
    for secret in ("13800138000", "15912345678", "topsecret", "0013"):
        assert secret not in line, line
    assert record["msg"] == "job failed for 159****5678" and record["error"] == "amqp://u:***@mq//"
