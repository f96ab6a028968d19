# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.mistio.cloud.plugins.module_utils.client import MistError, NotSupported
from ansible_collections.mistio.cloud.plugins.module_utils.dialects import (
    BackendsDialect, CloudsDialect, backend_id, base58,
)
from ansible_collections.mistio.cloud.plugins.module_utils.providers import ProviderError

TOKEN = 'a' * 64
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


def test_find_backend_id_backends(backends):
    dialect, session, dummy = backends({})
    creds = {'apikey': 'AKIAEXAMPLE', 'apisecret': 's'}
    assert dialect.find_backend_id('any title', 'ec2_us_east', None, creds) == '282anRybLn34tNGugwCNK7oCisfY'
    assert dialect.find_backend_id('other', 'aws', 'us-east-1', creds) == '282anRybLn34tNGugwCNK7oCisfY'
    rack = {'username': 'rackuser', 'apikey': 'k'}
    assert dialect.find_backend_id('r', 'rackspace:dfw', None, rack) == 'fWyNKxbJMC5jxMZ2C9smGMzGUmM'
    assert dialect.find_backend_id('r', 'rackspace', 'DFW', rack) == 'fWyNKxbJMC5jxMZ2C9smGMzGUmM'
    assert dialect.find_backend_id('b', 'bare_metal', None, {'host': '10.0.0.9'}) == backend_id('bare_metal', '', '10.0.0.9')
    assert session.calls == []


def test_find_backend_id_clouds_is_none(clouds):
    dialect, session, dummy = clouds({})
    assert dialect.find_backend_id('n', 'ec2', 'us-east-1', {'apikey': 'a', 'apisecret': 'b'}) is None
    assert session.calls == []


# --- providers ---------------------------------------------------------------

def test_list_providers_backends(backends, response):
    body = {'supported_providers': [{'provider': 'bare_metal', 'title': 'Bare Metal Server'},
                                    {'provider': 'rackspace:lon', 'title': 'Rackspace LON'}]}
    dialect, dummy, dummy2 = backends({('GET', '/providers'): response(body=body)})
    assert dialect.list_providers() == [{'id': 'bare_metal', 'title': 'Bare Metal Server', 'aliases': []},
                                        {'id': 'rackspace:lon', 'title': 'Rackspace LON', 'aliases': []}]


def test_list_providers_clouds(clouds, response):
    body = {'supported_providers': [{'name': 'ec2', 'aliases': ['amazon', 'aws'], 'driver': 'ec2', 'category': 'public',
                                     'features': {}}, {'name': 'weird', 'aliases': []}]}
    dialect, dummy, dummy2 = clouds({('GET', '/api/v1/providers'): response(body=body)})
    assert dialect.list_providers() == [{'id': 'ec2', 'title': 'Amazon EC2', 'aliases': ['amazon', 'aws']},
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
    result = dialect.add_backend('EC2 prod', 'ec2', 'us-east-1', {'apikey': 'AKIAEXAMPLE', 'apisecret': 'S3CRET'})
    assert session.calls[0]['json'] == {'title': 'EC2 prod', 'provider': 'ec2_us_east', 'apikey': 'AKIAEXAMPLE', 'apisecret': 'S3CRET'}
    assert result['state'] == 'off' and result['provider'] == 'ec2' and set(result) == BACKEND_KEYS
    assert 'S3CRET' not in repr(result)


def test_add_backend_is_sent_once_even_on_503(backends, response):
    dialect, session, sleeps = backends({('POST', '/backends'): response(503, text='Backend unavailable')})
    with pytest.raises(MistError) as err:
        dialect.add_backend('r', 'rackspace', 'lon', {'username': 'u', 'apikey': 'k'})
    assert len(session.calls) == 1 and sleeps == [] and err.value.ambiguous
    assert session.calls[0]['json']['provider'] == 'rackspace:lon'


def test_add_backend_checks_input_before_sending(backends):
    dialect, session, dummy = backends({})
    with pytest.raises(ProviderError, match="requires credential field 'apisecret'"):
        dialect.add_backend('x', 'ec2', 'us-east-1', {'apikey': 'a'})
    with pytest.raises(ProviderError, match='Unknown provider'):
        dialect.add_backend('x', 'nope', None, {})
    assert session.calls == []


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
    result = dialect.add_backend('aws-prod', 'ec2_us_east', None, {'apikey': 'AKIAEXAMPLE', 'apisecret': 'S3CRET'})
    assert session.calls[0]['json'] == {'name': 'aws-prod', 'provider': 'ec2', 'apikey': 'AKIAEXAMPLE', 'apisecret': 'S3CRET',
                                        'region': 'us-east-1'}
    assert result['id'] == '0' * 32 and set(result) == BACKEND_KEYS


def test_add_backend_clouds_timeout_is_not_retried(clouds):
    import requests
    dialect, session, sleeps = clouds({('POST', '/api/v1/clouds'): requests.exceptions.ReadTimeout('read timed out')})
    with pytest.raises(MistError) as err:
        dialect.add_backend('x', 'digitalocean', None, {'token': 'T0KEN-VALUE'})
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
                   'list_machines', 'find_backend_id'):
        assert callable(getattr(BackendsDialect, method)) and callable(getattr(CloudsDialect, method))
    assert (BackendsDialect.name, CloudsDialect.name) == ('backends', 'clouds')
