"""Years of the other era: Thai text counts years in the Buddhist Era.

The Buddhist Era runs 543 years ahead of the Common Era ("mwaka 2023" /
"ปี 2566"), and a question may ask in either: a year meets its twin in the
other era (the `bridges.era_years` bridge, `Bridges.expand`).
"""

from __future__ import annotations

# Years the two eras share between them: 1900-2100 of the Common Era are 2443-2643
# of the Buddhist Era, and the ranges do not overlap.
_ERA_GAP = 543
_CE_YEARS = range(1900, 2101)


def other_era_year(term: str) -> str | None:
    """The same year in the other era ("2023" -> "2566", "2566" -> "2023"), or None
    when `term` is no year of either."""
    if len(term) != 4 or not term.isdigit():
        return None
    year = int(term)
    if year in _CE_YEARS:
        return str(year + _ERA_GAP)
    if year - _ERA_GAP in _CE_YEARS:
        return str(year - _ERA_GAP)
    return None
