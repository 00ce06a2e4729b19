"""`cogov`: run the demo, inspect power, and keep the projections (views) up to date."""

from __future__ import annotations

import argparse
import io
import json
import os
import secrets
import signal
import sys
import threading
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from eventsourcing.cryptography import AESCipher
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from cogov.application import Governance, audit_pack
from cogov.domain import GovernanceError
from cogov.infrastructure import ConfigurationError, database_url, open_governance
from cogov.infrastructure.config import Settings
from cogov.infrastructure.rekey import copy_store
from cogov.infrastructure.signing import SigningKeyError
from cogov.interfaces.cli import serving
from cogov.interfaces.cli.tables import (
    decisions_table,
    holdings_table,
    members_table,
    power_tables,
    tokens_table,
)
from cogov.interfaces.demo import DemoClock, demo_tokens, run_demo


def _console() -> Console:
    return Console(width=None if sys.stdout.isatty() else 160)


def _open(args: argparse.Namespace, **kwargs: Any) -> Governance:
    return open_governance(args.database_url or database_url(), **kwargs)


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


def serve(args: argparse.Namespace) -> int:
    console = _console()
    settings = Settings.from_env(os.environ)
    url = args.database_url or settings.database_url
    if url.startswith("memory:") and args.workers > 1:
        raise ConfigurationError(
            "memory:// keeps the store inside one process, so each of --workers "
            f"{args.workers} would have a store of its own; use sqlite:///path or "
            "postgresql://... with several workers"
        )
    admin_token = settings.admin_token or secrets.token_urlsafe(24)
    clock = DemoClock()
    gov = open_governance(url, clock=clock)
    demo_project = None
    try:
        if args.demo and gov.max_position() == 0:
            with console.status("Loading the demo project into the empty store..."):
                result = run_demo(gov, clock)
                tokens = demo_tokens(gov, result.project_id)
            console.print(decisions_table(result.decisions, result.members))
            console.print(tokens_table(tokens))
            console.print(f"Demo project: {result.project_id}")
            demo_project = result.project_id
        elif args.demo:
            first = gov.projects(limit=1)
            demo_project = first[0].project_id if first else None
    finally:
        gov.close()
    base = f"http://{args.host}:{args.port}"
    console.print(
        f"cogov serving {base} on {url}\n"
        f"  API docs {base}/docs   OpenAPI {base}/openapi.json   health {base}/healthz"
    )
    if demo_project is not None:
        console.print(
            f"  dashboard for the demo project: {base}/dashboard/{demo_project}\n"
            "    sign in there with a member's or the auditor's token, as printed when the demo "
            "was loaded (the form keeps it in a cookie, never in the address)"
        )
    if not settings.admin_token:
        console.print(
            f"  admin token for this run (set COGOV_ADMIN_TOKEN to fix one): {admin_token}"
        )
    os.environ["COGOV_DATABASE_URL"] = url
    os.environ["COGOV_ADMIN_TOKEN"] = admin_token
    serving.serve(host=args.host, port=args.port, workers=args.workers, log_level=args.log_level)
    return 0


def close_due(args: argparse.Namespace) -> int:
    console = _console()
    gov = _open(args)
    try:
        closed = []
        while batch := gov.close_due():
            closed.extend(batch)
        console.print(f"Closed {len(closed)} due proposal(s).")
    finally:
        gov.close()
    return 0


def cipher_key(args: argparse.Namespace) -> int:
    print(AESCipher.create_key(32))
    return 0


def rekey(args: argparse.Namespace) -> int:
    console = _console()
    new_key = os.environ.get("COGOV_NEW_CIPHER_KEY", "")
    source = _open(args)
    try:
        target = open_governance(args.to, cipher_key=new_key)
        try:
            with _progress_bar(console) as bar:
                task = bar.add_task("Copying events", total=source.max_position() or 1)
                copied = copy_store(
                    source, target, lambda done, _: bar.update(task, completed=done)
                )
                bar.update(task, completed=source.max_position() or 1)
        finally:
            target.close()
    finally:
        source.close()
    how = "encrypted with COGOV_NEW_CIPHER_KEY" if new_key else "unencrypted"
    console.print(f"Copied {copied} events and their records to {args.to}, {how}.")
    return 0


def power(args: argparse.Namespace) -> int:
    console = _console()
    gov = _open(args)
    try:
        if args.stage:
            row = gov.power_in_stage(args.project, args.stage)
        else:
            row = gov.power_as_of(args.project, args.as_of)
        if args.json:
            print(json.dumps(row.to_dict(), indent=2))
            return 0
        names = {m.member_id: gov.display_name(m.member_id) or m.member_id[:8] for m in row.members}
        console.print(
            f"Power in project {args.project} as of {row.as_of} "
            f"(stage {row.stage}, after {row.shift} at position {row.position})"
        )
        for table in power_tables(row, names):
            console.print(table)
    finally:
        gov.close()
    return 0


def _progress_bar(console: Console) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    )


def rebuild(args: argparse.Namespace) -> int:
    console = _console()
    gov = _open(args)
    try:
        head = gov.max_position()
        with _progress_bar(console) as bar:
            task = bar.add_task("Rebuilding views", total=head or 1)
            reached = gov.rebuild_views(
                lambda position, _head: bar.update(task, completed=position)
            )
            bar.update(task, completed=head or 1)
        console.print(f"Views rebuilt from {reached} events.")
    finally:
        gov.close()
    return 0


def run(args: argparse.Namespace) -> int:
    console = _console()
    gov = _open(args)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    try:
        runner = gov.views
        if runner is None:  # pragma: no cover (every cogov store has views)
            raise ConfigurationError("this store has no views")
        runner.batch = args.batch
        runner.poll_interval = args.interval
        console.print(
            f"Following {args.database_url or database_url()} from position {runner.position()}"
            " (Ctrl-C to stop)"
        )
        runner.run_forever(stop=stop)
        console.print(f"Stopped at position {runner.position()}.")
    finally:
        gov.close()
    return 0


def checkpoint(args: argparse.Namespace) -> int:
    gov = _open(args)
    try:
        sys.stdout.write(gov.checkpoint())
    finally:
        gov.close()
    return 0


def verify(args: argparse.Namespace) -> int:
    console = _console()
    if args.checkpoint and not args.key:
        raise ConfigurationError(
            "a checkpoint is checked with the log's verifier key you kept (GET /audit/key): "
            "pass it with --key"
        )
    kept = args.checkpoint.read_text(encoding="utf-8") if args.checkpoint else None
    key = args.key.read_text(encoding="utf-8") if args.key else None
    if args.pack is not None:
        return verify_pack(console, args.pack, key=key, previous=kept)
    gov = _open(args)
    try:
        head = gov.max_position()
        with _progress_bar(console) as bar:
            task = bar.add_task("Recomputing the log", total=head or 1)
            verdict = gov.verify_log(
                checkpoint=kept, key=key, progress=lambda n: bar.update(task, completed=n)
            )
            bar.update(task, completed=head or 1)
    finally:
        gov.close()
    if verdict.ok:
        against = (
            f"; consistent with the checkpoint of {verdict.checkpoint_size}"
            if verdict.checkpoint_size is not None
            else ""
        )
        console.print(f"Verified: {verdict.events} events, root {verdict.root}{against}.")
        return 0
    for problem in verdict.problems:
        console.print(f"[red]FAILED[/red]: {problem}")
    if verdict.first_difference is not None:
        console.print(f"First position that differs: {verdict.first_difference}")
    return 1


def verify_pack(console: Console, pack: Path, *, key: str | None, previous: str | None) -> int:
    """Check an audit pack offline: no store is opened."""
    data = pack.read_bytes()
    if key is None:
        console.print(
            "No --key given: checking the checkpoint with the pack's own key.txt. Compare it "
            "with the log's key you were given (GET /audit/key), or pass that with --key."
        )
    with _progress_bar(console) as bar:
        task = bar.add_task("Checking each event", total=None)
        verdict = audit_pack.verify_pack(
            data,
            key=key,
            previous=previous,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    if verdict.ok:
        consistent = (
            "; consistency.json proves it extends the earlier checkpoint"
            if verdict.consistency_checked
            else ""
        )
        console.print(
            f"Verified: {verdict.events} events of {pack.name} against the checkpoint of "
            f"{verdict.origin} at size {verdict.checkpoint_size}{consistent}."
        )
        return 0
    for problem in verdict.problems[:20]:
        console.print(f"[red]FAILED[/red]: {problem}")
    if len(verdict.problems) > 20:
        console.print(f"... and {len(verdict.problems) - 20} more problems")
    if verdict.first_failure is not None:
        line, position = verdict.first_failure
        at = f" (position {position})" if position is not None else ""
        console.print(f"First line that fails: events.jsonl line {line}{at}")
    return 1


def export(args: argparse.Namespace) -> int:
    to_stdout = str(args.output) == "-"
    console = Console(stderr=True) if to_stdout else _console()
    gov = _open(args)
    try:
        with _progress_bar(console) as bar:
            task = bar.add_task("Proving each event, then the report", total=None)
            data = gov.audit_pack(
                args.project,
                since_size=args.since_size,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
    finally:
        gov.close()
    if to_stdout:
        sys.stdout.buffer.write(data)
        return 0
    out = args.output or Path(f"cogov-audit-pack-{args.project}.zip")
    out.write_bytes(data)
    with zipfile.ZipFile(io.BytesIO(data)) as pack:
        size = pack.read("checkpoint.txt").decode().split("\n")[1]
        events = pack.read("events.jsonl").count(b"\n")
    console.print(
        f"Wrote {out}: {events} events with their proofs at the checkpoint of tree size "
        f"{size}. Check it anywhere with: cogov audit verify --pack {out}"
    )
    return 0


def report(args: argparse.Namespace) -> int:
    to_stdout = str(args.output) == "-"
    console = Console(stderr=True) if to_stdout else _console()
    gov = _open(args)
    try:
        with console.status("Drawing the report from a fresh checkpoint..."):
            data = gov.report_pdf(args.project) if args.pdf else gov.report(args.project).encode()
    finally:
        gov.close()
    if to_stdout:
        sys.stdout.buffer.write(data)
        return 0
    out = args.output or Path(f"cogov-report-{args.project}.{'pdf' if args.pdf else 'html'}")
    out.write_bytes(data)
    console.print(f"Wrote {out}.")
    return 0


def _when(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {text!r}") from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError("give a time zone, e.g. 2026-03-01T12:00:00Z")
    return moment


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="cogov",
        description="Event-sourced decision governance for co-produced research.",
        epilog="Store: COGOV_DATABASE_URL = sqlite:///path (default sqlite:///./cogov.db), "
        "postgresql://user:pass@host:port/db, or memory://. Encryption at rest: "
        "COGOV_CIPHER_KEY (see `cogov cipher-key`).",
    )
    store = argparse.ArgumentParser(add_help=False)
    store.add_argument("--database-url", help="store to use (default: COGOV_DATABASE_URL)")
    verbs = top.add_subparsers(dest="verb", metavar="COMMAND", required=True)

    d = verbs.add_parser(
        "demo",
        parents=[store],
        help="run a realistic co-produced project and print its decisions and roles",
        description="Record a co-produced project from priority setting to evaluation in the "
        "configured store, then print its decisions (outcome, joint ownership) and who held "
        "which roles and areas at the end of each stage.",
    )
    d.set_defaults(func=demo)

    sv = verbs.add_parser(
        "serve",
        parents=[store],
        help="serve the HTTP API (and keep the views following the store)",
        description="Serve the HTTP API with uvicorn. The instance admin token comes from "
        "COGOV_ADMIN_TOKEN; without it a token is generated for this run and printed. Each "
        "worker keeps the views following the store and closes proposals, as `system`, "
        "within seconds of their deadline. While the store cannot be reached, requests get "
        "503 with Retry-After; service resumes by itself when it answers again.",
    )
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    sv.add_argument("--port", type=int, default=8000, help="port (8000)")
    sv.add_argument("--workers", type=int, default=1, help="worker processes (1)")
    sv.add_argument("--log-level", default="info", help="uvicorn log level (info)")
    sv.add_argument(
        "--demo",
        action="store_true",
        help="if the store is empty, load the demo project first and print its tokens",
    )
    sv.set_defaults(func=serve)

    cd = verbs.add_parser(
        "close-due",
        parents=[store],
        help="close every proposal whose deadline has passed",
        description="Close, as `system`, every open proposal past its closes_at, with the "
        "outcome its frozen rules give. `cogov serve` does this by itself within seconds; "
        "this is for deployments that prefer a scheduler such as cron. Safe to run while "
        "servers run: each proposal closes once.",
    )
    cd.set_defaults(func=close_due)

    ck = verbs.add_parser(
        "cipher-key",
        help="print a new key for encrypting the store (COGOV_CIPHER_KEY)",
        description="Print a fresh random AES-256 key in base64. Set it as COGOV_CIPHER_KEY "
        "before a store's first event: events and snapshots are then stored encrypted (the "
        "views and records beside them are not). Keep it safe: without it the events cannot "
        "be read, and a store cannot change its key in place (docs/design.md, section 8).",
    )
    ck.set_defaults(func=cipher_key)

    rk = verbs.add_parser(
        "rekey",
        parents=[store],
        help="copy the store into a new one under a new encryption key",
        description="Copy every event, in order, and every record of the store (read with "
        "COGOV_CIPHER_KEY, or none) into a new, empty store encrypted with "
        "COGOV_NEW_CIPHER_KEY (or unencrypted if it is unset), and build its views. Stop "
        "writers first; then point cogov at the new store and its key.",
    )
    rk.add_argument("--to", required=True, help="URL of the new, empty store")
    rk.set_defaults(func=rekey)

    p = verbs.add_parser(
        "power",
        parents=[store],
        help="print how power was distributed in a project, now or at a time or stage",
        description="Print voting power, authority and influence by perspective and member, "
        "with HHI and Gini concentration, after the last power shift at or before --as-of "
        "(default: now), or at the end of --stage.",
    )
    p.add_argument("project", help="project id")
    when = p.add_mutually_exclusive_group()
    when.add_argument("--as-of", type=_when, help="ISO 8601 time with zone, e.g. 2026-03-01T12:00Z")
    when.add_argument("--stage", help="a stage, e.g. design")
    p.add_argument("--json", action="store_true", help="print the row as JSON")
    p.set_defaults(func=power)

    cp = verbs.add_parser(
        "checkpoint",
        parents=[store],
        help="print a fresh signed checkpoint of the verifiable log",
        description="Print a C2SP checkpoint (origin, tree size, root) of every event "
        "recorded so far, signed with the key at COGOV_SIGNING_KEY (by default "
        "cogov-signing.key beside an SQLite database, else in this folder; created on "
        "first use, readable by its owner only). "
        "Keep it: `cogov audit verify --checkpoint` later shows the log still extends it.",
    )
    cp.set_defaults(func=checkpoint)

    audit = verbs.add_parser(
        "audit",
        help="check the verifiable log; export a project's audit pack or report",
        description="What an ethics committee or funder runs to check cogov's evidence.",
    )
    averbs = audit.add_subparsers(dest="action", metavar="ACTION", required=True)
    av = averbs.add_parser(
        "verify",
        parents=[store],
        help="recompute every leaf and check a checkpoint you kept",
        description="Recompute every leaf of the log from the stored events, compare them "
        "with the tree the server proves from, and, with --checkpoint, check its signature "
        "(with --key) and that today's log extends it. Names the first position that "
        "differs. Exit status 0 only when everything holds, 1 when something does not.",
    )
    av.add_argument("--checkpoint", type=Path, help="a checkpoint kept from earlier")
    av.add_argument("--key", type=Path, help="the log's verifier key (from GET /audit/key)")
    av.add_argument(
        "--pack",
        type=Path,
        metavar="FILE.zip",
        help="check an audit pack offline instead (no store is opened): the checkpoint's "
        "signature (with --key, else the pack's key.txt), every events.jsonl line's proof, "
        "and consistency.json (from the --checkpoint kept, if given); names the first line "
        "that fails",
    )
    av.set_defaults(func=verify)

    ae = averbs.add_parser(
        "export",
        parents=[store],
        help="write a project's audit pack (a zip an ethics committee can check offline)",
        description="Write the project's audit pack at a fresh signed checkpoint: "
        "events.jsonl (each line a leaf of the log) with proofs.jsonl (an inclusion proof per "
        "line), decisions.csv, power_timeline.csv, journal.csv, scorecard.json, "
        "checkpoint.txt, key.txt, report.html, report.pdf and README.txt (how to check each "
        "file). With --since-size, consistency.json proves the log extends a checkpoint you "
        "kept. Check it with `cogov audit verify --pack FILE`.",
    )
    ae.add_argument("project", help="project id")
    ae.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="where to write it (default cogov-audit-pack-PROJECT.zip; - for standard output)",
    )
    ae.add_argument(
        "--since-size",
        type=int,
        metavar="M",
        help="the tree size of an earlier pack's checkpoint.txt (its second line)",
    )
    ae.set_defaults(func=export)

    ar = averbs.add_parser(
        "report",
        parents=[store],
        help="write the report for a research ethics committee (HTML, or --pdf)",
        description="Write the project's report for a research ethics committee: who was "
        "involved, what they did, how their input changed the research, how power moved "
        "across stages, key decisions not jointly owned and why, the GRIPP2 short form, the "
        "UK Standards for Public Involvement and the HRA's questions, each statement citing "
        "the events behind it. An accessible HTML page, or with --pdf a tagged PDF.",
    )
    ar.add_argument("project", help="project id")
    ar.add_argument("--pdf", action="store_true", help="write a tagged PDF instead of HTML")
    ar.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="where to write it (default cogov-report-PROJECT.html or .pdf; - for standard output)",
    )
    ar.set_defaults(func=report)

    proj = verbs.add_parser(
        "projections",
        help="rebuild the views, or keep them following the store",
        description="The views (decisions, power timeline, members) are kept in the same "
        "database as the events, each event applied exactly once.",
    )
    pverbs = proj.add_subparsers(dest="action", metavar="ACTION", required=True)
    rb = pverbs.add_parser(
        "rebuild", parents=[store], help="drop the views and rebuild them from every event"
    )
    rb.set_defaults(func=rebuild)
    r = pverbs.add_parser(
        "run",
        parents=[store],
        help="follow the store as a separate process until stopped",
        description="Apply new events to the views as they are stored, until SIGINT or "
        "SIGTERM. Safe to stop and restart at any point: it resumes exactly where the views "
        "were last committed.",
    )
    r.add_argument("--batch", type=int, default=1000, help="events per transaction (1000)")
    r.add_argument("--interval", type=float, default=0.1, help="seconds between polls (0.1)")
    r.set_defaults(func=run)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except (ConfigurationError, GovernanceError, SigningKeyError) as e:
        print(f"cogov: {e}", file=sys.stderr)
        return 2
    except OSError as e:  # a file named on the command line cannot be read
        print(f"cogov: {e.strerror or e}: {e.filename}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":
    sys.exit(main())
