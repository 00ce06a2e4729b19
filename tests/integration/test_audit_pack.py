"""The audit pack on every store, checked the way an ethics committee would: every line of
events.jsonl against the signed checkpoint with only the RFC 6962 and signed-note code (no
cogov reader), consistency with an earlier checkpoint, `cogov audit verify --pack` passing
on a good pack and naming the line of a changed byte, the routes, and the PDF."""

from __future__ import annotations

import base64
import contextlib
import csv
import html
import io
import json
import re
import subprocess
import zipfile
import zlib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest
import rfc8785
from fastapi.testclient import TestClient

from cogov.application import Governance, merkle, notes
from cogov.application.records import plain
from cogov.application.report import ranges
from cogov.infrastructure import open_governance
from cogov.interfaces.cli.main import main
from cogov.interfaces.demo import DemoClock, run_demo
from cogov.interfaces.http.app import create_app

FILES = {
    "README.txt",
    "events.jsonl",
    "proofs.jsonl",
    "decisions.csv",
    "power_timeline.csv",
    "journal.csv",
    "scorecard.json",
    "checkpoint.txt",
    "key.txt",
    "report.html",
    "report.pdf",
}
ADMIN = "admin-token-for-audit-pack-tests"


def busy(gov: Governance, project: str | None = None, rounds: int = 4) -> tuple[str, str]:
    """A project with proposals, an objection met by an amendment, a rejection, comments
    and a stage change (and another project's events between its own)."""
    if project is None:
        founded = gov.found_project(
            title="Moving on", founder_name="Rosa", founder_perspectives=["researcher"]
        )
        project, rosa = str(founded.project_id), founded.founder_id
    else:
        rosa = next(m.member_id for m in gov.members(project) if m.display_name == "Rosa")
    other = gov.found_project(title="Other", founder_name="Oz", founder_perspectives=["public"])
    pam = gov.admit_member(project, display_name="Pam", perspectives=["public"], actor=rosa)
    for i in range(rounds):
        tabled = gov.table_proposal(project, title=f"P{i}", text="x", area="methods", actor=rosa)
        gov.respond(tabled.proposal_id, stance="object", reason="too soon", actor=pam.member_id)
        gov.comment(tabled.proposal_id, text="what about evenings?", actor=rosa)
        gov.admit_member(
            other.project_id, display_name="Ola", perspectives=["public"], actor=other.founder_id
        )
        if i % 2:
            gov.amend_proposal(tabled.proposal_id, text="evenings", actor=rosa)
            gov.withdraw_objection(tabled.proposal_id, actor=pam.member_id)
        gov.respond(tabled.proposal_id, stance="consent", actor=rosa)
        gov.close_proposal(tabled.proposal_id, actor=rosa)
    return project, rosa


def opened(pack: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(pack))


def independently_verified(pack: zipfile.ZipFile) -> notes.Checkpoint:
    """Check the signature and every events.jsonl line against the checkpoint, using only
    the Merkle and signed-note functions; return the checkpoint."""
    verifier = notes.parse_verifier_key(pack.read("key.txt").decode().strip())
    checkpoint = notes.parse_checkpoint(
        notes.open_note(pack.read("checkpoint.txt").decode(), verifier)
    )
    events = pack.read("events.jsonl").split(b"\n")
    proofs = pack.read("proofs.jsonl").split(b"\n")
    assert events[-1] == proofs[-1] == b""
    assert len(events) == len(proofs) > 1
    for line, proof_line in zip(events[:-1], proofs[:-1], strict=True):
        proof = json.loads(proof_line)
        assert proof["tree_size"] == checkpoint.size
        assert json.loads(line)["position"] == proof["position"]
        path = [base64.b64decode(h) for h in proof["proof"]]
        leaf = merkle.leaf_hash(line)
        assert merkle.verify_inclusion(
            leaf, proof["leaf_index"], checkpoint.size, path, checkpoint.root
        ), proof["position"]
    return checkpoint


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF's objects, its compressed streams (object streams among them) inflated."""
    inflated = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        with contextlib.suppress(zlib.error):
            inflated.append(zlib.decompress(stream))
    return b"\n".join(inflated)


@pytest.fixture
def gov(database_url: str) -> Iterator[Governance]:
    app = open_governance(database_url, clock=DemoClock())
    yield app
    app.close()


def test_every_event_line_verifies_against_the_signed_checkpoint(gov: Governance) -> None:
    project, _ = busy(gov)
    earlier = notes.parse_checkpoint(
        notes.open_note(
            gov.checkpoint(), notes.parse_verifier_key(gov.verifiable_log.verifier_key())
        )
    )
    project, rosa = busy(gov, project, rounds=2)
    gov.record_reflection(project, scope="team", text="We listened more in design", actor=rosa)
    pack = opened(gov.audit_pack(project, since_size=earlier.size))
    assert set(pack.namelist()) == FILES | {"consistency.json"}
    checkpoint = independently_verified(pack)
    # each line is exactly the trail's event in canonical JSON, the project's whole trail
    trail = gov.project_events(project, limit=1000)
    lines = pack.read("events.jsonl").split(b"\n")[:-1]
    assert lines == [bytes(rfc8785.dumps(plain(attrs.asdict(e)))) for e in trail]
    # the earlier checkpoint is a prefix of this one
    body = json.loads(pack.read("consistency.json"))
    assert (body["from"], body["to"]) == (earlier.size, checkpoint.size)
    assert base64.b64decode(body["from_root"]) == earlier.root
    assert merkle.verify_consistency(
        earlier.size,
        checkpoint.size,
        earlier.root,
        checkpoint.root,
        [base64.b64decode(h) for h in body["proof"]],
    )
    # the tables cite the same events
    decisions = list(csv.DictReader(io.StringIO(pack.read("decisions.csv").decode())))
    assert len(decisions) == 6
    positions = {json.loads(line)["position"] for line in lines}
    for row in decisions:
        assert {int(p) for p in row["positions"].split(";")} <= positions
    journal = list(csv.DictReader(io.StringIO(pack.read("journal.csv").decode())))
    assert [r["type"] for r in journal][-1] == "ReflectionRecorded"
    assert {int(r["position"]) for r in journal} <= positions
    assert json.loads(journal[-1]["data"])["text"] == "We listened more in design"
    assert json.loads(pack.read("scorecard.json"))["project_id"] == project
    power = list(csv.DictReader(io.StringIO(pack.read("power_timeline.csv").decode())))
    assert power and {int(r["position"]) for r in power} <= positions


def test_a_size_beyond_the_log_is_refused(gov: Governance) -> None:
    project, _ = busy(gov, rounds=1)
    with pytest.raises(Exception, match="since_size"):
        gov.audit_pack(project, since_size=10_000)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, bytes]]:
    """The demo project on SQLite with one member erased: its URL, id and audit pack."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo')}/cogov.db"
    clock = DemoClock()
    app = open_governance(url, clock=clock)
    try:
        project = str(run_demo(app, clock).project_id)
        hannah = next(m.member_id for m in app.members(project) if m.display_name == "Hannah Osei")
        app.erase_member(project, hannah, actor=hannah)
        yield url, project, app.audit_pack(project)
    finally:
        app.close()


def test_the_report_names_no_erased_member_and_the_pdf_has_pages(
    demo: tuple[str, str, bytes], tmp_path: Path
) -> None:
    _, _, data = demo
    pack = opened(data)
    independently_verified(pack)
    for name in FILES - {"report.pdf"}:
        assert b"Hannah" not in pack.read(name), name
    html = pack.read("report.html").decode()
    assert "erased member" in html and "GRIPP2" in html
    pdf = pack.read("report.pdf")
    assert pdf.startswith(b"%PDF-")
    objects = pdf_objects(pdf)
    assert len(re.findall(rb"/Type\s*/Page\b", objects)) >= 10
    assert b"/StructTreeRoot" in objects  # tagged
    (tmp_path / "report.pdf").write_bytes(pdf)
    try:
        info = subprocess.run(
            ["pdfinfo", str(tmp_path / "report.pdf")], capture_output=True, text=True, check=True
        ).stdout
    except FileNotFoundError:
        return  # poppler-utils is not installed: the checks above stand
    assert re.search(r"Pages:\s+([1-9]\d+)", info)
    assert re.search(r"Tagged:\s+yes", info)


def report_section(page: str, anchor: str) -> str:
    return page.split(f'<section id="{anchor}"', 1)[1].split("</section>", 1)[0]


def table_row(body: str, *needles: str) -> str:
    rows = [r.split("</tr>", 1)[0] for r in body.split("<tr>")[1:]]
    found = [r for r in rows if all(n in r for n in needles)]
    assert len(found) == 1, (needles, found)
    return found[0]


def test_the_report_answers_from_the_log_and_agrees_with_scorecard_json(
    demo: tuple[str, str, bytes],
) -> None:
    """The report and scorecard.json are one reading: each indicator's status, words and
    evidence positions appear in the report; the journal's entries are counted and cited;
    the demo's justified gap and declined payment read as the log records them."""
    _, _, data = demo
    pack = opened(data)
    page = pack.read("report.html").decode()
    card = json.loads(pack.read("scorecard.json"))
    # judged at the moment the pack was made, as the report is dated
    assert f"Made:        {card['as_of']}\n" in pack.read("README.txt").decode()
    log = report_section(page, "log")
    words = {
        "met": "Met",
        "partial": "Partly met",
        "not_met": "Not met",
        "no_evidence": "Log silent",
    }
    for indicator in card["indicators"]:
        principle = indicator["principle"]
        line = table_row(log, f'<th scope="row">{principle[0].upper()}{principle[1:]}</th>')
        assert f"<strong>{words[indicator['status']]}</strong>" in line, principle
        assert html.escape(indicator["explanation"]) in line, principle
        if indicator["evidence"]:
            assert f"{ranges(indicator['evidence'])})</span>" in line, principle
    entries = list(csv.DictReader(io.StringIO(pack.read("journal.csv").decode())))
    recorded = [e for e in entries if e["type"] != "JournalOpened"]
    assert f"The co-production log holds {len(recorded)} entries" in page
    assert ranges(int(e["position"]) for e in recorded) in page
    assert "Not yet recorded" not in page
    # the one stage without public involvement, with the reason the team recorded
    (gap,) = card["gaps"]
    hra = report_section(page, "hra")
    why = table_row(hra, "Where the public were not involved, why not?")
    assert html.escape(gap["reason"]) in why and str(gap["evidence"][0]) in why
    # a declined payment is recognition, never a shortfall
    declined = table_row(log, "payment declined")
    assert not any(w in declined.lower() for w in ("overdue", "over 30 days", "not met"))
    assert "chose to decline a payment, which needs no reason" in hra
    # reflections per stage, dialogue, the committee's opinion and declared interests
    for caption in (
        "Reflections in each stage",
        "Meetings, workshops and other exchanges",
        "Ethics reviews: the committees&#x27; opinions",
        "Ethics issues raised, and how each was resolved",
        "Declared interests",
        "Different people taking part in each stage, by perspective",
    ):
        assert f"<caption>{caption}</caption>" in log, caption


def test_the_readmes_own_recipe_checks_the_pack(
    demo: tuple[str, str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, _, data = demo
    readme = opened(data).read("README.txt").decode()
    recipe = "\n".join(line[4:] for line in readme.split("The same in Python")[1].splitlines()[2:])
    (tmp_path / "THIS-FILE.zip").write_bytes(data)
    monkeypatch.chdir(tmp_path)
    printed: list[Any] = []
    exec(recipe, {"print": lambda *a: printed.append(a)})  # our own text
    assert printed and printed[0][0] == "every event verifies against"


def test_cogov_audit_verify_pack_passes_and_names_a_changed_line(
    demo: tuple[str, str, bytes], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, project, _ = demo
    good = tmp_path / "pack.zip"
    assert main(["audit", "export", project, "--database-url", url, "-o", str(good)]) == 0
    assert main(["audit", "verify", "--pack", str(good)]) == 0
    assert "Verified" in capsys.readouterr().out

    pack = opened(good.read_bytes())
    lines = pack.read("events.jsonl").split(b"\n")
    line = lines[41]
    changed = line.replace(b'"recorded_at":"2', b'"recorded_at":"3', 1)
    assert changed != line and len(changed) == len(line)  # one byte
    lines[41] = changed
    position = json.loads(line)["position"]
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as out:
        for name in pack.namelist():
            content = b"\n".join(lines) if name == "events.jsonl" else pack.read(name)
            out.writestr(name, content)
    assert main(["audit", "verify", "--pack", str(bad)]) == 1
    said = capsys.readouterr().out
    assert f"line 42 of events.jsonl (position {position})" in said
    assert f"First line that fails: events.jsonl line 42 (position {position})" in said

    key = tmp_path / "other.key"
    key.write_text(notes.verifier_key("someone.else", bytes(32)) + "\n", encoding="utf-8")
    assert main(["audit", "verify", "--pack", str(good), "--key", str(key)]) == 1
    assert "does not verify" in capsys.readouterr().out


def test_the_report_command_writes_html_and_pdf(
    demo: tuple[str, str, bytes], tmp_path: Path
) -> None:
    url, project, _ = demo
    html, pdf = tmp_path / "r.html", tmp_path / "r.pdf"
    assert main(["audit", "report", project, "--database-url", url, "-o", str(html)]) == 0
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert main(["audit", "report", project, "--pdf", "--database-url", url, "-o", str(pdf)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_the_routes_answer_a_zip_html_and_pdf() -> None:
    clock = DemoClock()
    gov = open_governance("memory://", clock=clock)
    try:
        project, _ = busy(gov, rounds=1)
        token = gov.add_auditor(
            project,
            name="REC",
            expires_at=clock() + timedelta(days=90),
            actor="instance-admin",
        ).token
        with TestClient(create_app(gov, admin_token=ADMIN, follow=False)) as client:
            headers = {"Authorization": f"Bearer {token}"}
            size = int(client.get("/audit/checkpoint").text.split("\n")[1])
            answer = client.get(
                f"/projects/{project}/audit-pack", params={"since_size": size}, headers=headers
            )
            assert answer.status_code == 200, answer.text
            assert answer.headers["content-type"] == "application/zip"
            assert answer.headers["content-disposition"] == (
                f'attachment; filename="cogov-audit-pack-{project}.zip"'
            )
            pack = opened(answer.content)
            independently_verified(pack)
            assert json.loads(pack.read("consistency.json"))["from"] == size
            too_far = client.get(
                f"/projects/{project}/audit-pack", params={"since_size": 10**6}, headers=headers
            )
            assert too_far.status_code == 422
            page = client.get(f"/projects/{project}/report", headers=headers)
            assert page.status_code == 200
            assert page.headers["content-type"] == "text/html; charset=utf-8"
            assert "default-src 'none'" in page.headers["content-security-policy"]
            assert "Moving on" in page.text
            pdf = client.get(f"/projects/{project}/report?format=pdf", headers=headers)
            assert pdf.headers["content-type"] == "application/pdf"
            assert pdf.content.startswith(b"%PDF-")
            assert (
                client.get(f"/projects/{project}/report?format=doc", headers=headers).status_code
                == 422
            )
    finally:
        gov.close()
