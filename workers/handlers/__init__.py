"""One handler per job schema."""
from __future__ import annotations

from .resolve_alert import handle_alert_resolved
from .verify_action import handle_action_submitted

HANDLERS = {
    "action.submitted/1": handle_action_submitted,
    "alert.resolved/1": handle_alert_resolved,
}

__all__ = ["HANDLERS", "handle_action_submitted", "handle_alert_resolved"]
