# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os

import pytest
import requests

from ansible_collections.mistio.cloud.plugins.module_utils.client import MistError, NotSupported
from ansible_collections.mistio.cloud.plugins.module_utils.dialects import (
    BackendsDialect, CloudsDialect, backend_id, base58,
)
from ansible_collections.mistio.cloud.plugins.module_utils.connection import connect

TOKEN = 'a' * 64
PASSWORD = 'hunter2-very-secret'
HTML = '<!DOCTYPE html><html><head><title>Welcome</title></head><body>hi</body></html>'
BACKEND_KEYS = {'id', 'name', 'provider', 'region', 'enabled', 'state', 'credentials'}
MACHINE_KEYS = {'id', 'external_id', 'name', 'hostname', 'state', 'public_ips', 'private_ips', 'tags', 'image', 'size',
                'location', 'backend_id', 'extra'}


@pytest.fixture
def backends(make_client):
    def factory(routes, **kwargs):
        client, session, sleeps = make_client(routes, api_version='backends', **kwargs)
        return client.dialect, session, sleeps
    return factory


@pytest.fixture
def clouds(make_client):
    def factory(routes, **kwargs):
        client, session, sleeps = make_client(routes, api_version='clouds', api_token=TOKEN, **kwargs)
        return client.dialect, session, sleeps
    return factory


# --- ids ---------------------------------------------------------------------

def test_base58_examples_of_the_wire_contract():
    assert backend_id('ec2_us_east', '', 'AKIAEXAMPLE') == '282anRybLn34tNGugwCNK7oCisfY'
    assert backend_id('rackspace', 'dfw', 'rackuser') == 'fWyNKxbJMC5jxMZ2C9smGMzGUmM'


def test_base58_uses_mist_alphabet():
    assert base58(0) == '1'
    assert base58(57) == 'Z'
    assert base58(58) == '21'
    assert base58(33) == 'z' and base58(34) == 'A'


def ids(dialect, name, provider, region, creds):
    """candidate_ids of a desired backend resolved as mist_backend resolves it."""
    from ansible_collections.mistio.cloud.plugins.module_utils.providers import resolve_provider
    canonical, region = resolve_provider(provider, region, dialect)
    found = dialect.candidate_ids({'name': name, 'provider': canonical, 'region': region, 'credentials': creds})
    return found[0] if found else None


def desired(dialect, name, provider, region, creds):
    from ansible_collections.mistio.cloud.plugins.module_utils.providers import resolve_provider
    canonical, region = resolve_provider(provider, region, dialect)
    return {'name': name, 'provider': canonical, 'region': region, 'credentials': creds}


def test_find_backend_id_backends(backends):
    dialect, session, dummy = backends({})
    creds = {'apikey': 'AKIAEXAMPLE', 'apisecret': 's'}
    assert ids(dialect, 'any title', 'ec2_us_east', None, creds) == '282anRybLn34tNGugwCNK7oCisfY'
    assert ids(dialect, 'other', 'aws', 'us-east-1', creds) == '282anRybLn34tNGugwCNK7oCisfY'
    rack = {'username': 'rackuser', 'apikey': 'k'}
    assert ids(dialect, 'r', 'rackspace:dfw', None, rack) == 'fWyNKxbJMC5jxMZ2C9smGMzGUmM'
    assert ids(dialect, 'r', 'rackspace', 'DFW', rack) == 'fWyNKxbJMC5jxMZ2C9smGMzGUmM'
    assert ids(dialect, 'b', 'bare_metal', None, {'host': '10.0.0.9'}) == backend_id('bare_metal', '', '10.0.0.9')
    assert session.calls == []


def test_find_backend_id_clouds_is_none(clouds):
    dialect, session, dummy = clouds({})
    assert ids(dialect, 'n', 'ec2', 'us-east-1', {'apikey': 'a', 'apisecret': 'b'}) is None
    assert session.calls == []


# --- providers ---------------------------------------------------------------

def test_list_providers_backends(backends, response):
    body = {'supported_providers': [{'provider': 'bare_metal', 'title': 'Bare Metal Server'},
                                    {'provider': 'rackspace:lon', 'title': 'Rackspace LON'}]}
    dialect, dummy, dummy2 = backends({('GET', '/providers'): response(body=body)})
    assert dialect.list_providers() == [{'id': 'bare_metal', 'title': 'Bare Metal Server', 'aliases': []},
                                        {'id': 'rackspace:lon', 'title': 'Rackspace LON', 'aliases': []}]


REAL_PROVIDERS = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'mistsim', 'data', 'providers_%s.json')


@pytest.mark.parametrize('era, count', [('C1', 22), ('C3', 22)])
def test_list_providers_clouds_v44_and_later(clouds, response, era, count):
    """v4.4+ lists config.PROVIDERS values: the id is the driver, name the display name (MIST_API.md 2.6)."""
    with open(REAL_PROVIDERS % era) as handle:
        body = {'supported_providers': list(json.load(handle).values())}
    dialect, dummy, dummy2 = clouds({('GET', '/api/v1/providers'): response(body=body)})
    listed = dialect.list_providers()
    assert len(listed) == count
    assert listed[0] == {'id': 'ec2', 'title': 'Amazon Web Services', 'aliases': ['aws']}
    by_title = dict((p['title'], p) for p in listed)
    # `other` has no driver; vCloud's driver is `cloud`: each listed by the id an add takes.
    assert by_title['Other server'] == {'id': 'bare_metal', 'title': 'Other server', 'aliases': ['ssh']}
    assert by_title['Google Cloud Platform']['aliases'] == ['gcp', 'google cloud']
    if era == 'C1':
        assert by_title['vCloud']['id'] == 'vcloud'
    assert all(p['id'] and p['id'] not in p['aliases'] for p in listed)


def test_list_providers_clouds_before_v44(clouds, response):
    """v3.2-v4.3 list {title, provider, regions}."""
    body = {'supported_providers': [{'title': 'EC2', 'provider': 'ec2', 'regions': [{'location': 'Tokyo', 'id': 'ap'}]},
                                    {'title': '', 'provider': 'weird', 'regions': []}]}
    dialect, dummy, dummy2 = clouds({('GET', '/api/v1/providers'): response(body=body)})
    assert dialect.list_providers() == [{'id': 'ec2', 'title': 'EC2', 'aliases': []},
                                        {'id': 'weird', 'title': 'weird', 'aliases': []}]


# --- backends ----------------------------------------------------------------

BACKENDS_LIST = [
    {'id': '282anRybLn34tNGugwCNK7oCisfY', 'title': 'EC2 prod', 'provider': 'ec2_us_east', 'region': '', 'apikey': 'AKIAEXAMPLE',
     'enabled': True, 'state': 'wait', 'poll_interval': 10000},
    {'id': 'r1', 'title': '', 'provider': 'rackspace', 'region': 'lon', 'apikey': 'rackuser', 'enabled': False,
     'state': 'offline', 'poll_interval': 10000},
    {'id': 'd1', 'title': 'do', 'provider': 'digitalocean', 'region': '', 'apikey': 'SECRET-DO-TOKEN', 'enabled': True,
     'state': 'wait'},
]


def test_list_backends_backends(backends, response):
    dialect, session, dummy = backends({('GET', '/backends'): response(body=BACKENDS_LIST)})
    ec2, rack, do = dialect.list_backends()
    assert ec2 == {'id': '282anRybLn34tNGugwCNK7oCisfY', 'name': 'EC2 prod', 'provider': 'ec2', 'region': 'us-east-1',
                   'enabled': True, 'state': 'wait', 'credentials': {'apikey': 'AKIAEXAMPLE'}}
    assert rack == {'id': 'r1', 'name': 'rackspace', 'provider': 'rackspace', 'region': 'lon', 'enabled': False,
                    'state': 'offline', 'credentials': {'username': 'rackuser'}}
    assert do['credentials'] == {} and 'SECRET-DO-TOKEN' not in repr(do)
    assert session.paths() == ['GET /backends']


def test_list_backends_rejects_a_non_list(backends, response):
    dialect, dummy, dummy2 = backends({('GET', '/backends'): response(body={'error': 'x'})})
    with pytest.raises(MistError) as err:
        dialect.list_backends()
    assert err.value.kind == 'not_mist'


def test_add_backend_backends(backends, response):
    created = {'id': '282anRybLn34tNGugwCNK7oCisfY', 'title': 'EC2 prod', 'provider': 'ec2_us_east', 'region': '',
               'apikey': 'AKIAEXAMPLE', 'enabled': True, 'status': 'off', 'index': 0, 'apiurl': '', 'tenant_name': ''}
    dialect, session, dummy = backends({('POST', '/backends'): response(body=created)})
    result = dialect.add_backend(desired(dialect, 'EC2 prod', 'ec2', 'us-east-1', {'apikey': 'AKIAEXAMPLE', 'apisecret': 'S3CRET'}))
    assert session.calls[0]['json'] == {'title': 'EC2 prod', 'provider': 'ec2_us_east', 'apikey': 'AKIAEXAMPLE', 'apisecret': 'S3CRET'}
    assert result['state'] == 'off' and result['provider'] == 'ec2' and set(result) == BACKEND_KEYS
    assert 'S3CRET' not in repr(result)


def test_add_backend_is_sent_once_even_on_503(backends, response):
    dialect, session, sleeps = backends({('POST', '/backends'): response(503, text='Backend unavailable')})
    with pytest.raises(MistError) as err:
        dialect.add_backend(desired(dialect, 'r', 'rackspace', 'lon', {'username': 'u', 'apikey': 'k'}))
    assert len(session.calls) == 1 and sleeps == [] and err.value.ambiguous
    assert session.calls[0]['json']['provider'] == 'rackspace:lon'


def test_rename_toggle_delete_backends(backends, response):
    routes = {('PUT', '/backends/b1'): response(text='OK'), ('POST', '/backends/b1'): response(text='OK'),
              ('DELETE', '/backends/b1'): response(text='OK'), ('DELETE', '/backends/gone'): response(404, text="'Backend not found: gone'")}
    dialect, session, dummy = backends(routes)
    assert dialect.rename('b1', 'new') is True
    assert dialect.set_enabled('b1', False) is True
    assert dialect.set_enabled('b1', True) is True
    assert dialect.delete('b1') is True
    assert dialect.delete('gone') is False
    assert [c['json'] for c in session.calls[:3]] == [{'new_name': 'new'}, {'new_state': '0'}, {'new_state': '1'}]
    assert session.paths() == ['PUT /backends/b1', 'POST /backends/b1', 'POST /backends/b1', 'DELETE /backends/b1', 'DELETE /backends/gone']


def test_delete_other_errors_raise(backends, response):
    dialect, dummy, dummy2 = backends({('DELETE', '/backends/b1'): response(403, text='Forbidden')})
    with pytest.raises(MistError):
        dialect.delete('b1')


def test_update_credentials_not_supported_by_backends(backends):
    dialect, session, dummy = backends({})
    with pytest.raises(NotSupported) as err:
        dialect.update_credentials('b1', {'apisecret': 'x'})
    assert isinstance(err.value, MistError) and 'no way to update the credentials' in str(err.value)
    assert session.calls == []


def test_list_machines_backends(backends, response):
    machines = [{'id': 'i-123', 'uuid': 'u-1', 'name': 'web', 'imageId': 'ami-1', 'size': 't2.micro', 'state': 'running',
                 'private_ips': ['10.0.0.1'], 'public_ips': ['1.2.3.4'], 'tags': ['web', 'env=prod'],
                 'extra': {'availability': 'us-east-1a', 'dns_name': 'ec2-1-2-3-4.compute'}, 'can_stop': True},
                {'id': 'i-9', 'name': 'bare', 'state': 'stopped', 'tags': [], 'extra': None}]
    dialect, session, dummy = backends({('GET', '/backends/b1/machines'): response(body=machines)})
    web, bare = dialect.list_machines('b1')
    assert web == {'id': 'u-1', 'external_id': 'i-123', 'name': 'web', 'hostname': 'ec2-1-2-3-4.compute', 'state': 'running',
                   'public_ips': ['1.2.3.4'], 'private_ips': ['10.0.0.1'], 'tags': {'web': '', 'env': 'prod'}, 'image': 'ami-1',
                   'size': 't2.micro', 'location': 'us-east-1a', 'backend_id': 'b1',
                   'extra': {'availability': 'us-east-1a', 'dns_name': 'ec2-1-2-3-4.compute'}}
    assert bare['id'] == 'i-9' and bare['extra'] == {} and bare['public_ips'] == [] and set(bare) == MACHINE_KEYS


def test_list_machines_unknown_backend(backends, response):
    dialect, dummy, dummy2 = backends({('GET', '/backends/nope/machines'): response(404, text="'Backend not found'")})
    with pytest.raises(MistError) as err:
        dialect.list_machines('nope')
    assert err.value.status == 404


# --- clouds ------------------------------------------------------------------

CLOUDS_LIST = [
    {'id': '0' * 32, 'name': 'aws-prod', 'provider': 'ec2', 'enabled': True, 'state': 'online', 'polling_interval': 1800,
     'tags': {}, 'apikey': 'AKIAEXAMPLE', 'region': 'us-east-1', 'owned_by': 'o', 'created_by': 'u'},
    {'id': '1' * 32, 'name': 'os', 'provider': 'openstack', 'enabled': False, 'state': 'offline', 'username': 'admin',
     'url': 'https://keystone:5000', 'tenant': 'demo', 'region': 'RegionOne'},
    {'id': '2' * 32, 'name': 'metal', 'provider': 'other', 'enabled': True, 'state': 'online'},
]


def test_list_backends_clouds(clouds, response):
    dialect, session, dummy = clouds({('GET', '/api/v1/clouds'): response(body=CLOUDS_LIST)})
    aws, openstack, metal = dialect.list_backends()
    assert aws == {'id': '0' * 32, 'name': 'aws-prod', 'provider': 'ec2', 'region': 'us-east-1', 'enabled': True,
                   'state': 'online', 'credentials': {'apikey': 'AKIAEXAMPLE'}}
    assert openstack['credentials'] == {'username': 'admin', 'url': 'https://keystone:5000', 'tenant': 'demo'}
    assert (openstack['region'], openstack['enabled']) == ('RegionOne', False)
    assert (metal['provider'], metal['credentials']) == ('bare_metal', {})
    assert session.paths() == ['GET /api/v1/clouds']


def test_add_backend_clouds(clouds, response):
    created = dict(CLOUDS_LIST[0], index=0)
    dialect, session, dummy = clouds({('POST', '/api/v1/clouds'): response(body=created)})
    result = dialect.add_backend(desired(dialect, 'aws-prod', 'ec2_us_east', None, {'apikey': 'AKIAEXAMPLE', 'apisecret': 'S3CRET'}))
    assert session.calls[0]['json'] == {'name': 'aws-prod', 'provider': 'ec2', 'apikey': 'AKIAEXAMPLE', 'apisecret': 'S3CRET',
                                        'region': 'us-east-1'}
    assert result['id'] == '0' * 32 and set(result) == BACKEND_KEYS


def test_add_backend_clouds_timeout_is_not_retried(clouds):
    import requests
    dialect, session, sleeps = clouds({('POST', '/api/v1/clouds'): requests.exceptions.ReadTimeout('read timed out')})
    with pytest.raises(MistError) as err:
        dialect.add_backend(desired(dialect, 'x', 'digitalocean', None, {'token': 'T0KEN-VALUE'}))
    assert err.value.ambiguous and len(session.calls) == 1 and sleeps == []
    assert 'T0KEN-VALUE' not in str(err.value)


def test_rename_toggle_patch_delete_clouds(clouds, response):
    cid = 'c' * 32
    path = '/api/v1/clouds/' + cid
    routes = {('PUT', path): response(text='OK'), ('POST', path): response(text='OK'), ('PATCH', path): response(text='OK'),
              ('DELETE', path): [response(text='OK'), response(404, text='Not Found: Cloud does not exist')]}
    dialect, session, dummy = clouds(routes)
    dialect.rename(cid, 'renamed')
    dialect.set_enabled(cid, False)
    assert dialect.update_credentials(cid, {'apisecret': 'NEW', 'apikey': 'AK2', 'region': None}) is True
    assert dialect.update_credentials(cid, {}) is False
    assert dialect.delete(cid) is True
    assert dialect.delete(cid) is False
    assert [c['json'] for c in session.calls[:3]] == [{'new_name': 'renamed'}, {'new_state': '0'}, {'apisecret': 'NEW', 'apikey': 'AK2'}]
    assert session.paths() == ['PUT ' + path, 'POST ' + path, 'PATCH ' + path, 'DELETE ' + path, 'DELETE ' + path]
    assert all(c['headers']['Authorization'] == TOKEN for c in session.calls)


def test_safe_requests_are_retried(clouds, response):
    cid = 'c' * 32
    routes = {('DELETE', '/api/v1/clouds/' + cid): [response(503), response(text='OK')]}
    dialect, session, sleeps = clouds(routes)
    assert dialect.delete(cid) is True
    assert len(session.calls) == 2 and len(sleeps) == 1


def test_list_machines_clouds(clouds, response):
    machines = [{'id': 'm1', 'external_id': 'i-abc', 'name': 'db', 'hostname': 'db.example', 'public_ips': ['5.6.7.8'],
                 'private_ips': [], 'state': 'running', 'tags': {'env': 'prod', 'role': None}, 'extra': {'k': 'v'},
                 'cloud': 'c' * 32, 'location': {'id': 'l1', 'name': 'us-east-1a'}, 'size': 's1', 'image': None,
                 'os_type': 'linux'},
                {'id': 'm2', 'machine_id': 'vm-2', 'name': 'x', 'state': 'stopped', 'tags': [{'key': 'a', 'value': 'b'}]}]
    dialect, dummy, dummy2 = clouds({('GET', '/api/v1/clouds/cid/machines'): response(body=machines)})
    db, other = dialect.list_machines('cid')
    assert db == {'id': 'm1', 'external_id': 'i-abc', 'name': 'db', 'hostname': 'db.example', 'state': 'running',
                  'public_ips': ['5.6.7.8'], 'private_ips': [], 'tags': {'env': 'prod', 'role': ''}, 'image': None,
                  'size': 's1', 'location': 'us-east-1a', 'backend_id': 'c' * 32, 'extra': {'k': 'v'}}
    assert (other['external_id'], other['tags'], other['backend_id']) == ('vm-2', {'a': 'b'}, 'cid')


def test_both_dialects_share_one_interface():
    for method in ('list_providers', 'list_backends', 'add_backend', 'rename', 'set_enabled', 'update_credentials', 'delete',
                   'list_machines', 'candidate_ids', 'can_update', 'readable_fields', 'stores'):
        assert callable(getattr(BackendsDialect, method)) and callable(getattr(CloudsDialect, method))
    assert (BackendsDialect.name, CloudsDialect.name) == ('backends', 'clouds')


def test_api_version_is_checked():
    with pytest.raises(MistError):
        connect({'url': 'https://mist.example', 'api_version': 'v2'})


def test_connect_takes_module_params():
    params = {'url': 'https://m.example', 'api_token': TOKEN, 'email': None, 'password': None, 'api_version': 'backends',
              'validate_certs': True, 'ca_path': None, 'timeout': 5, 'retries': 1}
    dialect = connect(params)
    assert (dialect.url, dialect.transport.timeout, dialect.transport.retries, dialect.name) == ('https://m.example', 5, 1, 'backends')


def test_password_without_email_is_refused():
    with pytest.raises(MistError) as err:
        connect({'url': 'https://m.example', 'password': PASSWORD})
    assert PASSWORD not in str(err.value)


# --- auth --------------------------------------------------------------------

def test_clouds_token_header_is_the_bare_token(make_client, response):
    client, session, dummy = make_client({('GET', '/api/v1/clouds'): response(body=[])}, api_token=TOKEN)
    client.dialect.list_backends()
    assert session.calls[0]['headers']['Authorization'] == TOKEN


def test_backends_token_header_with_email(make_client, response):
    client, session, dummy = make_client({('GET', '/backends'): response(body=[])}, api_version='backends',
                                         api_token='abc123', email='me@example.com')
    client.dialect.list_backends()
    assert session.calls[0]['headers']['Authorization'] == 'mist_1 me@example.com:abc123'


def test_open_backends_server_gets_no_auth(make_client, response):
    client, session, dummy = make_client({('GET', '/backends'): response(body=[])}, api_version='backends')
    client.dialect.list_backends()
    assert 'Authorization' not in session.calls[0]['headers']


def test_clouds_login_mints_once(make_client, response):
    routes = {('POST', '/api/v1/tokens'): response(body={'token': 'minted-token'}),
              ('GET', '/api/v1/clouds'): response(body=[])}
    client, session, dummy = make_client(routes, email='me@example.com', password=PASSWORD)
    client.dialect.list_backends()
    client.dialect.list_backends()
    assert session.paths() == ['POST /api/v1/tokens', 'GET /api/v1/clouds', 'GET /api/v1/clouds']
    assert session.calls[0]['json'] == {'email': 'me@example.com', 'password': PASSWORD}
    assert 'Authorization' not in session.calls[0]['headers']
    assert session.calls[2]['headers']['Authorization'] == 'minted-token'


def test_backends_login_uses_auth_and_mist_1(make_client, response):
    routes = {('POST', '/auth'): response(body={'mist_api_token': 'tok42'}), ('GET', '/backends'): response(body=[])}
    client, session, dummy = make_client(routes, api_version='backends', email='me@example.com', password=PASSWORD)
    client.dialect.list_backends()
    assert session.paths() == ['POST /auth', 'GET /backends']
    assert session.calls[1]['headers']['Authorization'] == 'mist_1 me@example.com:tok42'


def test_backends_standalone_without_login_endpoint(make_client, response):
    routes = {('POST', '/auth'): response(404, text='Not Found'), ('GET', '/backends'): response(body=[])}
    client, session, dummy = make_client(routes, api_version='backends', email='me@example.com', password=PASSWORD)
    assert client.dialect.list_backends() == []
    assert 'Authorization' not in session.calls[1]['headers']


def test_bad_login_is_an_auth_error_without_the_password(make_client, response):
    routes = {('POST', '/api/v1/tokens'): response(401, text='Wrong password %s' % PASSWORD)}
    client, dummy, dummy2 = make_client(routes, email='me@example.com', password=PASSWORD)
    with pytest.raises(MistError) as err:
        client.dialect.list_backends()
    assert err.value.kind == 'auth'
    assert 'check email and password' in str(err.value)
    assert PASSWORD not in str(err.value) and PASSWORD not in err.value.message


def test_bad_token_is_an_auth_error(make_client, response):
    routes = {('GET', '/api/v1/clouds'): response(401, text='User not authenticated. Please log in')}
    client, session, dummy = make_client(routes, api_token=TOKEN)
    with pytest.raises(MistError) as err:
        client.dialect.list_backends()
    assert err.value.kind == 'auth' and err.value.status == 401
    assert str(err.value) == ('Mist rejected the request GET /api/v1/clouds (401 User not authenticated. Please log in)'
                              ' — check api_token (or email and password).')
    assert TOKEN not in str(err.value)
    assert len(session.calls) == 1


# --- dialect detection -------------------------------------------------------

def test_pinned_dialect_sends_exactly_one_request(make_client, response):
    client, session, dummy = make_client({('GET', '/api/v1/clouds'): response(body=[])}, api_token=TOKEN)
    client.dialect.list_backends()
    assert session.paths() == ['GET /api/v1/clouds']


def test_auto_detects_clouds_with_the_list_itself(make_client, response):
    routes = {('GET', '/api/v1/clouds'): response(body=[])}
    client, session, dummy = make_client(routes, api_version='auto', api_token=TOKEN)
    assert client.dialect.name == 'clouds'
    assert client.dialect.list_backends() == []
    assert session.paths() == ['GET /api/v1/clouds']
    assert session.calls[0]['headers']['Authorization'] == TOKEN
    client.dialect.list_backends()
    assert len(session.calls) == 2


def test_auto_401_on_the_clouds_list_still_means_clouds(make_client, response):
    routes = {('GET', '/api/v1/clouds'): response(401, text='User not authenticated. Please log in')}
    client, session, dummy = make_client(routes, api_version='auto', api_token=TOKEN)
    assert client.dialect.name == 'clouds'
    assert session.paths() == ['GET /api/v1/clouds']


def test_auto_with_a_password_logs_in_first(make_client, response):
    routes = {('POST', '/api/v1/tokens'): response(body={'token': 't0k3n'}), ('GET', '/api/v1/clouds'): response(body=[])}
    client, session, dummy = make_client(routes, api_version='auto', email='me@example.com', password=PASSWORD)
    client.dialect.list_backends()
    assert session.paths() == ['POST /api/v1/tokens', 'GET /api/v1/clouds']
    assert session.calls[1]['headers']['Authorization'] == 't0k3n'


def test_auto_with_a_password_on_a_backends_server(make_client, response):
    routes = {('POST', '/api/v1/tokens'): response(404, text='Not Found'), ('POST', '/auth'): response(404, text='Not Found'),
              ('GET', '/backends'): response(body=[])}
    client, session, dummy = make_client(routes, api_version='auto', email='me@example.com', password=PASSWORD)
    assert client.dialect.list_backends() == []
    assert session.paths() == ['POST /api/v1/tokens', 'POST /auth', 'GET /backends']


def test_auto_detection_is_cached_per_url(make_client, response):
    routes = {('GET', '/api/v1/clouds'): response(body=[])}
    first, session1, dummy = make_client(routes, api_version='auto', api_token=TOKEN)
    first.dialect.list_backends()
    second, session2, dummy = make_client(routes, api_version='auto', api_token=TOKEN)
    second.dialect.list_backends()
    assert session1.paths() == ['GET /api/v1/clouds']
    assert session2.paths() == ['GET /api/v1/clouds']
    other, session3, dummy = make_client(routes, url='https://other.example', api_version='auto', api_token=TOKEN)
    assert other.dialect_name == 'clouds'
    assert session3.paths() == ['GET /api/v1/clouds']


def test_auto_detects_backends_and_reuses_the_probe(make_client, response):
    listing = [{'id': 'abc', 'title': 'EC2', 'provider': 'ec2_us_east', 'apikey': 'AKIA', 'enabled': True, 'state': 'wait'}]
    routes = {('GET', '/api/v1/clouds'): response(404, text='Not Found'), ('GET', '/backends'): response(body=listing)}
    client, session, dummy = make_client(routes, api_version='auto')
    assert client.dialect.name == 'backends'
    assert [b['id'] for b in client.dialect.list_backends()] == ['abc']
    assert session.paths() == ['GET /api/v1/clouds', 'GET /backends']
    client.dialect.list_backends()
    assert session.paths()[-1] == 'GET /backends' and len(session.calls) == 3


def _backends_server(response):
    return {('GET', '/api/v1/clouds'): response(404, text='Not Found'), ('GET', '/backends'): response(body=[])}


def dialects_module():
    from ansible_collections.mistio.cloud.plugins.module_utils import dialects
    return dialects


def _next_process():
    """What a later task sees: a new process has no in-memory cache, only the file."""
    from ansible_collections.mistio.cloud.plugins.module_utils import dialects
    dialects._DIALECT_CACHE.clear()


def test_auto_remembers_a_backends_server_for_later_processes(make_client, response):
    first, session1, dummy = make_client(_backends_server(response), api_version='auto')
    first.dialect.list_backends()
    assert session1.paths() == ['GET /api/v1/clouds', 'GET /backends']
    _next_process()
    second, session2, dummy = make_client(_backends_server(response), api_version='auto')
    assert second.dialect.name == 'backends' and second.dialect.list_backends() == []
    assert session2.paths() == ['GET /backends']
    other, session3, dummy = make_client(_backends_server(response), url='https://other.example', api_version='auto')
    assert other.dialect_name == 'backends'
    assert session3.paths() == ['GET /api/v1/clouds', 'GET /backends']


def test_the_remembered_dialect_file_holds_no_url_or_secret(make_client, response):
    client, session, dummy = make_client(_backends_server(response), url='https://u:pw@mist.example', api_version='auto',
                                         api_token=TOKEN)
    client.dialect_name
    text = open(dialects_module().hints_path()).read()
    assert 'backends' in text and 'mist.example' not in text and TOKEN not in text and 'pw' not in text


def test_a_clouds_server_writes_nothing(make_client, response):
    client, session, dummy = make_client({('GET', '/api/v1/clouds'): response(body=[])}, api_version='auto')
    client.dialect_name
    assert not os.path.exists(dialects_module().hints_path())


def test_a_stale_backends_entry_costs_one_request_and_is_forgotten(make_client, response):
    make_client(_backends_server(response), api_version='auto')[0].dialect_name
    _next_process()
    # The same url now serves mist.api (an upgrade): /backends is its 404 page.
    routes = {('GET', '/backends'): response(404, text=HTML), ('GET', '/api/v1/clouds'): response(body=[])}
    client, session, dummy = make_client(routes, api_version='auto')
    assert client.dialect.name == 'clouds' and client.dialect.list_backends() == []
    assert session.paths() == ['GET /backends', 'GET /api/v1/clouds']
    _next_process()
    again, session2, dummy = make_client(routes, api_version='auto')
    assert again.dialect_name == 'clouds' and session2.paths() == ['GET /api/v1/clouds']


def test_a_remembered_backends_server_that_is_down_is_tried_once(make_client, response):
    make_client(_backends_server(response), api_version='auto')[0].dialect_name
    _next_process()
    refused = requests.exceptions.ConnectionError('refused')
    routes = {('POST', '/auth'): refused, ('GET', '/backends'): refused, ('POST', '/api/v1/tokens'): refused,
              ('GET', '/api/v1/clouds'): refused}
    client, session, dummy = make_client(routes, api_version='auto', email='me@example.com', password=PASSWORD)
    with pytest.raises(MistError) as err:
        client.dialect_name
    assert err.value.status is None and set(session.paths()) == {'POST /auth'}


def test_an_unreadable_or_unwritable_cache_is_only_a_lost_request(make_client, response, monkeypatch, tmp_path):
    blocker = tmp_path / 'not-a-dir'
    blocker.write_text('x')
    monkeypatch.setenv('XDG_CACHE_HOME', str(blocker))
    client, session, dummy = make_client(_backends_server(response), api_version='auto')
    assert client.dialect_name == 'backends'
    corrupt = tmp_path / 'corrupt'
    (corrupt / 'mistio.cloud').mkdir(parents=True)
    (corrupt / 'mistio.cloud' / 'dialects.json').write_text('{not json')
    monkeypatch.setenv('XDG_CACHE_HOME', str(corrupt))
    _next_process()
    client, session, dummy = make_client(_backends_server(response), api_version='auto')
    assert client.dialect_name == 'backends' and session.paths() == ['GET /api/v1/clouds', 'GET /backends']
    assert 'backends' in (corrupt / 'mistio.cloud' / 'dialects.json').read_text()


def test_auto_on_a_web_site_is_not_mist(make_client, response):
    routes = {('GET', '/api/v1/clouds'): response(404, text=HTML), ('GET', '/backends'): response(404, text=HTML)}
    client, dummy, dummy2 = make_client(routes, api_version='auto')
    with pytest.raises(MistError) as err:
        client.dialect_name
    assert err.value.kind == 'not_mist'
    assert str(err.value).startswith('https://mist.example does not look like a Mist server (')
    assert 'check url' in str(err.value)


def test_auto_html_200_everywhere_is_not_mist(make_client, response):
    client, dummy, dummy2 = make_client({('GET', '/api/v1/clouds'): response(200, text=HTML)}, api_version='auto')
    with pytest.raises(MistError) as err:
        client.dialect
    assert err.value.kind == 'not_mist' and 'HTML' in str(err.value)


def test_module_level_cache_can_be_cleared():
    from ansible_collections.mistio.cloud.plugins.module_utils import dialects
    dialects._DIALECT_CACHE['https://x.example'] = 'clouds'
    dialects.clear_dialect_cache()
    assert dialects._DIALECT_CACHE == {}


# --- eras (MIST_API.md sections 0-3), as recorded wire exchanges ------------------

C1_TITLE_400 = 'Bad Request: Cloud title may only contain ASCII letters, numbers, dashes and dots'


def _ec2(dialect, name='aws'):
    return desired(dialect, name, 'ec2', 'us-east-1', {'apikey': 'AKIAEXAMPLE', 'apisecret': 'S3CRET'})


@pytest.mark.parametrize('refusal', [C1_TITLE_400, 'Required parameter not provided: title'])
def test_c1_add_sends_name_then_the_same_add_with_title(clouds, response, refusal):
    created = {'id': 'c' * 32, 'title': 'aws', 'provider': 'ec2', 'enabled': True, 'state': 'online', 'apikey': 'AKIAEXAMPLE',
               'region': 'us-east-1'}
    dialect, session, dummy = clouds({('POST', '/api/v1/clouds'): [response(400, text=refusal), response(body=created),
                                                                   response(body=created)]})
    added = dialect.add_backend(_ec2(dialect))
    assert added['name'] == 'aws' and dialect.era == 'C1' and dialect.name_field == 'title'
    first, second = session.calls[0]['json'], session.calls[1]['json']
    assert first['name'] == 'aws' and 'title' not in first
    assert second['title'] == 'aws' and 'name' not in second and dict(second, name='aws', title=None) == dict(first, title=None)
    dialect.add_backend(_ec2(dialect, 'aws2'))  # the era is remembered: title straight away
    assert session.calls[2]['json']['title'] == 'aws2' and len(session.calls) == 3


def test_c3_add_refusal_about_the_name_is_not_retried(clouds, response):
    dialect, session, dummy = clouds({('POST', '/api/v1/clouds'): response(
        400, text='Bad Request: Cloud name may only contain ASCII letters, numbers, dashes and dots')})
    with pytest.raises(MistError):
        dialect.add_backend(_ec2(dialect, 'bad/name'))
    assert len(session.calls) == 1 and dialect.era is None


@pytest.mark.parametrize('entry,era', [({'title': 'a'}, 'C1'), ({'name': 'a'}, 'C3')])
def test_clouds_era_is_learnt_from_the_list(clouds, response, entry, era):
    listed = dict(entry, id='c' * 32, provider='ec2', enabled=True, state='online', region='us-east-1')
    dialect, dummy, dummy2 = clouds({('GET', '/api/v1/clouds'): response(body=[listed])})
    assert dialect.list_backends()[0]['name'] == 'a' and dialect.era == era
    assert dialect.add_body(_ec2(dialect))[dialect.name_field] == 'aws'
    assert ('title' in dialect.add_body(_ec2(dialect))) == (era == 'C1')


def test_clouds_listed_provider_ids_are_canonical_and_azure_is_not_guessed(clouds, response):
    entries = [{'id': '1' * 32, 'name': 'metal', 'provider': 'other'}, {'id': '2' * 32, 'name': 'eq', 'provider': 'packet'},
               {'id': '3' * 32, 'title': 'classic', 'provider': 'azure'}]
    dialect, dummy, dummy2 = clouds({('GET', '/api/v1/clouds'): response(body=entries)})
    assert [b['provider'] for b in dialect.list_backends()] == ['bare_metal', 'equinixmetal', 'azure']


def test_clouds_readable_fields_per_era(clouds):
    dialect, dummy, dummy2 = clouds({})
    assert dialect.readable_fields('bare_metal') == frozenset() and dialect.readable_fields('libvirt') == frozenset()
    assert not dialect.can_update('bare_metal') and not dialect.can_update('libvirt') and dialect.can_update('ec2')
    dialect.era = 'C1'
    assert {'host', 'port', 'auth_user', 'cert_file'} <= dialect.readable_fields('docker')
    dialect.era = 'C3'
    assert dialect.readable_fields('docker') == frozenset(['host', 'port'])
    assert 'auth_password' not in dialect.readable_fields('docker')


def test_clouds_docker_fields_go_and_come_back_under_their_wire_names(clouds, response):
    listed = {'id': 'd' * 32, 'title': 'dock', 'provider': 'docker', 'host': '10.1.1.1', 'port': 2375, 'username': 'bob'}
    dialect, session, dummy = clouds({('GET', '/api/v1/clouds'): response(body=[listed]),
                                      ('PATCH', '/api/v1/clouds/' + 'd' * 32): response(text='OK')})
    assert dialect.list_backends()[0]['credentials'] == {'host': '10.1.1.1', 'port': 2375, 'auth_user': 'bob'}
    dialect.update_credentials('d' * 32, {'auth_user': 'eve', 'auth_password': 'PW'}, 'docker')
    assert session.calls[1]['json'] == {'username': 'eve', 'password': 'PW'}


# Examples computed with the real get_id (MIST_API.md section 1, "Backend id").
def test_backends_docker_id_is_provider_title_apiurl(backends):
    dialect, dummy, dummy2 = backends({})
    assert ids(dialect, 'mydocker', 'docker', None, {'host': 'http://10.0.0.5'}) == '2JPipv3WqnW1zWJVXusbFJLQdSDV'
    body = dialect.add_body(desired(dialect, 'mydocker', 'docker', None, {'host': 'http://10.0.0.5', 'port': 2375}))
    assert body == {'title': 'mydocker', 'provider': 'docker', 'apiurl': 'http://10.0.0.5', 'docker_port': 2375}


def test_backends_bare_metal_id_and_name_come_from_the_host(backends):
    dialect, dummy, dummy2 = backends({})
    metal = desired(dialect, 'rack-42', 'bare_metal', None, {'host': '10.0.0.7', 'ssh_key': 'k'})
    assert dialect.candidate_ids(metal) == ['3eKosCjQ9QvwgMFy4UbJWqXWPazZ']
    assert dialect.added_name(metal) == '10.0.0.7' and dialect.readable_fields('bare_metal') == frozenset()
    assert dialect.added_name(desired(dialect, 'aws', 'ec2', 'us-east-1', {'apikey': 'A'})) == 'aws'


def test_backends_openstack_ids_per_era_until_the_add_tells(backends, response):
    dialect, session, dummy = backends({})
    creds = {'username': 'admin', 'password': 'pw', 'url': 'https://keystone:5000/v2.0/', 'tenant': 'demo'}
    stack = desired(dialect, 'os', 'openstack', 'RegionOne', creds)
    b1 = backend_id('openstack', 'RegionOne', 'admin')
    b2 = backend_id('openstack', 'RegionOne', 'adminhttps://keystone:5000demo')
    assert dialect.candidate_ids(stack) == [b1, b2]
    dialect.era = 'B1'
    assert dialect.candidate_ids(stack) == [b1]
    dialect.era = 'B2'
    assert dialect.candidate_ids(stack) == [b2]
    hp = desired(dialect, 'hp', 'hpcloud:region-b.geo-1', None, dict(creds, url='https://x.hpcloudsvc.com/v2.0'))
    assert dialect.candidate_ids(hp) == [backend_id('hpcloud', 'region-b.geo-1', 'admin' + dialect.HPCLOUD_AUTH_URL + 'demo')]


@pytest.mark.parametrize('era', ['B1', 'B2'])
def test_backends_era_is_learnt_from_the_add_answer(backends, response, era):
    creds = {'username': 'admin', 'password': 'pw', 'url': 'https://keystone:5000', 'tenant': 'demo'}
    dialect, session, dummy = backends({})
    stack = desired(dialect, 'os', 'openstack', 'RegionOne', creds)
    server_id = dialect.candidate_ids(stack)[0 if era == 'B1' else 1]
    session.routes[('POST', '/backends')] = [response(body={'id': server_id, 'title': 'os', 'provider': 'openstack'})]
    dialect.add_backend(stack)
    assert dialect.era == era and dialect.candidate_ids(stack) == [server_id]


def test_backends_era_b2_from_listed_tenant_name(backends, response):
    listed = [{'id': 'x', 'title': 'os', 'provider': 'openstack', 'apikey': 'admin', 'region': 'R', 'tenant_name': 'demo'}]
    dialect, dummy, dummy2 = backends({('GET', '/backends'): response(body=listed)})
    dialect.list_backends()
    assert dialect.era == 'B2'
