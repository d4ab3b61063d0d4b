"""Validating a document against its kind's schema: quickly when it is valid, fully when it is not."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ..load import KINDS, Document, Problem
from .explain import explain
from .format import schema_for


def validate(document: Document, rule_ids: list[str]) -> list[Problem]:
    """Each schema error becomes a `schema` problem at its own line.

    Most files of a large map are valid: a compiled validator (fastjsonschema) says
    so quickly, and only a file it rejects is walked by jsonschema, whose errors
    carry what the messages need. Both read the same schema; a test holds them in agreement.
    """
    try:
        _fast_validator(document.kind, tuple(rule_ids))(document.data)
        return []
    except Exception:  # noqa: BLE001 - any rejection (or a value it cannot judge) gets the full walk
        pass
    problems: dict = {}
    for error in _full_validator(document.kind, tuple(rule_ids)).iter_errors(document.data):
        for problem in explain(error, document):
            problems.setdefault(problem.location, problem)  # one cause, one finding: a bad date is not two
    return list(problems.values())


def prepare_validators(rule_ids: list[str]) -> None:
    """Compile every kind's validator now: before forking workers, so each need not compile its own."""
    for kind in KINDS:
        _fast_validator(kind, tuple(rule_ids))


def _validators(kind: str, rule_ids: tuple[str, ...]) -> tuple[Callable[[Any], Any], Any]:
    """The compiled validator and the jsonschema one, of the same schema."""
    return _fast_validator(kind, rule_ids), _full_validator(kind, rule_ids)


@functools.cache
def _fast_validator(kind: str, rule_ids: tuple[str, ...]) -> Callable[[Any], Any]:
    import fastjsonschema

    schema = schema_for(kind, list(rule_ids))
    draft7 = {key: value for key, value in schema.items() if key != "$schema"}  # same keywords, draft-07 engine
    return fastjsonschema.compile(draft7)  # its `date` format checks the calendar too (2026-02-30)


@functools.cache
def _full_validator(kind: str, rule_ids: tuple[str, ...]) -> Any:
    """jsonschema (slow to import, slower to run) only for a file the compiled validator rejected."""
    from jsonschema import Draft202012Validator

    schema = schema_for(kind, list(rule_ids))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
