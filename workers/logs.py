"""Structured logs: one JSON object per line."""
from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys

_RESERVED = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}


# A last line of defence under the handlers' own care (ids and counts in results, masked numbers in
# checks): whatever text an error or a library puts in a log line, phone numbers and credentials
# do not reach the log (PIPL: logs are kept longer and read by more people than the data).
_PHONE = re.compile(r"(?<![0-9A-Za-z])((?:\+?86[- ]?)?)"  # optional country code, kept
                    r"(1[3-9]\d[- ]?\d{4}[- ]?\d{4}|0\d{2,3}[- ]?\d{3,4}[- ]?\d{4})"  # mobile | landline
                    r"(?![0-9A-Za-z])")
_URL_PASSWORD = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^:/@\s\"]+):[^@\s/\"]+@", re.I)
_SECRET_PARAM = re.compile(r"\b((?:access_token|secret|sign|password|passwd|token|api_key|key)=)[^&\s\"']+", re.I)


def _mask_phone(match: re.Match[str]) -> str:
    prefix, number = match.group(1), match.group(2)
    digits = [i for i, c in enumerate(number) if c.isdigit()]
    keep = set(digits[:3] + digits[-4:])
    return prefix + "".join(c if not c.isdigit() or i in keep else "*" for i, c in enumerate(number))


def scrub(text: str) -> str:
    """The text with phone numbers masked and passwords, tokens and signatures replaced by ***."""
    text = _URL_PASSWORD.sub(r"\1:***@", text)
    text = _SECRET_PARAM.sub(r"\1***", text)
    return _PHONE.sub(_mask_phone, text)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        out.update({k: v for k, v in record.__dict__.items() if k not in _RESERVED})
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return scrub(json.dumps(out, ensure_ascii=False, default=str))


def setup_logging(level: str = "INFO") -> None:
    root = logging.getLogger()
    if any(getattr(h, "_actionproof", False) for h in root.handlers):
        root.setLevel(level.upper())
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler._actionproof = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level.upper())
    # kombu and amqp log every reconnect attempt at warning; our job lines say what matters.
    logging.getLogger("amqp").setLevel(logging.WARNING)
    logging.getLogger("exifread").setLevel(logging.ERROR)  # "File format not recognized" per odd photo
