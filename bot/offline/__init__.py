"""Without Slack: the offline shell (a terminal chat with the same handlers), its demo calendar, and a
loopback stand-in for Slack's Web API that answers plausibly and reports each call (the shell prints
them; the benchmark ignores them). May import anything in bot/; nothing imports it but the runtime."""
