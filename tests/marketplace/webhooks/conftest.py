import pytest

from tests.marketplace.webhooks.receiver import start_receiver


@pytest.fixture
def receiver():
    receiver, stop = start_receiver()
    yield receiver
    stop()


@pytest.fixture
def local_delivery(settings):
    """Let deliveries reach the local receiver (http on loopback), as production never does; fast retries."""
    settings.WEBHOOK_SCHEMES = ("https", "http")
    settings.WEBHOOK_ALLOWED_NETWORKS = ("127.0.0.0/8",)
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0.5
    settings.WEBHOOK_RETRY_MAX_SECONDS = 1
    settings.WEBHOOK_TIMEOUT = 5
    return settings
