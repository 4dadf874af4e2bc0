import pytest

from sroi_portal import loaddata


@pytest.fixture
def load_mini(db):
    """The load generator's smoke-test size: 2 municipalities, 60 contracts, 300 registrations."""
    return loaddata.generate(scale=loaddata.SCALES["mini"], seed=7, figures=False)
