"""Costly signals behind a vote's weight: listening proofs, earned trust (SybilRank), sign-up fingerprints."""
