"""Money arithmetic for the SROI domain (pure: no Django).

Rules (SROI-RULES.md §1): money is a :class:`~decimal.Decimal` with 2 decimals, rounded half-up
**once**, at the end of each computed amount, never via ``float``. Intermediate results are kept
exact as :class:`~fractions.Fraction` values; :func:`round_money` turns such an exact amount into
cents.

"Half-up" means half away from zero (``ROUND_HALF_UP`` in :mod:`decimal`): 0.005 -> 0.01 and
-0.005 -> -0.01.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

__all__ = ["CENT", "as_fraction", "round_money", "allocate", "percentage"]

CENT = Decimal("0.01")

Number = Decimal | Fraction | int


def as_fraction(value: Number) -> Fraction:
    """Return ``value`` as an exact Fraction.

    Accepts Decimal, Fraction and int. ``float`` (inexact) and ``bool`` are refused with a
    TypeError, non-finite Decimals (NaN, Infinity) with a ValueError.
    """
    if isinstance(value, bool) or not isinstance(value, (Decimal, Fraction, int)):
        raise TypeError(f"expected Decimal, Fraction or int, got {type(value).__name__}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"not a finite amount: {value}")
    return Fraction(value)


def _round_to_cents(value: Fraction) -> int:
    """Whole cents of ``value``, rounded half away from zero, computed exactly with integers."""
    cents = value * 100
    whole, remainder = divmod(abs(cents.numerator), cents.denominator)
    if 2 * remainder >= cents.denominator:
        whole += 1
    return -whole if cents < 0 else whole


def _cents_to_decimal(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def round_money(value: Number) -> Decimal:
    """Round an exact amount half-up to 2 decimals.

    The rounding is done on the exact value with integer arithmetic, so there is no intermediate
    rounding at all (not even at a high decimal precision): ``Fraction(1, 200)`` gives ``0.01``
    and a Fraction a hair below 0.005 gives ``0.00``.
    """
    return _cents_to_decimal(_round_to_cents(as_fraction(value)))


def allocate(total: Decimal, parts: Sequence[Fraction]) -> list[Decimal]:
    """Split a rounded ``total`` over exact ``parts`` into amounts that sum exactly to ``total``.

    ``parts`` are the unrounded, non-negative shares (for example the value of a registration per
    calendar year) whose exact sum rounds to ``total``. Each part first gets its amount rounded
    down to whole cents; the cents left over go, one each, to the parts with the largest
    remainders, ties broken by the lower index (largest-remainder method). The result has one
    2-decimal amount per part, in order, and ``sum(result) == total``.

    Raises ValueError when a part is negative, when ``total`` has more than 2 decimals or when the
    exact sum of ``parts`` does not round to ``total``.
    """
    exact_total = as_fraction(total)
    if exact_total * 100 != int(exact_total * 100):
        raise ValueError(f"total must have at most 2 decimals: {total}")
    exact_parts = [as_fraction(part) for part in parts]
    if any(part < 0 for part in exact_parts):
        raise ValueError("parts must not be negative")
    if _round_to_cents(sum(exact_parts, Fraction(0))) != int(exact_total * 100):
        raise ValueError(f"the parts do not add up to {total}")

    scaled = [part * 100 for part in exact_parts]
    cents = [part.numerator // part.denominator for part in scaled]
    remainders = [part - whole for part, whole in zip(scaled, cents)]
    left_over = int(exact_total * 100) - sum(cents)
    # Sort by remainder descending, then by index ascending: deterministic.
    order = sorted(range(len(parts)), key=lambda index: (-remainders[index], index))
    for index in order[:left_over]:
        cents[index] += 1
    return [_cents_to_decimal(amount) for amount in cents]


def percentage(part: Number, whole: Number) -> Decimal | None:
    """``part / whole × 100`` rounded half-up to 2 decimals; None when ``whole`` is 0."""
    exact_whole = as_fraction(whole)
    if exact_whole == 0:
        return None
    return round_money(as_fraction(part) / exact_whole * 100)
