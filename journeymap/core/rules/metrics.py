"""Metrics: a volume and a health figure per stage, and what they say about the flow."""

from __future__ import annotations

from collections.abc import Iterator

from ...util.words import plural
from ..findings import WEAKEST_LINK, Gap, Severity
from ..model import Journey
from .registry import rule

_EXAMPLE = {"volume": "{name: Demos booked, value: 120, unit: per month}",
            "health": "{name: Demo-to-trial conversion, value: 0.4, unit: ratio}"}


@rule("missing-metric", Severity.ERROR)
def missing_metric(journey: Journey) -> Iterator[Gap]:
    """A stage lacks its volume or its health metric.

    Why: a volume (how many) and a health figure (how well) per stage are
    what make the map measurable; conversion between stages needs the volumes.

    Fails:
        metrics:
          volume: {name: Demos booked, value: 120}

    Passes:
        metrics:
          volume: {name: Demos booked, value: 120}
          health: {name: Demo-to-trial conversion, value: 0.4, unit: ratio}
    """
    for stage in journey.stage_files:
        written = stage.origin.document.fields.get("metrics")
        if written is not None and not isinstance(written, dict):
            continue  # `metrics:` written as a list: the schema says how to write it; one finding, not three
        for kind in ("volume", "health"):
            if kind not in stage.metrics:
                yield Gap(stage.origin.at("metrics"),
                          f"stage `{stage.id}` has no {kind} metric: add `metrics: {kind}: {_EXAMPLE[kind]}`")


@rule(WEAKEST_LINK, Severity.INFO)
def weakest_link(journey: Journey) -> Iterator[Gap]:
    """The transition with the lowest (relative) conversion; the slowest stage.

    Why: this is where the next quarter's effort pays most. When every stage
    has a volume target, transitions are compared by conversion relative to
    the targets' conversion; otherwise by plain conversion.

    Fails: (information, never fails)
    Passes: (information, never fails)
    """
    link = journey.weakest_link()
    if link is not None and link.conversion is not None:
        target = link.target.volume
        how = "" if link.expected is not None else ", the lowest conversion in the journey"
        yield Gap(target.origin.at("value") if target else link.target.origin.at("id"),
                  f"weakest link: {link.shortfall()}{how}; focus experiments and briefs here")
    slowest = journey.slowest_stage()
    if slowest is not None and slowest.cycle_time_days is not None:  # always timed: slowest_stage() says so
        yield Gap(slowest.origin.at("cycle_time_days"),
                  f"slowest stage: {slowest.name} takes {plural(slowest.cycle_time_days, 'day')} (median); "
                  "look for what makes prospects wait")


@rule("unmeasured-metric", Severity.WARNING)
def unmeasured_metric(journey: Journey) -> Iterator[Gap]:
    """A stage metric has a name but no `value` yet.

    Why: a map without numbers cannot show where buyers drop off; the
    conversions and the weakest link need each stage's volume.

    Fails:
        volume: {name: Demos booked}

    Passes:
        volume: {name: Demos booked, value: 120}
    """
    for stage in journey.stage_files:
        for metric in stage.metrics.values():
            raw = metric.origin.written
            if metric.value is None and not (isinstance(raw, dict) and raw.get("value") is not None):
                # a value written wrong (`30%`) is the schema's finding, with its fix
                yield Gap(metric.origin.at(), f"the {metric.kind} metric of stage `{stage.id}` "
                                              f"({metric.name or 'unnamed'}) has no value yet: add `value:` with "
                                              "this period's figure from its source")
