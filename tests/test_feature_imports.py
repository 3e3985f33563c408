"""The features import each other in one direction only, counting imports inside functions."""

from __future__ import annotations

import grimp


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle among the modules of `edges`, or None."""
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> list[str] | None:
        for other in sorted(edges[module]):
            if other in path:
                return [*path[path.index(other) :], other]
            if other not in done:
                found = visit(other, [*path, other])
                if found:
                    return found
        done.add(module)
        return None

    for module in sorted(edges):
        if module not in done and (found := visit(module, [module])):
            return found
    return None


def test_no_import_cycle_among_the_features() -> None:
    graph = grimp.build_graph("bot", include_external_packages=False)
    features = {m for m in graph.modules if m.startswith("bot.features.")}
    edges = {m: graph.find_modules_directly_imported_by(m) & features for m in features}
    assert _cycle(edges) is None
    # the direction the features depend on each other (a new arrow may join, none may turn)
    assert "bot.features.privacy" in edges["bot.features.participants"]
    assert not edges["bot.features.privacy"]
    assert "bot.features.evaluation" not in edges["bot.features.closing"]


def test_the_cycle_finder_finds_one() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
