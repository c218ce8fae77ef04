"""aimusicstore's agent API from Python: `Client`, its errors, and the webhook signature check."""

from aimusicstore_client.client import ApiError, Client, RateLimited
from aimusicstore_client.signatures import SignatureError, sign, verify_signature

__all__ = ["ApiError", "Client", "RateLimited", "SignatureError", "sign", "verify_signature"]
__version__ = "0.1.0"
