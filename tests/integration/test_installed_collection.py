# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Contract: the built tarball holds only the collection, and the installed copy works.

Builds with ansible-galaxy, installs into an empty collections path, and runs a
module and the inventory plugin from that installed copy against the simulator.
"""
import subprocess
import sys
import tarfile
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

FORBIDDEN = ('.venv/', '.git/', '.pytest_cache', '__pycache__', 'tests/output', 'collections/',
             '.coord', '.ci/', 'bench/', 'Makefile')


@pytest.fixture(scope='module')
def tarball(tmp_path_factory):
    out = tmp_path_factory.mktemp('build')
    subprocess.run([str(BIN / 'ansible-galaxy'), 'collection', 'build', '--output-path', str(out), str(REPO)],
                   check=True, capture_output=True, text=True)
    return next(out.glob('mistio-cloud-*.tar.gz'))


@pytest.fixture(scope='module')
def installed(tarball, tmp_path_factory, ansible_env):
    path = tmp_path_factory.mktemp('installed')
    env = dict(ansible_env, ANSIBLE_COLLECTIONS_PATH=str(path))
    subprocess.run([str(BIN / 'ansible-galaxy'), 'collection', 'install', '-p', str(path), str(tarball)],
                   check=True, capture_output=True, text=True, env=env)
    return path


def test_tarball_holds_only_the_collection(tarball):
    with tarfile.open(tarball) as archive:
        names = archive.getnames()
    assert 'plugins/modules/mist_backend.py' in names
    assert 'plugins/inventory/mist.py' in names
    assert 'meta/execution-environment.yml' in names
    leaked = [name for name in names if any(bad in name for bad in FORBIDDEN) or name.endswith(('.db', '.pyc'))]
    assert leaked == []


def test_installed_copy_runs_a_module_and_the_inventory(installed, ansible, sim, tmp_path):
    env = {'ANSIBLE_COLLECTIONS_PATH': str(installed), 'MIST_URL': sim.url, 'MIST_API_TOKEN': sim.token}
    playbook = tmp_path / 'installed.yml'
    playbook.write_text(textwrap.dedent('''\
        - hosts: localhost
          gather_facts: false
          tasks:
            - name: Add a backend from the installed collection
              mistio.cloud.mist_backend:
                api_version: clouds
                name: from-tarball
                provider: digitalocean
                credentials:
                  token: installed-do-token
              register: added
            - name: It was created
              ansible.builtin.assert:
                that: added is changed
        '''))
    ansible.assert_ok(ansible.playbook(playbook, env=env))
    (tmp_path / 'installed.mist.yml').write_text('plugin: mistio.cloud.mist\napi_version: clouds\n')
    graph = ansible.assert_ok(ansible.inventory(tmp_path / 'installed.mist.yml', args=('--graph',), env=env))
    assert 'from_tarball' in graph.stdout or 'from-tarball' in graph.stdout
