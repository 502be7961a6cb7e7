"""Dependencies between actions: a directed graph from an action to the actions it depends on.

A dependency that would close a loop is refused with a message that names the loop, for
example "A03 cannot depend on A07: A07 already depends on A03 (A07 → A05 → A03)".
"""

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter

from careassure.core.improvement.errors import DependencyCycleError

Graph = Mapping[str, Iterable[str]]


def _edges(graph: Graph) -> dict[str, list[str]]:
    edges: dict[str, list[str]] = {}
    for node, deps in graph.items():
        edges.setdefault(node, [])
        for dep in deps:
            edges[node].append(dep)
            edges.setdefault(dep, [])
    for node in edges:
        edges[node] = sorted(set(edges[node]))
    return edges


def dependency_path(graph: Graph, start: str, goal: str) -> tuple[str, ...] | None:
    """The shortest chain start → ... → goal following "depends on" edges, or None."""
    edges = _edges(graph)
    if start not in edges:
        return None
    previous: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            path = [node]
            while (parent := previous[path[-1]]) is not None:
                path.append(parent)
            return tuple(reversed(path))
        for dep in edges[node]:
            if dep not in previous:
                previous[dep] = node
                queue.append(dep)
    return None


def check_new_dependency(graph: Graph, action: str, depends_on: str) -> None:
    """Raise :class:`DependencyCycleError` if ``action`` -> ``depends_on`` closes a loop."""
    if action == depends_on:
        raise DependencyCycleError(f"{action} cannot depend on itself", (action, action))
    path = dependency_path(graph, depends_on, action)
    if path is not None:
        chain = " → ".join(path)
        raise DependencyCycleError(
            f"{action} cannot depend on {depends_on}: {depends_on} already depends on {action} "
            f"({chain})",
            (action, *path),
        )


def find_cycle(graph: Graph) -> tuple[str, ...] | None:
    """One dependency loop in the graph, first node repeated at the end (A01 → A02 → A01)."""
    edges = _edges(graph)
    try:
        TopologicalSorter(edges).prepare()
    except CycleError as exc:
        # graphlib reports the loop with the first node repeated last, in "depends on" order
        # reversed; put it back in the order the edges run.
        cycle = list(exc.args[1])
        if all(cycle[i + 1] in edges[cycle[i]] for i in range(len(cycle) - 1)):
            return tuple(cycle)
        return tuple(reversed(cycle))
    return None


def format_cycle(cycle: Iterable[str]) -> str:
    return " → ".join(cycle)


def blocked_by(graph: Graph, done: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """For each action with unfinished dependencies, those dependencies (sorted)."""
    finished = set(done)
    result: dict[str, tuple[str, ...]] = {}
    for node, deps in sorted(_edges(graph).items()):
        if node in finished:
            continue
        waiting = tuple(dep for dep in deps if dep not in finished)
        if waiting:
            result[node] = waiting
    return result


@dataclass(frozen=True)
class CriticalPath:
    actions: tuple[str, ...]
    days: int


def critical_path(graph: Graph, durations: Mapping[str, int]) -> CriticalPath:
    """The longest chain of dependent actions, weighted by each action's duration in days.

    Only actions named in ``durations`` take part (pass the unfinished ones to see what holds
    the plan up); ties go to the alphabetically first chain. Raises on a dependency loop.
    """
    edges = {
        node: [d for d in deps if d in durations]
        for node, deps in _edges(graph).items()
        if node in durations
    }
    for node in durations:
        edges.setdefault(node, [])
    cycle = find_cycle(edges)
    if cycle is not None:
        raise DependencyCycleError(
            f"The dependencies loop ({format_cycle(cycle)}), so there is no critical path", cycle
        )
    best: dict[str, tuple[int, tuple[str, ...]]] = {}
    for node in TopologicalSorter({n: sorted(d) for n, d in sorted(edges.items())}).static_order():
        before = _longest([best[dep] for dep in edges[node]])
        days, chain = before if before is not None else (0, ())
        best[node] = (days + max(durations[node], 0), (*chain, node))
    longest = _longest(list(best.values()))
    if longest is None:
        return CriticalPath((), 0)
    return CriticalPath(longest[1], longest[0])


def _longest(options: list[tuple[int, tuple[str, ...]]]) -> tuple[int, tuple[str, ...]] | None:
    """The option with most days; on a tie, the alphabetically first chain."""
    chosen: tuple[int, tuple[str, ...]] | None = None
    for option in options:
        if (
            chosen is None
            or option[0] > chosen[0]
            or (option[0] == chosen[0] and option[1] < chosen[1])
        ):
            chosen = option
    return chosen
