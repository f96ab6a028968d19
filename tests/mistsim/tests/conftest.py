# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP clients for the simulator's own tests (the `sim` fixture is in tests/conftest.py)."""

import pytest

from mistsim.tests.util import Client


@pytest.fixture
def backends(sim):
    """Client of the backends dialect (root paths, no auth)."""
    client = Client(sim.url)
    yield client
    client.session.close()


@pytest.fixture
def clouds(sim, mistsim_token):
    """Client of the clouds dialect, authenticated with the default token."""
    client = Client(sim.url + '/api/v1', mistsim_token)
    yield client
    client.session.close()
