"""An employer with its units: what counts where, and which figure wins (calculation.aggregate)."""

from datetime import date
from decimal import Decimal

import pytest

from banenafspraak.calculation import Employment, Measured, Unit, aggregate, ranked_progress

D = Decimal

# Organisation 1 with departments 2 and 3; department 3 has a team 4.
UNITS = [Unit(1, None, "Gemeente"), Unit(2, 1, "Stadsbeheer"), Unit(3, 1, "Publiekszaken"), Unit(4, 3, "Balie")]
YEAR = (date(2024, 1, 1), date(2024, 12, 31))


def employment(unit, uren="25.5", soort="dienstverband", start=YEAR[0], end=YEAR[1]):
    return Employment(unit, soort, D(uren), start, end)


def figures(root=1, **kwargs):
    kwargs.setdefault("jaar", 2024)
    return aggregate(units=UNITS, root_id=root, **kwargs)


def test_a_unit_counts_its_own_records_and_those_of_its_sub_units():
    result = figures(employments=[employment(1), employment(2, "51"), employment(4, "12.75", "inleen")])
    assert result.realisatie.banen_dienstverband == D("3.00")
    assert result.realisatie.banen_inleen == D("0.50")
    assert result.realisatie.banen_totaal == D("3.50")
    assert result.counted.bron == "dienstverbanden"
    by_unit = {sub.werkgever_id: sub for sub in result.subunits}
    assert by_unit[2].realisatie.banen_totaal == D("2.00")
    assert by_unit[3].realisatie.banen_totaal == D("0.50")  # team 4 counts in department 3


def test_a_measured_yearly_total_replaces_the_records_of_that_unit_and_year():
    result = figures(
        employments=[employment(2, "51")],
        measured=[Measured(2, 2024, None, D("7.25"), D("1"), "salarisadministratie")],
    )
    stadsbeheer = next(sub for sub in result.subunits if sub.werkgever_id == 2)
    assert stadsbeheer.realisatie.banen_dienstverband == D("7.25")
    assert stadsbeheer.counted.bron == "telling"
    assert result.realisatie.banen_totaal == D("8.25")
    assert result.counted.bron == "telling"


def test_a_measured_total_of_another_year_does_not_replace_the_records():
    result = figures(employments=[employment(2, "51")], measured=[Measured(2, 2023, None, D("9"), D("0"))])
    assert result.realisatie.banen_totaal == D("2.00")


def test_a_measured_total_at_the_top_covers_the_whole_organisation():
    result = figures(
        employments=[employment(2, "51"), employment(4)],
        measured=[Measured(1, 2024, None, D("13.6"), D("0"), "publicatie")],
    )
    assert result.realisatie.banen_totaal == D("13.60")
    # The departments still show their own counted figures.
    assert {s.werkgever_id: s.realisatie.banen_totaal for s in result.subunits} == {2: D("2.00"), 3: D("1.00")}


def test_records_and_measured_sub_units_mix():
    result = figures(employments=[employment(2)], measured=[Measured(3, 2024, None, D("2"), D("0"))])
    assert result.realisatie.banen_totaal == D("3.00")
    assert result.counted.bron == "gemengd"


def test_without_a_yearly_total_the_year_is_the_mean_of_the_measured_quarters():
    measured = [Measured(2, 2024, k, D(v), D("0")) for k, v in ((1, "2"), (2, "4"))]
    result = figures(root=2, measured=measured, employments=[employment(2, "255")])
    assert result.realisatie.banen_dienstverband == D("3.00")
    assert result.counted.bron == "kwartaaltellingen"
    assert result.counted.kwartalen_gemeten == 2


def test_a_quarter_uses_the_quarter_total_or_the_records():
    measured = [Measured(2, 2024, 1, D("5"), D("0"))]
    q1 = figures(root=2, kwartaal=1, measured=measured, employments=[employment(2)])
    q2 = figures(root=2, kwartaal=2, measured=measured, employments=[employment(2)])
    assert q1.realisatie.banen_totaal == D("5.00")
    assert q2.realisatie.banen_totaal == D("1.00")


def test_a_target_on_a_unit_covers_its_sub_units_and_is_not_added_to_theirs():
    result = figures(doelen={1: D("27.4"), 2: D("10"), 3: D("5")})
    assert result.realisatie.doel == D("27.40")
    assert result.doel_eigen


def test_without_its_own_target_a_unit_sums_the_targets_of_its_sub_units():
    result = figures(doelen={2: D("10"), 4: D("5.5")})
    assert result.realisatie.doel == D("15.50")
    assert not result.doel_eigen
    assert figures(doelen={}).realisatie.doel is None


def test_a_unit_in_a_cycle_is_refused():
    with pytest.raises(ValueError):
        aggregate(units=[Unit(1, 2), Unit(2, 1)], root_id=1, jaar=2024)


def test_regions_are_ranked_by_progress_with_shared_ranks():
    ranked = ranked_progress([("A", D("10"), D("5")), ("B", D("10"), D("20")), ("C", D("0"), D("10")),
                              ("D", D("5"), D("0"))])
    assert [(r.naam, r.voortgang, r.rang) for r in ranked] == [
        ("B", D("10"), 1), ("C", D("10"), 1), ("A", D("-5"), 3), ("D", D("-5"), 3)]
