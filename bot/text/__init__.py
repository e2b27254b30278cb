"""Dutch text: dates and words as officials read them, reading what they type, and Slack's text encoding.

Pure functions only. May import: the standard library, Babel, dateparser, and `bot.services.errors`
(a date that cannot be read is refused like any other input). Nothing else from bot/.
"""
