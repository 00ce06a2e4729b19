"""`cogov`: run the demo, and (as they land) serve, audit and inspect projections."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from rich.console import Console

from infrastructure import ConfigurationError, database_url, open_governance
from interfaces.cli.tables import decisions_table, holdings_table, members_table
from interfaces.demo import DemoClock, run_demo


def _console() -> Console:
    return Console(width=None if sys.stdout.isatty() else 160)


def demo(args: argparse.Namespace) -> int:
    console = _console()
    url = args.database_url or database_url()
    clock = DemoClock()
    gov = open_governance(url, clock=clock)
    try:
        with console.status("Running the demo project from priority setting to evaluation..."):
            result = run_demo(gov, clock)
        console.print(
            f"[bold]{result.project.title}[/bold]  project {result.project_id}  store {url}"
        )
        console.print(members_table(result.project))
        console.print(decisions_table(result.decisions, result.members))
        console.print(holdings_table(result.holdings, result.members))
        failed = [d for d in result.decisions if d.jointly_owned is False]
        console.print(
            f"{len(result.decisions)} decisions; {len(failed)} key decision(s) not jointly owned. "
            f"Events recorded: {gov.max_position()}."
        )
    finally:
        gov.close()
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="cogov",
        description="Event-sourced decision governance for co-produced research.",
        epilog="Store: COGOV_DATABASE_URL = sqlite:///path (default sqlite:///./cogov.db), "
        "postgresql://user:pass@host:port/db, or memory://",
    )
    verbs = top.add_subparsers(dest="verb", metavar="COMMAND", required=True)
    run = verbs.add_parser(
        "demo",
        help="run a realistic co-produced project and print its decisions and roles",
        description="Record a co-produced project from priority setting to evaluation in the "
        "configured store, then print its decisions (outcome, joint ownership) and who held "
        "which roles and areas at the end of each stage.",
    )
    run.add_argument("--database-url", help="store to use (default: COGOV_DATABASE_URL)")
    run.set_defaults(func=demo)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except ConfigurationError as e:
        print(f"cogov: {e}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":
    sys.exit(main())
