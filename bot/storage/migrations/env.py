"""Alembic environment: runs the migrations against the URL the store hands in."""

from alembic import context
from sqlalchemy import create_engine

import bot.storage.participant_tables  # noqa: F401   (participants, outbox)
from bot.storage import (
    lifecycle_tables,  # noqa: F401  (its tables join Base.metadata)
    shared,  # noqa: F401   (leases, rate budgets)
)
from bot.storage.tables import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    url = config.attributes.get("url") or config.get_main_option("sqlalchemy.url")
    if context.is_offline_mode():  # `upgrade(..., sql=True)`: the SQL script, not run
        context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    connectable = config.attributes.get("connection")
    if connectable is not None:
        context.configure(connection=connectable, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run()
