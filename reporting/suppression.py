"""Small-cell suppression for counts of people (the council and open data see aggregates only).

A count of 1 to 4 people could point at a person, so it is shown as "< 5" (rules §4; the usual
threshold of CBS and the Dutch municipalities' open-data practice). 0 stays 0 on the dashboard.
When a group of counts is published with its total and exactly one cell is suppressed, that cell
could be found by subtraction; then the smallest other non-zero cell is suppressed too (secondary
suppression). A secondarily suppressed cell holds 5 or more, so it says "onderdrukt", never a
false "< 5".

The public open data (``reporting.opendata``) is stricter and uses :func:`secondary_suppression`
and :data:`SUPPRESSED_WORD` here: there every count under 5 (0 included) is suppressed and every
suppressed cell says "onderdrukt".
"""

from __future__ import annotations

from dataclasses import dataclass

THRESHOLD = 5
SUPPRESSED_TEXT = "< 5"  # a count of 1 to 4 (true by construction)
SUPPRESSED_WORD = "onderdrukt"  # any other suppressed cell (it may hold 5 or more)


@dataclass(frozen=True)
class Aantal:
    """A count of people as published: ``waarde`` is None when suppressed.

    ``secundair``: suppressed only so that another cell cannot be found by subtraction (its own
    count may be 5 or more)."""

    waarde: int | None
    onderdrukt: bool = False
    secundair: bool = False

    @property
    def weergave(self) -> str:
        if not self.onderdrukt:
            return str(self.waarde)
        return SUPPRESSED_WORD if self.secundair else SUPPRESSED_TEXT

    def __str__(self):
        return self.weergave


def suppress(count: int | None) -> Aantal:
    count = int(count or 0)
    if 0 < count < THRESHOLD:
        return Aantal(None, True)
    return Aantal(count, False)


def secondary_suppression(values: dict, hidden: set) -> set:
    """The cells to hide besides ``hidden`` so that no hidden part of a published total can be found
    by subtraction: when exactly one part is hidden, the smallest remaining part is hidden too.

    ``values``: {key: count} of the parts (counts of hidden parts may be None). Returns the new set.
    """
    hidden = set(hidden)
    if len(hidden) == 1:
        candidates = sorted((count, str(key), key) for key, count in values.items()
                            if key not in hidden and count is not None)
        if candidates:
            hidden.add(candidates[0][2])
    return hidden


def suppress_group(counts: list[int], *, total_published: bool = True) -> list[Aantal]:
    """Suppress a group of counts that is published together (with its total when ``total_published``)."""
    result = [suppress(c) for c in counts]
    if total_published:
        hidden = [i for i, a in enumerate(result) if a.onderdrukt]
        if len(hidden) == 1:
            candidates = sorted((c, i) for i, c in enumerate(counts) if not result[i].onderdrukt and c > 0)
            if candidates:
                _count, index = candidates[0]
                result[index] = Aantal(None, True, secundair=True)
    return result
