"""A host platform embeds cogov from its wheel, beside packages of its own named `domain`
and `application` (common in DDD-style projects): neither side may shadow the other."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

HOST = textwrap.dedent(
    """
    import json
    import sys

    import application
    import domain
    from application.orders import place_order

    import cogov
    from cogov import Governance, open_governance

    gov = open_governance("memory://")
    founded = gov.found_project(
        title="Host-embedded project", founder_name="Ada", founder_perspectives=["public"]
    )
    project = gov.project(founded.project_id)
    print(json.dumps({
        "host_domain": domain.NAME,
        "host_application": application.NAME,
        "order": place_order(),
        "governance_is_cogovs": isinstance(gov, Governance),
        "cogov_file": cogov.__file__,
        "title": project.title,
        "members": len(project.members),
    }))
    gov.close()
    """
)


def _run(*args: str | Path, cwd: Path | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    _run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", out, ROOT)
    (built,) = out.glob("cogov-*.whl")
    return built


def test_the_wheel_holds_only_the_cogov_namespace(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    assert tops == {"cogov", next(t for t in tops if t.endswith(".dist-info"))}
    assert "cogov/__init__.py" in names
    for layer in ("domain", "application", "infrastructure", "interfaces"):
        for module in (ROOT / layer).rglob("*.py"):  # every module of every subpackage
            assert f"cogov/{module.relative_to(ROOT).as_posix()}" in names
    assert not [n for n in names if n.startswith(("cogov/tests/", "cogov/bench/"))]


def test_a_host_with_its_own_domain_and_application_embeds_cogov(
    wheel: Path, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    _run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", wheel)
    # cogov's dependencies come from the test environment; cogov itself only from the wheel
    where = "import sysconfig; print(sysconfig.get_path('purelib'))"
    site = Path(_run(python, "-c", where).strip())
    (site / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")

    host = tmp_path / "host"
    (host / "domain").mkdir(parents=True)
    (host / "domain" / "__init__.py").write_text('NAME = "the host\'s domain"\n')
    (host / "application").mkdir()
    (host / "application" / "__init__.py").write_text('NAME = "the host\'s application"\n')
    (host / "application" / "orders.py").write_text("def place_order() -> str:\n    return 'ok'\n")
    (host / "main.py").write_text(HOST)

    result = json.loads(_run(python, "main.py", cwd=host))

    assert result["host_domain"] == "the host's domain"
    assert result["host_application"] == "the host's application"
    assert result["order"] == "ok"
    assert result["governance_is_cogovs"] is True
    assert Path(result["cogov_file"]).is_relative_to(site)
    assert result["title"] == "Host-embedded project"
    assert result["members"] == 1
    assert "usage: cogov" in _run(venv / "bin" / "cogov", "--help", cwd=host)
