# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The clouds dialect in eras C1 and C3, rule by rule from MIST_API.md section 2.

Each test names the section it checks. C1 is mist.api v4.5.4, C3 mist.api HEAD.
"""

import re
import time

import pytest

from mistsim.eras import CLOUDS_ERAS
from mistsim.tests.util import Client, assert_html_text

NOT_AUTHENTICATED = 'User not authenticated. Please log in'
NOT_FOUND = 'Not Found: Cloud does not exist'
NAME = {'C1': 'title', 'C3': 'name'}
WORD = {'C1': 'title', 'C3': 'name'}
BARE_METAL = {'C1': 'bare_metal', 'C3': 'other'}
EC2 = {'provider': 'ec2', 'apikey': 'AKIAJ7SIMCLOUD', 'apisecret': 'cloud-secret-9', 'region': 'eu-west-1'}

each_era = pytest.mark.parametrize('mist_era', CLOUDS_ERAS)
c1_only = pytest.mark.parametrize('mist_era', ['C1'])
c3_only = pytest.mark.parametrize('mist_era', ['C3'])


def body(era, name='ireland', base=None, **fields):
    doc = dict(EC2 if base is None else base, **fields)
    doc[NAME[era]] = name
    return doc


def add(clouds, era, name='ireland', base=None, **fields):
    response = clouds.post('/clouds', json=body(era, name, base, **fields))
    assert response.status_code == 200, response.text
    return response.json()


def listed(clouds):
    response = clouds.get('/clouds')
    assert response.status_code == 200
    return response.json()


def stored(sim, cloud_id):
    return [c for c in sim.state()['clouds'] if c['id'] == cloud_id][0]


# §2.1 Auth
@each_era
def test_token_minting_and_ping(sim, mist_era):
    client = Client(sim.url + '/api/v1')
    response = client.post('/tokens', json={'email': 'demo@mist.local', 'password': 'demo-password', 'name': 'ci'})
    doc = response.json()
    assert re.fullmatch('[0-9a-f]{64}', doc['token']) and doc['name'] == 'ci' and doc['ttl'] == 3600
    client.session.headers['Authorization'] = doc['token'].upper()   # the server lower-cases it
    assert client.get('/ping').json() == {'hello': 'demo@mist.local'}


@each_era
def test_token_password_is_not_checked_in_v4_5_and_later(sim, mist_era):
    response = Client(sim.url + '/api/v1').post('/tokens', json={'email': 'DEMO@mist.local', 'password': 'wrong'})
    assert response.status_code == 200 and re.fullmatch('[0-9a-f]{64}', response.json()['token'])


@each_era
@pytest.mark.parametrize('doc, status, message', [
    ({'email': 'nobody@mist.local', 'password': 'x'}, 401, NOT_AUTHENTICATED),
    ({'password': 'x'}, 400, 'Required parameter not provided: No email provided'),
    ({'email': 'demo@mist.local', 'ttl': -1}, 400, 'Bad Request: Ttl must be greater or equal to zero'),
    ({'email': 'demo@mist.local', 'ttl': 'soon'}, 400, 'Bad Request: Ttl must be a number greater than 0'),
])
def test_token_errors(sim, mist_era, doc, status, message):
    assert_html_text(Client(sim.url + '/api/v1').post('/tokens', json=doc), status, message)


@each_era
def test_token_ttl_expires(sim, mist_era):
    client = Client(sim.url + '/api/v1')
    token = client.post('/tokens', json={'email': 'demo@mist.local', 'ttl': 1}).json()['token']
    client.session.headers['Authorization'] = token
    assert client.get('/ping').status_code == 200
    time.sleep(1.2)
    assert_html_text(client.get('/ping'), 401, NOT_AUTHENTICATED)


@each_era
@pytest.mark.parametrize('method, path', [('POST', '/clouds'), ('PUT', '/clouds/abc'), ('PATCH', '/clouds/abc'),
                                          ('DELETE', '/clouds/abc'), ('POST', '/ping'), ('POST', '/nowhere')])
def test_a_write_without_token_is_a_csrf_403(sim, mist_era, method, path):
    response = Client(sim.url + '/api/v1').request(method, path, json=body(mist_era))
    assert (response.status_code, response.text) == (403, 'Invalid csrf token\n')
    assert response.headers['Content-Type'].startswith('text/plain')
    assert sim.state()['clouds'] == []


@each_era
@pytest.mark.parametrize('path', ['/ping', '/clouds', '/providers', '/clouds/abc/machines'])
def test_a_read_without_token_is_a_401(sim, mist_era, path):
    assert_html_text(Client(sim.url + '/api/v1').get(path), 401, NOT_AUTHENTICATED)


@each_era
@pytest.mark.parametrize('token', ['f' * 64, 'mist_1 demo@mist.local:x', 'not-a-token'])
@pytest.mark.parametrize('method, path', [('GET', '/ping'), ('GET', '/clouds'), ('POST', '/clouds'),
                                          ('DELETE', '/clouds/abc')])
def test_a_wrong_token_is_a_401_on_every_method(sim, mist_era, token, method, path):
    assert_html_text(Client(sim.url + '/api/v1', token).request(method, path, json=body(mist_era)), 401,
                     NOT_AUTHENTICATED)
    assert sim.state()['clouds'] == []


@each_era
def test_mist_1_header_of_a_migrated_user(sim, mist_era, mistsim_token):
    client = Client(sim.url + '/api/v1', 'mist_1 demo@mist.local:%s' % mistsim_token)
    assert client.get('/ping').json() == {'hello': 'demo@mist.local'}


@each_era
def test_tokens_need_no_csrf_token(sim, mist_era):
    assert Client(sim.url + '/api/v1').post('/tokens', json={'email': 'demo@mist.local'}).status_code == 200


@each_era
def test_version_needs_no_auth(sim, mist_era):
    doc = Client(sim.url).get('/version').json()
    assert set(doc) == {'version'} and set(doc['version']) == {'sha', 'name', 'repo', 'modified'}
    assert doc['version']['name'] == {'C1': 'v4.5.4', 'C3': 'master'}[mist_era]


# §2.2 Endpoints: no GET on one cloud, unknown method or path -> the UI's 404 page
@each_era
@pytest.mark.parametrize('method, path', [('GET', '/clouds/abc'), ('PATCH', '/clouds'), ('GET', '/nowhere'),
                                          ('PUT', '/providers')])
def test_no_route_is_the_404_ui_page(clouds, mist_era, method, path):
    response = clouds.request(method, path, json={})
    assert response.status_code == 404 and response.text.startswith('<!DOCTYPE html>')
    assert response.headers['Content-Type'].startswith('text/html')


# §2.6 GET /api/v1/providers (v4.4 and later: config.PROVIDERS values)
@each_era
def test_providers_shape(clouds, mist_era):
    providers = clouds.get('/providers').json()['supported_providers']
    keys = {'name', 'aliases', 'driver', 'category', 'features'}
    assert all(keys <= set(p) <= keys | ({'cost'} if mist_era == 'C3' else set()) for p in providers)
    assert any('cost' in p for p in providers) == (mist_era == 'C3')
    by_driver = dict((p['driver'], p) for p in providers)
    assert by_driver['ec2']['name'] == 'Amazon Web Services' and 'amazon' not in by_driver
    assert by_driver['']['aliases'] == ['ssh', 'bare_metal'] and by_driver['']['category'] == 'other'
    assert by_driver['azure_arm']['aliases'] == ['arm', 'azure_arm']


# §2.5 Providers: canonical ids and aliases
@pytest.mark.parametrize('mist_era, alias, canonical', [
    ('C1', 'amazon', 'ec2'), ('C1', 'ec2', 'ec2'), ('C3', 'aws', 'ec2'), ('C3', 'amazon', 'ec2'),
    ('C1', 'google', 'gce'), ('C3', 'gcp', 'gce'), ('C1', 'ibm', 'softlayer'), ('C3', 'ibm cloud', 'softlayer'),
    ('C1', 'equinix', 'equinixmetal'), ('C3', 'packet', 'equinixmetal'), ('C3', 'equinix', 'equinixmetal'),
    ('C1', 'other', 'bare_metal'), ('C1', 'bare_metal', 'bare_metal'), ('C3', 'bare_metal', 'other'),
    ('C3', 'ssh', 'other'), ('C1', 'kvm', 'libvirt'), ('C3', 'kvm', 'libvirt'), ('C3', 'azure', 'azure_arm'),
    ('C1', 'azure_arm', 'azure_arm'),
])
def test_aliases_store_the_canonical_id(clouds, mist_era, alias, canonical):
    fields = {'ec2': EC2, 'gce': {'email': 'sa@example.com', 'private_key': 'pk', 'project_id': 'p1'},
              'softlayer': {'username': 'u', 'apikey': 'k'}, 'equinixmetal': {'apikey': 'k'}, 'bare_metal': {},
              'other': {}, 'libvirt': {'hosts': [{'host': 'kvm1.example.com', 'key': 'mykey'}]},
              'azure_arm': {'tenant_id': 't', 'subscription_id': 's', 'key': 'k', 'secret': 'x'}}[canonical]
    doc = add(clouds, mist_era, base=dict(fields, provider=alias))
    assert doc['provider'] == canonical == listed(clouds)[0]['provider']


@pytest.mark.parametrize('mist_era, provider', [('C1', 'aws'), ('C1', 'packet'), ('C1', 'ssh'), ('C3', 'EC2'),
                                                ('C1', 'Amazon'), ('C3', 'nephoscale')])
def test_names_an_era_does_not_know(clouds, mist_era, provider):
    assert_html_text(clouds.post('/clouds', json=body(mist_era, provider=provider)), 400,
                     "Bad Request: Invalid provider '%s'." % provider)


@c1_only
def test_azure_is_classic_azure_in_c1(clouds, mist_era):
    doc = add(clouds, mist_era, base={'provider': 'azure', 'subscription_id': 'sub-1', 'certificate': 'PEM'})
    assert doc['provider'] == 'azure' and doc['subscription_id'] == 'sub-1' and 'certificate' not in doc
    arm = {'provider': 'azure', 'tenant_id': 't', 'subscription_id': 's', 'key': 'k', 'secret': 'x'}
    response = clouds.post('/clouds', json=body(mist_era, 'arm', base=arm))
    assert response.status_code == 400
    assert re.search(r"ValidationError \(Cloud\.AzureCloud:[0-9a-f]{32}\) \(Field is required: \['certificate'\]\)",
                     response.text)


# §2.3 Cloud entry
@c1_only
def test_c1_entry_reads_title_and_every_non_secret_field(clouds, mist_era):
    doc = add(clouds, mist_era, base={'provider': 'linode', 'apikey': 'linode-key'})
    entry = listed(clouds)[0]
    assert entry['title'] == 'ireland' and 'name' not in entry and 'container_enabled' not in entry
    assert entry['apiversion'] is None and 'apikey' not in entry
    assert set(entry) == {'id', 'title', 'provider', 'enabled', 'dns_enabled', 'object_storage_enabled',
                          'observation_logs_enabled', 'state', 'polling_interval', 'tags', 'owned_by',
                          'created_by', 'apiversion'}
    assert (entry['polling_interval'], entry['state'], entry['observation_logs_enabled']) == (1800, 'online', True)
    assert doc == dict(entry, index=0)


@c1_only
def test_c1_lists_false_and_null_fields(clouds, mist_era):
    add(clouds, mist_era, base={'provider': 'docker', 'host': 'docker.example.com'})
    entry = listed(clouds)[0]
    assert {k: entry[k] for k in ('host', 'port', 'username', 'cert_file', 'ca_cert_file', 'show_all')} == {
        'host': 'docker.example.com', 'port': 4243, 'username': None, 'cert_file': None, 'ca_cert_file': None,
        'show_all': False}
    assert 'password' not in entry and 'key_file' not in entry


@c3_only
def test_c3_entry_reads_name_and_only_truthy_fields(clouds, mist_era):
    add(clouds, mist_era, base={'provider': 'docker', 'host': 'docker.example.com'})
    entry = listed(clouds)[0]
    assert entry['name'] == 'ireland' and 'title' not in entry and entry['container_enabled'] is False
    assert set(entry) == {'id', 'name', 'provider', 'enabled', 'dns_enabled', 'object_storage_enabled',
                          'observation_logs_enabled', 'container_enabled', 'state', 'polling_interval', 'tags',
                          'owned_by', 'created_by', 'host', 'port'}


# §2.5 Providers and fields: secrets never listed, per era
@pytest.mark.parametrize('mist_era, provider, fields, secret', [
    ('C1', 'docker', {'host': 'docker.example.com', 'username': 'du', 'password': 'dp', 'key_file': 'K',
                      'cert_file': 'C', 'ca_cert_file': 'CA'}, {'password', 'key_file'}),
    ('C3', 'docker', {'host': 'docker.example.com', 'username': 'du', 'password': 'dp', 'key_file': 'K',
                      'cert_file': 'C', 'ca_cert_file': 'CA'},
     {'username', 'password', 'key_file', 'cert_file', 'ca_cert_file'}),
    ('C1', 'vsphere', {'host': 'vc.example.com', 'username': 'vu', 'password': 'vp', 'ca_cert_file': 'CA'},
     {'password'}),
    ('C3', 'vsphere', {'host': 'vc.example.com', 'username': 'vu', 'password': 'vp', 'ca_cert_file': 'CA'},
     {'password', 'ca_cert_file'}),
    ('C1', 'kubevirt', {'host': 'k8s.example.com', 'username': 'ku', 'password': 'kp', 'token': 'kt',
                        'key_file': 'K', 'cert_file': 'C', 'ca_cert_file': 'CA'},
     {'password', 'key_file', 'cert_file', 'ca_cert_file'}),
    ('C3', 'kubevirt', {'host': 'k8s.example.com', 'username': 'ku', 'password': 'kp', 'token': 'kt',
                        'key_file': 'K', 'cert_file': 'C', 'ca_cert_file': 'CA'},
     {'username', 'password', 'token', 'key_file', 'cert_file', 'ca_cert_file'}),
    ('C1', 'ec2', {'apikey': 'a', 'apisecret': 's', 'region': 'r'}, {'apisecret'}),
    ('C3', 'gce', {'email': 'sa@example.com', 'private_key': 'pk', 'project_id': 'p'}, {'private_key'}),
    ('C1', 'rackspace', {'username': 'u', 'apikey': 'k', 'region': 'lon'}, {'apikey'}),
    ('C3', 'openstack', {'username': 'u', 'password': 'p', 'url': 'https://ks.example.com', 'tenant': 't'},
     {'password'}),
    ('C1', 'digitalocean', {'token': 't'}, {'token'}),
    ('C3', 'softlayer', {'username': 'u', 'apikey': 'k'}, {'apikey'}),
    ('C1', 'azure_arm', {'tenant_id': 't', 'subscription_id': 's', 'key': 'k', 'secret': 'x'}, {'secret'}),
    ('C3', 'vultr', {'apikey': 'k'}, {'apikey'}),
    ('C1', 'equinixmetal', {'apikey': 'k', 'project_id': 'p'}, {'apikey'}),
])
def test_secret_fields_per_provider_and_era(clouds, mist_era, provider, fields, secret):
    doc = add(clouds, mist_era, base=dict(fields, provider=provider))
    entry = listed(clouds)[0]
    for shown in (doc, entry):
        assert not secret & set(shown)
        assert all(shown[key] == value for key, value in fields.items() if key not in secret)


# §2.4 Add
@each_era
def test_name_field_per_era(clouds, mist_era):
    """C1 reads `title` only; C3 reads `name`, else `title`, but the `title` key stays in the
    body and is refused as an unknown key (clouds/views.py:223, clouds/methods.py add_cloud pops `name`)."""
    title_only = dict(EC2, title='by-title')
    name_only = dict(EC2, name='by-name')
    if mist_era == 'C1':
        assert add(clouds, mist_era, name='by-title')['title'] == 'by-title'
        assert_html_text(clouds.post('/clouds', json=name_only), 400,
                         'Bad Request: Cloud title may only contain ASCII letters, numbers, dashes and dots')
    else:
        assert_html_text(clouds.post('/clouds', json=title_only), 400,
                         "Bad Request: {'msg': \"Invalid parameters ['title'].\", 'errors': {'title': \"Invalid "
                         "parameter title='by-title'.\"}}")
        assert clouds.post('/clouds', json=name_only).json()['name'] == 'by-name'


@c1_only
def test_c1_drops_unknown_keys_and_a_stray_name(clouds, mist_era, sim):
    doc = clouds.post('/clouds', json=dict(EC2, title='kept', name='dropped', colour='blue')).json()
    assert doc['title'] == 'kept' and 'colour' not in doc and 'name' not in doc
    assert set(stored(sim, doc['id'])['fields']) == {'apikey', 'apisecret', 'region'}


@c3_only
@pytest.mark.parametrize('extra, rejected', [
    ({'title': 'leftover'}, "{'title': \"Invalid parameter title='leftover'.\"}"),
    ({'colour': 'blue'}, "{'colour': \"Invalid parameter colour='blue'.\"}"),
])
def test_c3_rejects_unknown_keys_and_a_leftover_title(clouds, mist_era, sim, extra, rejected):
    key = list(extra)[0]
    assert_html_text(clouds.post('/clouds', json=body(mist_era, **extra)), 400,
                     "Bad Request: {'msg': \"Invalid parameters ['%s'].\", 'errors': %s}" % (key, rejected))
    assert sim.state()['clouds'] == []


@c3_only
def test_c3_alias_beside_its_target_is_an_unknown_key(clouds, mist_era):
    response = clouds.post('/clouds', json=body(mist_era, base={'provider': 'docker', 'host': 'docker.example.com',
                                                                'port': 2375, 'docker_port': 2376}))
    assert response.status_code == 400 and "Invalid parameters ['docker_port']" in response.text


@each_era
def test_docker_aliases_and_port_default(clouds, mist_era, sim):
    doc = add(clouds, mist_era, base={'provider': 'docker', 'docker_host': 'docker.example.com',
                                      'auth_user': 'du', 'auth_password': 'dp'})
    fields = stored(sim, doc['id'])['fields']
    assert (fields['host'], fields['port'], fields['username'], fields['password']) == (
        'docker.example.com', 4243, 'du', 'dp')
    second = {'provider': 'docker', 'host': 'https://docker2.example.com:2375/', 'docker_port': '2376'}
    add(clouds, mist_era, name='second', base=second)
    assert listed(clouds)[1]['host'] == 'https://docker2.example.com:2375/' and listed(clouds)[1]['port'] == 2376


@each_era
def test_openstack_aliases_and_url(clouds, mist_era, sim):
    doc = add(clouds, mist_era, base={'provider': 'openstack', 'username': 'u', 'password': 'p',
                                      'auth_url': 'https://keystone.example.com:5000/v2.0/', 'tenant_name': 't'})
    fields = stored(sim, doc['id'])['fields']
    assert (fields['url'], fields['tenant']) == ('https://keystone.example.com:5000', 't')


@each_era
def test_strings_are_stripped(clouds, mist_era, sim):
    doc = add(clouds, mist_era, name='  padded  ', apikey=' AKIAPAD ', apisecret='\tpadded-secret\n')
    assert doc[NAME[mist_era]] == 'padded' and doc['apikey'] == 'AKIAPAD'
    assert stored(sim, doc['id'])['fields']['apisecret'] == 'padded-secret'


@each_era
@pytest.mark.parametrize('doc, status, message', [
    ({'provider': ''}, 400, 'Required parameter not provided: provider'),
    ({'provider': 'nosuch', 'bad': 'x'}, 400, "Bad Request: Invalid provider 'nosuch'."),
])
def test_add_errors_before_the_name(clouds, mist_era, sim, doc, status, message):
    assert_html_text(clouds.post('/clouds', json=dict(doc, **{NAME[mist_era]: 'ok1'})), status, message)


@each_era
@pytest.mark.parametrize('name, valid', [('prod', True), ('prod-eu_1.a b', True), ('ab', True), ('a', False),
                                         ('-prod', False), ('prod-', False), ('pröd', False), ('', False)])
def test_name_regex(clouds, mist_era, name, valid):
    response = clouds.post('/clouds', json=body(mist_era, name))
    if valid:
        assert response.status_code == 200
    else:
        assert_html_text(response, 400, 'Bad Request: Cloud %s may only contain ASCII letters, numbers, dashes '
                                        'and dots' % WORD[mist_era])


@each_era
def test_the_name_is_checked_before_the_provider(clouds, mist_era):
    response = clouds.post('/clouds', json={NAME[mist_era]: 'bad name!', 'provider': 'nosuch'})
    assert response.text.startswith('Bad Request: Cloud %s may only' % WORD[mist_era])


@each_era
def test_names_are_unique_among_live_clouds(clouds, mist_era):
    doc = add(clouds, mist_era)
    assert_html_text(clouds.post('/clouds', json=body(mist_era, apisecret='invalid')), 409,
                     'Cloud with this name already exists')
    clouds.delete('/clouds/' + doc['id'])
    add(clouds, mist_era)


@each_era
def test_a_missing_required_field_is_the_mongo_400(clouds, mist_era, sim):
    response = clouds.post('/clouds', json=body(mist_era, base={'provider': 'ec2', 'apikey': 'a'}))
    match = re.fullmatch(r"Bad Request: \{'msg': \"ValidationError \(Cloud\.AmazonCloud:([0-9a-f]{32})\) "
                         r"\(Field is required: \['apisecret', 'region'\]\)\", "
                         r"'errors': \{'apisecret': 'Field is required', 'region': 'Field is required'\}\}",
                         response.text)
    assert response.status_code == 400 and match, response.text
    assert sim.state()['clouds'] == []


@each_era
def test_a_port_that_is_not_a_number(clouds, mist_era):
    response = clouds.post('/clouds', json=body(mist_era, base={'provider': 'docker', 'host': 'd.example.com',
                                                                'port': 'abc'}))
    assert response.status_code == 400 and '(abc could not be converted to int: [\'port\'])' in response.text


@pytest.mark.parametrize('mist_era, status', [('C1', 200), ('C3', 400)])
def test_an_empty_required_value_is_stored_in_c1_and_missing_in_c3(clouds, mist_era, status):
    response = clouds.post('/clouds', json=body(mist_era, region='', fail_on_error=False))
    assert response.status_code == status
    if status == 200:
        assert response.json()['region'] == ''


@each_era
@pytest.mark.parametrize('secret, status, message', [
    ('invalid-secret', 401, 'Unauthorized cloud credentials: the provider refused the credentials'),
    ('unreachable', 503, 'Cloud unavailable: the provider did not answer'),
])
def test_the_login_and_nothing_stored(clouds, mist_era, sim, secret, status, message):
    assert_html_text(clouds.post('/clouds', json=body(mist_era, apisecret=secret)), status, message)
    assert sim.state()['clouds'] == []


@pytest.mark.parametrize('mist_era, status', [('C1', 200), ('C3', 401)])
def test_fail_on_error_false_skips_the_login_in_c1_only(clouds, mist_era, status):
    assert clouds.post('/clouds', json=body(mist_era, apisecret='invalid', fail_on_error=False)).status_code == status
    assert clouds.post('/clouds', json=body(mist_era, 'two', apisecret='invalid',
                                            remove_on_error=False)).status_code == status


@each_era
@pytest.mark.parametrize('host, reason', [
    ('192.0.2.10', "assigned as 'TEST-NET' for use solely in documentation and example source code"),
    ('198.51.100.7', "assigned as 'TEST-NET-2' for use solely in documentation and example source code"),
    ('169.254.1.1', 'used for link-local addresses between two hosts on a single link when no IP address is '
                    'otherwise specified'),
    ('224.0.0.5', 'reserved for multicast assignments'),
])
def test_hosts_are_checked(clouds, mist_era, sim, host, reason):
    cidr = {'192': '192.0.2.0/24', '198': '198.51.100.0/24', '169': '169.254.0.0/16', '224': '224.0.0.0/4'}[host[:3]]
    response = clouds.post('/clouds', json=body(mist_era, base={'provider': 'docker', 'host': 'https://%s:2375/' % host}))
    assert_html_text(response, 500, "Mist Error: Host '%s' is not allowed. It belongs to '%s' which is %s."
                     % (host, cidr, reason))
    assert sim.state()['clouds'] == []


@each_era
def test_an_unresolvable_host(clouds, mist_era):
    response = clouds.post('/clouds', json=body(mist_era, base={'provider': 'vsphere', 'host': 'vc.example.invalid',
                                                                'username': 'u', 'password': 'p'}))
    assert_html_text(response, 500, "Mist Error: Not a valid IP address or resolvable DNS name: 'vc.example.invalid'.")


# §2.5 Bare metal
@each_era
def test_bare_metal_without_fields_is_an_empty_cloud(clouds, mist_era, sim):
    doc = add(clouds, mist_era, base={'provider': BARE_METAL[mist_era]})
    assert doc['provider'] == BARE_METAL[mist_era] and clouds.get('/clouds/%s/machines' % doc['id']).json() == []


@each_era
def test_bare_metal_host_lives_on_its_one_machine(clouds, mist_era):
    doc = add(clouds, mist_era, name='rack7', base={'provider': BARE_METAL[mist_era], 'machine_hostname': '10.20.30.40',
                                                    'machine_user': 'ops', 'machine_port': '2222',
                                                    'machine_key': 'mykey'})
    entry = listed(clouds)[0]
    assert not {'host', 'ssh_user', 'ssh_port', 'ssh_key', 'machine_hostname'} & (set(entry) | set(doc))
    machines = clouds.get('/clouds/%s/machines' % doc['id']).json()
    assert [(m['name'], m['hostname'], m['ssh_port'], m['private_ips'], m['public_ips']) for m in machines] == [
        ('rack7', '10.20.30.40', 2222, ['10.20.30.40'], [])]


@each_era
def test_bare_metal_without_host_is_refused_and_removed(clouds, mist_era, sim):
    response = clouds.post('/clouds', json=body(mist_era, base={'provider': BARE_METAL[mist_era],
                                                                'ssh_user': 'root'}))
    assert_html_text(response, 400, "Bad Request: {'msg': \"Invalid parameters ['host'].\", "
                                    "'errors': {'host': 'Required parameter host missing'}}")
    assert sim.state()['clouds'] == []


@pytest.mark.parametrize('mist_era, status', [('C1', 200), ('C3', 400)])
def test_bare_metal_unknown_keys_dropped_in_c1_rejected_in_c3(clouds, mist_era, status, sim):
    response = clouds.post('/clouds', json=body(mist_era, base={'provider': BARE_METAL[mist_era],
                                                                'host': 'metal.example.com', 'rack': 'r7'}))
    assert response.status_code == status
    assert len(sim.state()['clouds']) == (1 if status == 200 else 0)


@each_era
def test_bare_metal_unknown_key_id_is_a_500(clouds, mist_era, sim):
    response = clouds.post('/clouds', json=body(mist_era, base={'provider': BARE_METAL[mist_era],
                                                                'host': 'metal.example.com', 'ssh_key': 'nokey'}))
    assert_html_text(response, 500, 'Internal Server Error')
    assert sim.state()['clouds'] == []


@each_era
def test_bare_metal_ssh_check(clouds, mist_era, sim):
    sim.seed({'keys': ['invalid-key']})
    base = {'provider': BARE_METAL[mist_era], 'host': 'metal.example.com', 'ssh_key': 'invalid-key'}
    assert_html_text(clouds.post('/clouds', json=body(mist_era, base=base)), 401,
                     "Unauthorized cloud credentials: Couldn't authenticate to machine")
    base = {'provider': BARE_METAL[mist_era], 'host': 'unreachable.example.com', 'ssh_key': 'mykey'}
    assert_html_text(clouds.post('/clouds', json=body(mist_era, base=base)), 500,
                     "Mist Error: Couldn't connect to host 'unreachable.example.com'.")
    assert sim.state()['clouds'] == []


@each_era
def test_bare_metal_patch_is_refused(clouds, mist_era):
    doc = add(clouds, mist_era, base={'provider': BARE_METAL[mist_era], 'host': 'metal.example.com'})
    assert_html_text(clouds.patch('/clouds/' + doc['id'], json={'host': 'other.example.com'}), 400,
                     "Bad Request: OtherServer clouds don't support `update`. Only %s can be changed, using `rename`. "
                     "To change machine details, one must edit the machines themselves, not the cloud."
                     % WORD[mist_era])


# §2.5 Libvirt
@each_era
def test_libvirt_hosts(clouds, mist_era):
    doc = add(clouds, mist_era, base={'provider': 'libvirt', 'hosts': [
        {'machine_hostname': 'kvm1.example.com', 'machine_key': 'mykey', 'machine_name': 'kvm-one'},
        {'host': 'kvm2.example.com', 'key': 'mykey', 'port': 2222}]})
    machines = clouds.get('/clouds/%s/machines' % doc['id']).json()
    assert [(m['name'], m['hostname'], m['ssh_port']) for m in machines] == [
        ('kvm-one', 'kvm1.example.com', 22), ('kvm2.example.com', 'kvm2.example.com', 2222)]
    entry = listed(clouds)[0]
    if mist_era == 'C3':
        assert entry['hosts'] == [m['id'] for m in machines]
    else:
        assert 'hosts' not in entry


@each_era
@pytest.mark.parametrize('fields, status, message', [
    ({}, 400, 'Required parameter not provided: hosts'),
    ({'hosts': [{'key': 'mykey'}]}, 400, 'Required parameter not provided: host'),
    ({'hosts': [{'host': 'kvm.example.com'}]}, 400, 'Required parameter not provided: key'),
    ({'hosts': [{'host': 'kvm.example.com', 'key': 'nokey'}]}, 404, 'Not Found: Key does not exist.'),
])
def test_libvirt_errors(clouds, mist_era, sim, fields, status, message):
    assert_html_text(clouds.post('/clouds', json=body(mist_era, base=dict(fields, provider='libvirt'))), status,
                     message)
    assert sim.state()['clouds'] == []


@each_era
def test_libvirt_ssh_check(clouds, mist_era, sim):
    sim.seed({'keys': ['invalid-key']})
    hosts = [{'host': 'kvm.example.com', 'key': 'invalid-key'}]
    assert_html_text(clouds.post('/clouds', json=body(mist_era, base={'provider': 'libvirt', 'hosts': hosts})), 401,
                     "Unauthorized cloud credentials: Couldn't authenticate to machine")
    hosts = [{'host': 'unreachable.example.com', 'key': 'mykey'}, {'host': 'kvm.example.com', 'key': 'mykey'}]
    assert_html_text(clouds.post('/clouds', json=body(mist_era, base={'provider': 'libvirt', 'hosts': hosts})), 500,
                     "Mist Error: Couldn't connect to host 'unreachable.example.com'.")
    assert sim.state()['clouds'] == []
    response = clouds.post('/clouds', json=body(mist_era, base={'provider': 'libvirt', 'hosts': hosts,
                                                                'fail_on_error': False}))
    if mist_era == 'C1':   # the unreachable host is skipped
        machines = clouds.get('/clouds/%s/machines' % response.json()['id']).json()
        assert [m['hostname'] for m in machines] == ['kvm.example.com']
    else:                  # C3 ignores fail_on_error on add
        assert response.status_code == 500


@each_era
def test_libvirt_patch_is_refused(clouds, mist_era):
    doc = add(clouds, mist_era, base={'provider': 'libvirt', 'hosts': [{'host': 'kvm.example.com', 'key': 'mykey'}]})
    assert_html_text(clouds.patch('/clouds/' + doc['id'], json={'hosts': []}), 400,
                     'Bad Request: Update action is not currently supported for Libvirt/KVM clouds.')


# §2.7 Rename, update, toggle, delete
@each_era
def test_unknown_or_deleted_id_is_checked_first(clouds, mist_era):
    doc = add(clouds, mist_era)
    clouds.delete('/clouds/' + doc['id'])
    for cloud_id in ('nosuch', doc['id']):
        for method, payload in (('PUT', {}), ('PATCH', {}), ('POST', {}), ('DELETE', None)):
            assert_html_text(clouds.request(method, '/clouds/' + cloud_id, json=payload), 404, NOT_FOUND)
        assert_html_text(clouds.get('/clouds/%s/machines' % cloud_id), 404, NOT_FOUND)


@each_era
def test_rename(clouds, mist_era):
    first, second = add(clouds, mist_era, 'one'), add(clouds, mist_era, 'two', apikey='AKIA2')
    path = '/clouds/' + first['id']
    assert_html_text(clouds.put(path, json={}), 400, 'Required parameter not provided: new_name')
    assert_html_text(clouds.put(path, json={'new_name': 'x!'}), 400,
                     'Bad Request: Cloud %s may only contain ASCII letters, numbers, dashes and dots' % WORD[mist_era])
    assert_html_text(clouds.put(path, json={'new_name': 'two'}), 409, 'Cloud with this name already exists')
    assert_html_text(clouds.put(path, json={'new_name': 'one'}), 200, 'OK')
    assert_html_text(clouds.put(path, json={'new_name': 'uno'}), 200, 'OK')
    assert [c[NAME[mist_era]] for c in listed(clouds)] == ['uno', 'two'] and second['id']


@each_era
def test_patch_updates_fields(clouds, mist_era, sim):
    doc = add(clouds, mist_era)
    assert_html_text(clouds.patch('/clouds/' + doc['id'], json={'apikey': 'AKIANEW', 'apisecret': 'new-secret'}),
                     200, 'OK')
    fields = stored(sim, doc['id'])['fields']
    assert (fields['apikey'], fields['apisecret'], fields['region']) == ('AKIANEW', 'new-secret', 'eu-west-1')


@each_era
@pytest.mark.parametrize('payload, message', [
    ({}, 'Bad Request: You should provide your new cloud settings'),
    ({'name': 'x'}, "Bad Request: {'msg': \"Invalid parameters ['name'].\", 'errors': {'name': \"Invalid parameter "
                    "name='x'.\"}}"),
    ({'title': 'x'}, "Bad Request: {'msg': \"Invalid parameters ['title'].\", 'errors': {'title': \"Invalid "
                     "parameter title='x'.\"}}"),
])
def test_patch_refusals(clouds, mist_era, sim, payload, message):
    doc = add(clouds, mist_era)
    before = stored(sim, doc['id'])
    assert_html_text(clouds.patch('/clouds/' + doc['id'], json=payload), 400, message)
    assert stored(sim, doc['id']) == before


@pytest.mark.parametrize('mist_era, region', [('C1', ''), ('C3', 'eu-west-1')])
def test_patch_empty_values_stored_in_c1_skipped_in_c3(clouds, mist_era, sim, region):
    doc = add(clouds, mist_era)
    clouds.patch('/clouds/' + doc['id'], json={'region': '', 'fail_on_error': False})
    assert stored(sim, doc['id'])['fields']['region'] == region


@each_era
def test_patch_fail_on_error_false_skips_the_login(clouds, mist_era, sim):
    doc = add(clouds, mist_era)
    assert_html_text(clouds.patch('/clouds/' + doc['id'], json={'apisecret': 'invalid-now', 'fail_on_error': False}),
                     200, 'OK')
    assert stored(sim, doc['id'])['fields']['apisecret'] == 'invalid-now'


@pytest.mark.parametrize('mist_era, secret_after', [('C1', 'cloud-secret-9'), ('C3', None)])
def test_patch_rejected_credentials(clouds, mist_era, sim, secret_after):
    """Mongo unchanged; C3 has already dropped the cloud's Vault secret (base.py:299-394)."""
    doc = add(clouds, mist_era)
    assert_html_text(clouds.patch('/clouds/' + doc['id'], json={'apisecret': 'invalid-new'}), 401,
                     'Unauthorized cloud credentials: the provider refused the credentials')
    fields = stored(sim, doc['id'])['fields']
    assert (fields['apikey'], fields['apisecret']) == ('AKIAJ7SIMCLOUD', secret_after)


@each_era
def test_patch_polling_interval(clouds, mist_era):
    doc = add(clouds, mist_era)
    assert_html_text(clouds.patch('/clouds/' + doc['id'], json={'polling_interval': 900}), 200, 'OK')
    assert listed(clouds)[0]['polling_interval'] == 900
    assert_html_text(clouds.patch('/clouds/' + doc['id'], json={'polling_interval': 60}), 400,
                     'Bad Request: Interval must be at least 10 mins and at most 12 hours.')


@each_era
@pytest.mark.parametrize('new_state, enabled, state', [('0', False, 'offline'), ('1', True, 'online')])
def test_toggle_strings(clouds, mist_era, new_state, enabled, state):
    doc = add(clouds, mist_era)
    assert_html_text(clouds.post('/clouds/' + doc['id'], json={'new_state': new_state}), 200, 'OK')
    assert (listed(clouds)[0]['enabled'], listed(clouds)[0]['state']) == (enabled, state)


@each_era
@pytest.mark.parametrize('payload, status, message', [
    ({}, 400, 'Required parameter not provided: new_state or dns_enabled or           observation_logs_enabled '
              'or object_storage_enabled'),
    ({'new_state': None}, 400, 'Required parameter not provided: new_state or dns_enabled or           '
                               'observation_logs_enabled or object_storage_enabled'),
    ({'new_state': 1}, 400, 'Bad Request: Invalid cloud state'),
    ({'new_state': 'true'}, 400, 'Bad Request: Invalid cloud state'),
    ({'new_state': 0}, 200, 'OK'),
    ({'new_state': ''}, 200, 'OK'),
    ({'new_state': False}, 200, 'OK'),
])
def test_toggle_other_values(clouds, mist_era, payload, status, message):
    doc = add(clouds, mist_era)
    assert_html_text(clouds.post('/clouds/' + doc['id'], json=payload), status, message)
    assert listed(clouds)[0]['enabled'] is True


@each_era
def test_delete_is_soft_and_frees_the_name(clouds, mist_era, sim):
    doc = add(clouds, mist_era)
    assert_html_text(clouds.delete('/clouds/' + doc['id']), 200, 'OK')
    assert listed(clouds) == [] and stored(sim, doc['id'])['deleted'] is True
    assert_html_text(clouds.delete('/clouds/' + doc['id']), 404, NOT_FOUND)


@each_era
def test_disabled_clouds_are_listed(clouds, mist_era):
    doc = add(clouds, mist_era)
    clouds.post('/clouds/' + doc['id'], json={'new_state': '0'})
    assert [c['state'] for c in listed(clouds)] == ['offline']


# §2.7 Machines
@pytest.mark.parametrize('mist_era, id_field', [('C1', 'machine_id'), ('C3', 'external_id')])
def test_machines_provider_id_field(clouds, mist_era, id_field):
    doc = add(clouds, mist_era)
    machines = clouds.get('/clouds/%s/machines' % doc['id']).json()
    assert len(machines) == 3
    assert all(m[id_field].startswith('i-') for m in machines)
    assert all({'id', 'name', 'hostname', 'public_ips', 'private_ips', 'state', 'tags', 'extra'} <= set(m)
               for m in machines)


# the two dialects are separate servers
def test_a_cloud_is_not_a_backend(clouds, backends):
    add(clouds, 'C3')
    assert backends.get('/backends').json() == []
