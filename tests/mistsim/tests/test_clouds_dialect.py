# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The clouds dialect (mist.api v1), fact by fact from MIST_API.md section 2."""

import re
import time

import pytest

from mistsim.tests.util import Client, assert_text

NOT_AUTHENTICATED = 'User not authenticated. Please log in'
NOT_FOUND = 'Not Found: Cloud does not exist'
EC2 = {'name': 'prod', 'provider': 'ec2', 'apikey': 'AKIAEXAMPLE', 'apisecret': 'example-secret', 'region': 'us-east-1'}


def add(clouds, **changes):
    body = dict(EC2, **changes)
    response = clouds.post('/clouds', json=body)
    assert response.status_code == 200, response.text
    return response.json()


def names(clouds):
    return [c['name'] for c in clouds.get('/clouds').json()]


def stored(sim, cloud_id):
    return [c for c in sim.state()['clouds'] if c['id'] == cloud_id][0]


# auth
def test_token_minting_and_ping(sim):
    client = Client(sim.url + '/api/v1')
    response = client.post('/tokens', json={'email': 'demo@mist.local', 'password': 'demo-password', 'name': 't1'})
    assert response.status_code == 200
    doc = response.json()
    assert re.fullmatch('[0-9a-f]{64}', doc['token']) and doc['name'] == 't1' and doc['ttl'] == 3600
    client.session.headers['Authorization'] = doc['token']
    assert client.get('/ping').json() == {'hello': 'demo@mist.local'}


def test_default_token(clouds):
    assert clouds.get('/ping').json() == {'hello': 'demo@mist.local'}


@pytest.mark.parametrize('token', [None, '', 'f' * 64, 'mist_1 demo@mist.local:x'])
@pytest.mark.parametrize('method, path', [('GET', '/ping'), ('GET', '/clouds'), ('POST', '/clouds'),
                                          ('GET', '/providers'), ('DELETE', '/clouds/abc')])
def test_requests_without_a_valid_token(sim, token, method, path):
    assert_text(Client(sim.url + '/api/v1', token).request(method, path, json=EC2), 401, NOT_AUTHENTICATED)
    assert sim.state()['clouds'] == []


@pytest.mark.parametrize('body, status, message', [
    ({'email': 'demo@mist.local', 'password': 'wrong'}, 401, NOT_AUTHENTICATED),
    ({'email': 'nobody@x', 'password': 'demo-password'}, 401, NOT_AUTHENTICATED),
    ({'password': 'demo-password'}, 400, 'Required parameter not provided: email'),
    ({'email': 'demo@mist.local'}, 400, 'Required parameter not provided: password'),
    ({'email': 'demo@mist.local', 'password': 'demo-password', 'ttl': -1}, 400,
     'Bad Request: Ttl must be greater or equal to zero'),
])
def test_token_errors(sim, body, status, message):
    assert_text(Client(sim.url + '/api/v1').post('/tokens', json=body), status, message)


def test_token_ttl_expires(sim):
    client = Client(sim.url + '/api/v1')
    token = client.post('/tokens', json={'email': 'demo@mist.local', 'password': 'demo-password', 'ttl': 1}).json()['token']
    client.session.headers['Authorization'] = token
    assert client.get('/ping').status_code == 200
    time.sleep(1.2)
    assert_text(client.get('/ping'), 401, NOT_AUTHENTICATED)


# providers
ALIASES = {'ec2': ['amazon', 'aws'], 'gce': ['google', 'gcp'], 'bare_metal': ['other', 'ssh'], 'libvirt': ['kvm'],
           'openstack': [], 'digitalocean': [], 'linode': [], 'rackspace': [], 'softlayer': ['ibm'],
           'azure_arm': ['azure'], 'docker': [], 'vsphere': [], 'vultr': [], 'nephoscale': []}


def test_providers(clouds):
    providers = clouds.get('/providers').json()['supported_providers']
    assert {p['name']: p['aliases'] for p in providers} == ALIASES
    assert all(set(p) == {'name', 'aliases', 'driver', 'category', 'features'} for p in providers)


@pytest.mark.parametrize('alias, canonical', [(a, n) for n, aliases in ALIASES.items() for a in aliases] + [('EC2', 'ec2')])
def test_aliases_store_the_canonical_name(clouds, alias, canonical):
    fields = {'ec2': EC2, 'gce': {'email': 'sa@x', 'private_key': 'k', 'project_id': 'p'}, 'bare_metal': {},
              'libvirt': {'host': 'kvm.example.com'}, 'softlayer': {'username': 'u', 'apikey': 'k'},
              'azure_arm': {'tenant_id': 't', 'subscription_id': 's', 'key': 'k', 'secret': 's'}}[canonical]
    body = dict(fields, name='c1', provider=alias)
    assert clouds.post('/clouds', json=body).json()['provider'] == canonical


# add
def test_add_entry(clouds, sim):
    doc = add(clouds)
    assert re.fullmatch('[0-9a-f]{32}', doc['id'])
    assert {k: doc[k] for k in ('name', 'provider', 'enabled', 'state', 'apikey', 'region', 'index', 'tags')} == {
        'name': 'prod', 'provider': 'ec2', 'enabled': True, 'state': 'online', 'apikey': 'AKIAEXAMPLE',
        'region': 'us-east-1', 'index': 0, 'tags': {}}
    for key in ('polling_interval', 'dns_enabled', 'container_enabled', 'object_storage_enabled', 'owned_by', 'created_by'):
        assert key in doc
    assert 'apisecret' not in doc and 'example-secret' not in clouds.get('/clouds').text
    listed = clouds.get('/clouds').json()
    assert listed == [dict((k, v) for k, v in doc.items() if k != 'index')]
    assert stored(sim, doc['id'])['fields']['apisecret'] == 'example-secret'
    assert add(clouds, name='second')['index'] == 1


@pytest.mark.parametrize('provider, fields, shown, hidden', [
    ('rackspace', {'username': 'u', 'apikey': 'k', 'region': 'lon'}, {'username': 'u', 'region': 'lon'}, ['apikey']),
    ('openstack', {'username': 'u', 'password': 'p', 'url': 'https://ks', 'tenant': 't', 'region': 'r', 'domain': 'd'},
     {'username': 'u', 'url': 'https://ks', 'tenant': 't', 'region': 'r', 'domain': 'd'}, ['password']),
    ('gce', {'email': 'sa@x', 'private_key': 'pk', 'project_id': 'p'}, {'email': 'sa@x', 'project_id': 'p'}, ['private_key']),
    ('digitalocean', {'token': 't'}, {}, ['token']),
    ('linode', {'apikey': 'k'}, {}, ['apikey']),
    ('docker', {'host': 'h', 'auth_user': 'u', 'auth_password': 'p', 'key_file': 'kf', 'cert_file': 'cf'},
     {'host': 'h', 'port': 2375, 'auth_user': 'u', 'cert_file': 'cf'}, ['auth_password', 'key_file']),
    ('docker', {'host': 'h', 'port': '2376'}, {'host': 'h', 'port': 2376}, []),
    ('azure_arm', {'tenant_id': 't', 'subscription_id': 's', 'key': 'k', 'secret': 'x'},
     {'tenant_id': 't', 'subscription_id': 's', 'key': 'k'}, ['secret']),
    ('vsphere', {'host': 'h', 'username': 'u', 'password': 'p'}, {'host': 'h', 'username': 'u'}, ['password']),
    ('vultr', {'apikey': 'k'}, {}, ['apikey']),
    ('nephoscale', {'username': 'u', 'password': 'p'}, {'username': 'u'}, ['password']),
    ('softlayer', {'username': 'u', 'apikey': 'k'}, {'username': 'u'}, ['apikey']),
    ('libvirt', {'host': 'h', 'username': 'u', 'key': 'k'}, {'host': 'h', 'username': 'u', 'key': 'k'}, []),
    ('bare_metal', {'host': 'h', 'ssh_user': 'u', 'ssh_port': 2222, 'ssh_key': 'k'},
     {'host': 'h', 'ssh_user': 'u', 'ssh_port': 2222, 'ssh_key': 'k'}, []),
])
def test_provider_fields_shown_and_secrets_hidden(clouds, provider, fields, shown, hidden):
    doc = clouds.post('/clouds', json=dict(fields, name='c1', provider=provider)).json()
    listed = clouds.get('/clouds').json()[0]
    for entry in (doc, listed):
        assert {k: entry[k] for k in shown} == shown
        assert not set(hidden) & set(entry)


def test_title_is_accepted_and_strings_are_stripped(clouds, sim):
    body = dict(EC2, provider=' aws ', apikey=' AKIA ', apisecret=' s ')
    del body['name']
    body['title'] = '  from title  '
    doc = clouds.post('/clouds', json=body).json()
    assert (doc['name'], doc['apikey']) == ('from title', 'AKIA')
    assert stored(sim, doc['id'])['fields']['apisecret'] == 's'


@pytest.mark.parametrize('body, status, message', [
    ({'name': 'x1'}, 400, 'Required parameter not provided: provider'),
    ({'name': 'x1', 'provider': ''}, 400, 'Required parameter not provided: provider'),
    ({'name': 'bad name!', 'provider': 'nosuch', 'colour': 1}, 400, "Invalid provider 'nosuch'."),
    ({'provider': 'ec2'}, 400, 'Required parameter not provided: name'),
    ({'name': 'bad name!', 'provider': 'ec2', 'colour': 1}, 400,
     'Cloud name may only contain ASCII letters, numbers, dashes and dots'),
    ({'name': 'ok1', 'provider': 'ec2', 'colour': 1, 'password': 'x'}, 400, "Invalid parameters ['colour', 'password']"),
    ({'name': 'ok1', 'provider': 'ec2', 'apikey': 'a'}, 400, 'Required parameter not provided: apisecret'),
    ({'name': 'ok1', 'provider': 'ec2', 'apikey': 'a', 'apisecret': 's'}, 400, 'Required parameter not provided: region'),
    ({'name': 'ok1', 'provider': 'ec2', 'apikey': ' ', 'apisecret': 's', 'region': 'r'}, 400,
     'Required parameter not provided: apikey'),
    ({'name': 'ok1', 'provider': 'openstack', 'username': 'u', 'password': 'p', 'url': 'u'}, 400,
     'Required parameter not provided: tenant'),
    ({'name': 'ok1', 'provider': 'docker'}, 400, 'Required parameter not provided: host'),
    ({'name': 'ok1', 'provider': 'docker', 'host': 'h', 'port': 'abc'}, 400, 'Bad Request: Invalid port'),
    ({'name': 'ok1', 'provider': 'ec2', 'apikey': 'a', 'apisecret': 'invalid-x', 'region': 'r'}, 401,
     'Unauthorized cloud credentials'),
    ({'name': 'ok1', 'provider': 'ec2', 'apikey': 'a', 'apisecret': 'unreachable', 'region': 'r'}, 503, 'Cloud unavailable'),
    ({'name': 'ok1', 'provider': 'digitalocean', 'token': 'invalid'}, 401, 'Unauthorized cloud credentials'),
    ({'name': 'ok1', 'provider': 'docker', 'host': 'h', 'auth_password': 'unreachable-pw'}, 503, 'Cloud unavailable'),
])
def test_add_errors_in_order(clouds, sim, body, status, message):
    assert_text(clouds.post('/clouds', json=body), status, message)
    assert sim.state()['clouds'] == []


@pytest.mark.parametrize('name, valid', [
    ('prod', True), ('prod-eu_1.a b', True), ('ab', True), ('a', False), ('-prod', False), ('prod-', False),
    ('pröd', False), ('prod/x', False),
])
def test_name_regex(clouds, name, valid):
    response = clouds.post('/clouds', json=dict(EC2, name=name))
    assert response.status_code == (200 if valid else 400)


def test_name_is_unique_but_credentials_are_not(clouds):
    add(clouds)
    assert_text(clouds.post('/clouds', json=dict(EC2, apikey='OTHER', apisecret='invalid')), 409,
                'Cloud with this name already exists')
    add(clouds, name='prod2')
    assert names(clouds) == ['prod', 'prod2']


def test_fail_on_error_false_skips_the_credential_check(clouds):
    assert add(clouds, apisecret='invalid', fail_on_error=False)['name'] == 'prod'


def test_garbage_body_is_missing_parameters(clouds):
    assert_text(clouds.post('/clouds', data=b'{garbage'), 400, 'Required parameter not provided: provider')


# rename
def test_rename(clouds):
    cid = add(clouds)['id']
    add(clouds, name='other')
    assert_text(clouds.put('/clouds/' + cid, json={'new_name': 'prod'}), 200, 'OK')
    assert_text(clouds.put('/clouds/' + cid, json={'new_name': 'other'}), 409, 'Cloud with this name already exists')
    assert_text(clouds.put('/clouds/' + cid, json={'new_name': ''}), 400, 'Required parameter not provided: new_name')
    assert_text(clouds.put('/clouds/' + cid, json={}), 400, 'Required parameter not provided: new_name')
    assert_text(clouds.put('/clouds/' + cid, json={'new_name': 'bad!'}), 400,
                'Cloud name may only contain ASCII letters, numbers, dashes and dots')
    assert_text(clouds.put('/clouds/' + cid, json={'new_name': 'renamed'}), 200, 'OK')
    assert names(clouds) == ['renamed', 'other']
    assert_text(clouds.put('/clouds/' + 'f' * 32, json={'new_name': 'x1'}), 404, NOT_FOUND)


# PATCH
def test_patch_merges_fields(clouds, sim):
    cid = add(clouds)['id']
    assert_text(clouds.patch('/clouds/' + cid, json={'apisecret': 'new-secret', 'region': ' eu-west-1 '}), 200, 'OK')
    fields = stored(sim, cid)['fields']
    assert fields == {'apikey': 'AKIAEXAMPLE', 'apisecret': 'new-secret', 'region': 'eu-west-1'}
    assert clouds.get('/clouds').json()[0]['id'] == cid


@pytest.mark.parametrize('body, status, message', [
    ({}, 400, 'You should provide your new cloud settings'),
    ({'name': 'x'}, 400, "Invalid parameters ['name']"),
    ({'password': 'x', 'apisecret': 'y'}, 400, "Invalid parameters ['password']"),
    ({'apikey': ''}, 400, 'Required parameter not provided: apikey'),
    ({'apisecret': 'invalid-new', 'region': 'eu-west-1'}, 401, 'Unauthorized cloud credentials'),
    ({'apisecret': 'unreachable'}, 503, 'Cloud unavailable'),
])
def test_patch_errors_save_nothing(clouds, sim, body, status, message):
    cid = add(clouds)['id']
    before = stored(sim, cid)
    assert_text(clouds.patch('/clouds/' + cid, json=body), status, message)
    assert stored(sim, cid) == before


def test_patch_unknown(clouds):
    assert_text(clouds.patch('/clouds/' + 'f' * 32, json={'apikey': 'x'}), 404, NOT_FOUND)


# toggle
def test_toggle_strings(clouds):
    cid = add(clouds)['id']
    for new_state, enabled, state in (('0', False, 'offline'), ('0', False, 'offline'), ('1', True, 'online')):
        assert_text(clouds.post('/clouds/' + cid, json={'new_state': new_state}), 200, 'OK')
        entry = clouds.get('/clouds').json()[0]
        assert (entry['enabled'], entry['state']) == (enabled, state)


@pytest.mark.parametrize('body, status, message', [
    ({}, 400, 'Required parameter not provided: new_state'),
    ({'new_state': ''}, 400, 'Required parameter not provided: new_state'),
    ({'new_state': None}, 400, 'Required parameter not provided: new_state'),
    ({'new_state': 1}, 400, 'Bad Request: Invalid cloud state'),
    ({'new_state': True}, 400, 'Bad Request: Invalid cloud state'),
    ({'new_state': 'off'}, 400, 'Bad Request: Invalid cloud state'),
    ({'new_state': 0}, 200, 'OK'),      # silently ignored by mist.api
    ({'new_state': False}, 200, 'OK'),  # likewise
])
def test_toggle_non_strings(clouds, body, status, message):
    cid = add(clouds)['id']
    assert_text(clouds.post('/clouds/' + cid, json=body), status, message)
    assert clouds.get('/clouds').json()[0]['enabled'] is True


def test_toggle_unknown(clouds):
    assert_text(clouds.post('/clouds/' + 'f' * 32, json={'new_state': '0'}), 404, NOT_FOUND)


def test_disabled_clouds_are_listed(clouds):
    cid = add(clouds)['id']
    clouds.post('/clouds/' + cid, json={'new_state': '0'})
    assert [c['state'] for c in clouds.get('/clouds').json()] == ['offline']


# delete
def test_soft_delete(clouds, sim):
    cid = add(clouds)['id']
    assert_text(clouds.delete('/clouds/' + cid), 200, 'OK')
    assert clouds.get('/clouds').json() == []
    assert_text(clouds.delete('/clouds/' + cid), 404, NOT_FOUND)
    assert_text(clouds.get('/clouds/%s/machines' % cid), 404, NOT_FOUND)
    assert stored(sim, cid)['deleted'] is True
    new_id = add(clouds)['id']  # the name is free again, with a new id
    assert new_id != cid and names(clouds) == ['prod']


# machines
MACHINE_KEYS = {'id', 'external_id', 'name', 'hostname', 'public_ips', 'private_ips', 'state', 'tags', 'extra',
                'cloud', 'location', 'size', 'image', 'os_type', 'ssh_port', 'last_seen', 'missing_since'}


def test_machines_shape(clouds):
    cid = add(clouds, name='Prod EU')['id']
    machines = clouds.get('/clouds/%s/machines' % cid).json()
    assert [m['name'] for m in machines] == ['prod-eu-web-1', 'prod-eu-db-1', 'prod-eu-worker-1']
    assert [m['state'] for m in machines] == ['running', 'running', 'stopped']
    for machine in machines:
        assert MACHINE_KEYS <= set(machine)
        assert isinstance(machine['tags'], dict) and machine['cloud'] == cid
        assert machine['id'] != machine['external_id']


def test_machines_of_a_disabled_cloud_are_returned(clouds):
    cid = add(clouds)['id']
    clouds.post('/clouds/' + cid, json={'new_state': '0'})
    assert len(clouds.get('/clouds/%s/machines' % cid).json()) == 3


def test_machines_unknown_cloud(clouds):
    assert_text(clouds.get('/clouds/nosuch/machines'), 404, NOT_FOUND)


def test_bare_metal_cloud_has_its_host(clouds):
    cid = clouds.post('/clouds', json={'name': 'lab', 'provider': 'ssh', 'host': '198.51.100.7'}).json()['id']
    machines = clouds.get('/clouds/%s/machines' % cid).json()
    assert [(m['name'], m['hostname'], m['public_ips']) for m in machines] == [('lab', '198.51.100.7', ['198.51.100.7'])]


def test_a_cloud_is_not_a_backend(clouds, sim):
    add(clouds)
    assert Client(sim.url).get('/backends').json() == []
