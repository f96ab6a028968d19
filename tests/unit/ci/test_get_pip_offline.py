# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
""".ci/get_pip_offline.py: the pip bootstrap ansible-test and `make test-matrix` use offline."""

from __future__ import annotations

import importlib.util
import os
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / '.ci' / 'get_pip_offline.py'
DEBIAN_PYTHON = '/usr/bin/python3.11'


def load():
    spec = importlib.util.spec_from_file_location('get_pip_offline', SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def wheels(folder, *versions):
    folder.mkdir(parents=True, exist_ok=True)
    for version in versions:
        (folder / ('pip-%s-py3-none-any.whl' % version)).write_text('')
    return str(folder)


def test_bundled_wheels_win_and_the_newest_is_taken(tmp_path):
    get_pip = load()
    bundled = wheels(tmp_path / 'bundled', '9.0.3', '23.0.1')
    system = wheels(tmp_path / 'system', '24.2')
    assert get_pip.find_pip_wheel([bundled, system]).endswith('pip-23.0.1-py3-none-any.whl')


def test_an_empty_bundle_falls_back_to_the_system_wheels(tmp_path):
    get_pip = load()
    bundled = wheels(tmp_path / 'bundled')  # Debian: the folder may exist, or not, without wheels
    system = wheels(tmp_path / 'system', '23.0.1')
    assert get_pip.find_pip_wheel([bundled, str(tmp_path / 'missing'), system]) == os.path.join(system, 'pip-23.0.1-py3-none-any.whl')


def test_the_system_folder_can_be_pointed_elsewhere(tmp_path, monkeypatch):
    get_pip = load()
    monkeypatch.setenv('GET_PIP_OFFLINE_WHEELS', str(tmp_path))
    assert get_pip.wheel_dirs()[-1] == str(tmp_path)


def test_no_wheel_anywhere_is_a_clear_error(tmp_path, monkeypatch, capsys):
    get_pip = load()
    monkeypatch.setattr(get_pip, 'wheel_dirs', lambda: [str(tmp_path)])
    assert get_pip.main(['pip']) == 1
    assert 'no pip wheel in %s' % tmp_path in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists('/usr/share/python-wheels'), reason='needs the system pip wheel (python3-pip-whl)')
def test_bootstraps_pip_in_a_venv_of_a_python_without_bundled_wheels(tmp_path):
    """Debian's own python3.11 has ensurepip without _bundled: the case that crashed."""
    if not os.access(DEBIAN_PYTHON, os.X_OK):
        pytest.skip('no %s on this machine' % DEBIAN_PYTHON)
    venv = tmp_path / 'venv'
    subprocess.run([DEBIAN_PYTHON, '-m', 'venv', '--without-pip', str(venv)], check=True)
    subprocess.run([str(venv / 'bin' / 'python'), str(SCRIPT), '--no-index', '--find-links', '/usr/share/python-wheels',
                    '--quiet', 'pip'], check=True, timeout=300)
    version = subprocess.run([str(venv / 'bin' / 'python'), '-m', 'pip', '--version'], capture_output=True, text=True, check=True)
    assert str(venv) in version.stdout
