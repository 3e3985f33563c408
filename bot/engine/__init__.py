"""The channel-neutral interview engine."""

from bot.engine.commands import parse_command
from bot.engine.engine import Engine, PlanNotFound
from bot.engine.registry import Command, Registry
from bot.engine.turn import Turn
from bot.engine.types import Choice, Reply, Upload, replies_lang

__all__ = [
    "Choice",
    "Command",
    "Engine",
    "PlanNotFound",
    "Registry",
    "Reply",
    "Turn",
    "Upload",
    "parse_command",
    "replies_lang",
]
