"""Test support: data builders, signed Slack requests, waiting for follow-ups, network fault tools."""
