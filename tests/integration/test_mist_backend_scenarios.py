# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""mistio.cloud.mist_backend through real ansible-playbook runs against the simulator, in each era.

The playbooks assert each step's contract themselves (`changed`, `actions`, the server's
state and request log); the tests here add what only the outside can see: the whole
output never holds a secret (with -vvv and --diff), and the final server state.
"""

import json

import pytest

from helpers import leaked

pytestmark = pytest.mark.slow

SECRET_A = 'scenario-secret-Qx7vA1'
SECRET_B = 'scenario-secret-Zp3wB2'
ERAS = {'B1': 'backends', 'B2': 'backends', 'C1': 'clouds', 'C3': 'clouds'}
# Issue 10's providers; one playbook per era runs them all in turn (one ansible-playbook start per era).
KINDS = ['ec2', 'rackspace', 'openstack', 'docker', 'bare_metal']


@pytest.mark.parametrize('mist_era, verbose', [('B1', False), ('B2', True), ('C1', True), ('C3', False)])
def test_scenario(ansible, sim, mistsim_token, mist_era, verbose):
    """Contract scenario (see backend_scenario.yml) for every provider kind against one era's server, run
    with --diff (and -vvv for one era of each dialect): every step passes and no secret value, nor the
    API token, appears in stdout or stderr."""
    sim.seed({'keys': ['ops-key']})
    args = ['-i', 'localhost,', '--diff'] + (['-vvv'] if verbose else [])
    extra = {'mist_url': sim.url, 'mist_token': mistsim_token, 'era': mist_era, 'dialect': ERAS[mist_era], 'scenario_kinds': KINDS,
             'secret_a': SECRET_A, 'secret_b': SECRET_B}
    proc = ansible.playbook('backend_scenario.yml', args=['-e', json.dumps(extra)] + args)
    ansible.assert_ok(proc)
    assert proc.output.count('Contract: delete again is unchanged and sends no write - ') == len(KINDS)
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
