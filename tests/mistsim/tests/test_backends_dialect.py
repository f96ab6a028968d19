# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The backends dialect in eras B1 and B2, rule by rule from MIST_API.md section 1.

Each test names the section it checks ("§1 Add", "§1 Backend id", ...). Expected
ids are literals computed outside Python (see test_seed_client_2014.py for how),
never by the simulator's own ids module.
"""

import threading

import pytest

from mistsim.eras import BACKENDS_ERAS
from mistsim.harness import Simulator
from mistsim.tests.util import Client, assert_html_text, raw

# b58(sha1(...)) of our own values, computed with sha1sum and bc (see test_seed_client_2014.py).
EC2_WEST_ID = '43gcdkpef2xc4pcupKoPfCUj5TWQ'          # ec2_us_west + '' + AKIAIOSFODNN7SIMTEST
RACKSPACE_IAD_ID = 'ykHL67vRrPpZx7oKGgrvyGKESE3'       # rackspace + iad + opsuser
DOCKER_ID = '2h5wGCT7FEy84DZ2HcCyFaEcm2Ff'             # docker + buildhost + http://docker.example.net
DOCKER_UNTITLED_ID = '3qNHgyBGW8CyFvoWrSbiHh8AvLn1'    # docker + '' + http://docker.example.net
BARE_METAL_ID = '3MTK3dHHkVWVPnzUDpMCjRU5hgS8'         # bare_metal + '' + 10.1.2.3
DIGITALOCEAN_ID = '3jvqdN4H2roMBmd2eV6X4u9pruXi'       # digitalocean + '' + do-token-4711 (the token)
OPENSTACK_B1_ID = 'garRNJC4vPZi2LsrTA2ND5H8uLQ'        # openstack + '' + osadmin
OPENSTACK_B2_ID = '2ZyXMGCCii45KpiFXvUXKqkqMTso'       # + https://keystone.example.org:5000 + ops-tenant
HPCLOUD_B1_ID = 'hKWHdY4LmaoPb7hksNTumL1GFQG'          # hpcloud + region-b.geo-1 + hpuser
HPCLOUD_B2_ID = '3ch8ZCVzSx8QtH7uA9Ri5YLfLNPc'         # + the fixed HP auth URL + project-7
LINODE_NO_KEY_ID = '3MFrQ3cwEYAwzpqdfUcPZcjN75h7'      # linode + '' + ''

HP_AUTH_URL = 'https://region-a.geo-1.identity.hpcloudsvc.com:35357/v2.0/tokens'
NOT_FOUND_PAGE = '404 Not Found\n\nThe resource could not be found.\n\n\n'

PROVIDERS_B1 = [
    ('bare_metal', 'Bare Metal Server'), ('ec2_ap_northeast', 'EC2 AP NORTHEAST'),
    ('ec2_ap_southeast', 'EC2 AP SOUTHEAST'), ('ec2_ap_southeast_2', 'EC2 AP Sydney'),
    ('ec2_eu_west', 'EC2 EU Ireland'), ('ec2_sa_east', 'EC2 SA EAST'), ('ec2_us_east', 'EC2 US EAST'),
    ('ec2_us_west', 'EC2 US WEST'), ('ec2_us_west_oregon', 'EC2 US WEST OREGON'),
    ('gce', 'Google Compute Engine'), ('nephoscale', 'NephoScale'), ('digitalocean', 'DigitalOcean'),
    ('linode', 'Linode'), ('openstack', 'OpenStack'), ('rackspace:dfw', 'Rackspace DFW'),
    ('rackspace:ord', 'Rackspace ORD'), ('rackspace:iad', 'Rackspace IAD'), ('rackspace:lon', 'Rackspace LON'),
    ('rackspace:syd', 'Rackspace AU'), ('rackspace:hkg', 'Rackspace HKG'),
    ('rackspace_first_gen:us', 'Rackspace US (OLD)'), ('rackspace_first_gen:uk', 'Rackspace UK (OLD)'),
    ('softlayer', 'SoftLayer'), ('hpcloud:region-a.geo-1', 'HP Helion Cloud - US West'),
    ('hpcloud:region-b.geo-1', 'HP Helion Cloud - US East'), ('docker', 'Docker'),
]

each_era = pytest.mark.parametrize('mist_era', BACKENDS_ERAS)
b1_only = pytest.mark.parametrize('mist_era', ['B1'])
b2_only = pytest.mark.parametrize('mist_era', ['B2'])


def ec2(title='west', apikey='AKIAIOSFODNN7SIMTEST', apisecret='west-secret', **extra):
    body = {'title': title, 'provider': 'ec2_us_west', 'apikey': apikey, 'apisecret': apisecret}
    body.update(extra)
    return body


def docker(**extra):
    body = {'title': 'buildhost', 'provider': 'docker', 'apiurl': 'http://docker.example.net'}
    body.update(extra)
    return body


def bare_metal(**extra):
    body = {'title': 'rack-7', 'provider': 'bare_metal', 'machine_ip': '10.1.2.3', 'machine_key': 'mykey'}
    body.update(extra)
    return body


def listed(backends):
    response = backends.get('/backends')
    assert response.status_code == 200
    return response.json()


def added(backends, body):
    response = backends.post('/backends', json=body)
    assert response.status_code == 200, response.text
    return response.json()


def state(backends):
    return backends.get('/_mistsim/state').json()['backends']


# §1 Providers (config.py:79-196)
@b1_only
def test_providers_b1_are_the_seeds_26_in_order(backends, mist_era):
    response = backends.get('/providers')
    assert response.headers['Content-Type'] == 'application/json'
    assert response.json() == {'supported_providers': [{'provider': p, 'title': t} for p, t in PROVIDERS_B1]}


@b2_only
def test_providers_b2_insert_azure_after_bare_metal(backends, mist_era):
    expected = PROVIDERS_B1[:1] + [('azure', 'Azure')] + PROVIDERS_B1[1:]
    assert backends.get('/providers').json() == {
        'supported_providers': [{'provider': p, 'title': t} for p, t in expected]}


@pytest.mark.parametrize('mist_era, status', [('B1', 401), ('B2', 200)])
def test_azure_logs_in_only_in_b2(backends, mist_era, status):
    """§1 Add step 6: a provider the era has no driver for fails the login."""
    body = {'provider': 'azure', 'apikey': 'subscription-1', 'apisecret': 'cert'}
    assert backends.post('/backends', json=body).status_code == status


# §1 Backend id
@each_era
@pytest.mark.parametrize('body, expected', [
    (ec2(), EC2_WEST_ID),
    ({'provider': 'rackspace:iad', 'apikey': 'opsuser', 'apisecret': 'rs-key'}, RACKSPACE_IAD_ID),
    ({'provider': 'rackspace', 'region': 'iad', 'apikey': 'opsuser', 'apisecret': 'rs-key'}, RACKSPACE_IAD_ID),
    (docker(), DOCKER_ID),
    (docker(title=''), DOCKER_UNTITLED_ID),
    (bare_metal(), BARE_METAL_ID),
    ({'provider': 'digitalocean', 'apikey': 'ignored', 'apisecret': 'do-token-4711'}, DIGITALOCEAN_ID),
], ids=['ec2', 'rackspace-colon', 'rackspace-region', 'docker', 'docker-untitled', 'bare-metal', 'digitalocean'])
def test_ids_per_provider(backends, mist_era, body, expected):
    assert added(backends, body)['id'] == expected
    assert [entry['id'] for entry in listed(backends)] == [expected]


@pytest.mark.parametrize('mist_era, expected', [('B1', OPENSTACK_B1_ID), ('B2', OPENSTACK_B2_ID)])
def test_openstack_id_adds_apiurl_and_tenant_in_b2(backends, mist_era, expected):
    body = {'provider': 'openstack', 'apikey': 'osadmin', 'apisecret': 'os-pass', 'tenant_name': 'ops-tenant',
            'apiurl': 'https://keystone.example.org:5000'}
    assert added(backends, body)['id'] == expected


@pytest.mark.parametrize('mist_era, expected', [('B1', HPCLOUD_B1_ID), ('B2', HPCLOUD_B2_ID)])
def test_hpcloud_id_adds_apiurl_and_tenant_in_b2(backends, mist_era, expected):
    body = {'provider': 'hpcloud:region-b.geo-1', 'apikey': 'hpuser', 'apisecret': 'hp-pass',
            'tenant_name': 'project-7', 'apiurl': 'https://region-b.geo-1.identity.hpcloudsvc.com:35357/v2.0/'}
    doc = added(backends, body)
    assert (doc['id'], doc['apiurl'], doc['region']) == (expected, HP_AUTH_URL, 'region-b.geo-1')


@each_era
def test_rename_never_changes_an_id(backends, mist_era):
    backends.post('/backends', json=docker())
    assert_html_text(backends.put('/backends/' + DOCKER_ID, json={'new_name': 'renamed'}), 200, 'OK')
    assert [(e['id'], e['title']) for e in listed(backends)] == [(DOCKER_ID, 'renamed')]


# §1 Backend id: URL normalisation before hashing
@pytest.mark.parametrize('mist_era, sent, stored', [
    ('B1', 'https://keystone.example.org:5000/v2.0/', 'https://keystone.example.org:5'),   # str.strip eats characters
    ('B1', 'https://keystone.example.org:5000/', 'https://keystone.example.org:5000'),
    ('B2', 'https://keystone.example.org:5000/v2.0/', 'https://keystone.example.org:5000'),
    ('B2', 'https://keystone.example.org:5000/v2.0', 'https://keystone.example.org:5000'),
    ('B2', 'https://keystone.example.org:5000//', 'https://keystone.example.org:5000'),
])
def test_openstack_url_normalisation(backends, mist_era, sent, stored):
    body = {'provider': 'openstack', 'apikey': 'osadmin', 'apisecret': 'os-pass', 'apiurl': sent,
            'tenant_name': 'ops-tenant'}
    assert added(backends, body)['apiurl'] == stored


@each_era
def test_an_hpcloudsvc_url_becomes_the_hp_auth_url_for_any_provider(backends, mist_era):
    body = ec2(apiurl='https://anything.hpcloudsvc.com/v2')
    assert added(backends, body)['apiurl'] == HP_AUTH_URL


# §1 Add: Docker
@each_era
def test_docker_needs_no_apikey_nor_apisecret(backends, mist_era):
    doc = added(backends, docker())
    assert (doc['apikey'], doc['apiurl'], doc['title']) == ('', 'http://docker.example.net', 'buildhost')


@each_era
@pytest.mark.parametrize('given, port', [(None, 4243), (2375, 2375), ('2376', 2376), ('not-a-port', 4243)])
def test_docker_port_default_and_fallback_4243(backends, mist_era, given, port):
    body = docker() if given is None else docker(docker_port=given)
    added(backends, body)
    assert state(backends)[0]['docker_port'] == port


@pytest.mark.parametrize('mist_era, shown', [('B1', False), ('B2', True)])
def test_docker_port_and_tenant_name_listed_in_b2(backends, mist_era, shown):
    added(backends, docker(docker_port=2375))
    added(backends, {'provider': 'openstack', 'apikey': 'osadmin', 'apisecret': 'os-pass',
                     'apiurl': 'https://keystone.example.org:5000', 'tenant_name': 'ops-tenant'})
    docker_entry, openstack_entry = listed(backends)
    if shown:
        assert (docker_entry['docker_port'], docker_entry['tenant_name']) == (2375, '')
        assert openstack_entry['tenant_name'] == 'ops-tenant' and 'docker_port' not in openstack_entry
    else:
        assert not {'docker_port', 'tenant_name'} & (set(docker_entry) | set(openstack_entry))


# §1 Add: bare metal
@each_era
def test_bare_metal_title_is_replaced_by_the_host(backends, mist_era):
    doc = added(backends, bare_metal(title='rack-7'))
    assert (doc['title'], doc['apikey'], doc['region']) == ('10.1.2.3', '', '')
    assert [(e['title'], e['apikey']) for e in listed(backends)] == [('10.1.2.3', '')]
    record = state(backends)[0]
    assert (record['machine_user'], record['machine_port']) == ('root', 22)


@each_era
def test_bare_metal_machine_is_the_host(backends, mist_era):
    added(backends, bare_metal(machine_user='ops', machine_port='2222'))
    machines = backends.get('/backends/%s/machines' % BARE_METAL_ID).json()
    assert [(m['id'], m['name'], m['public_ips'], m['private_ips'], m['can_reboot'], m['can_destroy'])
            for m in machines] == [('10123', '10.1.2.3', ['10.1.2.3'], [], True, False)]
    assert (state(backends)[0]['machine_user'], state(backends)[0]['machine_port']) == ('ops', 2222)


@each_era
@pytest.mark.parametrize('body, status, message', [
    (bare_metal(machine_ip=''), 400, 'Required parameter not provided: machine_hostname'),
    ({'provider': 'bare_metal', 'machine_key': 'mykey'}, 400, 'Required parameter not provided: machine_hostname'),
    (bare_metal(machine_key=''), 400, 'Required parameter not provided: machine_key'),
    (bare_metal(machine_key='lab-key'), 404, "'Keypair not found: lab-key'"),
], ids=['empty-host', 'no-host', 'no-key', 'unknown-key'])
def test_bare_metal_errors(backends, mist_era, body, status, message):
    assert_html_text(backends.post('/backends', json=body), status, message)
    assert listed(backends) == []


@each_era
def test_bare_metal_ssh_check(sim, backends, mist_era):
    """§1 Add step 2: `ssh uptime` with the key; the simulator's rule: key `invalid*` -> auth failure,
    host `unreachable*` -> timeout."""
    sim.seed({'keys': ['invalid-key']})
    assert_html_text(backends.post('/backends', json=bare_metal(machine_key='invalid-key')), 401,
                     "Invalid backend credentials: Couldn't authenticate to machine")
    assert_html_text(backends.post('/backends', json=bare_metal(machine_ip='unreachable.example.net')), 503,
                     'Service unavailable: SSH timed-out repeatedly.')
    assert listed(backends) == []


# §1 Add: remove_on_error (B2 only)
@pytest.mark.parametrize('mist_era, status', [('B1', 400), ('B2', 200)])
def test_remove_on_error_false_skips_checks_in_b2(backends, mist_era, status):
    body = {'provider': 'ec2_us_west', 'apikey': 'AKIAIOSFODNN7SIMTEST', 'remove_on_error': False}
    assert backends.post('/backends', json=body).status_code == status


@pytest.mark.parametrize('mist_era, status', [('B1', 401), ('B2', 200)])
def test_remove_on_error_false_skips_the_login_in_b2(backends, mist_era, status):
    assert backends.post('/backends', json=ec2(apisecret='invalid', remove_on_error=False)).status_code == status


@pytest.mark.parametrize('mist_era, status', [('B1', 400), ('B2', 200)])
def test_remove_on_error_false_skips_the_bare_metal_key_in_b2(backends, mist_era, status):
    assert backends.post('/backends', json=bare_metal(machine_key='', remove_on_error=False)).status_code == status


# §1 Add: the order of checks and their errors
@each_era
@pytest.mark.parametrize('body, status, message', [
    ({}, 400, 'Required parameter not provided: provider'),
    ({'provider': '', 'apikey': 'a', 'apisecret': 's'}, 400, 'Required parameter not provided: provider'),
    ({'provider': 'ec2_us_west'}, 400, 'Required parameter not provided: apikey'),
    ({'provider': 'ec2_us_west', 'apikey': 'a'}, 400, 'Required parameter not provided: apisecret'),
    ({'provider': 'nosuch', 'apikey': 'a', 'apisecret': 's'}, 401, 'Invalid backend credentials'),
    ({'provider': 'rackspace:xyz', 'apikey': 'a', 'apisecret': 's'}, 401, 'Invalid backend credentials'),
    (ec2(apisecret='invalid-secret'), 401, 'Invalid backend credentials'),
    (ec2(apisecret='unreachable'), 503, 'Backend unavailable'),
], ids=['empty', 'empty-provider', 'no-apikey', 'no-apisecret', 'unknown-provider', 'unknown-region',
        'rejected', 'unavailable'])
def test_add_errors(backends, mist_era, body, status, message):
    assert_html_text(backends.post('/backends', json=body), status, message)
    assert listed(backends) == []


@pytest.mark.parametrize('mist_era, status', [('B1', 400), ('B2', 200)])
@pytest.mark.parametrize('provider', ['digitalocean', 'linode'])
def test_apikey_optional_for_digitalocean_and_linode_in_b2(backends, mist_era, status, provider):
    response = backends.post('/backends', json={'provider': provider, 'apisecret': 'linode-token'})
    assert response.status_code == status
    if status == 400:
        assert response.text == 'Required parameter not provided: apikey'


@b2_only
def test_a_linode_without_apikey_hashes_linode_alone(backends, mist_era):
    assert added(backends, {'provider': 'linode', 'apisecret': 'token-1'})['id'] == LINODE_NO_KEY_ID
    assert_html_text(backends.post('/backends', json={'provider': 'linode', 'apisecret': 'token-2'}), 409,
                     'Backend exists: %s' % LINODE_NO_KEY_ID)


@each_era
def test_conflict_comes_before_the_login(backends, mist_era):
    added(backends, ec2())
    assert_html_text(backends.post('/backends', json=ec2(title='other', apisecret='invalid')), 409,
                     'Backend exists: %s' % EC2_WEST_ID)


@each_era
def test_region_is_the_second_colon_field(backends, mist_era):
    body = {'provider': 'rackspace:iad:extra', 'region': 'dfw', 'apikey': 'opsuser', 'apisecret': 'k'}
    doc = added(backends, body)
    assert (doc['provider'], doc['region'], doc['id']) == ('rackspace', 'iad', RACKSPACE_IAD_ID)


@each_era
def test_other_keys_are_ignored(backends, mist_era):
    assert added(backends, ec2(colour='blue', nested={'a': 1}))['id'] == EC2_WEST_ID


@each_era
def test_titles_are_never_unique_checked(backends, mist_era):
    added(backends, ec2(title='same'))
    added(backends, ec2(title='same', apikey='AKIASECOND'))
    assert_html_text(backends.put('/backends/' + EC2_WEST_ID, json={'new_name': 'same'}), 200, 'OK')
    assert [e['title'] for e in listed(backends)] == ['same', 'same']


# §1 List entry and add response
@each_era
def test_add_response_fields(backends, mist_era):
    doc = added(backends, ec2(title='', apiurl='https://x.example', tenant_name='t1', region='ignored'))
    assert doc == {'index': 0, 'id': '2wUQZVSZjYz6kMjfXMUsW1acTCyE', 'apikey': 'AKIAIOSFODNN7SIMTEST',
                   'apiurl': 'https://x.example', 'tenant_name': 't1', 'title': '', 'provider': 'ec2_us_west',
                   'poll_interval': 10000, 'region': 'ignored', 'status': 'off', 'enabled': True}


@pytest.mark.parametrize('mist_era, extra', [('B1', {}), ('B2', {'tenant_name': ''})])
def test_list_entry_fields_per_era(backends, mist_era, extra):
    added(backends, ec2())
    expected = {'id': EC2_WEST_ID, 'apikey': 'AKIAIOSFODNN7SIMTEST', 'title': 'west', 'provider': 'ec2_us_west',
                'poll_interval': 10000, 'state': 'online', 'region': '', 'enabled': True}
    expected.update(extra)
    assert listed(backends) == [expected]
    assert 'west-secret' not in backends.get('/backends').text


@each_era
def test_an_empty_title_lists_as_the_provider(backends, mist_era):
    added(backends, ec2(title=''))
    assert listed(backends)[0]['title'] == 'ec2_us_west'


@each_era
def test_digitalocean_apikey_is_the_token(backends, mist_era):
    doc = added(backends, {'provider': 'digitalocean', 'apikey': 'ignored', 'apisecret': 'do-token-4711'})
    assert doc['apikey'] == 'do-token-4711' == listed(backends)[0]['apikey']


@each_era
def test_index_counts_backends(backends, mist_era):
    assert added(backends, ec2())['index'] == 0
    assert added(backends, ec2(apikey='AKIASECOND'))['index'] == 1


# §1 Rename, toggle, delete
@each_era
@pytest.mark.parametrize('body', [{}, {'new_name': ''}])
def test_rename_needs_new_name_before_the_lookup(backends, mist_era, body):
    assert_html_text(backends.put('/backends/nosuch', json=body), 400, 'Required parameter not provided: new_name')


@each_era
@pytest.mark.parametrize('method, payload, message', [
    ('PUT', {'new_name': 'x'}, "'Backend not found: nosuch'"),
    ('POST', {'new_state': '0'}, "'Backend not found'"),    # toggle raises BackendNotFoundError() bare
])
def test_rename_and_toggle_unknown(backends, mist_era, method, payload, message):
    assert_html_text(backends.request(method, '/backends/nosuch', json=payload), 404, message)


@each_era
def test_rename_to_the_same_name(backends, mist_era):
    added(backends, ec2())
    assert_html_text(backends.put('/backends/' + EC2_WEST_ID, json={'new_name': 'west'}), 200, 'OK')


@each_era
@pytest.mark.parametrize('new_state, enabled, listed_state', [('0', False, 'offline'), ('1', True, 'online')])
def test_toggle_strings(backends, mist_era, new_state, enabled, listed_state):
    added(backends, ec2())
    assert_html_text(backends.post('/backends/' + EC2_WEST_ID, json={'new_state': new_state}), 200, 'OK')
    entry = listed(backends)[0]
    assert (entry['enabled'], entry['state']) == (enabled, listed_state)


@each_era
@pytest.mark.parametrize('body, message', [
    ({}, 'Required parameter not provided: new_state'),
    ({'new_state': ''}, 'Required parameter not provided: new_state'),
    ({'new_state': 0}, 'Required parameter not provided: new_state'),
    ({'new_state': False}, 'Required parameter not provided: new_state'),
    ({'new_state': 1}, 'Bad Request: Invalid backend state'),
    ({'new_state': 'true'}, 'Bad Request: Invalid backend state'),
])
def test_toggle_errors_come_before_the_lookup(backends, mist_era, body, message):
    assert_html_text(backends.post('/backends/nosuch', json=body), 400, message)


@each_era
def test_disabled_backends_stay_listed_with_their_machines(backends, mist_era):
    added(backends, ec2())
    backends.post('/backends/' + EC2_WEST_ID, json={'new_state': '0'})
    assert listed(backends)[0]['state'] == 'offline'
    assert len(backends.get('/backends/%s/machines' % EC2_WEST_ID).json()) == 3


@each_era
def test_delete_is_hard_and_a_second_delete_is_404(backends, mist_era):
    added(backends, ec2())
    assert_html_text(backends.delete('/backends/' + EC2_WEST_ID), 200, 'OK')
    assert state(backends) == []
    assert_html_text(backends.delete('/backends/' + EC2_WEST_ID), 404, "'Backend not found: %s'" % EC2_WEST_ID)


# §1 (top): no GET on one backend, a missing method is a 404, bodies need no Content-Type
@each_era
@pytest.mark.parametrize('method, path', [('GET', '/backends/x'), ('PATCH', '/backends'), ('PATCH', '/backends/x'),
                                          ('GET', '/nowhere'), ('DELETE', '/backends')])
def test_no_route_is_a_404_never_a_405(backends, mist_era, method, path):
    response = backends.request(method, path)
    assert (response.status_code, response.text) == (404, NOT_FOUND_PAGE)


@each_era
def test_json_without_content_type(sim, mist_era):
    status, _headers, text = raw(sim.url, 'POST', '/backends', body=b'{"provider": "docker", "apiurl": "http://d"}')
    assert status == 200, text
    status, headers, text = raw(sim.url, 'PUT', '/backends/' + '4nsTqmdE9WCHJfXXAqFhFSoqbP6A', body=b'{"new_name": "r"}')
    assert (status, text) == (200, 'OK') and headers['Content-Type'].startswith('text/html')


@each_era
@pytest.mark.parametrize('method, path', [('POST', '/backends'), ('PUT', '/backends/x'), ('POST', '/backends/x')])
def test_invalid_json_is_a_500(sim, mist_era, method, path):
    status, headers, text = raw(sim.url, method, path, body=b'{not json')
    assert (status, text) == (500, 'Internal Server Error')


# Machines (§1 end)
MACHINE_KEYS = {'id', 'uuid', 'name', 'imageId', 'size', 'state', 'private_ips', 'public_ips', 'tags', 'extra',
                'can_stop', 'can_start', 'can_destroy', 'can_reboot', 'can_tag'}


@each_era
def test_machines_shape(backends, mist_era):
    added(backends, ec2())
    machines = backends.get('/backends/%s/machines' % EC2_WEST_ID).json()
    assert len(machines) == 3 and all(set(m) == MACHINE_KEYS for m in machines)
    assert_html_text(backends.get('/backends/nosuch/machines'), 404, "'Backend not found: nosuch'")


# the two dialects are separate servers
def test_a_backend_is_not_a_cloud(backends, clouds):
    added(backends, ec2())
    assert clouds.get('/clouds').json() == []


# concurrency
def test_parallel_adds_are_all_stored(backends, sim):
    results = []

    def add(number):
        client = Client(sim.url)
        results.append(client.post('/backends', json=ec2(title='b%d' % number, apikey='KEY%d' % number)).status_code)

    threads = [threading.Thread(target=add, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [200] * 20
    assert sorted(e['title'] for e in listed(backends)) == sorted('b%d' % n for n in range(20))


def test_parallel_duplicate_adds_store_one(backends, sim):
    results = []
    threads = [threading.Thread(target=lambda: results.append(Client(sim.url).post('/backends', json=ec2()).status_code))
               for _n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [200] + [409] * 9
    assert len(listed(backends)) == 1


# §1: the hosted service's auth (--backends-auth), `mist_1 <email>:<token>`
@pytest.fixture(scope='module')
def hosted():
    with Simulator(backends_auth=True, dialects='backends') as simulator:
        yield simulator


def test_hosted_auth_required(hosted):
    for method, path in (('GET', '/backends'), ('GET', '/providers'), ('POST', '/backends')):
        assert_html_text(Client(hosted.url).request(method, path, json={}), 401, 'Not authorized')


def test_hosted_login_and_header(hosted):
    client = Client(hosted.url)
    response = client.post('/auth', json={'email': 'demo@mist.local', 'password': 'demo-password'})
    assert response.status_code == 200
    token = response.json()['mist_api_token']
    client.session.headers['Authorization'] = 'mist_1 demo@mist.local:%s' % token
    assert client.get('/backends').status_code == 200
    client.session.headers['Authorization'] = 'mist_1 other@mist.local:%s' % token
    assert_html_text(client.get('/backends'), 401, 'Not authorized')
    client.session.headers['Authorization'] = token
    assert_html_text(client.get('/backends'), 401, 'Not authorized')


@pytest.mark.parametrize('body, status, message', [
    ({'email': 'demo@mist.local', 'password': 'wrong'}, 401, 'Not authorized'),
    ({'email': 'nobody@mist.local', 'password': 'demo-password'}, 401, 'Not authorized'),
    ({'password': 'demo-password'}, 400, 'Required parameter not provided: email'),
    ({'email': 'demo@mist.local'}, 400, 'Required parameter not provided: password'),
])
def test_hosted_login_errors(hosted, body, status, message):
    assert_html_text(Client(hosted.url).post('/auth', json=body), status, message)


def test_standalone_server_needs_no_auth(backends):
    assert backends.get('/backends').status_code == 200
