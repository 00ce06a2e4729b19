"""The audit pack for an ethics committee: one zip that can be checked with no server.

`events.jsonl` holds the project's trail, each line exactly the bytes of its leaf in the
verifiable log (the event's RFC 8785 canonical JSON), and `proofs.jsonl` line i the
inclusion proof of line i at the size of the one checkpoint the whole pack is drawn from
(`checkpoint.txt`, signed; `key.txt`, its verifier key). The views' files (decisions, power
timeline, scorecard, the report) are read at that same checkpoint: if an event of the
project arrives while they are read, everything is read again from a new checkpoint, so the
pack never describes an event it does not hold.

`verify_pack` checks a pack offline, as `cogov audit verify --pack` does. Pure: the zip is
built and read in memory; the PDF renderer is passed in.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import attrs

from cogov.application import merkle, notes
from cogov.application.records import EventRecord, utc_iso
from cogov.application.report import PdfUnavailable, ReportInput, report_html
from cogov.application.scorecard import Scorecard
from cogov.application.trail import held_back, hidden_open
from cogov.application.verifiable_log import LogDiverged, leaf_data
from cogov.application.views import DecisionRow, GovernanceView, PowerRow
from cogov.domain import Conflict, InvalidInput, Journal, NotFound, Stage

if TYPE_CHECKING:
    from cogov.application.governance import Governance

EVENTS = "events.jsonl"
PROOFS = "proofs.jsonl"
DECISIONS = "decisions.csv"
POWER = "power_timeline.csv"
JOURNAL = "journal.csv"
SCORECARD = "scorecard.json"
CHECKPOINT = "checkpoint.txt"
KEY = "key.txt"
CONSISTENCY = "consistency.json"
REPORT_HTML = "report.html"
REPORT_PDF = "report.pdf"
README = "README.txt"
REQUIRED = (EVENTS, PROOFS, CHECKPOINT, KEY)

TRIES = 8  # fresh checkpoints tried while the project keeps changing under the reads
BATCH = 200  # proofs whose tree nodes are read in one query
JOURNAL_COLUMNS = ("position", "recorded_at", "type", "actor", "data")

Progress = Callable[[int, int], None]  # (done, total)


@attrs.frozen
class Snapshot:
    """The project at one signed checkpoint: its events and its views at that point."""

    note: str  # the signed checkpoint
    key: str  # the verifier key
    last_position: int  # the position of the checkpoint's last leaf
    report: ReportInput

    @property
    def checkpoint(self) -> notes.Checkpoint:
        return self.report.checkpoint

    @property
    def scorecard(self) -> Scorecard:
        """The one scorecard read at the checkpoint: scorecard.json and the report's."""
        return self.report.scorecard


@attrs.frozen
class Proof:
    position: int
    leaf_index: int
    tree_size: int
    proof: tuple[bytes, ...]

    def line(self) -> bytes:
        return _json_line(
            {
                "position": self.position,
                "leaf_index": self.leaf_index,
                "tree_size": self.tree_size,
                "proof": [_b64(h) for h in self.proof],
            }
        )


def snapshot(gov: Governance, project_id: Any) -> Snapshot:
    """The project's events and views at one fresh checkpoint, read again from a newer one
    while events of the project keep arriving during the reads."""
    pid = gov.read_models.known_project(project_id, None)
    for _ in range(TRIES):
        note = gov.checkpoint()
        key = gov.verifiable_log.verifier_key()
        checkpoint = notes.parse_checkpoint(notes.open_note(note, notes.parse_verifier_key(key)))
        view = gov.read_models.view
        leaves = view.log_leaves(checkpoint.size - 1, 1) if checkpoint.size else []
        last = leaves[0][1] if leaves else 0
        taken = _read(gov, view, pid, checkpoint, last, note, key)
        if not view.trail(pid, last, 1):  # nothing of the project came after the checkpoint
            return taken
    raise Conflict(
        f"project {pid} changed during each of {TRIES} attempts to read it at one checkpoint; "
        "try again when it is quieter"
    )


def _read(
    gov: Governance,
    view: GovernanceView,
    pid: str,
    checkpoint: notes.Checkpoint,
    last: int,
    note: str,
    key: str,
) -> Snapshot:
    events = held_back([e for e in _project_events(gov, pid) if e.position <= last])
    timeline: list[PowerRow] = []
    while batch := gov.power_timeline(
        pid, after_position=timeline[-1].position if timeline else 0, limit=1000
    ):
        timeline.extend(batch)
    entered = {row.stage for row in timeline}
    stage_power = [gov.power_in_stage(pid, s.value) for s in Stage if s.value in entered]
    project = gov.project(pid)
    participation = view.members(pid)
    ids = {m.member_id for m in participation} | {m.member_id for m in project.members}
    for e in events:
        ids |= _ids_in(e)
    now = gov.clock()
    report = ReportInput(
        project=project,
        events=events,
        decisions=gov.decisions(pid),
        stage_power=stage_power,
        timeline=timeline,
        participation=participation,
        names=gov.names(sorted(ids)),
        checkpoint=checkpoint,
        generated_at=utc_iso(now),
        # judged at the moment the report is dated, so its waits and due dates agree
        scorecard=gov.scorecard(pid, as_of=now),
        journal=[row for row in gov.journal(pid) if row.position <= last],
    )
    return Snapshot(note, key, last, report)


def _project_events(gov: Governance, pid: str) -> Iterator[EventRecord]:
    """The project's events exactly as stored, each its leaf's data (the trail a reader
    gets redacts stances hidden until close; `held_back` leaves those out instead)."""
    after = 0
    while positions := gov.read_models.view.trail(pid, after, 1000):
        yield from gov.trail.at(positions)
        after = positions[-1]


def _ids_in(e: EventRecord) -> set[str]:
    d = e.data
    found = {e.actor} if e.actor else set()
    for field in ("member_id", "proposer", "founder_id", "holder", "proxy", "cast_by"):
        if isinstance(d.get(field), str):
            found.add(d[field])
    for field in ("member_ids", "attendees"):
        found.update(m for m in d.get(field) or () if isinstance(m, str))
    return found


def inclusion_proofs(
    view: GovernanceView,
    events: Sequence[EventRecord],
    checkpoint: notes.Checkpoint,
    progress: Progress | None = None,
) -> list[Proof]:
    """Each event's inclusion proof at the checkpoint's size, each checked against the
    checkpoint's root before it is handed out (an event that no longer matches its leaf is
    refused: the pack would not verify)."""
    size = checkpoint.size
    known: dict[tuple[int, int], bytes] = {}
    proofs: list[Proof] = []
    for start in range(0, len(events), BATCH):
        batch = events[start : start + BATCH]
        indexes = []
        for e in batch:
            index = view.log_leaf(e.position)
            if index is None or index >= size:
                raise NotFound(f"the event at position {e.position} is not in the log yet")
            indexes.append(index)
        wanted: list[tuple[int, int]] = []
        for index in indexes:
            merkle.inclusion_proof(_Wanted(wanted), index, size)
        known.update(view.log_nodes([k for k in dict.fromkeys(wanted) if k not in known]))
        for e, index in zip(batch, indexes, strict=True):
            path = merkle.inclusion_proof(_Known(known), index, size)
            leaf = merkle.leaf_hash(leaf_data(e))
            if not merkle.verify_inclusion(leaf, index, size, path, checkpoint.root):
                raise LogDiverged(
                    f"the stored event at position {e.position} is not the one the log holds "
                    "at its leaf; run 'cogov audit verify' to find where the store was changed"
                )
            proofs.append(Proof(e.position, index, size, tuple(path)))
        if progress is not None:
            progress(len(proofs), len(events))
    return proofs


class _Wanted:
    def __init__(self, wanted: list[tuple[int, int]]) -> None:
        self.wanted = wanted

    def node(self, level: int, index: int) -> bytes:
        self.wanted.append((level, index))
        return bytes(32)


class _Known:
    def __init__(self, known: Mapping[tuple[int, int], bytes]) -> None:
        self.known = known

    def node(self, level: int, index: int) -> bytes:
        try:
            return self.known[(level, index)]
        except KeyError:
            raise NotFound(f"the log holds no node at level {level}, index {index}") from None


def consistency(gov: Governance, since_size: int, checkpoint: notes.Checkpoint) -> bytes:
    """consistency.json: the proof that the checkpoint's tree extends the tree of
    `since_size` leaves (a previous pack's checkpoint), with both roots."""
    if not 0 <= since_size <= checkpoint.size:
        raise InvalidInput(
            f"since_size must be between 0 and {checkpoint.size} (this checkpoint's size)"
        )
    proof = gov.consistency_proof(since_size, checkpoint.size)
    body = {
        "from": since_size,
        "to": checkpoint.size,
        "from_root": _b64(gov.verifiable_log.root(since_size)),
        "to_root": _b64(checkpoint.root),
        "proof": list(proof.proof),
    }
    return (json.dumps(body, indent=2) + "\n").encode()


def build(
    gov: Governance,
    project_id: Any,
    *,
    since_size: int | None = None,
    render_pdf: Callable[[str], bytes] | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The audit pack of a project, as zip bytes."""
    taken = snapshot(gov, project_id)
    given = taken.report
    proven = None if since_size is None else consistency(gov, since_size, taken.checkpoint)
    steps = len(given.events) + 1  # a proof per event, then the report

    def proved(done: int, _: int) -> None:
        if progress is not None:
            progress(done, steps)

    proofs = inclusion_proofs(gov.read_models.view, given.events, taken.checkpoint, proved)
    html = report_html(given)
    files: dict[str, bytes] = {
        README: b"",  # written last, first in the zip
        CHECKPOINT: taken.note.encode(),
        KEY: (taken.key + "\n").encode(),
        EVENTS: b"".join(leaf_data(e) + b"\n" for e in given.events),
        PROOFS: b"".join(p.line() for p in proofs),
    }
    if proven is not None:
        files[CONSISTENCY] = proven
    files[DECISIONS] = decisions_csv(given.decisions, given.names, _positions(given.events))
    files[POWER] = power_csv(given.timeline)
    files[JOURNAL] = journal_csv(given)
    files[SCORECARD] = (json.dumps(taken.scorecard.to_dict(), indent=2) + "\n").encode()
    files[REPORT_HTML] = html.encode()
    pdf_problem = None
    if render_pdf is None:
        pdf_problem = "this cogov has no PDF renderer"
    else:
        try:
            files[REPORT_PDF] = render_pdf(html)
        except PdfUnavailable as e:
            pdf_problem = e.detail
    files[README] = readme(given, taken, since_size, pdf_problem).encode()
    proved(steps, steps)
    return _zip(files, given.generated_at)


def _positions(events: Iterable[EventRecord]) -> dict[str, list[int]]:
    """Each decision's event positions: a proposal's own events, a direct decision's one."""
    found: dict[str, list[int]] = {}
    for e in events:
        if e.type == "DecisionRecordedDirectly":
            found.setdefault(str(e.data.get("decision_id")), []).append(e.position)
        elif e.type.startswith(("Proposal", "Response", "Proxy", "Objection", "Comment")):
            found.setdefault(str(e.aggregate_id), []).append(e.position)
    return found


def _zip(files: Mapping[str, bytes], generated_at: str) -> bytes:
    moment = datetime.fromisoformat(generated_at.replace("Z", "+00:00")).astimezone(UTC)
    stamp = (max(moment.year, 1980), *moment.timetuple()[1:6])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            pack.writestr(info, data)
    return buffer.getvalue()


# --- the tables -------------------------------------------------------------------------

DECISION_COLUMNS = (
    "decision_id",
    "title",
    "area",
    "key",
    "stage",
    "by_proposal",
    "proposer_id",
    "proposer",
    "proposer_perspectives",
    "outcome",
    "rule",
    "threshold",
    "quorum",
    "jointly_owned",
    "failed_criteria",
    "flags",
    "electorate",
    "participation",
    "tally",
    "open_objections",
    "withdrawn_objections",
    "amendments",
    "actions",
    "tabled_at",
    "decided_at",
    "time_to_decide_s",
    "position",
    "positions",
)
POWER_COLUMNS = (
    "position",
    "as_of",
    "stage",
    "shift",
    "perspective",
    "voting_power",
    "authority",
    "influence",
    "hhi_voting_power",
    "hhi_authority",
    "hhi_influence",
)


def decisions_csv(
    rows: Sequence[DecisionRow],
    names: Mapping[str, str | None],
    positions: Mapping[str, Sequence[int]],
) -> bytes:
    lines: list[Sequence[object]] = [DECISION_COLUMNS]
    for d in rows:
        lines.append(
            (
                d.proposal_id,
                d.title,
                d.area,
                d.key,
                d.stage,
                d.by_proposal,
                d.proposer,
                names.get(d.proposer) or "",
                ";".join(d.proposer_perspectives),
                d.outcome,
                d.rule,
                d.threshold or "",
                d.quorum,
                "" if d.jointly_owned is None else d.jointly_owned,
                ";".join(d.failed_criteria),
                ";".join(d.flags),
                _compact(d.electorate),
                _compact(d.participation),
                _compact(d.tally),
                d.open_objections,
                d.withdrawn_objections,
                d.amendments,
                ";".join(d.actions),
                d.tabled_at,
                d.decided_at or "",
                "" if d.time_to_decide_s is None else d.time_to_decide_s,
                d.position,
                ";".join(str(p) for p in positions.get(d.proposal_id, [d.position])),
            )
        )
    return _csv(lines)


def power_csv(rows: Sequence[PowerRow]) -> bytes:
    lines: list[Sequence[object]] = [POWER_COLUMNS]
    for r in rows:
        for perspective, shares in r.perspectives.items():
            lines.append(
                (
                    r.position,
                    r.as_of,
                    r.stage,
                    r.shift,
                    perspective,
                    shares.get("voting_power", 0.0),
                    shares.get("authority", 0.0),
                    shares.get("influence", 0.0),
                    r.hhi.get("voting_power", 0.0),
                    r.hhi.get("authority", 0.0),
                    r.hhi.get("influence", 0.0),
                )
            )
    return _csv(lines)


def journal_csv(given: ReportInput) -> bytes:
    """The journal's entries among the pack's events (its own aggregate's events)."""
    journal = Journal.id_for(given.project.id)
    lines: list[Sequence[object]] = [JOURNAL_COLUMNS]
    for e in given.events:
        if e.aggregate_id == journal:
            lines.append((e.position, e.recorded_at, e.type, e.actor or "", _compact(e.data)))
    return _csv(lines)


def _compact(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """Text that a spreadsheet would run as a formula is kept as text (a leading ')."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv(lines: Iterable[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for line in lines:
        writer.writerow([_cell(v) for v in line])
    return out.getvalue().encode("utf-8")


def _json_line(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode() + b"\n"


def _b64(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


# --- README.txt -------------------------------------------------------------------------


def _held_back_text(events: Sequence[EventRecord]) -> str:
    """The README's note on proposals whose results are hidden until they close."""
    hidden = hidden_open(events)
    if not hidden:
        return ""
    return (
        f"\nHeld back:   {len(hidden)} proposal(s) still open whose charter hides the results\n"
        "             until they close; their events from the first response on are not in\n"
        "             this pack (a pack made after they close holds them): " + ", ".join(hidden)
    )


def readme(
    given: ReportInput, taken: Snapshot, since_size: int | None, pdf_problem: str | None
) -> str:
    cp = taken.checkpoint
    events = given.events
    span = f"positions {events[0].position} to {events[-1].position}" if events else "none"
    consistency_text = (
        f"consistency.json  The proof that this checkpoint's tree (size {cp.size}) extends the\n"
        f"                  tree of size {since_size} of an earlier checkpoint: from, to,\n"
        "                  from_root, to_root (base64) and proof (base64 hashes, RFC 6962\n"
        "                  SUBPROOF order). Check that from_root is the root in the earlier\n"
        "                  checkpoint.txt you kept, then verify the proof (RFC 9162 2.1.4.2)."
        if since_size is not None
        else "consistency.json  Not in this pack: ask for one with the size of a checkpoint you\n"
        "                  kept (GET /projects/{pid}/audit-pack?since_size=M, or\n"
        "                  cogov audit export --since-size M) to prove nothing was rewritten."
    )
    pdf_text = (
        "report.pdf        The same report, as a tagged PDF for printing and archiving."
        if pdf_problem is None
        else f"report.pdf        Not made: {pdf_problem}."
    )
    return f"""cogov audit pack
================

Project:     {given.project.title} ({given.project.id})
Made:        {given.generated_at}
Checkpoint:  {cp.origin}, tree size {cp.size}
Events:      {len(events)} events of this project, {span}{_held_back_text(events)}

Every file here was drawn from the one signed checkpoint in checkpoint.txt. The events
are the evidence; the other files are read from them, and each row or statement names
the positions of the events it rests on.

Check the whole pack at once (with cogov installed; no server is needed):

    cogov audit verify --pack THIS-FILE.zip [--key KEY-YOU-TRUST.txt]

It checks the signature, every line of events.jsonl against the checkpoint, and
consistency.json if present, and names the first line that fails. Exit status 0
means everything holds.


Files
-----

checkpoint.txt    The signed checkpoint (C2SP tlog-checkpoint in a C2SP signed note):
                  the log's origin, its tree size, the base64 root hash (RFC 6962), a
                  blank line, and a signature line: an em dash, the key's name, and the
                  base64 of a 4-byte key id followed by an Ed25519 signature of the text
                  above the blank line.
key.txt           The verifier key: name+<key id in hex>+<base64 of 0x01 and the 32-byte
                  Ed25519 public key>. Trust it only if it matches the key you were given
                  (GET /audit/key) or kept from an earlier pack.
events.jsonl      The project's events in position order, one per line. Each line,
                  without its newline, is exactly the leaf the log holds: the event as
                  RFC 8785 canonical JSON (position, type, aggregate_id, version,
                  recorded_at, actor, data). Its leaf hash is SHA-256(0x00 || line).
                  People are named by id only.
proofs.jsonl      Line i is the inclusion proof of line i of events.jsonl: position,
                  leaf_index, tree_size (the checkpoint's size) and proof (base64
                  hashes, bottom-up). Verify it with RFC 9162 section 2.1.3.2 against
                  the checkpoint's root.
{consistency_text}
decisions.csv     Every proposal and direct decision: outcome, rule, who took part by
                  perspective, whether a key decision was jointly owned and, if not,
                  which criteria failed; `positions` are its events.
power_timeline.csv  The share of voting power, authority and influence of each
                  perspective after every power shift (one row per shift and
                  perspective; `position` is the shift's event), with HHI. A
                  measure left empty was not computed at that shift (voting power
                  in a game too large to count exactly; the power view says why).
journal.csv       The co-production journal's entries among the events (position,
                  recorded_at, type, actor, data as JSON).
scorecard.json    The co-production scorecard: indicators with their evidence, read at
                  the same checkpoint and moment as the report, which shows the same.
report.html       The report for the research ethics committee: who was involved, what
                  they did, how their input changed the research, how power moved, key
                  decisions not jointly owned, the co-production log and scorecard, the
                  GRIPP2 short form, UK Standards for Public Involvement and the HRA's
                  questions, each statement citing positions.
{pdf_text}

Text that a spreadsheet would read as a formula (starting with =, +, -, @) is written
with a leading ' in the CSV files.


Checking by hand
----------------

1. Check the signature of checkpoint.txt with key.txt (any C2SP signed-note verifier).
2. For each line i of events.jsonl: hash it as SHA-256(0x00 || line), and check that
   proofs.jsonl line i leads from that hash at leaf_index to the checkpoint's root
   (RFC 9162 2.1.3.2), with tree_size equal to the checkpoint's size.
3. Check that positions increase line by line, and that each aggregate's versions
   (events of one aggregate_id) run 1, 2, 3, ... with none missing: a missing event
   would leave a gap. (Leaf indexes skip the events of other projects, which are in the
   same log but not in this pack.)
4. Keep checkpoint.txt: a later pack's consistency.json proves the log still extends it.

The same in Python (standard library and the `cryptography` package):

    import base64, hashlib, json, zipfile
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    pack = zipfile.ZipFile("THIS-FILE.zip")
    name, key_id, key = pack.read("key.txt").decode().strip().split("+", 2)
    note = pack.read("checkpoint.txt").decode()
    text, signature = note.split("\\n\\n", 1)
    raw = base64.b64decode(signature.split(" ")[2])
    assert signature.startswith("\\u2014 " + name + " ") and raw[:4].hex() == key_id
    Ed25519PublicKey.from_public_bytes(base64.b64decode(key)[1:]).verify(
        raw[4:], (text + "\\n").encode())
    origin, size, root = text.split("\\n")[:3]
    size, root = int(size), base64.b64decode(root)

    def node(left, right):
        return hashlib.sha256(b"\\x01" + left + right).digest()

    events = pack.read("events.jsonl").split(b"\\n")[:-1]
    proofs = pack.read("proofs.jsonl").split(b"\\n")[:-1]
    assert len(events) == len(proofs)
    for number, (line, proof) in enumerate(zip(events, proofs), start=1):
        proof = json.loads(proof)
        fn, sn = proof["leaf_index"], proof["tree_size"] - 1
        r = hashlib.sha256(b"\\x00" + line).digest()
        for p in map(base64.b64decode, proof["proof"]):
            if fn & 1 or fn == sn:
                r = node(p, r)
                while not fn & 1 and fn:
                    fn, sn = fn >> 1, sn >> 1
            else:
                r = node(r, p)
            fn, sn = fn >> 1, sn >> 1
        ok = sn == 0 and r == root and proof["tree_size"] == size
        assert ok and json.loads(line)["position"] == proof["position"], number
    print("every event verifies against", origin, size)
"""


# --- checking a pack offline ------------------------------------------------------------


@attrs.frozen
class PackVerdict:
    events: int  # lines of events.jsonl checked
    checkpoint_size: int | None
    origin: str | None
    first_failure: tuple[int, int | None] | None  # (line, position) of the first bad line
    problems: tuple[str, ...]
    consistency_checked: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


class _Problems:
    def __init__(self) -> None:
        self.found: list[str] = []
        self.first: tuple[int, int | None] | None = None

    def add(self, text: str, line: int | None = None, position: int | None = None) -> None:
        self.found.append(text)
        if line is not None and self.first is None:
            self.first = (line, position)


def verify_pack(
    data: bytes,
    *,
    key: str | None = None,
    previous: str | None = None,
    progress: Progress | None = None,
) -> PackVerdict:
    """Check an audit pack with nothing but its bytes: the checkpoint's signature (with
    `key`, a verifier key the caller trusts, else the pack's own key.txt), every line of
    events.jsonl against its proof and the checkpoint's root, the order of the lines and the
    versions of each aggregate, and consistency.json if present (and, given `previous`, an
    earlier signed checkpoint, that it starts from that checkpoint)."""
    problems = _Problems()
    try:
        pack = zipfile.ZipFile(io.BytesIO(data))
        names = set(pack.namelist())
    except (zipfile.BadZipFile, OSError) as e:
        return PackVerdict(0, None, None, None, (f"not a zip file: {e}",))
    missing = [n for n in REQUIRED if n not in names]
    if missing:
        return PackVerdict(0, None, None, None, (f"the pack has no {', '.join(missing)}",))
    opened = _checkpoint(pack, key, problems)
    if opened is None:
        return PackVerdict(0, None, None, None, tuple(problems.found))
    checkpoint, trusted = opened
    events = pack.read(EVENTS).split(b"\n")
    proofs = pack.read(PROOFS).split(b"\n")
    for name, lines in ((EVENTS, events), (PROOFS, proofs)):
        if lines[-1] == b"":
            del lines[-1]
        else:
            problems.add(f"{name} does not end in a newline", len(lines), None)
    if len(events) != len(proofs):
        problems.add(f"{EVENTS} has {len(events)} lines but {PROOFS} has {len(proofs)}")
    checked = _lines(events, proofs, checkpoint, problems, progress)
    consistent = False
    if CONSISTENCY in names:
        consistent = _consistency(pack.read(CONSISTENCY), checkpoint, previous, trusted, problems)
    elif previous is not None:
        problems.add("an earlier checkpoint was given but the pack holds no consistency.json")
    return PackVerdict(
        checked,
        checkpoint.size,
        checkpoint.origin,
        problems.first,
        tuple(problems.found),
        consistent,
    )


def _checkpoint(
    pack: zipfile.ZipFile, key: str | None, problems: _Problems
) -> tuple[notes.Checkpoint, str] | None:
    """The pack's checkpoint, opened with `key` or else key.txt, and the key used."""
    try:
        key_text = (key if key is not None else pack.read(KEY).decode("utf-8")).strip()
        verifier = notes.parse_verifier_key(key_text)
        body = notes.open_note(pack.read(CHECKPOINT).decode("utf-8"), verifier)
        checkpoint = notes.parse_checkpoint(body)
    except (ValueError, UnicodeDecodeError) as e:
        problems.add(f"checkpoint.txt does not verify: {e}")
        return None
    if checkpoint.origin != verifier.name:
        problems.add(
            f"the checkpoint is of log {checkpoint.origin!r}, the key of {verifier.name!r}"
        )
    if key is not None and pack.read(KEY).decode("utf-8", "replace").strip() != key.strip():
        problems.add("key.txt in the pack is not the key given")
    return checkpoint, key_text


def _lines(
    events: Sequence[bytes],
    proofs: Sequence[bytes],
    checkpoint: notes.Checkpoint,
    problems: _Problems,
    progress: Progress | None,
) -> int:
    last_position = last_index = -1
    versions: dict[str, int] = {}
    checked = 0
    for number, (line, proof_line) in enumerate(zip(events, proofs, strict=False), start=1):
        checked = number
        position = _position(line)
        try:
            proof = json.loads(proof_line)
            index, size = int(proof["leaf_index"]), int(proof["tree_size"])
            claimed = int(proof["position"])
            path = [base64.b64decode(h, validate=True) for h in proof["proof"]]
        except (ValueError, KeyError, TypeError) as e:
            problems.add(f"line {number} of {PROOFS} is not a proof: {e}", number, position)
            continue
        where = f"line {number} of {EVENTS} (position {claimed})"
        if size != checkpoint.size:
            problems.add(
                f"{where}: its proof is for tree size {size}, the checkpoint's is "
                f"{checkpoint.size}",
                number,
                claimed,
            )
        elif not merkle.verify_inclusion(
            merkle.leaf_hash(line), index, size, path, checkpoint.root
        ):
            problems.add(
                f"{where} does not verify against the checkpoint's root: the line was changed, "
                "or its proof is not its own",
                number,
                claimed,
            )
        elif position != claimed:
            problems.add(f"{where}: the event says position {position}", number, claimed)
        elif claimed <= last_position or index <= last_index:
            problems.add(f"{where} is out of order", number, claimed)
        else:
            _version(line, versions, where, number, claimed, problems)
        last_position, last_index = max(last_position, claimed), max(last_index, index)
        if progress is not None and (number % 1000 == 0 or number == len(events)):
            progress(number, len(events))
    return checked


def _position(line: bytes) -> int | None:
    try:
        value = json.loads(line)
        return int(value["position"]) if isinstance(value, dict) else None
    except (ValueError, KeyError, TypeError):
        return None


def _version(
    line: bytes,
    versions: dict[str, int],
    where: str,
    number: int,
    position: int,
    problems: _Problems,
) -> None:
    event = json.loads(line)
    aggregate, version = str(event.get("aggregate_id")), event.get("version")
    expected = versions.get(aggregate, 0) + 1
    if version != expected:
        problems.add(
            f"{where}: version {version} of {aggregate} follows version {expected - 1}; "
            "an event of it is missing",
            number,
            position,
        )
    versions[aggregate] = version if isinstance(version, int) else expected


def _consistency(
    data: bytes,
    checkpoint: notes.Checkpoint,
    previous: str | None,
    key: str,
    problems: _Problems,
) -> bool:
    try:
        body = json.loads(data)
        old, new = int(body["from"]), int(body["to"])
        old_root = base64.b64decode(body["from_root"], validate=True)
        new_root = base64.b64decode(body["to_root"], validate=True)
        path = [base64.b64decode(h, validate=True) for h in body["proof"]]
    except (ValueError, KeyError, TypeError) as e:
        problems.add(f"consistency.json is not a consistency proof: {e}")
        return False
    if new != checkpoint.size or new_root != checkpoint.root:
        problems.add("consistency.json does not end at this pack's checkpoint")
        return False
    if not merkle.verify_consistency(old, new, old_root, new_root, path):
        problems.add(
            f"consistency.json does not prove that the tree of {new} extends the tree of {old}"
        )
        return False
    if previous is not None:
        earlier = _earlier(previous, key, problems)
        if earlier is not None and (earlier.size, earlier.root) != (old, old_root):
            problems.add(
                f"consistency.json starts from size {old}, not from the earlier checkpoint "
                f"given (size {earlier.size}) and its root"
            )
            return False
    return True


def _earlier(previous: str, key: str, problems: _Problems) -> notes.Checkpoint | None:
    try:
        verifier = notes.parse_verifier_key(key.strip())
        return notes.parse_checkpoint(notes.open_note(previous, verifier))
    except ValueError as e:
        problems.add(f"the earlier checkpoint does not verify: {e}")
        return None
