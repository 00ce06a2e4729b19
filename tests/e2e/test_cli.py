"""The `cogov` command as a user runs it: a real process on the SQLite default."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(sys.executable).with_name("cogov")  # the installed console script


def cogov(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_demo_on_the_sqlite_default_prints_its_tables(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "COGOV_DATABASE_URL"}
    run = subprocess.run(
        [str(SCRIPT), "demo"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "cogov.db").exists()  # the embedded default: ./cogov.db
    for heading in ("Members", "Decisions", "Roles and areas held at the end of each stage"):
        assert heading in run.stdout
    for word in ("adopted", "rejected", "lapsed", "withdrawn", "not_by_proposal"):
        assert word in run.stdout
    assert "1 key decision(s) not jointly owned" in run.stdout


def test_help_names_the_commands(tmp_path: Path) -> None:
    run = cogov("--help", cwd=tmp_path)
    assert run.returncode == 0
    assert "demo" in run.stdout
    assert "COGOV_DATABASE_URL" in run.stdout


def test_a_bad_database_url_is_a_clear_error(tmp_path: Path) -> None:
    run = cogov("demo", cwd=tmp_path, env={"COGOV_DATABASE_URL": "mysql://nope"})
    assert run.returncode == 2
    assert "unsupported COGOV_DATABASE_URL" in run.stderr
    assert "Traceback" not in run.stderr


def test_checkpoint_then_audit_verify_on_the_demo_store(tmp_path: Path) -> None:
    env = {"COGOV_DATABASE_URL": f"sqlite:///{tmp_path}/cogov.db"}
    assert cogov("demo", cwd=tmp_path, env=env).returncode == 0
    signed = cogov("checkpoint", cwd=tmp_path, env=env)
    assert signed.returncode == 0, signed.stderr
    assert (tmp_path / "cogov-signing.key").stat().st_mode & 0o077 == 0  # owner only
    (tmp_path / "kept.txt").write_text(signed.stdout)
    key = signed.stdout.split("\n\n")[1].split(" ")[1]  # the key's name is the origin
    assert signed.stdout.startswith(key + "\n")
    from cogov.infrastructure import open_governance

    gov = open_governance(env["COGOV_DATABASE_URL"], signing_key=tmp_path / "cogov-signing.key")
    (tmp_path / "key.txt").write_text(gov.verifiable_log.verifier_key())
    gov.close()
    ok = cogov(
        "audit", "verify", "--checkpoint", "kept.txt", "--key", "key.txt", cwd=tmp_path, env=env
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "Verified" in ok.stdout
    no_key = cogov("audit", "verify", "--checkpoint", "kept.txt", cwd=tmp_path, env=env)
    assert (no_key.returncode, "--key" in no_key.stderr) == (2, True)
    missing = cogov(
        "audit", "verify", "--checkpoint", "gone.txt", "--key", "key.txt", cwd=tmp_path, env=env
    )
    assert missing.returncode == 2 and "gone.txt" in missing.stderr
    assert "Traceback" not in missing.stderr
