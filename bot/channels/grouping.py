"""A turn's replies as the messages a chat shows: what comes before a question shares its
message with it."""

from __future__ import annotations

from bot.engine import Reply


def grouped(replies: list[Reply]) -> list[list[Reply]]:
    """The replies of one turn in the messages to send: what comes before the question (the
    answer read back, a finding, 'Overgeslagen.', the part's title) goes with it, so a turn is
    one notification and one request, not four at the chat's pace of about one a second.
    Buttons and files end a message: the buttons belong under the question."""
    groups: list[list[Reply]] = []
    for reply in replies:
        last = groups[-1][-1] if groups else None
        if last is not None and not last.choices and not last.documents:
            groups[-1].append(reply)
        else:
            groups.append([reply])
    return groups
