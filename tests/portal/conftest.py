import pytest

from tests.access.world import use_private_storage


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    """Evidence files of these tests go to a throw-away folder."""
    return use_private_storage(settings, tmp_path / "private")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The team's demo passwords are hashed per test; a fast hasher keeps these tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
