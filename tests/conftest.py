# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared fixtures for every test folder: the Mist API simulator, in any era.

- `mist_era` (function): the era the `sim` fixture speaks; None = the run's
  default (`--mist-era`, else backends B1 and clouds C3). Parametrize it to run a
  test against each era (the names are in mistsim.eras)::

      from mistsim.eras import BACKENDS_ERAS
      @pytest.mark.parametrize('mist_era', BACKENDS_ERAS)
      def test_add(sim, mist_era): ...

  A value is anything mistsim.eras.parse takes: 'B2', 'C1', 'B2,C1',
  'backends=B2,clouds=C1'.
- `mistsim_for` (session): a factory, `mistsim_for('C1')` -> the running process
  of that era (one process per era, started on first use, stopped at the end).
- `mistsim` (session): the process of the default era.
- `sim` (function): the process of `mist_era`, emptied before the test (state,
  faults, latency, request log). Use `sim.url`, `sim.eras`, `sim.seed(...)`,
  `sim.fault(...)`, `sim.writes()`.
- `mistsim_token`: the clouds-dialect API token every simulator knows.
"""

import os
import sys

import pytest

TESTS_DIR = os.path.dirname(os.path.abspath(__file__))
if TESTS_DIR not in sys.path:
    sys.path.insert(0, TESTS_DIR)

from mistsim import eras  # noqa: E402  pylint: disable=wrong-import-position
from mistsim.harness import DEFAULT_TOKEN, Simulator  # noqa: E402  pylint: disable=wrong-import-position


def pytest_addoption(parser):
    parser.addoption('--mist-era', default=None, metavar='ERAS',
                     help='default era of the simulator fixtures, e.g. B2 or backends=B2,clouds=C1 '
                          '(default backends=B1,clouds=C3)')


class SimulatorPool:
    """One simulator process per era choice, started on first use."""

    def __init__(self, folder, default=None):
        self.folder = folder
        self.default = eras.parse(default)
        self.running = {}

    def get(self, era=None):
        # a dialect the choice does not name keeps the run's default era
        key = eras.spec(eras.parse(era, base=self.default))
        if key not in self.running:
            db = os.path.join(str(self.folder), key.replace(',', '_').replace('=', '-') + '.db')
            self.running[key] = Simulator(db=db, era=key).start()
        return self.running[key]

    def stop(self):
        for simulator in self.running.values():
            simulator.stop()
        self.running.clear()


@pytest.fixture(scope='session')
def mistsim_for(request, tmp_path_factory):
    pool = SimulatorPool(tmp_path_factory.mktemp('mistsim'), request.config.getoption('--mist-era'))
    yield pool.get
    pool.stop()


@pytest.fixture(scope='session')
def mistsim(mistsim_for):
    return mistsim_for()


@pytest.fixture
def mist_era():
    return None


@pytest.fixture
def sim(mistsim_for, mist_era):
    simulator = mistsim_for(mist_era)
    simulator.clean()
    return simulator


@pytest.fixture(scope='session')
def mistsim_token():
    return DEFAULT_TOKEN
