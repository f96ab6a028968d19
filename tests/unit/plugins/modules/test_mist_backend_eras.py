# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""mist_backend's contract against every era the simulator speaks (B1, B2, C1, C3; MIST_API.md section 0),
for EC2, Rackspace (rackspace:lon), OpenStack, Docker and bare metal, driven in-process.

One scenario per (era, provider): check-mode create (no write), create, re-run (one request,
no write), check-mode rename (no write), rename, disable, enable, credential update where the
era allows it (clouds: one PATCH, same id; backends: refused, then replaced on request; a
bare-metal cloud: refused, never a PATCH), delete, delete again (unchanged).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from helpers import patch_module_args, says

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mistio.cloud.plugins.modules import mist_backend

from test_mist_backend import listed

ERAS = {'B1': 'backends', 'B2': 'backends', 'C1': 'clouds', 'C3': 'clouds'}


def _simulator_speaks_eras():
    """Whether the simulator models the eras fact by fact (issue 9: ERA_FACTS); before that, its clouds
    took Docker's basic auth only under the aliases auth_user / auth_password, not as username / password."""
    import mistsim.clouds_api
    return hasattr(mistsim.clouds_api, 'ERA_FACTS')


SECRET = 'era-scenario-secret-9f'
# provider params, the credential field a scenario changes, and its new value
PROVIDERS = {
    'ec2': ({'provider': 'ec2', 'region': 'us-east-1', 'credentials': {'apikey': 'AKIAERA1', 'apisecret': SECRET}},
            'apikey', 'AKIAERA2'),
    'rackspace': ({'provider': 'rackspace:lon', 'credentials': {'username': 'rackera1', 'apikey': SECRET}},
                  'username', 'rackera2'),
    'openstack': ({'provider': 'openstack', 'region': 'RegionOne',
                   'credentials': {'username': 'osera1', 'password': SECRET, 'url': 'https://keystone.example.com:5000',
                                   'tenant': 'demo'}}, 'username', 'osera2'),
    'docker': ({'provider': 'docker', 'credentials': {'host': 'http://10.20.0.5', 'port': 2375, 'auth_user': 'dock1',
                                                      'auth_password': SECRET}}, None, None),
    'bare_metal': ({'provider': 'bare_metal', 'credentials': {'host': '10.20.0.9', 'ssh_user': 'ubuntu', 'ssh_key': 'ops-key'}},
                   None, None),
}


def update_field(kind, dialect):
    """The non-secret field a scenario changes: one the era reads back (MIST_API.md 3.4)."""
    if kind == 'docker':
        return ('auth_user', 'dock2') if dialect == 'backends' else ('port', 2376)
    return PROVIDERS[kind][1:]


@pytest.fixture
def run(sim, mistsim_token, capsys, monkeypatch):
    warned = []
    # The module's warnings, as it gives them (in-process, ansible-core 2.19 neither returns nor prints them).
    monkeypatch.setattr(AnsibleModule, 'warn', lambda self, warning, *args, **kwargs: warned.append(warning))

    def runner(dialect, check=False, **params):
        del warned[:]
        sim.clear_requests()
        args = {'url': sim.url, 'api_token': mistsim_token, 'api_version': dialect, 'retries': 1,
                '_ansible_check_mode': check, '_ansible_diff': True}
        args.update(params)
        with patch_module_args(args):
            with pytest.raises(SystemExit):
                mist_backend.main()
        out = capsys.readouterr().out
        assert SECRET not in out + ' '.join(warned)
        result = json.loads(out)
        result['said'] = ' '.join(warned)
        return result
    return runner


def writes(sim):
    return [(w['method'], w['path']) for w in sim.writes()]


@pytest.mark.parametrize('kind', sorted(PROVIDERS))
@pytest.mark.parametrize('mist_era', sorted(ERAS))
def test_scenario(sim, run, mist_era, kind):
    dialect = ERAS[mist_era]
    if kind == 'docker' and dialect == 'clouds' and not _simulator_speaks_eras():
        pytest.skip('needs the simulator eras of issue 9 (Docker username/password on clouds)')
    sim.seed({'keys': ['ops-key']})
    params = dict(PROVIDERS[kind][0], name='era-%s' % kind)
    collection = '/backends' if dialect == 'backends' else '/api/v1/clouds'

    result = run(dialect, check=True, **params)
    assert result['changed'] and result['actions'][0] == 'create' and writes(sim) == [], result
    result = run(dialect, **params)
    assert not result.get('failed') and result['changed'] and result['actions'][0] == 'create', result
    assert len(listed(sim, dialect)) == 1
    backend_id = result['backend']['id']
    result = run(dialect, **params)
    reads = [collection]
    if dialect == 'clouds' and kind == 'bare_metal':
        reads.append('%s/%s/machines' % (collection, backend_id))  # its host is on its machine
    assert not result['changed'] and [r['path'] for r in sim.requests()] == reads and writes(sim) == [], result

    renamed = dict(params, id=backend_id, name='era-%s-2' % kind)
    result = run(dialect, check=True, **renamed)
    assert result['changed'] and result['actions'] == ['rename'] and writes(sim) == []
    result = run(dialect, **renamed)
    assert result['changed'] and result['actions'] == ['rename'] and result['backend']['id'] == backend_id
    for enabled in (False, True):
        result = run(dialect, enabled=enabled, **renamed)
        assert result['changed'] and result['actions'] == ['enable' if enabled else 'disable']
    assert not run(dialect, **renamed)['changed']

    field, value = update_field(kind, dialect)
    if field is None:
        # A bare-metal (or docker-with-nothing-readable) backend: the server cannot update it in place.
        result = run(dialect, update_credentials='always', **renamed)
        if dialect == 'clouds' and kind == 'bare_metal':
            assert result['failed'] and 'cannot update' in result['msg'] and writes(sim) == []
            moved = dict(renamed, credentials=dict(renamed['credentials'], host='10.20.0.10'))
            result = run(dialect, **moved)
            assert result['failed'] and 'cannot update the host' in result['msg'] and writes(sim) == []
    else:
        changed = dict(renamed, credentials=dict(renamed['credentials'], **{field: value}))
        result = run(dialect, check=True, **changed)
        assert writes(sim) == []
        if dialect == 'clouds':
            assert result['changed'] and result['actions'] == ['update_credentials'], result
            result = run(dialect, **changed)
            assert result['actions'] == ['update_credentials'] and result['backend']['id'] == backend_id, result
            assert [m for m, p in writes(sim)] == ['PATCH']
        else:
            assert result.get('failed') and 'allow_replace_with_new_id' in result['msg']
            result = run(dialect, allow_replace_with_new_id=True, **changed)
            assert result['actions'] == ['replace'] and result['backend']['id'] != backend_id, result
            backend_id = result['backend']['id']
        renamed = dict(changed, id=backend_id)
        assert not run(dialect, **renamed)['changed']

    result = run(dialect, state='absent', id=backend_id, name=renamed['name'])
    assert result['changed'] and result['actions'] == ['delete'] and listed(sim, dialect) == []
    result = run(dialect, state='absent', id=backend_id, name=renamed['name'])
    assert not result['changed'] and writes(sim) == []


@pytest.mark.parametrize('mist_era', ['B1', 'B2'])
def test_docker_host_and_port_on_backends_servers(sim, run, mist_era):
    """A backends server never lists a Docker backend's host (apiurl); B2 lists its docker_port, B1 does not
    (MIST_API.md 1, list entry). The id (provider + title + apiurl) confirms the host while the name is the
    one it was added with; otherwise the task says the host cannot be checked, and changes nothing."""
    params = dict(PROVIDERS['docker'][0], name='dock')
    created = run('backends', **params)
    assert created['changed'] and created['actions'] == ['create'] and not says(created['said'], 'cannot be told')

    same = run('backends', **params)
    assert not same['changed'] and not says(same['said'], 'cannot be told') and writes(sim) == []

    moved = dict(params, credentials=dict(params['credentials'], host='http://10.20.0.6'))
    for check in (True, False):
        result = run('backends', check=check, **moved)
        assert not result.get('failed') and not result['changed'] and writes(sim) == [], result
        assert says(result['said'], 'this server never lists the host of a docker backend'), result
        assert says(result['said'], 'whether the host changed cannot be told') and says(result['said'], 'state: absent')

    port = dict(params, credentials=dict(params['credentials'], port=2376))
    result = run('backends', allow_replace_with_new_id=True, **port)
    if mist_era == 'B2':
        # Listed, so compared; but a new backend would get the same id (name and host unchanged): refused.
        assert result['failed'] and says(result['msg'], 'no endpoint to update its port') and 'same id' in result['msg'], result
    else:
        assert not result.get('failed') and not result['changed'], result
    assert writes(sim) == []

    # After a rename the id no longer follows the name: the same host cannot be confirmed either.
    renamed = run('backends', id=created['backend']['id'], name='dock-2')
    assert renamed['actions'] == ['rename']
    result = run('backends', **dict(params, name='dock-2'))
    assert not result['changed'] and says(result['said'], 'cannot be told') and writes(sim) == []
