"""What the command line's commands share: the plan they work on (the bundled one put in first), the quarter they
are given, and tables and findings printed."""

from __future__ import annotations

from ..plan.store import current_plan, ensure_bundled_plan
from ..quarters import Quarter, check_in_plan, current_quarter


def the_plan():
    ensure_bundled_plan()
    return current_plan()


def quarter_of(plan, text: str | None) -> Quarter:
    """The quarter --quarter names; the current one when it is not given. Given empty («--quarter ""», a shell
    variable left unset) it is refused: it wrote into the current quarter, which nobody had asked for."""
    if text is None:
        return current_quarter(plan.first_year, plan.last_year)
    quarter = Quarter.parse(text)
    check_in_plan(quarter, plan.first_year, plan.last_year)
    return quarter


def print_table(headers: list[str], rows: list[list]) -> None:
    widths = [max(len(str(r[i])) for r in rows + [headers]) for i in range(len(headers))]
    for row in [headers] + rows:
        print("  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(row, widths))))


def print_findings(findings) -> None:
    for finding in findings:
        print(f"  {finding}")

