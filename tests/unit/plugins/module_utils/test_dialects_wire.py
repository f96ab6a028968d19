# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The dialects' wire mapping of the catalogue: add bodies and listed entries, for every provider (from test_providers)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.mistio.cloud.plugins.module_utils.providers import (
    PROVIDERS, ProviderError, credential_fields, resolve_provider, secret_fields,
)

from test_providers import DIALECTS, EXPECTED, SEED_IDS, sample_credentials


def to_wire(dialect, name, canonical, region, creds):
    return DIALECTS[dialect].add_body({'name': name, 'provider': canonical, 'region': region, 'credentials': creds})


def from_wire(dialect, entry):
    return DIALECTS[dialect]._identity(entry)


@pytest.mark.parametrize('seed', SEED_IDS)
def test_every_seed_id_maps_in_the_backends_dialect(seed):
    canonical, region = resolve_provider(seed, None, DIALECTS['backends'])
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
            resolve_provider(seed, None, DIALECTS['clouds'])
        assert 'cannot be expressed in the clouds dialect' in str(err.value)
        return
    canonical, region = resolve_provider(seed, None, DIALECTS['clouds'])
    body = to_wire('clouds', 'b', canonical, region, sample_credentials(canonical, 'clouds'))
    assert body['provider'] == canonical and body.get('region') == region
    assert from_wire('clouds', body)[:2] == (canonical, region)
    if seed.startswith('hpcloud:'):
        assert (canonical, region) == ('openstack', seed.split(':', 1)[1])
    elif seed in EXPECTED:
        assert (canonical, region) == EXPECTED[seed]


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
    for canonical in PROVIDERS:
        for dialect in sorted(d for d in DIALECTS if DIALECTS[d].stores(canonical)):
            creds = dict((f['name'], 'value-of-%s' % f['name']) for f in credential_fields(canonical, DIALECTS[dialect]))
            region = {'ec2': 'us-east-1', 'rackspace': 'lon', 'rackspace_first_gen': 'us', 'hpcloud': 'region-a.geo-1'}.get(canonical)
            body = to_wire(dialect, 'n', canonical, region, creds)
            shown = from_wire(dialect, body)[2]
            for value in shown.values():
                assert value.replace('value-of-', '') not in secret_fields(canonical), (canonical, dialect, shown)
            public = [f['name'] for f in credential_fields(canonical, DIALECTS[dialect]) if not f['secret']]
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


def test_clouds_wire_names_are_the_catalogue_names_or_their_declared_wire_name():
    # Docker's basic auth goes as username/password (aliases auth_user/auth_password), MIST_API.md 2.5.
    clouds = DIALECTS['clouds']
    for canonical in PROVIDERS:
        if clouds.stores(canonical):
            creds = dict((f['name'], 'x') for f in credential_fields(canonical, clouds))
            region = {'ec2': 'us-east-1', 'rackspace': 'lon', 'hpcloud': 'region-a.geo-1'}.get(canonical)
            body = to_wire('clouds', 'n', canonical, region, creds)
            assert set(clouds.wire_names(canonical, name)[0] for name in creds) <= set(body)
            assert set(body) - set(creds) <= {'name', 'provider', 'region', 'username', 'password'}
    docker = to_wire('clouds', 'n', 'docker', None, {'host': 'h', 'auth_user': 'u', 'auth_password': 'p'})
    assert docker == {'name': 'n', 'provider': 'docker', 'host': 'h', 'username': 'u', 'password': 'p'}


def test_secret_values_of_a_body_cover_both_dialects():
    body = {'title': 'T1TLE', 'username': 'US3R', 'apisecret': 'S1', 'password': 'S2', 'private_key': 'S3', 'token': 'S4'}
    for dialect in ('backends', 'clouds'):
        assert sorted(DIALECTS[dialect]._secret_values(body)) == ['S1', 'S2', 'S3', 'S4']


def test_the_backends_dialect_stores_exactly_the_seed_providers():
    # Its wire tables and the catalogue's seed names are two views of one frozen list (GET /providers of 2014).
    from test_providers import BACKENDS
    from ansible_collections.mistio.cloud.plugins.module_utils.providers import SEED_PROVIDERS
    assert sorted(c for c in PROVIDERS if BACKENDS.stores(c)) == sorted(set(row[2] for row in SEED_PROVIDERS))


@pytest.mark.parametrize('dialect', sorted(DIALECTS))
def test_no_readable_field_is_a_secret(dialect):
    for canonical in PROVIDERS:
        assert not DIALECTS[dialect].readable_fields(canonical) & set(secret_fields(canonical)), canonical
