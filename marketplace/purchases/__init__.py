"""Buy and the money after it: one Buy rule for page and API, affiliate links and postbacks, ledger, payouts."""
