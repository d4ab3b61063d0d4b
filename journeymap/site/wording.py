"""The site's words for the model's vocabulary: what a marketer reads instead of our field names.

The people who read the site open it from a link; they never see the YAML. So a touchpoint is
"started by the customer", not `initiator: customer`, and a finding reads as a problem and its
fix, not as linter output. Every such wording is here, once, so a card, a table and a page agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.findings import Finding

#: who starts a touchpoint (`initiator:`), as the reader says it: "Started by: the customer"
INITIATOR_WORDS = {"customer": "the customer", "company": "our team", "third-party": "a partner"}

#: how the buyer feels in a stage (`emotion:`, -2..2): "Feeling: frustrated"
FEELINGS = {-2: "very frustrated", -1: "frustrated", 0: "neutral", 1: "pleased", 2: "delighted"}

#: the words a rule's advice starts with. A message says the problem, then what to write instead, after a
#: colon or a semicolon ("stage `x` has no job: add `job:` ..."); a colon inside the problem ("weakest link:
#: Trial → Buy converts ...") is followed by no such word, so it stays with the problem.
_ADVICE_VERBS = frozenset(
    "add change choose cite create delete did drop fix focus give indent list look make move name put quote "
    "remove rename replace review set split turn use write".split())

_SEPARATOR = re.compile(r"[:;] (?=(\w+))")


def initiator_words(initiator: str | None) -> str:
    """Who starts the touchpoint, in plain words; a value outside the format as written (it is a finding)."""
    return INITIATOR_WORDS.get(initiator or "", initiator or "")


def feeling(emotion: int | None) -> str:
    return FEELINGS.get(emotion, "") if emotion is not None else ""


@dataclass(frozen=True)
class PlainFinding:
    """A finding as the gaps page words it: the problem, what to do, and where to edit it."""

    finding: Finding
    problem: str  # a sentence, capitalised; `backticked` parts stay for code_spans
    advice: str  # what to write instead, or "" when the message gives none
    where: str  # file:line as a reader finds it in the repository
    edit_url: str | None  # the line on GitHub, when the map names its repository


def split_advice(message: str) -> tuple[str, str]:
    """(problem, advice): the message cut where its advice starts, outside `code`; ("message", "") when none."""
    for match in _SEPARATOR.finditer(message):
        outside_code = message.count("`", 0, match.start()) % 2 == 0
        if outside_code and match.group(1).lower() in _ADVICE_VERBS:
            return _sentence(message[:match.start()]), message[match.end():].strip()
    return _sentence(message), ""


def plain_finding(finding: Finding, where: str, edit_url: str | None) -> PlainFinding:
    problem, advice = split_advice(finding.message)
    return PlainFinding(finding, problem, advice, where, edit_url)


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:]


def shorten(text: str, limit: int = 200) -> str:
    """One line of at most `limit` characters, cut at a word: what a link preview shows of a page."""
    words = " ".join(text.split())
    if len(words) <= limit:
        return words
    return words[:limit - 1].rsplit(" ", 1)[0].rstrip(",;:.") + "…"
