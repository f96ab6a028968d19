# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""mistio.cloud.mist_backend through real ansible-playbook runs against the simulator.

The playbooks assert each step's contract themselves (`changed`, `actions`, the server's
state and request log); the tests here add what only the outside can see: the whole
output never holds a secret (with -vvv and --diff), and the final server state.
"""

import pytest

from helpers import leaked

pytestmark = pytest.mark.slow

SECRET_A = 'scenario-secret-Qx7vA1'
SECRET_B = 'scenario-secret-Zp3wB2'


@pytest.mark.parametrize('dialect,kind,verbose', [
    ('clouds', 'ec2', True),
    ('clouds', 'rackspace', False),
    pytest.param('clouds', 'bare_metal', False, marks=pytest.mark.xfail(strict=True, reason=(
        'issue 10: real mist.api never lists the host fields of a bare-metal cloud and refuses its PATCH '
        '(400 OtherServer clouds), and refuses TEST-NET hosts (500 Mist Error)'))),
    ('backends', 'ec2', False),
    ('backends', 'rackspace', True),
    pytest.param('backends', 'bare_metal', False, marks=pytest.mark.xfail(strict=True, reason=(
        'issue 10: real mist.io replaces a bare-metal title by its host, so a re-run by name misses the '
        'backend and its add is a 409 Backend exists'))),
])
def test_scenario(ansible, sim, mistsim_token, dialect, kind, verbose):
    """Contract scenario (see backend_scenario.yml), run with --diff (and -vvv for two of them):
    every step passes and no secret value, nor the API token, appears in stdout or stderr."""
    sim.seed({'keys': ['ops-key']})
    args = ['-i', 'localhost,', '--diff'] + (['-vvv'] if verbose else [])
    proc = ansible.playbook('backend_scenario.yml', extra_vars={
        'mist_url': sim.url, 'mist_token': mistsim_token, 'dialect': dialect, 'kind': kind,
        'secret_a': SECRET_A, 'secret_b': SECRET_B}, args=args)
    ansible.assert_ok(proc)
    assert leaked(proc.output, SECRET_A, SECRET_B, mistsim_token) == []
    if verbose:
        assert '<localhost> EXEC' in proc.output  # -vvv really was on
    state = sim.state()
    assert state['backends'] == [] and [c for c in state['clouds'] if not c.get('deleted')] == []


@pytest.mark.parametrize('dialect', ['backends', 'clouds'])
def test_safe_create_under_faults(ansible, sim, mistsim_token, dialect):
    """Contract: dropped-after-commit, 503-then-success and a 409 race each end with one backend (the race: changed false)."""
    proc = ansible.playbook('backend_faults.yml', extra_vars={
        'mist_url': sim.url, 'mist_token': mistsim_token, 'dialect': dialect, 'secret_a': SECRET_A}, args=['-i', 'localhost,'])
    ansible.assert_ok(proc)
    assert leaked(proc.output, SECRET_A, mistsim_token) == []
    state = sim.state()
    live = state['backends'] if dialect == 'backends' else [c for c in state['clouds'] if not c.get('deleted')]
    names = sorted(b.get('title') or b.get('name') for b in live)
    assert names == ['fault-dropped', 'fault-race', 'fault-unavailable']
