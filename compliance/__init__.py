"""Compliance: the readiness roll-up, team matrix, skill sign-offs, exports."""
