# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared fixtures for every test folder: the Mist API simulator.

- `mistsim` (session): one simulator process (both dialects, --db in a tmp dir).
- `sim` (function): the same process, emptied before the test (state, faults,
  latency, request log). Use `sim.url`, `sim.seed(...)`, `sim.fault(...)`, `sim.writes()`.
- `mistsim_token`: the clouds-dialect API token the simulator knows.
"""

import os
import sys

import pytest

TESTS_DIR = os.path.dirname(os.path.abspath(__file__))
if TESTS_DIR not in sys.path:
    sys.path.insert(0, TESTS_DIR)

from mistsim.harness import DEFAULT_TOKEN, Simulator  # noqa: E402  pylint: disable=wrong-import-position


@pytest.fixture(scope='session')
def mistsim(tmp_path_factory):
    with Simulator(db=str(tmp_path_factory.mktemp('mistsim') / 'state.db')) as simulator:
        yield simulator


@pytest.fixture
def sim(mistsim):
    mistsim.clean()
    return mistsim


@pytest.fixture(scope='session')
def mistsim_token():
    return DEFAULT_TOKEN
