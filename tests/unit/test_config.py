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


def test_asr_device_and_compute_type():
    s = Settings.from_env({})
    assert (s.asr_device, s.asr_compute_type, s.asr_device_index) == ("cpu", "int8", 0)
    s = Settings.from_env({"ACTIONPROOF_ASR_DEVICE": "cuda", "ACTIONPROOF_ASR_DEVICE_INDEX": "1"})
    assert (s.asr_device, s.asr_compute_type, s.asr_device_index) == ("cuda", "float16", 1)
    s = Settings.from_env({"ACTIONPROOF_ASR_DEVICE": "auto"})
    assert (s.asr_device, s.asr_compute_type) == ("auto", "")  # the device's default, chosen at model load
    s = Settings.from_env({"ACTIONPROOF_ASR_DEVICE": "cuda", "ACTIONPROOF_ASR_COMPUTE_TYPE": "int8_float16"})
    assert s.asr_compute_type == "int8_float16"
    assert Settings.from_env({"ACTIONPROOF_ASR_COMPUTE_TYPE": "float32"}).asr_compute_type == "float32"
    with pytest.raises(SystemExit, match="ACTIONPROOF_ASR_DEVICE='gpu': use one of cpu, cuda, auto"):
        Settings.from_env({"ACTIONPROOF_ASR_DEVICE": "gpu"})
    with pytest.raises(SystemExit, match="ACTIONPROOF_ASR_COMPUTE_TYPE='fp16': use one of int8"):
        Settings.from_env({"ACTIONPROOF_ASR_DEVICE": "cuda", "ACTIONPROOF_ASR_COMPUTE_TYPE": "fp16"})
    with pytest.raises(SystemExit, match="'float16' needs a GPU"):
        Settings.from_env({"ACTIONPROOF_ASR_COMPUTE_TYPE": "float16"})
    with pytest.raises(SystemExit, match="'int16' runs on cpu only"):
        Settings.from_env({"ACTIONPROOF_ASR_DEVICE": "cuda", "ACTIONPROOF_ASR_COMPUTE_TYPE": "int16"})
    with pytest.raises(SystemExit, match="ACTIONPROOF_ASR_DEVICE_INDEX=-1"):
        Settings.from_env({"ACTIONPROOF_ASR_DEVICE_INDEX": "-1"})


def test_asr_decoding_is_beam_unless_greedy_first_is_chosen():
    from workers.asr_model import SpeechSettings

    assert Settings.from_env({}).asr_decoding == "beam"
    assert SpeechSettings.of(Settings.from_env({})).greedy_first is False
    chosen = Settings.from_env({"ACTIONPROOF_ASR_DECODING": "greedy-first"})
    assert SpeechSettings.of(chosen).greedy_first is True
    with pytest.raises(SystemExit, match="ACTIONPROOF_ASR_DECODING"):
        Settings.from_env({"ACTIONPROOF_ASR_DECODING": "fast"})
