"""Block Kit builders: pure functions from plain values to Slack payloads, in Dutch, one module per surface.

`ids` defines every action, callback and block id once; `kit` holds the primitives and Slack's
limits. User text is escaped here, once, at the edge. May import: `bot.text`, `bot.services`
(for their dataclasses and words), `storage.models` and `storage.queries.rows` (types only).
"""
