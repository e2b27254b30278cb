from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from bot.runtime.deps import Deps
from storage.models import Base


def test_migrations_build_exactly_the_models(deps: Deps) -> None:
    """`alembic upgrade head` gives the schema the models describe: no model change lacks a migration."""
    with deps.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []
