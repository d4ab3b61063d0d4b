"""The format as JSON Schema (`format`), documents validated against it (`validate`), and each schema error
explained in the map's words (`explain`)."""

from .explain import explain
from .format import (
    BRIEF,
    EVIDENCE,
    EXPERIMENT,
    ISO_DATE,
    METRIC,
    OWNERS,
    PERSONAS,
    SCHEMA_URL,
    STAGE,
    TOUCHPOINT,
    journey_schema,
    schema_for,
)
from .validate import _validators, prepare_validators, validate

__all__ = ["BRIEF", "EVIDENCE", "EXPERIMENT", "ISO_DATE", "METRIC", "OWNERS", "PERSONAS", "SCHEMA_URL", "STAGE",
           "TOUCHPOINT", "explain", "journey_schema", "prepare_validators", "schema_for", "validate",
           "_validators"]  # tests/test_schema_engines.py holds the two engines in agreement through it
