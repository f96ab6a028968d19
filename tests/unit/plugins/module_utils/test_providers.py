# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.mistio.cloud.plugins.module_utils import providers
from ansible_collections.mistio.cloud.plugins.module_utils.providers import (
    PROVIDERS, SEED_PROVIDERS, ProviderError, credential_fields, from_wire, resolve_provider, secret_fields,
    to_wire, validate_credentials,
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


def sample_credentials(canonical, dialect):
    return dict((f['name'], 'v-%s' % f['name']) for f in credential_fields(canonical, dialect) if f['required'])


def test_seed_list_is_the_26_ids_in_order():
    assert [row[0] for row in SEED_PROVIDERS] == SEED_IDS


@pytest.mark.parametrize('seed', SEED_IDS)
def test_every_seed_id_maps_in_the_backends_dialect(seed):
    canonical, region = resolve_provider(seed, None, 'backends')
    assert (canonical, region) == resolve_provider(seed)
    body = to_wire('backends', 'b', canonical, region, sample_credentials(canonical, 'backends'))
    assert body['provider'] == seed
    # What the server stores: the provider split at the first ':' into provider and region.
    stored, dummy, stored_region = seed.partition(':')
    entry = dict(body, provider=stored, region=stored_region or body.get('region', ''))
    assert from_wire('backends', entry)[:2] == (canonical, region)


@pytest.mark.parametrize('seed', SEED_IDS)
def test_every_seed_id_maps_in_the_clouds_dialect_or_says_why_not(seed):
    if seed.startswith('rackspace_first_gen'):
        with pytest.raises(ProviderError) as err:
            resolve_provider(seed, None, 'clouds')
        assert 'cannot be expressed in the clouds dialect' in str(err.value)
        return
    canonical, region = resolve_provider(seed, None, 'clouds')
    body = to_wire('clouds', 'b', canonical, region, sample_credentials(canonical, 'clouds'))
    assert body['provider'] == canonical and body.get('region') == region
    assert from_wire('clouds', body)[:2] == (canonical, region)
    if seed.startswith('hpcloud:'):
        assert (canonical, region) == ('openstack', seed.split(':', 1)[1])
    elif seed in EXPECTED:
        assert (canonical, region) == EXPECTED[seed]


@pytest.mark.parametrize('seed', sorted(EXPECTED))
def test_seed_canonical_mapping(seed):
    assert resolve_provider(seed) == EXPECTED[seed]


@pytest.mark.parametrize('alias,canonical', [
    ('aws', 'ec2'), ('amazon', 'ec2'), ('google', 'gce'), ('gcp', 'gce'), ('other', 'bare_metal'), ('ssh', 'bare_metal'),
    ('ibm', 'softlayer'), ('azure', 'azure_arm'), ('kvm', 'libvirt'), ('DigitalOcean', 'digitalocean'),
])
def test_aliases(alias, canonical):
    region = 'us-east-1' if canonical == 'ec2' else None
    assert resolve_provider(alias, region, 'clouds') == (canonical, region)


def test_canonical_with_region_equals_seed_id():
    assert resolve_provider('ec2', 'us-east-1', 'backends') == ('ec2', 'us-east-1')
    assert resolve_provider('rackspace', 'LON', 'backends') == ('rackspace', 'lon')
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
        resolve_provider('ec2', 'eu-central-1', 'backends')
    assert resolve_provider('ec2', 'eu-central-1', 'clouds') == ('ec2', 'eu-central-1')
    with pytest.raises(ProviderError, match='not an AWS region'):
        resolve_provider('ec2', 'ec2_us_east', 'clouds')
    with pytest.raises(ProviderError, match='valid regions: dfw, ord'):
        resolve_provider('rackspace', 'mars')


def test_openstack_region_keeps_its_case():
    assert resolve_provider('openstack', 'RegionOne', 'clouds') == ('openstack', 'RegionOne')
    assert resolve_provider('openstack', None, 'backends') == ('openstack', None)


def test_clouds_only_providers_are_refused_by_backends():
    with pytest.raises(ProviderError) as err:
        resolve_provider('azure', None, 'backends')
    assert 'backends dialect' in str(err.value) and 'ec2' in str(err.value)


def test_validate_credentials():
    assert validate_credentials('ec2', {'apikey': 'a', 'apisecret': 'b'}, 'clouds') == []
    problems = validate_credentials('ec2', {'apikey': 'a', 'password': 'p'}, 'backends')
    assert "Provider ec2 does not take credential field 'password' (it takes: apikey, apisecret)." in problems
    assert "Provider ec2 requires credential field 'apisecret'." in problems
    assert validate_credentials('openstack', {'username': 'u', 'password': 'p', 'url': 'https://k', 'tenant': 't',
                                              'domain': 'd'}, 'backends') == [
        "Credential field 'domain' of provider openstack is not supported by the backends dialect."]
    assert validate_credentials('bare_metal', {}, 'clouds') == []
    assert validate_credentials('bare_metal', {}, 'backends') == ["Provider bare_metal requires credential field 'host'.",
                                                                  "Provider bare_metal requires credential field 'ssh_key'."]
    assert validate_credentials('docker', {'host': 'h'}, 'clouds') == []
    assert validate_credentials('docker', {'host': 'h'}, 'backends') == ["Provider docker requires credential field 'auth_password'."]
    assert validate_credentials('ec2', {'apikey': 'a', 'apisecret': None}, 'clouds') == ["Provider ec2 requires credential field 'apisecret'."]
    # An update of an existing backend names only the fields it changes.
    assert validate_credentials('ec2', {'apikey': 'a'}, 'clouds', creating=False) == []
    assert validate_credentials('ec2', {'token': 't'}, 'clouds', creating=False) == [
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
    fields = dict((f['name'], f) for f in credential_fields('openstack', 'clouds'))
    assert fields['password']['secret'] and fields['password']['required']
    assert not fields['domain']['required']
    assert 'domain' not in [f['name'] for f in credential_fields('openstack', 'backends')]
    with pytest.raises(ProviderError):
        credential_fields('nope')


@pytest.mark.parametrize('canonical,dialect,creds,region,expected', [
    ('ec2', 'backends', {'apikey': 'AK', 'apisecret': 'S'}, 'us-east-1',
     {'title': 'n', 'provider': 'ec2_us_east', 'apikey': 'AK', 'apisecret': 'S'}),
    ('ec2', 'clouds', {'apikey': 'AK', 'apisecret': 'S'}, 'us-east-1',
     {'name': 'n', 'provider': 'ec2', 'apikey': 'AK', 'apisecret': 'S', 'region': 'us-east-1'}),
    ('rackspace', 'backends', {'username': 'u', 'apikey': 'K'}, 'lon',
     {'title': 'n', 'provider': 'rackspace:lon', 'apikey': 'u', 'apisecret': 'K'}),
    ('openstack', 'backends', {'username': 'u', 'password': 'p', 'url': 'https://k', 'tenant': 't', 'compute_endpoint': 'c'}, 'R1',
     {'title': 'n', 'provider': 'openstack', 'region': 'R1', 'apikey': 'u', 'apisecret': 'p', 'apiurl': 'https://k',
      'tenant_name': 't', 'compute_endpoint': 'c'}),
    ('gce', 'backends', {'email': 'e', 'private_key': 'PK', 'project_id': 'p'}, None,
     {'title': 'n', 'provider': 'gce', 'apikey': 'e', 'apisecret': 'PK', 'tenant_name': 'p'}),
    ('digitalocean', 'backends', {'token': 'T'}, None, {'title': 'n', 'provider': 'digitalocean', 'apikey': 'T', 'apisecret': 'T'}),
    ('bare_metal', 'backends', {'host': '10.0.0.1', 'ssh_user': 'root', 'ssh_port': 22, 'ssh_key': 'k1'}, None,
     {'title': 'n', 'provider': 'bare_metal', 'machine_ip': '10.0.0.1', 'apikey': '10.0.0.1', 'machine_user': 'root',
      'machine_port': 22, 'machine_key': 'k1'}),
    ('bare_metal', 'clouds', {'host': '10.0.0.1', 'ssh_user': None}, None, {'name': 'n', 'provider': 'bare_metal', 'host': '10.0.0.1'}),
    ('hpcloud', 'clouds', {'username': 'u'}, 'region-a.geo-1',
     {'name': 'n', 'provider': 'openstack', 'username': 'u', 'region': 'region-a.geo-1'}),
])
def test_to_wire(canonical, dialect, creds, region, expected):
    assert to_wire(dialect, 'n', canonical, region, creds) == expected


def test_from_wire_shows_no_secret_for_any_provider():
    for canonical, spec in PROVIDERS.items():
        for dialect in spec['dialects']:
            creds = dict((f['name'], 'value-of-%s' % f['name']) for f in credential_fields(canonical, dialect))
            region = {'ec2': 'us-east-1', 'rackspace': 'lon', 'rackspace_first_gen': 'us', 'hpcloud': 'region-a.geo-1'}.get(canonical)
            body = to_wire(dialect, 'n', canonical, region, creds)
            shown = from_wire(dialect, body)[2]
            for value in shown.values():
                assert value.replace('value-of-', '') not in secret_fields(canonical), (canonical, dialect, shown)
            public = [f['name'] for f in credential_fields(canonical, dialect) if not f['secret']]
            assert bool(shown) == bool(public), (canonical, dialect, shown)


def test_from_wire_backends_entries():
    assert from_wire('backends', {'provider': 'ec2_us_east', 'region': '', 'apikey': 'AK'}) == ('ec2', 'us-east-1', {'apikey': 'AK'})
    assert from_wire('backends', {'provider': 'rackspace', 'region': 'lon', 'apikey': 'u'}) == ('rackspace', 'lon', {'username': 'u'})
    assert from_wire('backends', {'provider': 'digitalocean', 'apikey': 'TOKEN'}) == ('digitalocean', None, {})
    assert from_wire('backends', {'provider': 'openstack', 'region': 'R', 'apikey': 'u', 'apiurl': 'https://k',
                                  'tenant_name': 't'}) == ('openstack', 'R', {'username': 'u', 'url': 'https://k', 'tenant': 't'})
    assert from_wire('backends', {'provider': 'bare_metal', 'apikey': '10.1.1.1'}) == ('bare_metal', None, {'host': '10.1.1.1'})
    assert from_wire('backends', {'provider': 'newcloud', 'apikey': 'x'}) == ('newcloud', None, {})


def test_from_wire_clouds_entries():
    assert from_wire('clouds', {'provider': 'other', 'host': 'h'}) == ('bare_metal', None, {'host': 'h'})
    assert from_wire('clouds', {'provider': 'ec2', 'region': 'us-east-1', 'apikey': 'AK'}) == ('ec2', 'us-east-1', {'apikey': 'AK'})


def test_clouds_wire_names_are_the_catalogue_names():
    # CloudsDialect.update_credentials relies on this: canonical fields go on the wire as they are.
    for canonical, spec in PROVIDERS.items():
        if 'clouds' in spec['dialects']:
            creds = dict((f['name'], 'x') for f in credential_fields(canonical, 'clouds'))
            region = {'ec2': 'us-east-1', 'rackspace': 'lon'}.get(canonical)
            body = to_wire('clouds', 'n', canonical, region, creds)
            assert set(creds) <= set(body)


def test_wire_secret_fields_cover_both_dialects():
    names = providers.wire_secret_fields()
    assert 'apisecret' in names and 'password' in names and 'private_key' in names
    assert 'title' not in names and 'username' not in names


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
