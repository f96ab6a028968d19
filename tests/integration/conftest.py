# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run real ansible-playbook / ansible-inventory processes against the simulator.

Each scenario is a playbook under ``playbooks/`` that asserts its own contract
(``changed`` and the server's state); the pytest side starts the simulator,
passes its URL and token as extra vars, and reads the simulator's request log
to check what the playbook sent.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from helpers import VERBOSE_ENV

REPO = Path(__file__).resolve().parents[2]
PLAYBOOKS = Path(__file__).resolve().parent / "playbooks"
BIN = Path(sys.executable).parent


@pytest.fixture(scope="session")
def collections_path(tmp_path_factory):
    """A folder that contains ansible_collections/mistio/cloud -> the repository."""
    root = tmp_path_factory.mktemp("collections")
    target = root / "ansible_collections" / "mistio"
    target.mkdir(parents=True)
    (target / "cloud").symlink_to(REPO)
    return root


@pytest.fixture(scope="session")
def ansible_env(collections_path, tmp_path_factory):
    env = dict(os.environ)
    env.update({
        "ANSIBLE_COLLECTIONS_PATH": str(collections_path),
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "ANSIBLE_LOCAL_TEMP": str(tmp_path_factory.mktemp("ansible-tmp")),
        "ANSIBLE_HOME": str(tmp_path_factory.mktemp("ansible-home")),
        "ANSIBLE_RETRY_FILES_ENABLED": "false",
        "ANSIBLE_DEPRECATION_WARNINGS": "false",
        "LC_ALL": "C.UTF-8",
        "NO_COLOR": "1",
        "ANSIBLE_NOCOLOR": "1",
        "PATH": "%s%s%s" % (BIN, os.pathsep, env.get("PATH", "")),
    })
    env.update(VERBOSE_ENV)
    for name in ("MIST_URL", "MIST_API_TOKEN", "MIST_EMAIL", "MIST_PASSWORD"):
        env.pop(name, None)
    return env


class AnsibleRun:
    """Runs ansible-playbook / ansible-inventory with the collection on the path."""

    def __init__(self, env, cache_root):
        self.env = env
        self.cache_root = cache_root

    def _run(self, argv, env=None, cwd=None):
        full_env = dict(self.env)
        # Each run starts without the dialect that api_version auto remembers per url
        # (under XDG_CACHE_HOME), so a test's request counts never depend on the ones before.
        full_env["XDG_CACHE_HOME"] = tempfile.mkdtemp(dir=self.cache_root)
        full_env.update(env or {})
        proc = subprocess.run(argv, env=full_env, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)
        proc.output = proc.stdout + proc.stderr
        return proc

    def playbook(self, playbook, extra_vars=None, args=(), env=None):
        """Run a playbook (a name under playbooks/ or a path); returns the CompletedProcess."""
        path = Path(playbook)
        if not path.is_absolute():
            path = PLAYBOOKS / playbook
        argv = [str(BIN / "ansible-playbook"), str(path)]
        for key, value in (extra_vars or {}).items():
            argv += ["-e", "%s=%s" % (key, value)]
        return self._run(argv + list(args), env=env)

    @staticmethod
    def assert_ok(proc):
        """Fail with the whole Ansible output, so a broken scenario explains itself."""
        if proc.returncode != 0:
            pytest.fail("exit %s\n%s" % (proc.returncode, proc.output[-20000:]), pytrace=False)
        return proc

    def inventory(self, source, args=("--list", "-y"), env=None, cwd=None):
        # Without this, a config the plugin refuses only warns and yields an empty inventory.
        full_env = {"ANSIBLE_INVENTORY_UNPARSED_FAILED": "true"}
        full_env.update(env or {})
        return self._run([str(BIN / "ansible-inventory"), "-i", str(source)] + list(args), env=full_env, cwd=cwd)


@pytest.fixture(scope="session")
def ansible(ansible_env, tmp_path_factory):
    return AnsibleRun(ansible_env, str(tmp_path_factory.mktemp("xdg-cache")))
