"""Checks that need the whole library at once: ids, references, cycles, level and focus fit.

Each item was already validated on its own; here a stretch or routine is checked against the
others. Ids of items that failed validation are passed in as `known` so that one broken stretch
does not also produce an "unknown stretch" line in every routine that uses it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from bot.content.errors import ContentIssue
from bot.content.models import Range, Routine, Stretch

STRETCHES_FILE = "stretches.yaml"
ROUTINES_FILE = "routines.yaml"


def duplicate_ids(
    file: str, section: str, items: Iterable[tuple[int, str]]
) -> tuple[list[ContentIssue], set[int]]:
    """Issues for every repeated id, and the indexes of the repeats (the first one is kept)."""
    first: dict[str, int] = {}
    issues: list[ContentIssue] = []
    repeats: set[int] = set()
    for index, item_id in items:
        if item_id in first:
            where = f"{section}[{first[item_id]}]"
            issues.append(
                ContentIssue(
                    file, f"{section}[{index}].id", f"duplicate id '{item_id}' (first at {where})"
                )
            )
            repeats.add(index)
        else:
            first[item_id] = index
    return issues, repeats


def check_prerequisites(
    stretches: Sequence[tuple[int, Stretch]], known: set[str]
) -> list[ContentIssue]:
    """Unknown prerequisite ids, and prerequisite cycles (a stretch that can never unlock)."""
    issues: list[ContentIssue] = []
    for index, stretch in stretches:
        for k, prerequisite in enumerate(stretch.prerequisites):
            if prerequisite not in known:
                issues.append(
                    ContentIssue(
                        STRETCHES_FILE,
                        f"stretches[{index}].prerequisites[{k}]",
                        f"unknown stretch '{prerequisite}'",
                    )
                )
    issues.extend(_cycles(stretches))
    return issues


def check_variants(stretches: Sequence[tuple[int, Stretch]], known: set[str]) -> list[ContentIssue]:
    """`easier` / `harder` name real stretches for a shared area, in the right direction of
    level, and pair up (A easier B means B harder A), so stepping down and up again is a round
    trip and a chain of variants can never loop."""
    by_id = {stretch.id: stretch for _, stretch in stretches}
    issues: list[ContentIssue] = []
    for index, stretch in stretches:
        for field, other_field in (("easier", "harder"), ("harder", "easier")):
            target_id: str | None = getattr(stretch, field)
            if target_id is None:
                continue
            at = f"stretches[{index}].{field}"
            if target_id == stretch.id:
                issues.append(
                    ContentIssue(STRETCHES_FILE, at, "a stretch cannot be its own variant")
                )
                continue
            if target_id not in known:
                issues.append(ContentIssue(STRETCHES_FILE, at, f"unknown stretch '{target_id}'"))
                continue
            target = by_id.get(target_id)
            if target is None:
                continue  # the target failed validation on its own and was reported there
            if not set(target.focus) & set(stretch.focus):
                issues.append(
                    ContentIssue(
                        STRETCHES_FILE,
                        at,
                        f"'{target_id}' shares no focus area with '{stretch.id}'",
                    )
                )
            steeper = target.level.rank > stretch.level.rank
            gentler = target.level.rank < stretch.level.rank
            if (field == "easier" and steeper) or (field == "harder" and gentler):
                issues.append(
                    ContentIssue(
                        STRETCHES_FILE,
                        at,
                        f"'{target_id}' is {target.level}, which cannot be {field} than "
                        f"this {stretch.level} stretch",
                    )
                )
            if getattr(target, other_field) != stretch.id:
                issues.append(
                    ContentIssue(
                        STRETCHES_FILE,
                        at,
                        f"'{target_id}' must name '{stretch.id}' as its {other_field} variant",
                    )
                )
    issues.extend(_variant_loops(stretches))
    return issues


def _variant_loops(stretches: Sequence[tuple[int, Stretch]]) -> list[ContentIssue]:
    index_of = {stretch.id: index for index, stretch in stretches}
    easier = {stretch.id: stretch.easier for _, stretch in stretches}
    issues: list[ContentIssue] = []
    reported: set[frozenset[str]] = set()
    for _, stretch in stretches:
        seen: list[str] = []
        node: str | None = stretch.id
        while node is not None and node in easier and node not in seen:
            seen.append(node)
            node = easier[node]
        if node is not None and node in seen:
            loop = frozenset(seen[seen.index(node) :])
            if loop not in reported:
                reported.add(loop)
                start = min(loop, key=index_of.__getitem__)
                issues.append(
                    ContentIssue(
                        STRETCHES_FILE,
                        f"stretches[{index_of[start]}].easier",
                        "easier variants go round in a loop: " + ", ".join(sorted(loop)),
                    )
                )
    return issues


def _cycles(stretches: Sequence[tuple[int, Stretch]]) -> list[ContentIssue]:
    index_of = {stretch.id: index for index, stretch in stretches}
    graph = {
        stretch.id: [p for p in stretch.prerequisites if p in index_of] for _, stretch in stretches
    }
    done: set[str] = set()
    reported: set[frozenset[str]] = set()
    issues: list[ContentIssue] = []

    def visit(node: str, stack: list[str]) -> None:
        if node in stack:
            cycle = stack[stack.index(node) :]
            if frozenset(cycle) not in reported:
                reported.add(frozenset(cycle))
                start = min(cycle, key=index_of.__getitem__)
                turn = cycle.index(start)
                ordered = [*cycle[turn:], *cycle[:turn], start]
                issues.append(
                    ContentIssue(
                        STRETCHES_FILE,
                        f"stretches[{index_of[start]}].prerequisites",
                        "prerequisite cycle: " + " -> ".join(ordered),
                    )
                )
            return
        if node in done:
            return
        stack.append(node)
        for nxt in graph[node]:
            visit(nxt, stack)
        stack.pop()
        done.add(node)

    for _, stretch in stretches:
        visit(stretch.id, [])
    return issues


def check_builds_on(
    stretches: Sequence[tuple[int, Stretch]], known: set[str]
) -> list[ContentIssue]:
    """`builds_on` names a real stretch other than itself."""
    issues: list[ContentIssue] = []
    for index, stretch in stretches:
        base = stretch.builds_on
        if base is None:
            continue
        if base not in known:
            message = f"unknown stretch '{base}'"
        elif base == stretch.id:
            message = "a stretch cannot build on itself"
        else:
            continue
        issues.append(ContentIssue(STRETCHES_FILE, f"stretches[{index}].builds_on", message))
    return issues


def check_routine(
    index: int, routine: Routine, stretches: Mapping[str, Stretch], known: set[str]
) -> list[ContentIssue]:
    """Steps name real stretches, overrides fit their ranges, levels and focus areas fit, and
    a stretch that builds on another comes right after it."""
    issues: list[ContentIssue] = []
    here = f"routines[{index}]"
    served: set[str] = set()
    for j, step in enumerate(routine.steps):
        at = f"{here}.steps[{j}]"
        stretch = stretches.get(step.stretch)
        if stretch is None:
            if step.stretch not in known:
                issues.append(
                    ContentIssue(
                        ROUTINES_FILE, f"{at}.stretch", f"unknown stretch '{step.stretch}'"
                    )
                )
            continue
        served.update(stretch.focus)
        before = routine.steps[j - 1].stretch if j > 0 else None
        if stretch.builds_on is not None and before != stretch.builds_on:
            issues.append(
                ContentIssue(
                    ROUTINES_FILE,
                    f"{at}.stretch",
                    f"'{stretch.id}' starts from the set-up of '{stretch.builds_on}', "
                    "which must be the step right before it",
                )
            )
        if stretch.level.rank > routine.level.rank:
            issues.append(
                ContentIssue(
                    ROUTINES_FILE,
                    f"{at}.stretch",
                    f"'{stretch.id}' is {stretch.level}, above this {routine.level} routine",
                )
            )
        issues.extend(_override(f"{at}.hold", step.hold, stretch.hold, stretch.id, " s"))
        issues.extend(
            _override(f"{at}.repetitions", step.repetitions, stretch.repetitions, stretch.id, "")
        )
    if not any(step.stretch not in stretches for step in routine.steps):
        for k, area in enumerate(routine.focus):
            if area not in served:
                issues.append(
                    ContentIssue(
                        ROUTINES_FILE,
                        f"{here}.focus[{k}]",
                        f"no stretch in this routine serves '{area}'",
                    )
                )
    return issues


def _override(
    path: str, value: int | None, allowed: Range, stretch_id: str, unit: str
) -> list[ContentIssue]:
    if value is None or value in allowed:
        return []
    message = (
        f"{value}{unit} is outside the {allowed.min}-{allowed.max}{unit} range of '{stretch_id}'"
    )
    return [ContentIssue(ROUTINES_FILE, path, message)]
