"""The database reads: every `select()` of the bot, one module per subject, keyword-only functions.

Read paths that answer officials return plain frozen rows (`storage.queries.rows`), never ORM
objects, so builders get plain data and nothing is lazily loaded after the session closes. Write
paths load ORM objects (`get_*_for_update`) for the services to change.
May import: SQLAlchemy and `storage.models`. Nothing from bot/ or handlers/.
"""
