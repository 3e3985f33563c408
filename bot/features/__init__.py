"""Features: each registers its commands, handlers and hooks with the engine (see bot.app)."""
