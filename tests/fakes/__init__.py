"""Fakes at the boundary: the fake Slack Web API on loopback (records calls, scripts faults)."""
