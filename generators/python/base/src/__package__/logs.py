"""JSON logging: one object per line on stdout, for the service and for uvicorn."""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC
from datetime import datetime
from typing import Any

import jwt

# Set by the request-context middleware so every log line emitted while serving a
# request (including from route code) carries its id without passing it around.
request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

# Only these `extra=` fields are copied into the output. An allow-list rather than
# "everything on the record" so a careless `extra={"headers": ...}` can never leak an
# Authorization header or a token into the logs.
_EXTRA_FIELDS = (
    "method",
    "path",
    "route",
    "status",
    "duration_ms",
    "client",
    "user_agent",
    "reason",
)

AUTH_LOGGER_NAME = f"{__name__.rpartition('.')[0]}.auth"
auth_logger = logging.getLogger(AUTH_LOGGER_NAME)

# PyJWT's error classes, most specific first (a bad signature is also a decode error), each with
# the reason an operator reads in the log.
_AUTH_FAILURE_REASONS: tuple[tuple[type[jwt.PyJWTError], str], ...] = (
    (jwt.ExpiredSignatureError, "expired"),
    (jwt.ImmatureSignatureError, "not yet valid"),
    (jwt.InvalidAudienceError, "wrong audience"),
    (jwt.InvalidIssuerError, "wrong issuer"),
    (jwt.MissingRequiredClaimError, "missing claim"),
    (jwt.InvalidSignatureError, "bad signature"),
    (jwt.InvalidAlgorithmError, "algorithm not allowed"),
    (jwt.DecodeError, "malformed"),
)


def auth_failure_reason(error: jwt.PyJWTError | None) -> str:
    """Why a token was refused, in a word or two; `None` means no token was sent."""
    if error is None:
        return "missing"
    for kind, reason in _AUTH_FAILURE_REASONS:
        if isinstance(error, kind):
            return reason
    return "invalid"


def log_auth_failure(error: jwt.PyJWTError | None) -> None:
    """One log line for a refused token: its reason, never the token (nor PyJWT's message,
    which may quote a claim)."""
    # A missing token is routine (a browser, a probe); a refused one is worth a warning.
    level = logging.INFO if error is None else logging.WARNING
    auth_logger.log(level, "authentication failed", extra={"reason": auth_failure_reason(error)})


def utc_timestamp(seconds: float) -> str:
    """RFC 3339 in UTC with millisecond precision and a `Z` suffix."""
    moment = datetime.fromtimestamp(seconds, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonFormatter(logging.Formatter):
    """Render a record as a single-line JSON object."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": utc_timestamp(record.created),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or request_id_var.get()
        if request_id is not None:
            entry["request_id"] = request_id
        for field in _EXTRA_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def python_level(level: str) -> str:
    """The `logging` module's name for a contract level: the contract says `warn`, Python
    says `WARNING`."""
    return "WARNING" if level.lower() in ("warn", "warning") else level.upper()


def logging_config(level: str) -> dict[str, Any]:
    """A `logging.config.dictConfig` mapping; also handed to uvicorn as `log_config` so
    its own loggers share the JSON handler instead of installing their text ones."""
    level_name = python_level(level)
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            }
        },
        "root": {"handlers": ["stdout"], "level": level_name},
        "loggers": {
            "uvicorn": {"handlers": [], "level": level_name, "propagate": True},
            "uvicorn.error": {"handlers": [], "level": level_name, "propagate": True},
            # We write our own access line (with the request id); uvicorn's would duplicate
            # it and include the query string.
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }
