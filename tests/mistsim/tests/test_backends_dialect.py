# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The backends dialect, fact by fact from MIST_API.md section 1."""

import threading

import pytest

from mistsim import ids
from mistsim.harness import Simulator
from mistsim.tests.util import Client, assert_text, ec2, raw

EC2_ID = '282anRybLn34tNGugwCNK7oCisfY'
RACKSPACE_ID = 'fWyNKxbJMC5jxMZ2C9smGMzGUmM'

PROVIDERS = [
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


def listed(backends):
    response = backends.get('/backends')
    assert response.status_code == 200
    return response.json()


# ids
@pytest.mark.parametrize('provider, region, apikey, expected', [
    ('ec2_us_east', '', 'AKIAEXAMPLE', EC2_ID),
    ('rackspace', 'dfw', 'rackuser', RACKSPACE_ID),
])
def test_backend_id_examples(provider, region, apikey, expected):
    assert ids.backend_id(provider, region, apikey) == expected


def test_added_backends_get_the_documented_ids(backends):
    assert backends.post('/backends', json=ec2()).json()['id'] == EC2_ID
    body = {'provider': 'rackspace', 'region': 'dfw', 'apikey': 'rackuser', 'apisecret': 'k'}
    assert backends.post('/backends', json=body).json()['id'] == RACKSPACE_ID


def test_base58_alphabet_puts_lower_case_first():
    assert ids.ALPHABET == '123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ'
    assert ids.b58encode(0) == '1' and ids.b58encode(9) == 'a' and ids.b58encode(57) == 'Z'


# providers
def test_providers_exactly_26_in_order(backends):
    response = backends.get('/providers')
    assert response.status_code == 200
    assert response.headers['Content-Type'] == 'application/json'
    assert response.json() == {'supported_providers': [{'provider': p, 'title': t} for p, t in PROVIDERS]}
    assert len(PROVIDERS) == 26


# add
def test_add_response_fields(backends):
    response = backends.post('/backends', json=ec2(apiurl='https://x', tenant_name='t'))
    assert response.status_code == 200
    assert response.headers['Content-Type'] == 'application/json'
    assert response.json() == {
        'id': EC2_ID, 'title': 'prod', 'provider': 'ec2_us_east', 'region': '', 'apikey': 'AKIAEXAMPLE',
        'enabled': True, 'poll_interval': 10000, 'index': 0, 'apiurl': 'https://x', 'tenant_name': 't',
        'status': 'off'}


def test_add_index_counts_backends(backends):
    assert backends.post('/backends', json=ec2(apikey='A1')).json()['index'] == 0
    assert backends.post('/backends', json=ec2(apikey='A2')).json()['index'] == 1


def test_list_entry_shows_apikey_never_secret(backends):
    backends.post('/backends', json=ec2())
    assert listed(backends) == [{'id': EC2_ID, 'title': 'prod', 'provider': 'ec2_us_east', 'region': '',
                                 'apikey': 'AKIAEXAMPLE', 'enabled': True, 'state': 'wait', 'poll_interval': 10000}]
    assert 'example-secret' not in backends.get('/backends').text


@pytest.mark.parametrize('title', ['', None])
def test_title_falls_back_to_provider(backends, title):
    body = ec2()
    if title is None:
        del body['title']
    else:
        body['title'] = title
    assert backends.post('/backends', json=body).json()['title'] == 'ec2_us_east'
    assert listed(backends)[0]['title'] == 'ec2_us_east'


def test_titles_are_not_unique(backends):
    for apikey in ('A1', 'A2', 'A3'):
        assert backends.post('/backends', json=ec2(title='same', apikey=apikey)).status_code == 200
    entries = listed(backends)
    assert [e['title'] for e in entries] == ['same'] * 3
    assert len({e['id'] for e in entries}) == 3


def test_same_credentials_conflict(backends):
    backends.post('/backends', json=ec2())
    assert_text(backends.post('/backends', json=ec2(title='other')), 409, 'Backend exists: %s' % EC2_ID)
    assert len(listed(backends)) == 1


def test_provider_region_split_at_first_colon(backends):
    body = {'provider': 'rackspace:lon', 'region': 'dfw', 'apikey': 'rackuser', 'apisecret': 'k'}
    added = backends.post('/backends', json=body).json()
    assert (added['provider'], added['region']) == ('rackspace', 'lon')
    assert added['id'] == ids.backend_id('rackspace', 'lon', 'rackuser')
    body = {'provider': 'hpcloud:region-a.geo-1', 'apikey': 'u', 'apisecret': 'p'}
    added = backends.post('/backends', json=body).json()
    assert (added['provider'], added['region']) == ('hpcloud', 'region-a.geo-1')


def test_provider_and_region_in_body_equal_the_colon_form(backends):
    body = {'provider': 'rackspace', 'region': 'dfw', 'apikey': 'rackuser', 'apisecret': 'k'}
    backends.post('/backends', json=body)
    assert_text(backends.post('/backends', json=dict(body, provider='rackspace:dfw', region='')),
                409, 'Backend exists: %s' % RACKSPACE_ID)


@pytest.mark.parametrize('body, status, message', [
    ({}, 400, 'Required parameter not provided: provider'),
    ({'provider': '', 'apikey': 'a', 'apisecret': 's'}, 400, 'Required parameter not provided: provider'),
    ({'provider': 'ec2_us_east'}, 400, 'Required parameter not provided: apikey'),
    ({'provider': 'ec2_us_east', 'apikey': '', 'apisecret': 's'}, 400, 'Required parameter not provided: apikey'),
    ({'provider': 'ec2_us_east', 'apikey': 'a'}, 400, 'Required parameter not provided: apisecret'),
    ({'provider': 'nosuch', 'apikey': 'a', 'apisecret': 's'}, 401, 'Invalid backend credentials'),
    ({'provider': 'nosuch'}, 400, 'Required parameter not provided: apikey'),
    ({'provider': 'rackspace:xyz', 'apikey': 'a', 'apisecret': 's'}, 401, 'Invalid backend credentials'),
    ({'provider': 'rackspace', 'apikey': 'a', 'apisecret': 's'}, 401, 'Invalid backend credentials'),
    ({'provider': 'ec2_us_east', 'apikey': 'a', 'apisecret': 'invalid-secret'}, 401, 'Invalid backend credentials'),
    ({'provider': 'ec2_us_east', 'apikey': 'a', 'apisecret': 'unreachable'}, 503, 'Backend unavailable'),
])
def test_add_errors(backends, body, status, message):
    assert_text(backends.post('/backends', json=body), status, message)
    assert listed(backends) == []


def test_conflict_is_checked_before_the_provider_login(backends):
    backends.post('/backends', json=ec2())
    assert_text(backends.post('/backends', json=ec2(apisecret='invalid')), 409, 'Backend exists: %s' % EC2_ID)


def test_unknown_keys_are_ignored(backends):
    assert backends.post('/backends', json=ec2(colour='blue', nested={'a': 1})).status_code == 200


def test_json_without_content_type(sim):
    status, _headers, text = raw(sim.url, 'POST', '/backends', body=b'{"provider": "linode", "apikey": "k", "apisecret": "k"}')
    assert status == 200, text
    status, _headers, text = raw(sim.url, 'PUT', '/backends/%s' % ids.backend_id('linode', '', 'k'),
                                 body=b'{"new_name": "renamed"}')
    assert (status, text) == (200, 'OK')


# bare metal
def test_bare_metal_needs_no_apikey_and_gets_defaults(backends):
    body = {'title': 'lab', 'provider': 'bare_metal', 'machine_ip': '198.51.100.7', 'machine_key': 'mykey'}
    added = backends.post('/backends', json=body).json()
    assert added['id'] == ids.backend_id('bare_metal', '', '198.51.100.7')
    assert added['apikey'] == '198.51.100.7'
    stored = backends_state(backends)[0]
    assert (stored['machine_user'], stored['machine_port']) == ('root', 22)
    machines = backends.get('/backends/%s/machines' % added['id']).json()
    assert [(m['name'], m['public_ips'], m['state']) for m in machines] == [('lab', ['198.51.100.7'], 'running')]


def backends_state(client):
    return client.get('/_mistsim/state').json()['backends']


@pytest.mark.parametrize('body, message', [
    ({'provider': 'bare_metal', 'machine_key': 'mykey'}, 'Required parameter not provided: machine_ip'),
    ({'provider': 'bare_metal', 'machine_ip': '10.0.0.1'}, 'Required parameter not provided: machine_key'),
    ({'provider': 'bare_metal', 'machine_ip': '10.0.0.1', 'machine_key': 'nokey'}, 'Bad Request: Key not found'),
    ({'provider': 'bare_metal', 'machine_ip': '10.0.0.1', 'machine_key': 'mykey', 'machine_port': 'x'},
     'Bad Request: Invalid machine_port'),
])
def test_bare_metal_errors(backends, body, message):
    assert_text(backends.post('/backends', json=body), 400, message)


def test_bare_metal_keys_come_from_the_seed(sim, backends):
    sim.seed({'keys': ['deploy']})
    body = {'provider': 'bare_metal', 'machine_ip': '10.0.0.1', 'machine_key': 'deploy', 'machine_user': 'admin',
            'machine_port': '2222', 'apisecret': 'invalid-but-unchecked'}
    assert backends.post('/backends', json=body).status_code == 200
    stored = backends_state(backends)[0]
    assert (stored['machine_user'], stored['machine_port']) == ('admin', 2222)


# rename
@pytest.mark.parametrize('body', [{}, {'new_name': ''}])
def test_rename_needs_new_name_before_lookup(backends, body):
    assert_text(backends.put('/backends/unknown', json=body), 400, 'Required parameter not provided: new_name')


def test_rename_unknown(backends):
    assert_text(backends.put('/backends/nosuch', json={'new_name': 'x'}), 404, "'Backend not found: nosuch'")


def test_rename_keeps_id_and_same_name_is_a_noop(backends):
    backends.post('/backends', json=ec2())
    assert_text(backends.put('/backends/' + EC2_ID, json={'new_name': 'prod'}), 200, 'OK')
    assert_text(backends.put('/backends/' + EC2_ID, json={'new_name': 'renamed'}), 200, 'OK')
    assert [(e['id'], e['title']) for e in listed(backends)] == [(EC2_ID, 'renamed')]


def test_rename_to_a_title_in_use_is_fine(backends):
    backends.post('/backends', json=ec2(title='a', apikey='A1'))
    backends.post('/backends', json=ec2(title='b', apikey='A2'))
    assert backends.put('/backends/' + ids.backend_id('ec2_us_east', '', 'A2'), json={'new_name': 'a'}).status_code == 200
    assert [e['title'] for e in listed(backends)] == ['a', 'a']


# toggle
@pytest.mark.parametrize('new_state, enabled, state', [('0', False, 'offline'), ('1', True, 'wait')])
def test_toggle_strings(backends, new_state, enabled, state):
    backends.post('/backends', json=ec2())
    for _repeat in range(2):  # idempotent
        assert_text(backends.post('/backends/' + EC2_ID, json={'new_state': new_state}), 200, 'OK')
        entry = listed(backends)[0]
        assert (entry['enabled'], entry['state']) == (enabled, state)


@pytest.mark.parametrize('body, message', [
    ({}, 'Required parameter not provided: new_state'),
    ({'new_state': ''}, 'Required parameter not provided: new_state'),
    ({'new_state': None}, 'Required parameter not provided: new_state'),
    ({'new_state': 0}, 'Required parameter not provided: new_state'),
    ({'new_state': False}, 'Required parameter not provided: new_state'),
    ({'new_state': 1}, 'Bad Request: Invalid backend state'),
    ({'new_state': True}, 'Bad Request: Invalid backend state'),
    ({'new_state': 'true'}, 'Bad Request: Invalid backend state'),
    ({'new_state': '2'}, 'Bad Request: Invalid backend state'),
])
def test_toggle_rejects_anything_but_strings(backends, body, message):
    backends.post('/backends', json=ec2())
    assert_text(backends.post('/backends/' + EC2_ID, json=body), 400, message)
    assert listed(backends)[0]['enabled'] is True


def test_toggle_unknown(backends):
    assert_text(backends.post('/backends/nosuch', json={'new_state': '0'}), 404, "'Backend not found'")


@pytest.mark.parametrize('method', ['PUT', 'POST'])
@pytest.mark.parametrize('body', [b'{not json', b'[1, 2]', b'"text"'])
def test_rename_and_toggle_with_invalid_json(backends, method, body):
    backends.post('/backends', json=ec2())
    assert_text(backends.request(method, '/backends/' + EC2_ID, data=body), 500, 'Internal Server Error')


# delete
def test_delete_is_hard_and_second_delete_is_404(backends):
    backends.post('/backends', json=ec2())
    assert_text(backends.delete('/backends/' + EC2_ID), 200, 'OK')
    assert listed(backends) == []
    assert_text(backends.delete('/backends/' + EC2_ID), 404, "'Backend not found: %s'" % EC2_ID)
    assert backends_state(backends) == []
    assert backends.post('/backends', json=ec2()).status_code == 200


# machines
MACHINE_KEYS = {'id', 'uuid', 'name', 'imageId', 'size', 'state', 'private_ips', 'public_ips', 'tags', 'extra',
                'can_stop', 'can_start', 'can_destroy', 'can_reboot', 'can_tag'}


def test_machines_shape_and_generation(backends):
    backends.post('/backends', json=ec2(title='Prod EU'))
    machines = backends.get('/backends/%s/machines' % EC2_ID).json()
    assert [m['name'] for m in machines] == ['prod-eu-web-1', 'prod-eu-db-1', 'prod-eu-worker-1']
    assert [m['state'] for m in machines] == ['running', 'running', 'stopped']
    for machine in machines:
        assert set(machine) == MACHINE_KEYS
        assert isinstance(machine['tags'], list) and all(isinstance(t, str) for t in machine['tags'])
        assert all(ip.startswith('10.') for ip in machine['private_ips'])
        assert all(ip.startswith(('203.0.113.', '198.51.100.')) for ip in machine['public_ips'])
        assert machine['can_stop'] == (machine['state'] == 'running')
    assert backends.get('/backends/%s/machines' % EC2_ID).json() == machines  # deterministic


def test_machines_of_a_disabled_backend_are_still_returned(backends):
    backends.post('/backends', json=ec2())
    backends.post('/backends/' + EC2_ID, json={'new_state': '0'})
    assert len(backends.get('/backends/%s/machines' % EC2_ID).json()) == 3


def test_machines_of_unknown_backend(backends):
    assert_text(backends.get('/backends/nosuch/machines'), 404, "'Backend not found: nosuch'")


@pytest.mark.parametrize('what', ['sizes', 'images', 'locations'])
def test_sizes_images_locations(backends, what):
    backends.post('/backends', json=ec2())
    response = backends.get('/backends/%s/%s' % (EC2_ID, what))
    assert response.status_code == 200 and isinstance(response.json(), list) and response.json()
    assert backends.get('/backends/nosuch/' + what).status_code == 404


# dialects are separate servers
def test_a_backend_is_not_a_cloud(backends, clouds):
    backends.post('/backends', json=ec2())
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


# hosted auth (--backends-auth)
@pytest.fixture(scope='module')
def hosted():
    with Simulator(backends_auth=True, dialects='backends') as simulator:
        yield simulator


def test_hosted_auth_required(hosted):
    for method, path in (('GET', '/backends'), ('GET', '/providers'), ('POST', '/backends')):
        assert_text(Client(hosted.url).request(method, path, json={}), 401, 'Not authorized')


def test_hosted_login_and_header(hosted):
    client = Client(hosted.url)
    response = client.post('/auth', json={'email': 'demo@mist.local', 'password': 'demo-password'})
    assert response.status_code == 200
    token = response.json()['mist_api_token']
    client.session.headers['Authorization'] = 'mist_1 demo@mist.local:%s' % token
    assert client.get('/backends').status_code == 200
    client.session.headers['Authorization'] = 'mist_1 other@mist.local:%s' % token
    assert_text(client.get('/backends'), 401, 'Not authorized')
    client.session.headers['Authorization'] = token
    assert_text(client.get('/backends'), 401, 'Not authorized')


@pytest.mark.parametrize('body, status, message', [
    ({'email': 'demo@mist.local', 'password': 'wrong'}, 401, 'Not authorized'),
    ({'email': 'nobody@mist.local', 'password': 'demo-password'}, 401, 'Not authorized'),
    ({'password': 'demo-password'}, 400, 'Required parameter not provided: email'),
    ({'email': 'demo@mist.local'}, 400, 'Required parameter not provided: password'),
])
def test_hosted_login_errors(hosted, body, status, message):
    assert_text(Client(hosted.url).post('/auth', json=body), status, message)


def test_standalone_server_needs_no_auth(backends):
    assert backends.get('/backends').status_code == 200
