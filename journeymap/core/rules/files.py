"""Rules about the files themselves; the loader and the schema find these."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import DUPLICATE_KEY, INVALID_YAML, OUTSIDE_LINK, SCHEMA, UNKNOWN_FILE, Gap, Severity
from ..model import Journey
from .registry import rule


def _problems(journey: Journey, rule_id: str) -> Iterator[Gap]:
    for problem in journey.problems:
        if problem.rule == rule_id:
            yield Gap(problem.location, problem.message, problem.fix)


@rule(INVALID_YAML, Severity.ERROR)
def invalid_yaml(journey: Journey) -> Iterator[Gap]:
    """A file is not parseable YAML or front matter.

    Why: a file that cannot be read drops out of the map; everything in it is lost.
    The finding gives the line and column where the parser gave up.

    Fails:
        name: Demo call
          owner: sales        # indented under a scalar

    Passes:
        name: Demo call
        owner: sales
    """
    return _problems(journey, INVALID_YAML)


@rule(DUPLICATE_KEY, Severity.ERROR)
def duplicate_key(journey: Journey) -> Iterator[Gap]:
    """A mapping repeats a key; YAML parsers silently keep only the last one.

    Why: repeated keys are what a careless merge of two pull requests leaves
    behind, and the first value vanishes without a word.

    Fails:
        owner: sales
        channel: email
        owner: sdr-team

    Passes:
        owner: sdr-team
        channel: email
    """
    return _problems(journey, DUPLICATE_KEY)


@rule(SCHEMA, Severity.ERROR)
def schema(journey: Journey) -> Iterator[Gap]:
    """A required field is missing, a field has the wrong type, or a key or value is unknown.

    Why: a typo such as `ownr:` must not pass silently. Unknown keys get a
    "did you mean" suggestion; free-form additions belong under `meta:`.

    Fails:
        - id: demo-call
          name: Demo call
          ownr: sales
          intent: hi

    Passes:
        - id: demo-call
          name: Demo call
          owner: sales
          intent: high
          meta: {campaign_code: Q4-17}
    """
    return _problems(journey, SCHEMA)


@rule(OUTSIDE_LINK, Severity.ERROR)
def outside_link(journey: Journey) -> Iterator[Gap]:
    """A map file is a symbolic link to a place outside the map folder.

    Why: the site is published; a link in a pull request could pull any file
    of the machine that builds it (keys, configuration) onto a public page.
    Nothing outside the map folder is ever read.

    Fails:
        stages/evaluation.yaml -> /home/ci/.ssh/config

    Passes:
        stages/evaluation.yaml      # a file inside the map (or a link to one)
    """
    return _problems(journey, OUTSIDE_LINK)


@rule(UNKNOWN_FILE, Severity.WARNING)
def unknown_file(journey: Journey) -> Iterator[Gap]:
    """A file or folder in the map that journeymap does not read, such as `stage/` for `stages/`.

    Why: a misnamed folder is skipped without a word, and the map silently
    loses its stages or briefs. The finding names what it should be called.

    Fails:
        Briefs/q4-campaign.md
        stages/notes.txt

    Passes:
        briefs/q4-campaign.md
        stages/.notes.txt       # dot-files are ignored
    """
    return _problems(journey, UNKNOWN_FILE)
