# -*- coding: utf-8 -*-
# Copyright (c) mistio.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The provider catalogue: one table for both Mist dialects (data, no requests).

A provider has a canonical id (``ec2``), aliases (``aws``), the seed's ids
(``ec2_us_east``, ``rackspace:lon``), the regions it takes, and the credential
fields a user gives (required / optional / secret). Each field names, as data,
the wire field(s) it becomes in the ``backends`` dialect; in the ``clouds``
dialect the wire name is the canonical name itself. Adding a provider is an
entry here (and its doc and tests).

The code that builds request bodies and reads listed entries (formerly
to_wire / from_wire here) lives in dialects.py, which reads this table.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

BACKENDS = 'backends'
CLOUDS = 'clouds'
DIALECTS = (BACKENDS, CLOUDS)


class ProviderError(ValueError):
    """Bad provider, region or credential input; the message says what to fix."""


def _f(name, backends=None, required=DIALECTS, secret=False, clouds=True):
    """One credential field.

    backends: wire field names in the backends dialect (None: not taken there).
    required: the dialects in which the field must be given.
    clouds: whether the clouds dialect takes it: True under its own name, or its wire name there.
    """
    dialects = []
    if backends:
        dialects.append(BACKENDS)
    if clouds:
        dialects.append(CLOUDS)
    return {
        'name': name,
        'secret': secret,
        'required': tuple(d for d in required if d in dialects),
        'dialects': tuple(dialects),
        'backends': tuple(backends or ()),
        'clouds': clouds if isinstance(clouds, str) else name,
    }


_OPENSTACK_FIELDS = [
    _f('username', backends=['apikey']),
    _f('password', backends=['apisecret'], secret=True),
    _f('url', backends=['apiurl']),
    _f('tenant', backends=['tenant_name']),
    _f('compute_endpoint', backends=['compute_endpoint'], required=()),
    _f('domain', required=()),
]

# region: None (takes no region), 'seed' (one of the seed ids' regions),
# 'aws' (AWS names; the backends dialect knows only the seed's eight),
# 'free' (optional, any string).
PROVIDERS = {
    'ec2': {
        'title': 'Amazon EC2', 'aliases': ['aws', 'amazon'], 'region': 'aws', 'dialects': DIALECTS,
        'fields': [_f('apikey', backends=['apikey']), _f('apisecret', backends=['apisecret'], secret=True)],
    },
    'rackspace': {
        'title': 'Rackspace', 'aliases': [], 'region': 'seed', 'dialects': DIALECTS,
        'fields': [_f('username', backends=['apikey']), _f('apikey', backends=['apisecret'], secret=True)],
    },
    'rackspace_first_gen': {
        'title': 'Rackspace (first generation)', 'aliases': [], 'region': 'seed', 'dialects': (BACKENDS,),
        'fields': [_f('username', backends=['apikey']), _f('apikey', backends=['apisecret'], secret=True)],
    },
    'gce': {
        'title': 'Google Compute Engine', 'aliases': ['google', 'gcp'], 'region': None, 'dialects': DIALECTS,
        'fields': [
            _f('email', backends=['apikey']),
            _f('private_key', backends=['apisecret'], secret=True),
            _f('project_id', backends=['tenant_name']),
        ],
    },
    'openstack': {
        'title': 'OpenStack', 'aliases': [], 'region': 'free', 'dialects': DIALECTS,
        'fields': _OPENSTACK_FIELDS,
    },
    # HP Helion was OpenStack: the clouds dialect takes it as provider openstack.
    'hpcloud': {
        'title': 'HP Helion Cloud', 'aliases': ['hp', 'helion'], 'region': 'seed', 'dialects': (BACKENDS,),
        'clouds_as': 'openstack', 'fields': _OPENSTACK_FIELDS,
    },
    # The backends dialect has one key field; a token-only provider repeats it.
    'digitalocean': {
        'title': 'DigitalOcean', 'aliases': ['do'], 'region': None, 'dialects': DIALECTS,
        'fields': [_f('token', backends=['apikey', 'apisecret'], secret=True)],
    },
    'linode': {
        'title': 'Linode', 'aliases': [], 'region': None, 'dialects': DIALECTS,
        'fields': [_f('apikey', backends=['apikey', 'apisecret'], secret=True)],
    },
    'nephoscale': {
        'title': 'NephoScale', 'aliases': [], 'region': None, 'dialects': DIALECTS,
        'fields': [_f('username', backends=['apikey']), _f('password', backends=['apisecret'], secret=True)],
    },
    'softlayer': {
        'title': 'SoftLayer', 'aliases': ['ibm'], 'region': None, 'dialects': DIALECTS,
        'fields': [_f('username', backends=['apikey']), _f('apikey', backends=['apisecret'], secret=True)],
    },
    # Backends era: the host URL is apiurl (part of the id, with the title), the basic-auth
    # user and password are apikey and apisecret (both optional), and there is no TLS.
    'docker': {
        'title': 'Docker', 'aliases': [], 'region': None, 'dialects': DIALECTS,
        'fields': [
            _f('host', backends=['apiurl']),
            _f('port', backends=['docker_port'], required=()),
            _f('auth_user', backends=['apikey'], required=(), clouds='username'),
            _f('auth_password', backends=['apisecret'], required=(), secret=True, clouds='password'),
            _f('key_file', required=(), secret=True),
            _f('cert_file', required=()),
            _f('ca_cert_file', required=()),
        ],
    },
    'bare_metal': {
        'title': 'Bare Metal Server', 'aliases': ['other', 'ssh', 'baremetal'], 'region': None, 'dialects': DIALECTS,
        'fields': [
            _f('host', backends=['machine_ip', 'apikey'], required=(BACKENDS,)),
            _f('ssh_user', backends=['machine_user'], required=()),
            _f('ssh_port', backends=['machine_port'], required=()),
            # The backends server needs the id of an SSH key it already holds.
            _f('ssh_key', backends=['machine_key'], required=(BACKENDS,)),
        ],
    },
    'azure_arm': {
        'title': 'Microsoft Azure', 'aliases': ['azure'], 'region': None, 'dialects': (CLOUDS,),
        'fields': [_f('tenant_id'), _f('subscription_id'), _f('key'), _f('secret', secret=True)],
    },
    'vsphere': {
        'title': 'VMware vSphere', 'aliases': ['vcenter'], 'region': None, 'dialects': (CLOUDS,),
        'fields': [_f('host'), _f('username'), _f('password', secret=True)],
    },
    'vultr': {
        'title': 'Vultr', 'aliases': [], 'region': None, 'dialects': (CLOUDS,),
        'fields': [_f('apikey', secret=True)],
    },
    'libvirt': {
        'title': 'KVM (libvirt)', 'aliases': ['kvm'], 'region': None, 'dialects': (CLOUDS,),
        'fields': [_f('host'), _f('username', required=()), _f('key', required=())],
    },
}

# The 26 provider ids of the backends servers, in the order GET /providers
# gives them, with their title and canonical (provider, region).
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


def _dialect_check(dialect_name):
    if dialect_name not in (None,) + DIALECTS:
        raise ProviderError('Unknown Mist dialect %r (use backends or clouds).' % (dialect_name,))


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
    any AWS-style region name passes for EC2 (a clouds server takes them all).
    """
    if region is None:
        return
    try:
        _check_region(canonical, region, None)
    except ProviderError as exc:
        raise ProviderError('Unknown provider %r: %s' % (wanted, exc))


def _check_region(canonical, region, dialect_name):
    kind = PROVIDERS[canonical]['region']
    if kind is None:
        if region:
            raise ProviderError('Provider %s takes no region (got %r).' % (canonical, region))
        return None
    if kind == 'free':
        return region or None
    if not region:
        raise ProviderError('Provider %s needs a region, one of: %s.' % (canonical, ', '.join(_seed_regions(canonical))))
    if kind == 'aws' and dialect_name != BACKENDS:
        if not _AWS_REGION.match(region):
            raise ProviderError('Region %r is not an AWS region name such as us-east-1.' % (region,))
        return region
    if region not in _seed_regions(canonical):
        where = ' in the backends dialect' if kind == 'aws' else ''
        raise ProviderError('Provider %s has no region %r%s; valid regions: %s.'
                            % (canonical, region, where, ', '.join(_seed_regions(canonical))))
    return region


def resolve_provider(name, region=None, dialect_name=None):
    """Turn a user's provider name (canonical, alias or seed id) and region into (canonical, region).

    With dialect_name the answer is what that dialect can store (hpcloud is
    openstack in the clouds dialect); a provider or region the dialect cannot
    express raises ProviderError.
    """
    _dialect_check(dialect_name)
    if not name:
        raise ProviderError('A provider is required. Valid providers: %s.' % ', '.join(valid_provider_names()))
    canonical, named_region = lookup_provider(name)
    region = _normalise_region(region, PROVIDERS[canonical]['region'])
    if named_region and region and named_region != region:
        raise ProviderError('Provider %s already names region %s; region %s conflicts with it.' % (name, named_region, region))
    region = _check_region(canonical, named_region or region, dialect_name)
    spec = PROVIDERS[canonical]
    if dialect_name and dialect_name not in spec['dialects']:
        if dialect_name == CLOUDS and spec.get('clouds_as'):
            return spec['clouds_as'], region
        raise ProviderError('Provider %s (region %s) cannot be expressed in the %s dialect; it takes: %s.'
                            % (canonical, region or 'none', dialect_name, ', '.join(dialect_providers(dialect_name))))
    return canonical, region


def _normalise_region(region, kind):
    """Seed and AWS regions are lower case; OpenStack region names keep their case."""
    if region is None:
        return None
    region = str(region).strip()
    if kind != 'free':
        region = region.lower()
    return region or None


def dialect_providers(dialect_name):
    """Canonical provider ids a dialect can store."""
    return sorted(k for k, spec in PROVIDERS.items() if dialect_name in spec['dialects'])


def credential_fields(canonical, dialect_name=None):
    """The credential fields a provider takes, as a list of dicts.

    Each: name, required (bool: in dialect_name, or in any dialect when None),
    secret, dialects (where it is taken) and backends (wire names there).
    With dialect_name, fields that dialect does not take are left out.
    """
    _dialect_check(dialect_name)
    fields = []
    for field in provider_spec(canonical)['fields']:
        if dialect_name and dialect_name not in field['dialects']:
            continue
        required = dialect_name in field['required'] if dialect_name else bool(field['required'])
        fields.append({
            'name': field['name'], 'required': required, 'secret': field['secret'],
            'dialects': list(field['dialects']), 'backends': list(field['backends']),
        })
    return fields


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


def validate_credentials(canonical, creds, dialect_name, creating=True):
    """Problems with a credentials dict, each a sentence naming the field; [] when fine.

    creating=False (an update of an existing backend) checks only the fields given.
    """
    _dialect_check(dialect_name)
    spec = provider_spec(canonical)
    given = dict((k, v) for k, v in (creds or {}).items() if v is not None and v != '')
    taken = [f['name'] for f in spec['fields'] if dialect_name in f['dialects']]
    problems = []
    for key in sorted(given):
        field = _field(spec, key)
        if field is None:
            problems.append('Provider %s does not take credential field %r (it takes: %s).' % (canonical, key, ', '.join(taken)))
        elif dialect_name not in field['dialects']:
            problems.append('Credential field %r of provider %s is not supported by the %s dialect.' % (key, canonical, dialect_name))
    for field in spec['fields'] if creating else ():
        if dialect_name in field['required'] and field['name'] not in given:
            problems.append('Provider %s requires credential field %r.' % (canonical, field['name']))
    return problems


def _field(spec, name):
    for field in spec['fields']:
        if field['name'] == name:
            return field
    return None


def seed_id(canonical, region):
    """The backends dialect's provider id for (canonical, region): ec2/us-east-1 -> ec2_us_east."""
    if (canonical, region) in _SEED_BY_REGION:
        return _SEED_BY_REGION[(canonical, region)]
    if (canonical, None) in _SEED_BY_REGION:
        return canonical
    raise ProviderError('Provider %s region %s cannot be expressed in the backends dialect.' % (canonical, region))


def seed_provider(provider, region=None):
    """(canonical, region) of a backends-era provider id as a server lists it (rackspace:lon, ec2_us_east).

    Unknown ids pass through unchanged, so a list never fails on a provider newer than this collection.
    """
    if ':' in provider:
        provider, region = provider.split(':', 1)
    for key in (provider, '%s:%s' % (provider, region or '')):
        if key in _SEED_BY_ID and _SEED_BY_ID[key][3]:
            return _SEED_BY_ID[key][2], _SEED_BY_ID[key][3]
    return _ALIASES.get(provider, provider), region


def canonical_name(provider):
    """The canonical id of a provider name a server lists (an alias such as other becomes bare_metal)."""
    return _ALIASES.get(provider, provider)
