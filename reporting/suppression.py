"""Small-cell suppression for counts of people (the council and open data see aggregates only).

A count of 1 to 4 people could point at a person, so it is shown as "< 5" (rules §4; the usual
threshold of CBS and the Dutch municipalities' open-data practice). 0 stays 0. When a group of
counts is published with its total and exactly one cell is suppressed, that cell could be found by
subtraction; then the smallest other non-zero cell is suppressed too (secondary suppression).
"""

from __future__ import annotations

from dataclasses import dataclass

THRESHOLD = 5
SUPPRESSED_TEXT = "< 5"


@dataclass(frozen=True)
class Aantal:
    """A count of people as published: ``waarde`` is None when suppressed."""

    waarde: int | None
    onderdrukt: bool = False

    @property
    def weergave(self) -> str:
        return SUPPRESSED_TEXT if self.onderdrukt else str(self.waarde)

    def __str__(self):
        return self.weergave


def suppress(count: int | None) -> Aantal:
    count = int(count or 0)
    if 0 < count < THRESHOLD:
        return Aantal(None, True)
    return Aantal(count, False)


def suppress_group(counts: list[int], *, total_published: bool = True) -> list[Aantal]:
    """Suppress a group of counts that is published together (with its total when ``total_published``)."""
    result = [suppress(c) for c in counts]
    if total_published:
        hidden = [i for i, a in enumerate(result) if a.onderdrukt]
        if len(hidden) == 1:
            candidates = sorted((c, i) for i, c in enumerate(counts) if not result[i].onderdrukt and c > 0)
            if candidates:
                _count, index = candidates[0]
                result[index] = Aantal(None, True)
    return result
