"""Where plans, people and conversation state are kept: SQLAlchemy on SQLite or PostgreSQL."""

from bot.storage.store import PlanRecord, Store

__all__ = ["PlanRecord", "Store"]
