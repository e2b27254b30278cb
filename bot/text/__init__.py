"""Dutch text: dates, formatting, Slack text encoding, and reading what people type."""
