"""Where plans, people and conversation state are kept: SQLAlchemy on SQLite or PostgreSQL."""

from bot.storage.messages import NotFound
from bot.storage.store import PlanRecord, Store, Visit

__all__ = ["NotFound", "PlanRecord", "Store", "Visit"]
