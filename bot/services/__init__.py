"""Domain operations: what the bot does, without Slack.

Each function takes a keyword-only `session` plus plain values and returns plain values or
dataclasses; it may `flush()` but never commits (the listener or job owns the transaction) and
never sees a Slack payload or Slack's text encoding. A refusal is `errors.Refused` or
`errors.NotAllowed`, with the Dutch sentence for the user.
May import: `bot.text`, `storage` (models and queries), and `bot.records.model` (the records' input
shapes, filled by `records`). Never `bot.blocks`, `handlers` or `bot.runtime`.
"""
