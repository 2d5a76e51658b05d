"""Message schemas: every kind of bad message gets a clear, classified reason."""
import json

import pytest

from queues.schemas import SCHEMAS, MessageError, dump_message, parse_message

ENV = {"job_id": "job-1", "org_id": "acme", "sent_at": "2026-03-02T10:00:00+08:00"}


def test_valid_message_round_trips():
    msg = parse_message(json.dumps({**ENV, "schema": "action.submitted/1", "action_id": 7}))
    assert msg.action_id == 7 and msg.schema_ == "action.submitted/1"
    assert parse_message(dump_message(msg)) == msg


@pytest.mark.parametrize("body, code, words", [
    (b"\xff\xfe", "invalid_message", "UTF-8"),
    ("{oops", "invalid_message", "not valid JSON"),
    ("[1, 2]", "invalid_message", "JSON object"),
    (json.dumps(ENV), "invalid_message", "schema"),
    (json.dumps({**ENV, "schema": "action.submitted/2", "action_id": 1}), "unknown_schema", "action.submitted/1"),
    (json.dumps({**ENV, "schema": "photo.uploaded/1"}), "unknown_schema", "photo.uploaded/1"),
    (json.dumps({**ENV, "schema": "action.submitted/1"}), "invalid_message", "action_id"),
    (json.dumps({**ENV, "schema": "action.submitted/1", "action_id": -3}), "invalid_message", "action_id"),
    (json.dumps({**ENV, "schema": "action.submitted/1", "action_id": 1, "sent_at": "2026-03-02T10:00:00"}),
     "invalid_message", "timezone"),
    (json.dumps({**ENV, "schema": "action.submitted/1", "action_id": 1, "acton": 2}), "invalid_message", "acton"),
    (json.dumps({**ENV, "job_id": "", "schema": "action.submitted/1", "action_id": 1}), "invalid_message", "job_id"),
    (json.dumps({**ENV, "schema": "alert.resolved/1", "alert_id": 1, "resolution": "随便", "resolved_by": 2}),
     "invalid_message", "resolution"),
    (json.dumps({**ENV, "schema": "alert.resolved/1", "alert_id": 1, "resolution": "其他", "resolved_by": 2}),
     "invalid_message", "note"),
])
def test_bad_messages_are_classified(body, code, words):
    with pytest.raises(MessageError) as err:
        parse_message(body)
    assert err.value.code == code
    assert words in str(err.value)


def test_job_id_is_kept_for_the_record_even_when_invalid():
    with pytest.raises(MessageError) as err:
        parse_message(json.dumps({**ENV, "schema": "action.submitted/1"}))
    assert err.value.job_id == "job-1" and err.value.org_id == "acme"


def test_every_schema_maps_to_a_contract_queue():
    assert {q for _, q in SCHEMAS.values()} == {"verify", "transcribe", "analyze", "score", "store"}
