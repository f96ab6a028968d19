# -*- coding: utf-8 -*-
# Copyright (c) mistio.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The provider catalogue: one table of the providers a user can name (data, no requests, no wire format).

A provider has a canonical id (``ec2``), aliases (``aws``), the seed's ids
(``ec2_us_east``, ``rackspace:lon``: the names users of the 2014 servers wrote),
the regions it takes, and the credential fields a user gives (required /
optional / secret). Adding a provider is an entry here (and its doc and tests).

Layer 3 of module_utils: it imports nothing. Which providers, fields and
regions a server can store, and how a field travels on its wire, is the
dialect's (dialects.py). The functions whose answer depends on it take the
dialect as ``caps`` and read only its declared capabilities: stores(),
stored_as(), regions(), takes_field(), required_fields(). The dialect gets
the catalogue's data from :func:`provider_table`, handed down by connection.py.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re


class ProviderError(ValueError):
    """Bad provider, region or credential input; the message says what to fix."""


def _f(name, required=True, secret=False):
    """One credential field: required to add a backend unless a server's dialect says otherwise."""
    return {'name': name, 'secret': secret, 'required': required}


_OPENSTACK_FIELDS = [
    _f('username'),
    _f('password', secret=True),
    _f('url'),
    _f('tenant'),
    _f('compute_endpoint', required=False),
    _f('domain', required=False),
]

# region: None (takes no region), 'seed' (one of the seed ids' regions),
# 'aws' (AWS names; a dialect may take fewer, see regions()), 'free' (optional, any string).
PROVIDERS = {
    'ec2': {
        'title': 'Amazon EC2', 'aliases': ['aws', 'amazon'], 'region': 'aws',
        'fields': [_f('apikey'), _f('apisecret', secret=True)],
    },
    'rackspace': {
        'title': 'Rackspace', 'aliases': [], 'region': 'seed',
        'fields': [_f('username'), _f('apikey', secret=True)],
    },
    'rackspace_first_gen': {
        'title': 'Rackspace (first generation)', 'aliases': [], 'region': 'seed',
        'fields': [_f('username'), _f('apikey', secret=True)],
    },
    'gce': {
        'title': 'Google Compute Engine', 'aliases': ['google', 'gcp'], 'region': None,
        'fields': [
            _f('email'),
            _f('private_key', secret=True),
            _f('project_id'),
        ],
    },
    'openstack': {
        'title': 'OpenStack', 'aliases': [], 'region': 'free',
        'fields': _OPENSTACK_FIELDS,
    },
    'hpcloud': {
        'title': 'HP Helion Cloud', 'aliases': ['hp', 'helion'], 'region': 'seed',
        'fields': _OPENSTACK_FIELDS,
    },
    'digitalocean': {
        'title': 'DigitalOcean', 'aliases': ['do'], 'region': None,
        'fields': [_f('token', secret=True)],
    },
    'linode': {
        'title': 'Linode', 'aliases': [], 'region': None,
        'fields': [_f('apikey', secret=True)],
    },
    'nephoscale': {
        'title': 'NephoScale', 'aliases': [], 'region': None,
        'fields': [_f('username'), _f('password', secret=True)],
    },
    'softlayer': {
        'title': 'SoftLayer', 'aliases': ['ibm'], 'region': None,
        'fields': [_f('username'), _f('apikey', secret=True)],
    },
    'docker': {
        'title': 'Docker', 'aliases': [], 'region': None,
        'fields': [
            _f('host'),
            _f('port', required=False),
            _f('auth_user', required=False),
            _f('auth_password', required=False, secret=True),
            _f('key_file', required=False, secret=True),
            _f('cert_file', required=False),
            _f('ca_cert_file', required=False),
        ],
    },
    'bare_metal': {
        'title': 'Bare Metal Server', 'aliases': ['other', 'ssh', 'baremetal'], 'region': None,
        'fields': [
            _f('host', required=False),
            _f('ssh_user', required=False),
            _f('ssh_port', required=False),
            _f('ssh_key', required=False),
        ],
    },
    'azure_arm': {
        'title': 'Microsoft Azure', 'aliases': ['azure'], 'region': None,
        'fields': [_f('tenant_id'), _f('subscription_id'), _f('key'), _f('secret', secret=True)],
    },
    'vsphere': {
        'title': 'VMware vSphere', 'aliases': ['vcenter'], 'region': None,
        'fields': [_f('host'), _f('username'), _f('password', secret=True)],
    },
    'vultr': {
        'title': 'Vultr', 'aliases': [], 'region': None,
        'fields': [_f('apikey', secret=True)],
    },
    'libvirt': {
        'title': 'KVM (libvirt)', 'aliases': ['kvm'], 'region': None,
        'fields': [_f('host'), _f('username', required=False), _f('key', required=False)],
    },
}

# The seed's 26 provider names (mist.io of 2014), in its order, with their title and
# canonical (provider, region): names a user may write for a provider, on any server.
SEED_PROVIDERS = [
    ('bare_metal', 'Bare Metal Server', 'bare_metal', None),
    ('ec2_ap_northeast', 'EC2 AP NORTHEAST', 'ec2', 'ap-northeast-1'),
    ('ec2_ap_southeast', 'EC2 AP SOUTHEAST', 'ec2', 'ap-southeast-1'),
    ('ec2_ap_southeast_2', 'EC2 AP Sydney', 'ec2', 'ap-southeast-2'),
    ('ec2_eu_west', 'EC2 EU Ireland', 'ec2', 'eu-west-1'),
    ('ec2_sa_east', 'EC2 SA EAST', 'ec2', 'sa-east-1'),
    ('ec2_us_east', 'EC2 US EAST', 'ec2', 'us-east-1'),
    ('ec2_us_west', 'EC2 US WEST', 'ec2', 'us-west-1'),
    ('ec2_us_west_oregon', 'EC2 US WEST OREGON', 'ec2', 'us-west-2'),
    ('gce', 'Google Compute Engine', 'gce', None),
    ('nephoscale', 'NephoScale', 'nephoscale', None),
    ('digitalocean', 'DigitalOcean', 'digitalocean', None),
    ('linode', 'Linode', 'linode', None),
    ('openstack', 'OpenStack', 'openstack', None),
    ('rackspace:dfw', 'Rackspace DFW', 'rackspace', 'dfw'),
    ('rackspace:ord', 'Rackspace ORD', 'rackspace', 'ord'),
    ('rackspace:iad', 'Rackspace IAD', 'rackspace', 'iad'),
    ('rackspace:lon', 'Rackspace LON', 'rackspace', 'lon'),
    ('rackspace:syd', 'Rackspace AU', 'rackspace', 'syd'),
    ('rackspace:hkg', 'Rackspace HKG', 'rackspace', 'hkg'),
    ('rackspace_first_gen:us', 'Rackspace US (OLD)', 'rackspace_first_gen', 'us'),
    ('rackspace_first_gen:uk', 'Rackspace UK (OLD)', 'rackspace_first_gen', 'uk'),
    ('softlayer', 'SoftLayer', 'softlayer', None),
    ('hpcloud:region-a.geo-1', 'HP Helion Cloud - US West', 'hpcloud', 'region-a.geo-1'),
    ('hpcloud:region-b.geo-1', 'HP Helion Cloud - US East', 'hpcloud', 'region-b.geo-1'),
    ('docker', 'Docker', 'docker', None),
]

_SEED_BY_ID = dict((row[0], row) for row in SEED_PROVIDERS)
_SEED_BY_REGION = dict(((row[2], row[3]), row[0]) for row in SEED_PROVIDERS)
_ALIASES = dict((alias, canonical) for canonical, spec in PROVIDERS.items() for alias in spec['aliases'])
_AWS_REGION = re.compile(r'^[a-z]{2}(-[a-z]+)+-\d+$')


def provider_spec(canonical):
    """The catalogue entry of a canonical provider id, or raise ProviderError."""
    try:
        return PROVIDERS[canonical]
    except KeyError:
        raise ProviderError('Unknown provider %r. Valid providers: %s.' % (canonical, ', '.join(valid_provider_names())))


def valid_provider_names():
    """Every name resolve_provider accepts: canonical ids, aliases, seed ids."""
    names = sorted(PROVIDERS) + sorted(_ALIASES) + [row[0] for row in SEED_PROVIDERS if row[0] not in PROVIDERS]
    return names


def _seed_regions(canonical):
    return [row[3] for row in SEED_PROVIDERS if row[2] == canonical]


def lookup_provider(name):
    """(canonical, region the name itself carries or None) for a canonical id, alias or seed id.

    No region checks and no dialect: for matching what a server lists.
    Raises ProviderError (listing the valid names) when unknown.
    """
    text = str(name).strip()
    key = text.lower()
    if key in _SEED_BY_ID:
        row = _SEED_BY_ID[key]
        return row[2], row[3]
    if key in PROVIDERS:
        return key, None
    if key in _ALIASES:
        return _ALIASES[key], None
    # 'rackspace:LON'-style ids not spelled exactly as the seed spells them.
    if ':' in key:
        base, region = text.split(':', 1)
        base = _ALIASES.get(base.lower(), base.lower())
        if base in PROVIDERS and region:
            return base, _normalise_region(region, PROVIDERS[base]['region'])
    raise ProviderError('Unknown provider %r. Valid providers: %s.' % (name, ', '.join(valid_provider_names())))


def provider_matcher(wanted, listed=()):
    """A predicate over normalised backends for a provider name a user wrote.

    A name spelt exactly as one of the listed providers matches those (so a provider
    the catalogue does not know still filters); otherwise it is resolved with
    lookup_provider, and a seed id that names a region (ec2_us_east) matches that
    region only. Raises ProviderError when neither knows it.
    """
    if wanted in listed:
        return lambda backend: backend.get('provider') == wanted
    canonical, region = lookup_provider(wanted)
    check_filter_region(wanted, canonical, region)
    return lambda backend: backend.get('provider') == canonical and (region is None or backend.get('region') == region)


def check_filter_region(wanted, canonical, region):
    """Raise ProviderError, listing the valid regions, when a filter names a region its provider lacks.

    A filter that names no region matches every region. With no dialect to ask,
    any AWS-style region name passes for EC2 (the servers of today take them all).
    """
    if region is None:
        return
    try:
        _check_region(canonical, region, None)
    except ProviderError as exc:
        raise ProviderError('Unknown provider %r: %s' % (wanted, exc))


def _check_region(canonical, region, caps):
    kind = PROVIDERS[canonical]['region']
    if kind is None:
        if region:
            raise ProviderError('Provider %s takes no region (got %r).' % (canonical, region))
        return None
    if kind == 'free':
        return region or None
    if not region:
        raise ProviderError('Provider %s needs a region, one of: %s.' % (canonical, ', '.join(_seed_regions(canonical))))
    only = caps.regions(canonical) if caps is not None else None
    if only is not None:
        # The server's dialect can express fewer regions than the provider has.
        if region not in only:
            raise ProviderError('Provider %s has no region %r in the %s dialect; valid regions: %s.'
                                % (canonical, region, caps.name, ', '.join(only)))
        return region
    if kind == 'aws':
        if not _AWS_REGION.match(region):
            raise ProviderError('Region %r is not an AWS region name such as us-east-1.' % (region,))
        return region
    if region not in _seed_regions(canonical):
        raise ProviderError('Provider %s has no region %r; valid regions: %s.'
                            % (canonical, region, ', '.join(_seed_regions(canonical))))
    return region


def resolve_provider(name, region=None, caps=None):
    """Turn a user's provider name (canonical, alias or seed id) and region into (canonical, region).

    With caps (the server's dialect) the answer is what that dialect can store
    (its stored_as(): hpcloud may be stored as openstack); a provider or region
    it cannot express raises ProviderError.
    """
    if not name:
        raise ProviderError('A provider is required. Valid providers: %s.' % ', '.join(valid_provider_names()))
    canonical, named_region = lookup_provider(name)
    region = _normalise_region(region, PROVIDERS[canonical]['region'])
    if named_region and region and named_region != region:
        raise ProviderError('Provider %s already names region %s; region %s conflicts with it.' % (name, named_region, region))
    region = _check_region(canonical, named_region or region, caps)
    if caps is None:
        return canonical, region
    if not caps.stores(canonical):
        raise ProviderError('Provider %s (region %s) cannot be expressed in the %s dialect; it takes: %s.'
                            % (canonical, region or 'none', caps.name, ', '.join(dialect_providers(caps))))
    return caps.stored_as(canonical), region


def _normalise_region(region, kind):
    """Seed and AWS regions are lower case; OpenStack region names keep their case."""
    if region is None:
        return None
    region = str(region).strip()
    if kind != 'free':
        region = region.lower()
    return region or None


def dialect_providers(caps):
    """Canonical provider ids a dialect can store."""
    return sorted(k for k in PROVIDERS if caps.stores(k))


def credential_fields(canonical, caps=None):
    """The credential fields a provider takes, as a list of {name, required, secret}.

    With caps (the server's dialect): only the fields it takes, required where
    the catalogue or the dialect (required_fields()) requires them.
    """
    fields = []
    for field in provider_spec(canonical)['fields']:
        if caps is not None and not caps.takes_field(canonical, field['name']):
            continue
        required = field['required'] or (caps is not None and field['name'] in caps.required_fields(canonical))
        fields.append({'name': field['name'], 'required': required, 'secret': field['secret']})
    return fields


def provider_table():
    """The catalogue as plain data for the dialect layer: {canonical: {title, fields: {name: secret}}}."""
    return dict((canonical, {'title': spec['title'], 'fields': dict((f['name'], f['secret']) for f in spec['fields'])})
                for canonical, spec in PROVIDERS.items())


def secret_fields(canonical=None):
    """Names of secret credential fields: of one provider, or of all (for no_log)."""
    names = set()
    for key, spec in PROVIDERS.items():
        if canonical is None or key == canonical:
            names.update(f['name'] for f in spec['fields'] if f['secret'])
    return sorted(names)


# Credential fields that are numbers; every other field is a string.
INT_FIELDS = ('port', 'ssh_port')


def credential_options():
    """The credentials suboptions of an argument spec: every catalogue field, no_log where any provider keeps it secret.

    no_log is set explicitly either way, so a non-secret field named like a secret (ssh_key) is not masked.
    """
    secret = set(secret_fields())
    names = set(f['name'] for spec in PROVIDERS.values() for f in spec['fields'])
    return dict((name, {'type': 'int' if name in INT_FIELDS else 'str', 'no_log': name in secret}) for name in sorted(names))


def validate_credentials(canonical, creds, caps, creating=True):
    """Problems with a credentials dict for the server's dialect (caps), each a sentence naming the field; [] when fine.

    creating=False (an update of an existing backend) checks only the fields given.
    """
    spec = provider_spec(canonical)
    given = dict((k, v) for k, v in (creds or {}).items() if v is not None and v != '')
    taken = credential_fields(canonical, caps)
    problems = []
    for key in sorted(given):
        if _field(spec, key) is None:
            problems.append('Provider %s does not take credential field %r (it takes: %s).'
                            % (canonical, key, ', '.join(f['name'] for f in taken)))
        elif key not in [f['name'] for f in taken]:
            problems.append('Credential field %r of provider %s is not supported by the %s dialect.' % (key, canonical, caps.name))
    for field in taken if creating else ():
        if field['required'] and field['name'] not in given:
            problems.append('Provider %s requires credential field %r.' % (canonical, field['name']))
    return problems


def _field(spec, name):
    for field in spec['fields']:
        if field['name'] == name:
            return field
    return None


def seed_id(canonical, region):
    """The seed's name for (canonical, region): ec2/us-east-1 -> ec2_us_east."""
    if (canonical, region) in _SEED_BY_REGION:
        return _SEED_BY_REGION[(canonical, region)]
    if (canonical, None) in _SEED_BY_REGION:
        return canonical
    raise ProviderError('Provider %s region %s has no name among the seed\'s providers.' % (canonical, region))
