"""The README's two commands install what they need: tools/run.sh only the runtime
Debian packages (never LibreOffice, which only the tests use), tools/test.sh both lists;
without apt-get one line says what to install and the script goes on.

apt-get, dpkg-query and id are replaced by recording stand-ins on PATH, so these tests
see what the scripts would install on a machine that has none of it, without touching
this one.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "tools"


def _listed(name: str) -> list[str]:
    lines = (TOOLS / f"deps-debian-{name}.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def _fake_debian(tmp_path: Path) -> tuple[Path, Path]:
    """A bin folder whose apt-get logs its arguments and whose dpkg-query knows no package."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "apt.log"
    scripts = {
        "apt-get": f'#!/bin/sh\necho "$*" >> "{log}"\n',
        "dpkg-query": "#!/bin/sh\nexit 1\n",
        "id": "#!/bin/sh\necho 0\n",
        # No Python here: tools/run.sh stops right after the Debian packages.
        "python3": "#!/bin/sh\nexit 1\n",
    }
    for name, text in scripts.items():
        path = bin_dir / name
        path.write_text(text)
        path.chmod(0o755)
    return bin_dir, log


def _installed(log: Path) -> list[str]:
    installs = [line.split() for line in log.read_text().splitlines() if " install " in f" {line} "]
    assert len(installs) == 1, log.read_text()
    return [word for word in installs[0] if not word.startswith("-") and word != "install"]


def _env(path: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = path
    return env


def test_lists_split_runtime_from_test():
    runtime, test = _listed("runtime"), _listed("test")
    assert {"python3", "python3-venv", "libegl1", "fonts-noto-cjk", "fonts-cns11643-kai"} <= set(runtime)
    assert {"libreoffice-writer-nogui", "libreoffice-calc-nogui", "poppler-utils", "xvfb", "xauth"} <= set(test)
    assert not set(runtime) & set(test)
    assert _listed("build") == ["libpython3-dev", "binutils"]  # PyInstaller: libpython.so, objdump
    assert not [p for p in runtime if p.startswith(("libreoffice", "poppler", "xvfb"))]


def test_run_sh_installs_only_the_runtime_packages(tmp_path):
    bin_dir, log = _fake_debian(tmp_path)
    work = tmp_path / "checkout"
    shutil.copytree(ROOT, work, ignore=shutil.ignore_patterns(".venv", ".git", "dist", "build", "__pycache__"))
    out = subprocess.run(["bash", "tools/run.sh"], cwd=work, env=_env(f"{bin_dir}:/usr/bin:/bin"),
                         capture_output=True, text=True, timeout=60)
    assert out.returncode != 0  # the stand-in python3 fails: nothing after the packages ran
    assert "update" in log.read_text()
    assert sorted(_installed(log)) == sorted(_listed("runtime"))
    assert not (work / ".venv").exists()


@pytest.mark.parametrize("kind", ["test", "build"])
def test_test_and_build_add_their_list_to_the_runtime_packages(tmp_path, kind):
    bin_dir, log = _fake_debian(tmp_path)
    out = subprocess.run(["bash", str(TOOLS / "install-debian-deps.sh"), kind],
                         env=_env(f"{bin_dir}:/usr/bin:/bin"), capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert sorted(_installed(log)) == sorted(_listed("runtime") + _listed(kind))


def test_without_apt_get_one_line_says_what_to_install(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "grep", "dirname"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    for kind, mentions_office in (("runtime", False), ("test", True)):
        out = subprocess.run([str(bin_dir / "bash"), str(TOOLS / "install-debian-deps.sh"), kind],
                             env=_env(str(bin_dir)), capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        lines = out.stderr.splitlines()
        assert len(lines) == 1, out.stderr
        assert "no apt-get" in lines[0] and "python3-venv" in lines[0] and "fonts-noto-cjk" in lines[0]
        assert ("LibreOffice" in lines[0]) is mentions_office
        assert ("libreoffice-writer-nogui" in lines[0]) is mentions_office
