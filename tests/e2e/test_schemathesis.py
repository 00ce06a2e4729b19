"""Schemathesis's own command, every phase (examples, coverage, fuzzing, stateful) and all
its checks, with three seeds, against a real `cogov serve` on SQLite and PostgreSQL: no 5xx,
no response off the schema.

Two of its expectations do not fit this API and are said so in its configuration: domain
rules rightly refuse some schema-valid input with 422 (a perspective the project does not
know), so "schema-valid data is accepted" is off; and a body over the size limit is
rightly refused with 413, which its negative-data check does not list by default. The
event stream is left out here: it runs for up to an hour by design; so are the audit pack
and the report, whose PDF can outlast the response limit (fuzzed in process instead).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.support import serving

ADMIN = "schemathesis-admin-token-0123456789"
CONFIG = """
[checks]
negative_data_rejection.expected-statuses = [400, 401, 403, 404, 405, 406, 409, 413, 415, 422]

[parameters]
pid = "{pid}"
mid = "{mid}"
proposal_id = "{proposal_id}"
role = "Facilitator"
"""


@pytest.mark.timeout(600)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_phase_finds_no_server_error(
    shared_store_url: str, seed: int, tmp_path: Path
) -> None:
    store = shared_store_url
    with serving(store, ADMIN) as base:
        founded = httpx.post(
            f"{base}/projects",
            json={
                "title": "Fuzzed",
                "founder": {"display_name": "F", "perspectives": ["researcher"]},
            },
            headers={"Authorization": f"Bearer {ADMIN}"},
        ).json()
        founder = {"Authorization": f"Bearer {founded['founder_token']}"}
        member = httpx.post(
            f"{base}/projects/{founded['id']}/members",
            json={"display_name": "M", "perspectives": ["public"]},
            headers=founder,
        ).json()
        proposal = httpx.post(
            f"{base}/projects/{founded['id']}/proposals",
            json={"title": "Fuzz me", "text": "A motion", "area": "methods"},
            headers=founder,
        ).json()
        config = tmp_path / "schemathesis.toml"
        config.write_text(
            CONFIG.format(pid=founded["id"], mid=member["member_id"], proposal_id=proposal["id"])
        )
        done = subprocess.run(
            [
                str(Path(sys.executable).with_name("schemathesis")),
                "--no-color",
                "--config-file",
                str(config),
                "run",
                f"{base}/openapi.json",
                "--phases",
                "examples,coverage,fuzzing,stateful",
                "--checks",
                "all",
                "--exclude-checks",
                "positive_data_acceptance",
                # The event stream runs for up to an hour by design (`cogov serve` keeps the
                # default), so each call would hold the run that long; it is fuzzed in
                # process instead, where its streams end at once (test_http_schema.py).
                "--exclude-path",
                "/projects/{pid}/stream",
                # The audit pack and the report print a tagged PDF of everything the fuzzing
                # recorded, which can take longer than the 10 s response limit on a loaded
                # machine: a performance debt (issue 13), not a server error. Both are fuzzed
                # with every check in process (test_http_schema.py), where no limit applies.
                "--exclude-path",
                "/projects/{pid}/audit-pack",
                "--exclude-path",
                "/projects/{pid}/report",
                "--seed",
                str(seed),
                "--max-examples",
                "10",
                "--header",
                f"Authorization: Bearer {founded['founder_token']}",
            ],
            capture_output=True,
            text=True,
            timeout=540,
            check=False,
        )
    assert done.returncode == 0, done.stdout[-8000:] + done.stderr[-2000:]
