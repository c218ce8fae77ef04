import sys
from pathlib import Path

# The client is its own package (clients/python); the suite imports it from the checkout.
CLIENT = Path(__file__).resolve().parents[2] / "clients" / "python"
if str(CLIENT) not in sys.path:
    sys.path.insert(0, str(CLIENT))
