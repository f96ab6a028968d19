# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""mist_provider_info and mist_backend_info through ansible-playbook, in both dialects.

The playbooks assert the modules' results; the tests here check what reached the
simulator (only GETs, how many per task).
"""

import ast
import json
from collections import Counter
from pathlib import Path

import pytest

from mistsim.harness import Simulator

pytestmark = pytest.mark.slow

SECRETS = ['example-secret-0001', 'rack-api-key-0002', 'rack-api-key-0003', 'os-password-0004']

BACKENDS_SEED = {'keys': ['deploy-key'], 'backends': [
    {'title': 'production', 'provider': 'ec2_us_east', 'apikey': 'AKIAEXAMPLE', 'apisecret': SECRETS[0], 'machine_count': 0},
    {'title': 'staging', 'provider': 'rackspace:lon', 'apikey': 'rackuser', 'apisecret': SECRETS[1], 'machine_count': 0},
    {'title': 'prod', 'provider': 'rackspace:dfw', 'apikey': 'rackuser2', 'apisecret': SECRETS[2], 'machine_count': 0},
    {'title': 'lab', 'provider': 'bare_metal', 'machine_ip': '198.51.100.7', 'machine_key': 'deploy-key', 'machine_count': 0},
    {'title': 'old-openstack', 'provider': 'openstack', 'apikey': 'osuser', 'apisecret': SECRETS[3],
     'apiurl': 'https://keystone.example.com:5000/v2.0', 'tenant_name': 'demo', 'enabled': False, 'machine_count': 0},
]}

CLOUDS_SEED = {'clouds': [
    {'name': 'production', 'provider': 'ec2', 'apikey': 'AKIAEXAMPLE', 'apisecret': SECRETS[0], 'region': 'us-east-1',
     'machine_count': 0},
    {'name': 'staging', 'provider': 'rackspace', 'username': 'rackuser', 'apikey': SECRETS[1], 'region': 'lon',
     'machine_count': 0},
    {'name': 'prod', 'provider': 'rackspace', 'username': 'rackuser2', 'apikey': SECRETS[2], 'region': 'dfw',
     'machine_count': 0},
    {'name': 'lab', 'provider': 'other', 'host': '198.51.100.7', 'ssh_user': 'admin', 'machine_count': 0},
    {'name': 'old-openstack', 'provider': 'openstack', 'username': 'osuser', 'password': SECRETS[3],
     'url': 'https://keystone.example.com:5000/v2.0', 'tenant': 'demo', 'enabled': False, 'machine_count': 0},
]}


@pytest.fixture(scope='module')
def backends_only(tmp_path_factory):
    """A second simulator that serves only the backends dialect (a mist.io 0.9 server)."""
    with Simulator(db=str(tmp_path_factory.mktemp('mistsim-backends') / 'state.db'), dialects='backends') as simulator:
        yield simulator


@pytest.fixture
def backends_sim(backends_only):
    backends_only.clean()
    return backends_only


def api_requests(sim):
    """(method, path, status) of every API request the simulator received."""
    return [(r['method'], r['path'], r['status']) for r in sim.requests()]


def module_tasks(playbook, module):
    """How many tasks of a playbook call a module (requests are counted per task)."""
    text = (Path(__file__).parent / 'playbooks' / playbook).read_text()
    return text.count('mistio.cloud.%s:' % module)


def run(ansible, playbook, sim, token, api_version, dialect, extra=None, args=()):
    doc = {'mist_url': sim.url, 'mist_api_version': api_version, 'expect_dialect': dialect}
    if token:
        doc['mist_token'] = token
    doc.update(extra or {})
    return ansible.assert_ok(ansible.playbook(playbook, args=['-i', 'localhost,', '-e', json.dumps(doc)] + list(args)))


# mist_provider_info ------------------------------------------------------------------------------------------

@pytest.mark.parametrize('api_version, mist_era', [('backends', 'B1'), ('backends', 'B2'), ('clouds', 'C1'),
                                                   ('clouds', 'C3'), ('auto', 'C1'), ('auto', 'C3')])
def test_provider_info_both_dialects_server(ansible, sim, mistsim_token, api_version, mist_era):
    dialect = 'clouds' if api_version == 'auto' else api_version
    # B2 lists classic Azure (MIST_API.md 1, providers), which the catalogue does not hold.
    extra = {'uncatalogued': ['azure']} if mist_era == 'B2' else None
    run(ansible, 'info_providers.yml', sim, mistsim_token, api_version, dialect, extra=extra)
    log = api_requests(sim)
    assert not sim.writes()
    providers_path = '/providers' if dialect == 'backends' else '/api/v1/providers'
    # Five tasks of the module; each lists the providers once, in one request.
    assert Counter(log)[('GET', providers_path, 200)] == 5
    if api_version == 'auto':
        # auto probes once per task (each task is its own process) with the list of clouds.
        assert Counter(log)[('GET', '/api/v1/clouds', 200)] == 5
        assert len(log) == 10
    else:
        assert len(log) == 5


def test_provider_info_auto_against_backends_only_server(ansible, backends_sim):
    run(ansible, 'info_providers.yml', backends_sim, None, 'auto', 'backends')
    log = api_requests(backends_sim)
    assert not backends_sim.writes()
    counts = Counter(log)
    # The first task's probe: GET /api/v1/clouds is a 404, then GET /backends answers a list. Every later
    # task remembers the dialect (a process of its own: XDG_CACHE_HOME) and probes GET /backends only.
    assert counts[('GET', '/api/v1/clouds', 404)] == 1
    assert counts[('GET', '/backends', 200)] == 5
    assert counts[('GET', '/providers', 200)] == 5
    assert len(log) == 11


# mist_backend_info -------------------------------------------------------------------------------------------

@pytest.mark.parametrize('api_version', ['backends', 'auto-backends-only', 'clouds', 'auto'])
def test_backend_info(ansible, sim, backends_sim, mistsim_token, api_version):
    if api_version == 'clouds' or api_version == 'auto':
        server, seed, dialect, path = sim, CLOUDS_SEED, 'clouds', '/api/v1/clouds'
    elif api_version == 'backends':
        server, seed, dialect, path = sim, BACKENDS_SEED, 'backends', '/backends'
    else:
        server, seed, dialect, path = backends_sim, BACKENDS_SEED, 'backends', '/backends'
        api_version = 'auto'
    server.seed(seed)
    server.clear_requests()
    proc = run(ansible, 'info_backends.yml', server, mistsim_token, api_version, dialect, {'secrets': SECRETS},
               args=['-v'])
    printed = proc.output.replace(json.dumps(SECRETS), '')  # the extra vars as given on the command line
    assert not [secret for secret in SECRETS if secret in printed]
    log = api_requests(server)
    assert not server.writes()
    counts = Counter(log)
    # Every task of the module lists the backends exactly once (the list is filtered locally).
    tasks = module_tasks('info_backends.yml', 'mist_backend_info')
    assert counts[('GET', path, 200)] == tasks
    if api_version == 'auto' and dialect == 'backends':
        # Only the first task probes GET /api/v1/clouds (a 404); later tasks remember the backends dialect.
        # The probe's GET /backends is the list itself (reused, not sent twice).
        assert counts[('GET', '/api/v1/clouds', 404)] == 1
        assert len(log) == tasks + 1
    else:
        # On a clouds server the list is the probe: no extra request, pinned or auto.
        assert len(log) == tasks


# The EXAMPLES as shipped ---------------------------------------------------------------------------------------

def _examples(module):
    path = Path(__file__).resolve().parents[2] / 'plugins' / 'modules' / ('%s.py' % module)
    for node in ast.parse(path.read_text(encoding='utf-8')).body:
        if isinstance(node, ast.Assign) and [t.id for t in node.targets] == ['EXAMPLES']:
            return node.value.value
    raise AssertionError('no EXAMPLES in %s' % path)


@pytest.mark.parametrize('module', ['mist_provider_info', 'mist_backend_info'])
def test_examples_run_as_written(ansible, sim, mistsim_token, tmp_path, module):
    """EXAMPLES, pasted into a play, run against the simulator with only the URL changed."""
    sim.seed(CLOUDS_SEED)
    tasks = _examples(module).replace('https://mist.example.com', sim.url)
    play = ('- hosts: localhost\n  connection: local\n  gather_facts: false\n  tasks:\n'
            + ''.join('    %s\n' % line if line else '\n' for line in tasks.splitlines()))
    (tmp_path / 'examples.yml').write_text(play, encoding='utf-8')
    ansible.assert_ok(ansible.playbook(str(tmp_path / 'examples.yml'), args=['-i', 'localhost,'],
                                       env={'MIST_API_TOKEN': mistsim_token}))
    assert not sim.writes()
