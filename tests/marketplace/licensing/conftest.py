import pytest


@pytest.fixture(autouse=True)
def _standard_licences(db):
    """The data migration's standard licences; a transactional test earlier in the run flushes them."""
    from marketplace.licensing.services import ensure_standard_licences

    ensure_standard_licences()
