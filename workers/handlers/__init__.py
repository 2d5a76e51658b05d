"""One handler per job schema."""
from __future__ import annotations

from .analyze import handle_message_submitted, handle_transcript_ready
from .gate import handle_stage_override, handle_stage_requested
from .plan import handle_plan_reason, handle_plan_submitted
from .resolve_alert import handle_alert_resolved
from .score import handle_customer_changed
from .store import handle_store_node_completed
from .speakers import handle_rep_changed, handle_speakers_corrected
from .transcribe import handle_recording_submitted
from .verify_action import handle_action_submitted

HANDLERS = {
    "action.submitted/1": handle_action_submitted,
    "alert.resolved/1": handle_alert_resolved,
    "alert.resolved/2": handle_alert_resolved,
    "recording.submitted/1": handle_recording_submitted,
    "transcript.ready/1": handle_transcript_ready,
    "message.submitted/1": handle_message_submitted,
    "customer.changed/1": handle_customer_changed,
    "speakers.corrected/1": handle_speakers_corrected,
    "rep.changed/1": handle_rep_changed,
    "plan.submitted/1": handle_plan_submitted,
    "plan.reason/1": handle_plan_reason,
    "stage.requested/1": handle_stage_requested,
    "stage.override/1": handle_stage_override,
    "store.node.completed/1": handle_store_node_completed,
}

__all__ = ["HANDLERS"]
