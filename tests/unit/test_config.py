"""Configuration comes from the environment only, with the README's defaults."""
import pytest

from workers.config import Settings


def test_defaults_match_the_design():
    s = Settings.from_env({})
    assert (s.radius_m, s.photo_time_tolerance_s, s.alert_due_hours) == (500.0, 180.0, 2.0)
    assert s.retry_window_s == 900 and s.retry_max_delay_s == 60 and s.not_found_window_s == 60
    assert s.database_url.startswith("sqlite:///") and s.broker_url.startswith("sqlite-lease:///")
    assert s.required_evidence["上门拜访"] == ["checkin", "photo"] and "报价" not in s.required_evidence


def test_overrides_and_bad_values():
    s = Settings.from_env({"ACTIONPROOF_RADIUS_M": "800", "ACTIONPROOF_PREFETCH_TRANSCRIBE": "1",
                           "ACTIONPROOF_REQUIRED_EVIDENCE": '{"报价": ["call_log"]}', "ACTIONPROOF_ALERT_CLOCK": "business"})
    assert s.radius_m == 800 and s.prefetch_for("transcribe") == 1 and s.prefetch_for("verify") == 4
    assert s.required_evidence == {"报价": ["call_log"]} and s.alert_clock == "business"
    with pytest.raises(SystemExit, match="ACTIONPROOF_RADIUS_M"):
        Settings.from_env({"ACTIONPROOF_RADIUS_M": "far"})
    with pytest.raises(SystemExit, match="ACTIONPROOF_ALERT_CLOCK"):
        Settings.from_env({"ACTIONPROOF_ALERT_CLOCK": "lunar"})
