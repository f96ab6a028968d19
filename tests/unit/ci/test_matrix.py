# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
""".ci/matrix.sh and .ci/matrix.txt: the supported ansible-core versions, said the same everywhere."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[3]


def cells():
    rows = []
    for line in (REPO / '.ci' / 'matrix.txt').read_text().splitlines():
        if line.strip() and not line.startswith('#'):
            version, python = line.split()[:2]
            rows.append((version, python))
    return rows


def test_the_floor_is_the_first_cell_and_runtime_yml_says_so():
    floor = cells()[0][0]
    major_minor = '.'.join(floor.split('.')[:2])
    runtime = yaml.safe_load((REPO / 'meta' / 'runtime.yml').read_text())
    assert runtime['requires_ansible'] == '>=%s.0' % major_minor
    assert 'ansible-core %s or later' % major_minor in (REPO / 'README.md').read_text()


def test_cells_are_ordered_and_include_the_pinned_version():
    versions = [tuple(int(p) for p in cell[0].split('.')) for cell in cells()]
    assert versions == sorted(versions) and len(set(v[:2] for v in versions)) == len(versions)
    pinned = re.search(r'^ansible-core==(\S+)$', (REPO / 'requirements-dev.txt').read_text(), re.M).group(1)
    assert pinned in [cell[0] for cell in cells()]


def test_the_readme_table_shows_every_cell():
    readme = (REPO / 'README.md').read_text()
    for version, python in cells():
        assert re.search(r'^\| %s( \(pinned\))? \| %s(\.\d+)? \|' % (re.escape(version), re.escape(python)), readme, re.M), version


def clean_env(**settings):
    """The environment without the MATRIX_* settings of a matrix run this test may itself run in."""
    env = dict((key, value) for key, value in os.environ.items() if not key.startswith('MATRIX_'))
    env.update(settings)
    return env


def test_a_missing_interpreter_skips_its_cell_loudly(tmp_path):
    matrix = tmp_path / 'matrix.txt'
    matrix.write_text('# a Python no machine has\n9.9.9 3.99\n')
    env = clean_env(MATRIX_FILE=str(matrix), MATRIX_HOME=str(tmp_path / 'home'), MATRIX_PYTHON_3_99='/nonexistent')
    proc = subprocess.run(['bash', str(REPO / '.ci' / 'matrix.sh')], env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert '### SKIPPED ansible-core-9.9.9: no Python 3.99 interpreter' in proc.stdout
    assert '| 9.9.9 | 3.99 (missing) | SKIPPED | SKIPPED | SKIPPED | SKIPPED |' in proc.stdout
    assert 'WARNING: SKIPPED 9.9.9' in proc.stdout
    strict = subprocess.run(['bash', str(REPO / '.ci' / 'matrix.sh')], env=dict(env, MATRIX_STRICT='1'),
                            capture_output=True, text=True, check=False)
    assert strict.returncode == 1


def test_the_matrix_home_may_not_be_inside_the_repository(tmp_path):
    env = clean_env(MATRIX_FILE=str(tmp_path / 'none.txt'), MATRIX_HOME=str(REPO / 'tests' / 'output' / 'matrix'))
    (tmp_path / 'none.txt').write_text('')
    proc = subprocess.run(['bash', str(REPO / '.ci' / 'matrix.sh')], env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 2 and 'must be outside the repository' in proc.stderr


def test_ci_runs_make_test_then_every_other_cell():
    commands = [line.strip() for line in (REPO / '.ci' / 'run').read_text().splitlines()
                if line.strip() and not line.lstrip().startswith('#')]
    assert commands.index('make test') < commands.index('MATRIX_PINNED_TESTED=1 make test-matrix')


def test_the_pinned_cell_is_not_run_twice_in_ci(tmp_path):
    pinned = re.search(r'^ansible-core==(\S+)$', (REPO / 'requirements-dev.txt').read_text(), re.M).group(1)
    matrix = tmp_path / 'matrix.txt'
    matrix.write_text('%s 3.11\n' % pinned)
    env = clean_env(MATRIX_FILE=str(matrix), MATRIX_HOME=str(tmp_path / 'home'), MATRIX_PINNED_TESTED='1')
    proc = subprocess.run(['bash', str(REPO / '.ci' / 'matrix.sh')], env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert '| %s | 3.11 | ok (make test) |' % pinned in proc.stdout
    assert not list((tmp_path / 'home' / 'venvs').iterdir())
