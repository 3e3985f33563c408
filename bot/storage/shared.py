"""Leases, rate budgets and daily counts that several bot processes share through the database.

Times are seconds since 1970 on the database's own clock, so processes on hosts whose clocks
differ still agree on when a lease runs out and how much of a rate budget is left. Every
change is one statement: PostgreSQL locks the row, SQLite the whole database. Daily counts
(invitations, login links) are kept per day of the caller's clock in Amsterdam.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Date, Double, Integer, String, case, cast, delete, func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.tables import Base


class Lease(Base):
    """Who holds a job only one process may do (Telegram long polling), and until when."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    expires_at: Mapped[float] = mapped_column(Double)


class RateBucket(Base):
    """A token bucket for a platform limit that holds for all processes together."""

    __tablename__ = "rate_buckets"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    tokens: Mapped[float] = mapped_column(Double)
    updated_at: Mapped[float] = mapped_column(Double)


class DailyCount(Base):
    """How often something happened on one day (invitations per plan code and per address,
    login links per address); rows of earlier days are removed as new ones come."""

    __tablename__ = "daily_counts"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


def db_now(engine: Engine) -> Any:
    """SQL for 'now' in seconds since 1970, read from the database's clock."""
    if engine.dialect.name == "postgresql":
        # clock_timestamp, not now(): now() stands still for the whole transaction
        return cast(func.extract("epoch", func.clock_timestamp()), Double)
    return (func.julianday("now") - 2440587.5) * 86400.0


def _autocommit(engine: Engine) -> Engine:
    # each change here is one statement: without BEGIN and COMMIT it is one round trip
    return engine.execution_options(isolation_level="AUTOCOMMIT")


def _insert(engine: Engine) -> Any:
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


# ---------------------------------------------------------------------- leases
def acquire_lease(engine: Engine, name: str, holder: str, seconds: float) -> bool:
    """Take or renew the lease `name` for `seconds`; False while another holder has it."""
    now = db_now(engine)
    stmt = (
        _insert(engine)(Lease)
        .values(name=name, holder=holder, expires_at=now + seconds)
        .on_conflict_do_update(
            index_elements=["name"],
            set_={"holder": holder, "expires_at": now + seconds},
            where=(Lease.holder == holder) | (Lease.expires_at < now),
        )
        .returning(Lease.holder)
    )
    with _autocommit(engine).connect() as conn:
        return conn.execute(stmt).scalar() == holder


def release_lease(engine: Engine, name: str, holder: str) -> None:
    """Give the lease up at once, so another process need not wait until it runs out."""
    with engine.begin() as conn:
        conn.execute(delete(Lease).where(Lease.name == name, Lease.holder == holder))


def lease_holder(engine: Engine, name: str) -> str | None:
    """Who holds `name` now (None when nobody does or the lease ran out)."""
    q = select(Lease.holder).where(Lease.name == name, Lease.expires_at >= db_now(engine))
    with engine.connect() as conn:
        return conn.execute(q).scalar()


# ---------------------------------------------------------------------- rate budgets
def _available(engine: Engine, rate: float, burst: float) -> Any:
    filled = RateBucket.tokens + (db_now(engine) - RateBucket.updated_at) * rate
    return case((filled > burst, burst), else_=filled)


def take_token(engine: Engine, key: str, rate: float, burst: float = 1.0) -> float:
    """Take one send from the budget `key` (`rate` a second, at most `burst` saved up).

    Returns 0.0 when the send may go now, else the seconds to wait before asking again."""
    available = _available(engine, rate, burst)
    take = (
        update(RateBucket)
        .where(RateBucket.key == key, available >= 1.0)
        .values(tokens=available - 1.0, updated_at=db_now(engine))
        .returning(RateBucket.key)
    )
    for _ in range(2):
        with _autocommit(engine).connect() as conn:
            if conn.execute(take).first() is not None:
                return 0.0
            left = conn.execute(select(available).where(RateBucket.key == key)).scalar()
            if left is not None:
                return max((1.0 - left) / rate, 0.001)
            # the first send with this budget: a full bucket (another process may race us)
            conn.execute(
                _insert(engine)(RateBucket)
                .values(key=key, tokens=burst, updated_at=db_now(engine))
                .on_conflict_do_nothing(index_elements=["key"])
            )
    return 1.0 / rate


def pause_budget(engine: Engine, key: str, rate: float, seconds: float, burst: float = 1.0) -> None:
    """A platform said 'retry after': no process sends on `key` until `seconds` have passed."""
    available = _available(engine, rate, burst)
    debt = -seconds * rate
    with engine.begin() as conn:
        conn.execute(
            update(RateBucket)
            .where(RateBucket.key == key)
            .values(
                tokens=case((available > debt, debt), else_=available),
                updated_at=db_now(engine),
            )
        )


# ---------------------------------------------------------------------- daily counts
def count_within(engine: Engine, key: str, day: date, limit: int) -> bool:
    """Count one more `key` on `day`, unless `limit` was reached: then False, nothing counted.

    One statement, so two processes counting at once never pass the limit together."""
    stmt = (
        _insert(engine)(DailyCount)
        .values(key=key, day=day, n=1)
        .on_conflict_do_update(
            index_elements=["key", "day"],
            set_={"n": DailyCount.n + 1},
            where=DailyCount.n < limit,
        )
        .returning(DailyCount.n)
    )
    with _autocommit(engine).connect() as conn:
        counted = conn.execute(stmt).first()
        if counted is not None and counted.n == 1:
            # the first count of a day: earlier days are no longer needed (a separate
            # statement, so two processes pruning at once never hold up a count)
            conn.execute(delete(DailyCount).where(DailyCount.day < day))
    return counted is not None


def forget_counts(engine: Engine, keys: list[str]) -> int:
    """Remove the counts of `keys` (every day); returns how many rows."""
    with engine.begin() as conn:
        return conn.execute(delete(DailyCount).where(DailyCount.key.in_(keys))).rowcount
