"""The channel-neutral interview engine."""

from bot.engine.engine import Engine, PlanNotFound, parse_command
from bot.engine.types import Choice, Reply, Upload

__all__ = ["Choice", "Engine", "PlanNotFound", "Reply", "Upload", "parse_command"]
