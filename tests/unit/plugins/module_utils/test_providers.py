# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.mistio.cloud.plugins.module_utils import providers
from ansible_collections.mistio.cloud.plugins.module_utils.client import Transport
from ansible_collections.mistio.cloud.plugins.module_utils.dialects import DIALECT_CLASSES
from ansible_collections.mistio.cloud.plugins.module_utils.providers import (
    SEED_PROVIDERS, ProviderError, credential_fields, resolve_provider, secret_fields, validate_credentials,
)

# The 26 ids of GET /providers on a backends server (MIST_API.md), in order.
SEED_IDS = [
    'bare_metal', 'ec2_ap_northeast', 'ec2_ap_southeast', 'ec2_ap_southeast_2', 'ec2_eu_west', 'ec2_sa_east',
    'ec2_us_east', 'ec2_us_west', 'ec2_us_west_oregon', 'gce', 'nephoscale', 'digitalocean', 'linode', 'openstack',
    'rackspace:dfw', 'rackspace:ord', 'rackspace:iad', 'rackspace:lon', 'rackspace:syd', 'rackspace:hkg',
    'rackspace_first_gen:us', 'rackspace_first_gen:uk', 'softlayer', 'hpcloud:region-a.geo-1', 'hpcloud:region-b.geo-1',
    'docker',
]

EXPECTED = {
    'ec2_us_east': ('ec2', 'us-east-1'), 'ec2_us_west': ('ec2', 'us-west-1'), 'ec2_us_west_oregon': ('ec2', 'us-west-2'),
    'ec2_eu_west': ('ec2', 'eu-west-1'), 'ec2_ap_northeast': ('ec2', 'ap-northeast-1'),
    'ec2_ap_southeast': ('ec2', 'ap-southeast-1'), 'ec2_ap_southeast_2': ('ec2', 'ap-southeast-2'),
    'ec2_sa_east': ('ec2', 'sa-east-1'), 'rackspace:lon': ('rackspace', 'lon'), 'rackspace:syd': ('rackspace', 'syd'),
    'rackspace_first_gen:uk': ('rackspace_first_gen', 'uk'), 'hpcloud:region-b.geo-1': ('hpcloud', 'region-b.geo-1'),
    'bare_metal': ('bare_metal', None), 'gce': ('gce', None), 'docker': ('docker', None), 'openstack': ('openstack', None),
}


# Each dialect as connection.py builds it (the catalogue's data handed down), read for its capabilities.
DIALECTS = dict((name, cls(Transport('https://mist.example'), providers=providers.provider_table()))
                for name, cls in DIALECT_CLASSES.items())
BACKENDS, CLOUDS = DIALECTS['backends'], DIALECTS['clouds']


def sample_credentials(canonical, dialect):
    return dict((f['name'], 'v-%s' % f['name']) for f in credential_fields(canonical, DIALECTS[dialect]) if f['required'])


def test_seed_list_is_the_26_ids_in_order():
    assert [row[0] for row in SEED_PROVIDERS] == SEED_IDS


@pytest.mark.parametrize('seed', sorted(EXPECTED))
def test_seed_canonical_mapping(seed):
    assert resolve_provider(seed) == EXPECTED[seed]


@pytest.mark.parametrize('alias,canonical', [
    ('aws', 'ec2'), ('amazon', 'ec2'), ('google', 'gce'), ('gcp', 'gce'), ('other', 'bare_metal'), ('ssh', 'bare_metal'),
    ('ibm', 'softlayer'), ('azure', 'azure_arm'), ('kvm', 'libvirt'), ('DigitalOcean', 'digitalocean'),
])
def test_aliases(alias, canonical):
    region = 'us-east-1' if canonical == 'ec2' else None
    assert resolve_provider(alias, region, CLOUDS) == (canonical, region)


def test_canonical_with_region_equals_seed_id():
    assert resolve_provider('ec2', 'us-east-1', BACKENDS) == ('ec2', 'us-east-1')
    assert resolve_provider('rackspace', 'LON', BACKENDS) == ('rackspace', 'lon')
    assert resolve_provider('Rackspace:LON') == ('rackspace', 'lon')
    assert resolve_provider('ec2_us_east', 'us-east-1') == ('ec2', 'us-east-1')


def test_lookup_provider_skips_region_checks():
    assert providers.lookup_provider('aws') == ('ec2', None)
    assert providers.lookup_provider('ec2_eu_west') == ('ec2', 'eu-west-1')
    assert providers.lookup_provider('rackspace:LON') == ('rackspace', 'lon')
    with pytest.raises(ProviderError):
        providers.lookup_provider('nope')


def test_seed_id():
    assert providers.seed_id('ec2', 'us-west-2') == 'ec2_us_west_oregon'
    assert providers.seed_id('rackspace', 'hkg') == 'rackspace:hkg'
    assert providers.seed_id('openstack', 'RegionOne') == 'openstack'
    with pytest.raises(ProviderError):
        providers.seed_id('ec2', 'eu-central-1')


def test_unknown_provider_lists_the_valid_ones():
    with pytest.raises(ProviderError) as err:
        resolve_provider('ec3')
    text = str(err.value)
    assert "Unknown provider 'ec3'" in text
    for name in ('ec2', 'aws', 'ec2_us_east', 'rackspace:lon', 'bare_metal'):
        assert name in text


def test_region_problems_are_clear():
    with pytest.raises(ProviderError, match='needs a region'):
        resolve_provider('ec2')
    with pytest.raises(ProviderError, match='conflicts'):
        resolve_provider('ec2_us_east', 'eu-west-1')
    with pytest.raises(ProviderError, match='takes no region'):
        resolve_provider('gce', 'europe-west1')
    with pytest.raises(ProviderError, match='no region .eu-central-1. in the backends dialect'):
        resolve_provider('ec2', 'eu-central-1', BACKENDS)
    assert resolve_provider('ec2', 'eu-central-1', CLOUDS) == ('ec2', 'eu-central-1')
    with pytest.raises(ProviderError, match='not an AWS region'):
        resolve_provider('ec2', 'ec2_us_east', CLOUDS)
    with pytest.raises(ProviderError, match='valid regions: dfw, ord'):
        resolve_provider('rackspace', 'mars')


def test_openstack_region_keeps_its_case():
    assert resolve_provider('openstack', 'RegionOne', CLOUDS) == ('openstack', 'RegionOne')
    assert resolve_provider('openstack', None, BACKENDS) == ('openstack', None)


def test_clouds_only_providers_are_refused_by_backends():
    with pytest.raises(ProviderError) as err:
        resolve_provider('azure', None, BACKENDS)
    assert 'backends dialect' in str(err.value) and 'ec2' in str(err.value)


def test_validate_credentials():
    assert validate_credentials('ec2', {'apikey': 'a', 'apisecret': 'b'}, CLOUDS) == []
    problems = validate_credentials('ec2', {'apikey': 'a', 'password': 'p'}, BACKENDS)
    assert "Provider ec2 does not take credential field 'password' (it takes: apikey, apisecret)." in problems
    assert "Provider ec2 requires credential field 'apisecret'." in problems
    assert validate_credentials('openstack', {'username': 'u', 'password': 'p', 'url': 'https://k', 'tenant': 't',
                                              'domain': 'd'}, BACKENDS) == [
        "Credential field 'domain' of provider openstack is not supported by the backends dialect."]
    assert validate_credentials('bare_metal', {}, CLOUDS) == []
    assert validate_credentials('bare_metal', {}, BACKENDS) == ["Provider bare_metal requires credential field 'host'.",
                                                                "Provider bare_metal requires credential field 'ssh_key'."]
    assert validate_credentials('docker', {'host': 'h'}, CLOUDS) == []
    assert validate_credentials('docker', {'host': 'h'}, BACKENDS) == []
    assert validate_credentials('docker', {'host': 'h', 'key_file': 'k'}, BACKENDS) == [
        "Credential field 'key_file' of provider docker is not supported by the backends dialect."]
    assert validate_credentials('ec2', {'apikey': 'a', 'apisecret': None}, CLOUDS) == ["Provider ec2 requires credential field 'apisecret'."]
    # An update of an existing backend names only the fields it changes.
    assert validate_credentials('ec2', {'apikey': 'a'}, CLOUDS, creating=False) == []
    assert validate_credentials('ec2', {'token': 't'}, CLOUDS, creating=False) == [
        "Provider ec2 does not take credential field 'token' (it takes: apikey, apisecret)."]


def test_secret_fields():
    every = secret_fields()
    for name in ('apisecret', 'password', 'token', 'private_key', 'auth_password', 'key_file', 'secret', 'apikey'):
        assert name in every
    for name in ('username', 'email', 'url', 'tenant', 'host', 'project_id'):
        assert name not in every
    assert secret_fields('ec2') == ['apisecret']
    assert secret_fields('rackspace') == ['apikey']


def test_credential_field_specs():
    fields = dict((f['name'], f) for f in credential_fields('openstack', CLOUDS))
    assert fields['password']['secret'] and fields['password']['required']
    assert not fields['domain']['required']
    assert 'domain' not in [f['name'] for f in credential_fields('openstack', BACKENDS)]
    with pytest.raises(ProviderError):
        credential_fields('nope')


def _backend(provider, region=None):
    return {'id': provider + str(region), 'provider': provider, 'region': region}


def test_provider_matcher_resolves_aliases_and_seed_regions():
    ec2_east, ec2_west, rack = _backend('ec2', 'us-east-1'), _backend('ec2', 'us-west-2'), _backend('rackspace', 'lon')
    assert [providers.provider_matcher('aws')(b) for b in (ec2_east, ec2_west, rack)] == [True, True, False]
    assert [providers.provider_matcher('ec2_us_east')(b) for b in (ec2_east, ec2_west, rack)] == [True, False, False]
    assert providers.provider_matcher('rackspace:lon')(rack)


def test_provider_matcher_keeps_a_provider_the_server_lists_but_the_catalogue_does_not():
    assert providers.provider_matcher('exotic', {'exotic'})(_backend('exotic'))
    with pytest.raises(providers.ProviderError, match='Unknown provider'):
        providers.provider_matcher('exotic')


@pytest.mark.parametrize('wanted, message', [
    ('rackspace:london', "'rackspace:london'.*valid regions: dfw, ord, iad, lon, syd, hkg"),
    ('hpcloud:mars', "'hpcloud:mars'.*valid regions: region-a.geo-1, region-b.geo-1"),
    ('gce:europe-west1', 'gce takes no region'),
    ('ec2:london', 'not an AWS region name'),
])
def test_provider_matcher_refuses_a_region_the_provider_lacks(wanted, message):
    with pytest.raises(providers.ProviderError, match=message):
        providers.provider_matcher(wanted, {'rackspace', 'ec2', 'gce'})


def test_provider_matcher_takes_any_aws_region_and_any_openstack_region():
    assert providers.provider_matcher('ec2:eu-central-1')(_backend('ec2', 'eu-central-1'))
    assert providers.provider_matcher('openstack:RegionOne')(_backend('openstack', 'RegionOne'))


def test_credential_options_cover_every_field_and_mask_every_secret():
    options = providers.credential_options()
    for spec in providers.PROVIDERS.values():
        for field in spec['fields']:
            assert field['name'] in options
            if field['secret']:
                assert options[field['name']]['no_log'] is True
    assert options['ssh_key'] == {'type': 'str', 'no_log': False}
    assert options['port']['type'] == 'int'


class OneRegionCaps(object):
    """A dialect of no real server: the catalogue reads only its declared capabilities, never its name."""

    name = 'test'

    def stores(self, canonical):
        return canonical in ('ec2', 'hpcloud')

    def stored_as(self, canonical):
        return 'openstack' if canonical == 'hpcloud' else canonical

    def regions(self, canonical):
        return ['eu-west-1'] if canonical == 'ec2' else None

    def takes_field(self, canonical, field):
        return field != 'domain'

    def required_fields(self, canonical):
        return ('compute_endpoint',) if canonical == 'hpcloud' else ()


def test_the_catalogue_reads_a_dialect_by_its_capabilities():
    caps = OneRegionCaps()
    assert resolve_provider('aws', 'eu-west-1', caps) == ('ec2', 'eu-west-1')
    assert resolve_provider('hp', 'region-a.geo-1', caps) == ('openstack', 'region-a.geo-1')
    with pytest.raises(ProviderError, match="no region 'us-east-1' in the test dialect; valid regions: eu-west-1"):
        resolve_provider('ec2_us_east', None, caps)
    with pytest.raises(ProviderError, match='cannot be expressed in the test dialect; it takes: ec2, hpcloud'):
        resolve_provider('gce', None, caps)
    fields = dict((f['name'], f) for f in credential_fields('hpcloud', caps))
    assert 'domain' not in fields and fields['compute_endpoint']['required']
    assert validate_credentials('hpcloud', {'username': 'u', 'password': 'p', 'url': 'https://k', 'tenant': 't'}, caps) == [
        "Provider hpcloud requires credential field 'compute_endpoint'."]


def test_provider_table_is_the_catalogue_as_plain_data():
    table = providers.provider_table()
    assert sorted(table) == sorted(providers.PROVIDERS)
    assert table['ec2'] == {'title': 'Amazon EC2', 'fields': {'apikey': False, 'apisecret': True}}
