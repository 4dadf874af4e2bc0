from tests.banenafspraak.access_matrix import ENTRIES  # noqa: F401
