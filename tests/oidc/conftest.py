from tests.oidc.fixtures import oidc_on, oidc_provider  # noqa: F401
from tests.portal.conftest import fast_password_hashing, private_storage  # noqa: F401
