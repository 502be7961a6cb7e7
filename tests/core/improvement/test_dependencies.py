import pytest

from careassure.core.improvement import (
    DependencyCycleError,
    blocked_by,
    check_new_dependency,
    critical_path,
    find_cycle,
)

# A07 depends on A05, which depends on A03.
GRAPH = {"A07": ["A05"], "A05": ["A03"], "A03": [], "A01": []}


def test_new_dependency_that_closes_a_loop_is_refused_naming_the_loop() -> None:
    with pytest.raises(DependencyCycleError) as excinfo:
        check_new_dependency(GRAPH, "A03", "A07")
    assert excinfo.value.message == (
        "A03 cannot depend on A07: A07 already depends on A03 (A07 → A05 → A03)"
    )
    assert excinfo.value.cycle == ("A03", "A07", "A05", "A03")


def test_depending_on_itself_is_refused() -> None:
    with pytest.raises(DependencyCycleError, match="^A01 cannot depend on itself$"):
        check_new_dependency(GRAPH, "A01", "A01")


def test_a_dependency_without_a_loop_is_allowed() -> None:
    check_new_dependency(GRAPH, "A01", "A07")
    check_new_dependency(GRAPH, "A07", "A03")  # already implied; no loop


def test_find_cycle_names_the_loop_in_edge_order() -> None:
    cycle = find_cycle({"A01": ["A02"], "A02": ["A03"], "A03": ["A01"]})
    assert cycle is not None
    assert len(cycle) == 4
    assert cycle[0] == cycle[-1]
    assert set(cycle) == {"A01", "A02", "A03"}
    edges = {"A01": "A02", "A02": "A03", "A03": "A01"}
    assert all(edges[a] == b for a, b in zip(cycle, cycle[1:], strict=False))


def test_find_cycle_none_for_a_tree() -> None:
    assert find_cycle(GRAPH) is None


def test_blocked_by_lists_only_unfinished_dependencies() -> None:
    assert blocked_by(GRAPH, done={"A03"}) == {"A07": ("A05",)}
    assert blocked_by(GRAPH, done=set()) == {"A05": ("A03",), "A07": ("A05",)}


def test_critical_path_is_the_longest_chain_by_days() -> None:
    # A03 (30) -> A05 (60) -> A07 (10) = 100 days; A01 alone is 90.
    result = critical_path(GRAPH, {"A01": 90, "A03": 30, "A05": 60, "A07": 10})
    assert result.actions == ("A03", "A05", "A07")
    assert result.days == 100


def test_critical_path_ignores_actions_not_given() -> None:
    # A03 is finished: A05 (60) -> A07 (10) = 70 is shorter than A01's 90.
    result = critical_path(GRAPH, {"A01": 90, "A05": 60, "A07": 10})
    assert (result.actions, result.days) == (("A01",), 90)


def test_critical_path_of_nothing_is_empty() -> None:
    assert critical_path({}, {}).actions == ()
