# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""mist_provider_info: merging the server's providers with the catalogue, and filtering."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from helpers import patch_module_args

from ansible_collections.mistio.cloud.plugins.module_utils import module as mist_module
from ansible_collections.mistio.cloud.plugins.module_utils.client import MistError
from ansible_collections.mistio.cloud.plugins.module_utils.client import Transport
from ansible_collections.mistio.cloud.plugins.module_utils.dialects import DIALECT_CLASSES
from ansible_collections.mistio.cloud.plugins.module_utils.providers import SEED_PROVIDERS, ProviderError, provider_table
from ansible_collections.mistio.cloud.plugins.modules import mist_provider_info

BACKENDS_PROVIDERS = [{'id': pid, 'title': title, 'aliases': []} for pid, title, _c, _r in SEED_PROVIDERS]
CLOUDS_PROVIDERS = [
    {'id': 'ec2', 'title': 'Amazon EC2', 'aliases': ['amazon', 'aws']},
    {'id': 'gce', 'title': 'Google Compute Engine', 'aliases': ['google', 'gcp']},
    {'id': 'bare_metal', 'title': 'Bare Metal Server', 'aliases': ['other', 'ssh']},
    {'id': 'rackspace', 'title': 'Rackspace', 'aliases': []},
    {'id': 'equinix_metal', 'title': 'equinix_metal', 'aliases': ['packet']},
]


# The dialects as connection.py builds them: describe() reads their capabilities (which fields each takes).
DIALECTS = dict((name, cls(Transport('https://mist.example'), providers=provider_table()))
                for name, cls in DIALECT_CLASSES.items())


def described(entries, dialect):
    return [mist_provider_info.describe(e, DIALECTS[dialect]) for e in entries]


def field(entry, name):
    return [f for f in entry['credentials'] if f['name'] == name][0]


class FakeTransport(object):
    """What MistModule asks of a transport: the secrets to redact and the TLS warning."""

    def add_secret(self, value):
        pass

    def tls_warning(self):
        return None


class FakeDialect(object):
    transport = FakeTransport()

    def __init__(self, name, providers=None, error=None):
        self.name = name
        self.providers = providers
        self.error = error
        self.calls = 0

    def __getattr__(self, attr):
        return getattr(DIALECTS[self.name], attr)  # its capabilities: a real dialect's

    def list_providers(self):
        self.calls += 1
        if self.error:
            raise self.error
        return self.providers


def run_module(monkeypatch, capsys, dialect, **params):
    """Run main() with a fake client; return (exit code, result dict)."""
    monkeypatch.setattr(mist_module, 'connect', lambda options: dialect)
    args = {'url': 'http://127.0.0.1:1', 'api_token': 'x' * 64}
    args.update(params)
    with patch_module_args(args):
        with pytest.raises(SystemExit) as exc:
            mist_provider_info.main()
    return exc.value.code, json.loads(capsys.readouterr().out)


def test_describe_backends_seed_id_names_region_and_fields():
    entry = mist_provider_info.describe({'id': 'ec2_us_east', 'title': 'EC2 US EAST', 'aliases': []}, DIALECTS['backends'])
    assert entry == {
        'id': 'ec2_us_east', 'title': 'EC2 US EAST', 'aliases': [], 'provider': 'ec2', 'region': 'us-east-1',
        'catalogued': True,
        'credentials': [{'name': 'apikey', 'required': True, 'secret': False},
                        {'name': 'apisecret', 'required': True, 'secret': True}],
    }


def test_describe_all_26_seed_providers_are_catalogued_in_order():
    result = described(BACKENDS_PROVIDERS, 'backends')
    assert len(result) == 26
    assert [p['id'] for p in result] == [row[0] for row in SEED_PROVIDERS]
    assert [p['title'] for p in result] == [row[1] for row in SEED_PROVIDERS]
    assert all(p['catalogued'] and p['credentials'] for p in result)
    rackspace = [p for p in result if p['id'] == 'rackspace:lon'][0]
    assert (rackspace['provider'], rackspace['region']) == ('rackspace', 'lon')


def test_describe_dialect_decides_fields():
    bare_backends = mist_provider_info.describe({'id': 'bare_metal', 'title': 'Bare Metal Server'}, DIALECTS['backends'])
    bare_clouds = mist_provider_info.describe({'id': 'bare_metal', 'title': 'Bare Metal Server'}, DIALECTS['clouds'])
    assert field(bare_backends, 'host')['required'] is True
    assert field(bare_clouds, 'host')['required'] is False


def test_describe_unknown_server_provider_passes_through():
    entry = mist_provider_info.describe({'id': 'equinix_metal', 'title': None, 'aliases': ['packet']}, DIALECTS['clouds'])
    assert entry['provider'] == 'equinix_metal'
    assert entry['title'] == 'equinix_metal'
    assert entry['catalogued'] is False
    assert entry['credentials'] == []
    assert entry['region'] is None


def test_describe_classic_azure_of_b2_is_not_the_clouds_azure_arm():
    entry = mist_provider_info.describe({'id': 'azure', 'title': 'Azure', 'aliases': []}, DIALECTS['backends'])
    assert (entry['provider'], entry['catalogued'], entry['credentials']) == ('azure', False, [])


def test_describe_never_calls_a_clouds_alias_unknown():
    entry = mist_provider_info.describe({'id': 'other', 'title': 'Bare metal', 'aliases': []}, DIALECTS['clouds'])
    assert (entry['provider'], entry['catalogued']) == ('bare_metal', True)


@pytest.mark.parametrize('wanted, ids', [
    (None, [row[0] for row in SEED_PROVIDERS]),
    ('aws', [row[0] for row in SEED_PROVIDERS if row[2] == 'ec2']),
    ('EC2', [row[0] for row in SEED_PROVIDERS if row[2] == 'ec2']),
    ('ec2_us_east', ['ec2_us_east']),
    ('rackspace', ['rackspace:dfw', 'rackspace:ord', 'rackspace:iad', 'rackspace:lon', 'rackspace:syd', 'rackspace:hkg']),
    ('rackspace:LON', ['rackspace:lon']),
    ('google', ['gce']),
    ('hp', ['hpcloud:region-a.geo-1', 'hpcloud:region-b.geo-1']),
    ('azure', []),
])
def test_select_backends(wanted, ids):
    assert [p['id'] for p in mist_provider_info.select(described(BACKENDS_PROVIDERS, 'backends'), wanted)] == ids


@pytest.mark.parametrize('wanted, ids', [
    ('aws', ['ec2']),
    ('ec2_us_east', ['ec2']),
    ('rackspace:lon', ['rackspace']),
    ('ssh', ['bare_metal']),
    ('packet', ['equinix_metal']),
    ('equinix_metal', ['equinix_metal']),
    ('docker', []),
])
def test_select_clouds(wanted, ids):
    assert [p['id'] for p in mist_provider_info.select(described(CLOUDS_PROVIDERS, 'clouds'), wanted)] == ids


def test_select_unknown_lists_what_the_server_supports():
    with pytest.raises(ProviderError) as exc:
        mist_provider_info.select(described(CLOUDS_PROVIDERS, 'clouds'), 'nosuch')
    message = str(exc.value)
    assert "'nosuch'" in message
    assert 'ec2, gce, bare_metal, rackspace, equinix_metal' in message
    assert 'aws' in message and 'packet' in message


def test_select_unknown_region_lists_the_provider_regions():
    with pytest.raises(ProviderError, match="'rackspace:london'.*valid regions: dfw, ord"):
        mist_provider_info.select(described(BACKENDS_PROVIDERS, 'backends'), 'rackspace:london')


def test_module_backends_returns_the_seed(monkeypatch, capsys):
    dialect = FakeDialect('backends', BACKENDS_PROVIDERS)
    code, result = run_module(monkeypatch, capsys, dialect)
    assert code == 0
    assert result['changed'] is False
    assert result['dialect'] == 'backends'
    assert [(p['id'], p['title']) for p in result['providers']] == [(r[0], r[1]) for r in SEED_PROVIDERS]
    assert dialect.calls == 1


def test_module_filter(monkeypatch, capsys):
    code, result = run_module(monkeypatch, capsys, FakeDialect('clouds', CLOUDS_PROVIDERS), provider='amazon')
    assert code == 0
    assert [p['id'] for p in result['providers']] == ['ec2']


def test_module_check_mode_reads_the_same(monkeypatch, capsys):
    code, result = run_module(monkeypatch, capsys, FakeDialect('clouds', CLOUDS_PROVIDERS), _ansible_check_mode=True)
    assert code == 0 and result['changed'] is False and len(result['providers']) == 5


def test_module_unknown_provider_fails(monkeypatch, capsys):
    code, result = run_module(monkeypatch, capsys, FakeDialect('backends', BACKENDS_PROVIDERS), provider='nosuch')
    assert code == 1
    assert result['failed'] is True
    assert 'rackspace:lon' in result['msg']


def test_module_mist_error_becomes_a_sentence(monkeypatch, capsys):
    error = MistError('Mist rejected the request GET /api/v1/providers (401 User not authenticated. Please log in) '
                      '- check api_token (or email and password).', status=401, method='GET', path='/api/v1/providers',
                      kind='auth')
    code, result = run_module(monkeypatch, capsys, FakeDialect('clouds', error=error))
    assert code == 1
    assert result['status'] == 401
    assert result['error_kind'] == 'auth'
    assert result['msg'].startswith('Mist rejected the request GET /api/v1/providers (401')
    assert 'x' * 64 not in json.dumps(result)
