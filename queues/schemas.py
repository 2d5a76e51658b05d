"""Versioned job message schemas (docs/contract.md, "Job messages"), validated on receipt.

Every message is a flat JSON object: the envelope fields plus the payload of its schema.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, model_validator

RESOLUTIONS = ("客户临时改址", "信号漂移", "确认虚假", "其他")
PLAN_REASONS = ("客户临时变更", "资料未齐", "权限不足", "其他")


class Envelope(BaseModel):
    """Fields every job message carries; the payload fields of its schema follow them."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    schema_: str = Field(alias="schema")
    job_id: str = Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9._:@/-]+$")
    org_id: str = Field(min_length=1, max_length=64)
    sent_at: AwareDatetime


class ActionSubmitted(Envelope):
    """An action was recorded (or changed): judge its evidence. Produced by the CRM."""

    action_id: int = Field(gt=0)


class RecordingSubmitted(Envelope):
    """A call recording was stored: transcribe it if consent is recorded. Produced by the CRM."""

    recording_id: int = Field(gt=0)


class MessageSubmitted(Envelope):
    """A chat or e-mail message was stored: analyse it. Produced by the CRM."""

    message_id: int = Field(gt=0)


class TranscriptReady(Envelope):
    """A transcript was written: analyse it. Produced by the transcribe worker."""

    transcript_id: int = Field(gt=0)


class CustomerChanged(Envelope):
    """A customer's analysis changed: recompute CQI and suggestions. Produced by the analyze worker."""

    customer_id: int = Field(gt=0)
    reason: str = Field(min_length=1, max_length=64)


class AlertResolved(Envelope):
    """A manager resolved a verification alert with a reason category. Produced by the CRM."""

    # The rule `_other_needs_note` enforces, stated for JSON Schema validators too.
    model_config = ConfigDict(json_schema_extra={
        "if": {"properties": {"resolution": {"const": "其他"}}, "required": ["resolution"]},
        "then": {"required": ["note"], "properties": {"note": {"type": "string", "pattern": "\\S"}}},
    })

    alert_id: int = Field(gt=0)
    resolution: Literal["客户临时改址", "信号漂移", "确认虚假", "其他"]
    note: str | None = Field(default=None, max_length=2000)
    resolved_by: int = Field(gt=0)

    @model_validator(mode="after")
    def _other_needs_note(self) -> "AlertResolved":
        if self.resolution == "其他" and not (self.note or "").strip():
            raise ValueError("resolution 其他 (other) needs a note saying what happened")
        return self


class SitePosition(BaseModel):
    """Where the customer received the rep, as the manager's app located it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    datum: Literal["wgs84", "gcj02", "bd09"] = "wgs84"


class AlertResolved2(AlertResolved):
    """Version 2: a 客户临时改址 resolution may carry the new position, which becomes an alternative
    site of the customer for a while. Produced by the CRM."""

    position: SitePosition | None = None

    @model_validator(mode="after")
    def _position_only_when_moved(self) -> "AlertResolved2":
        if self.position is not None and self.resolution != "客户临时改址":
            raise ValueError("a position goes only with resolution 客户临时改址 (customer moved)")
        return self


class SegmentSpeaker(BaseModel):
    """One segment's speaker as a manager set it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    seq: int = Field(ge=0)
    speaker: Literal["rep", "customer", "unknown"]


class SpeakersCorrected(Envelope):
    """A manager swapped or corrected who said what in a call: store it and derive the facts again.
    Produced by the CRM."""

    model_config = ConfigDict(json_schema_extra={"anyOf": [
        {"properties": {"swap": {"const": True}}, "required": ["swap"]},
        {"properties": {"segments": {"minItems": 1}}, "required": ["segments"]}]})

    transcript_id: int = Field(gt=0)
    corrected_by: int = Field(gt=0)
    swap: bool = False  # rep ↔ customer on every segment (unknown stays unknown)
    segments: list[SegmentSpeaker] = Field(default_factory=list, max_length=10_000)  # applied after a swap

    @model_validator(mode="after")
    def _says_something(self) -> "SpeakersCorrected":
        if not self.swap and not self.segments:
            raise ValueError("a correction needs swap: true or at least one segment")
        return self


class RepChanged(Envelope):
    """A rep's voiceprint consent or employment changed (crm_users.voiceprint_consent / left_at):
    the voiceprint is deleted when consent is withdrawn or the rep left. Produced by the CRM."""

    rep_id: int = Field(gt=0)


class PlanSubmitted(Envelope):
    """A rep's must-do plan for a local day was written to crm_daily_plans: check it names known
    people and customers now, not at the check time. Produced by the CRM."""

    rep_id: int = Field(gt=0)
    plan_date: dt.date


class PlanReason(Envelope):
    """A manager classifies why a red plan item was not done. Produced by the CRM."""

    model_config = ConfigDict(json_schema_extra={
        "if": {"properties": {"reason": {"const": "其他"}}, "required": ["reason"]},
        "then": {"required": ["note"], "properties": {"note": {"type": "string", "pattern": "\\S"}}},
    })

    plan_id: int = Field(gt=0)
    reason: Literal["客户临时变更", "资料未齐", "权限不足", "其他"]
    note: str | None = Field(default=None, max_length=2000)
    given_by: int = Field(gt=0)

    @model_validator(mode="after")
    def _other_needs_note(self) -> "PlanReason":
        if self.reason == "其他" and not (self.note or "").strip():
            raise ValueError("reason 其他 (other) needs a note saying what happened")
        return self


class StageRequested(Envelope):
    """Someone pressed 进入下一阶段: judge the stage change against its checklists. Produced by the CRM."""

    customer_id: int = Field(gt=0)
    target_stage: str = Field(min_length=1, max_length=64)
    requested_by: int = Field(gt=0)


class StageOverride(Envelope):
    """A manager lets a blocked stage change through anyway, with a reason (audited). Produced by the CRM."""

    gate_id: int = Field(gt=0)
    overridden_by: int = Field(gt=0)
    reason: str = Field(min_length=1, max_length=2000, pattern=r"\S")


class StoreNodeCompleted(Envelope):
    """A guide completed a golden node with a visitor (a crm_store_events row): answer with the next
    node's line and similar won cases. Produced by the CRM."""

    store_event_id: int = Field(gt=0)


# schema name/version → (model, queue). The queue is the job type.
SCHEMAS: dict[str, tuple[type[Envelope], str]] = {
    "action.submitted/1": (ActionSubmitted, "verify"),
    "recording.submitted/1": (RecordingSubmitted, "transcribe"),
    "message.submitted/1": (MessageSubmitted, "analyze"),
    "transcript.ready/1": (TranscriptReady, "analyze"),
    "customer.changed/1": (CustomerChanged, "score"),
    "alert.resolved/1": (AlertResolved, "verify"),
    "alert.resolved/2": (AlertResolved2, "verify"),
    "speakers.corrected/1": (SpeakersCorrected, "analyze"),
    "rep.changed/1": (RepChanged, "analyze"),
    # Manager and CRM decisions: short jobs, beside alert.resolved/1.
    "plan.submitted/1": (PlanSubmitted, "verify"),
    "plan.reason/1": (PlanReason, "verify"),
    "stage.requested/1": (StageRequested, "verify"),
    "stage.override/1": (StageOverride, "verify"),
    # Prompts have their own queue: a guide waits for them, so no verification or transcription
    # queued ahead may delay them.
    "store.node.completed/1": (StoreNodeCompleted, "store"),
}
JOB_QUEUES = ("verify", "transcribe", "analyze", "score", "store")


class MessageError(Exception):
    """A message that can never be processed: it is rejected to the dead-letter queue."""

    def __init__(self, code: str, message: str, job_id: str | None = None, org_id: str | None = None,
                 schema: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.job_id = job_id
        self.org_id = org_id
        self.schema = schema


def _describe(err: ValidationError) -> str:
    parts = []
    for e in err.errors()[:5]:
        loc = ".".join(str(p) for p in e["loc"]) or "message"
        parts.append(f"{loc}: {e['msg']}")
    return "; ".join(parts)


def parse_message(body: bytes | str | dict[str, Any]) -> Envelope:
    """Decode and validate one job message; raise MessageError with a readable reason."""
    if isinstance(body, (bytes, bytearray)):
        try:
            body = body.decode("utf-8")
        except UnicodeDecodeError as e:
            raise MessageError("invalid_message", f"message is not UTF-8 text ({e.reason})") from None
    if isinstance(body, str):
        try:
            data = json.loads(body)
        except json.JSONDecodeError as e:
            raise MessageError("invalid_message", f"message is not valid JSON: {e.msg} at {e.pos}") from None
    else:
        data = body
    if not isinstance(data, dict):
        raise MessageError("invalid_message", f"message must be a JSON object, got {type(data).__name__}")
    job_id = data.get("job_id") if isinstance(data.get("job_id"), str) else None
    org_id = data.get("org_id") if isinstance(data.get("org_id"), str) else None
    schema = data.get("schema")
    if not isinstance(schema, str) or not schema:
        raise MessageError("invalid_message", "message has no 'schema' field", job_id, org_id)
    if schema not in SCHEMAS:
        name = schema.split("/")[0]
        known = sorted(s for s in SCHEMAS if s.split("/")[0] == name)
        hint = f" (this service knows {', '.join(known)})" if known else ""
        raise MessageError("unknown_schema", f"unknown schema {schema!r}{hint}", job_id, org_id, schema)
    model, _queue = SCHEMAS[schema]
    try:
        return model.model_validate(data)
    except ValidationError as e:
        raise MessageError("invalid_message", f"{schema}: {_describe(e)}", job_id, org_id, schema) from None


def queue_for(schema: str) -> str:
    return SCHEMAS[schema][1]


def dump_message(msg: Envelope) -> dict[str, Any]:
    return msg.model_dump(mode="json", by_alias=True, exclude_none=True)
