# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Provider tables of both dialects (MIST_API.md sections 1 and 2)."""

import collections

# Dialect `backends`: GET /providers, exactly this order and these titles.
BACKEND_PROVIDERS = (
    ('bare_metal', 'Bare Metal Server'),
    ('ec2_ap_northeast', 'EC2 AP NORTHEAST'),
    ('ec2_ap_southeast', 'EC2 AP SOUTHEAST'),
    ('ec2_ap_southeast_2', 'EC2 AP Sydney'),
    ('ec2_eu_west', 'EC2 EU Ireland'),
    ('ec2_sa_east', 'EC2 SA EAST'),
    ('ec2_us_east', 'EC2 US EAST'),
    ('ec2_us_west', 'EC2 US WEST'),
    ('ec2_us_west_oregon', 'EC2 US WEST OREGON'),
    ('gce', 'Google Compute Engine'),
    ('nephoscale', 'NephoScale'),
    ('digitalocean', 'DigitalOcean'),
    ('linode', 'Linode'),
    ('openstack', 'OpenStack'),
    ('rackspace:dfw', 'Rackspace DFW'),
    ('rackspace:ord', 'Rackspace ORD'),
    ('rackspace:iad', 'Rackspace IAD'),
    ('rackspace:lon', 'Rackspace LON'),
    ('rackspace:syd', 'Rackspace AU'),
    ('rackspace:hkg', 'Rackspace HKG'),
    ('rackspace_first_gen:us', 'Rackspace US (OLD)'),
    ('rackspace_first_gen:uk', 'Rackspace UK (OLD)'),
    ('softlayer', 'SoftLayer'),
    ('hpcloud:region-a.geo-1', 'HP Helion Cloud - US West'),
    ('hpcloud:region-b.geo-1', 'HP Helion Cloud - US East'),
    ('docker', 'Docker'),
)

_BACKEND_IDS = frozenset(pid for pid, _title in BACKEND_PROVIDERS)
# Providers whose every entry carries a region (`rackspace:lon`): the region is part of the identity.
_REGIONAL = frozenset(pid.split(':', 1)[0] for pid in _BACKEND_IDS if ':' in pid)


def backend_provider_known(provider, region):
    """True when the server can log in to this provider (step 5 of an add)."""
    if provider in _REGIONAL:
        return '%s:%s' % (provider, region) in _BACKEND_IDS
    return provider in _BACKEND_IDS


# Dialect `clouds`: canonical name -> aliases, driver, category, fields.
CloudProvider = collections.namedtuple(
    'CloudProvider', 'name aliases driver category required optional secret defaults integers')


def _cloud(name, aliases=(), category='public', required=(), optional=(), secret=(), defaults=None, integers=()):
    return CloudProvider(name, tuple(aliases), name, category, tuple(required), tuple(optional),
                         frozenset(secret), dict(defaults or {}), frozenset(integers))


CLOUD_PROVIDERS = collections.OrderedDict((p.name, p) for p in (
    _cloud('ec2', ('amazon', 'aws'), required=('apikey', 'apisecret', 'region'), secret=('apisecret',)),
    _cloud('gce', ('google', 'gcp'), required=('email', 'private_key', 'project_id'), secret=('private_key',)),
    _cloud('bare_metal', ('other', 'ssh'), category='other', optional=('host', 'ssh_user', 'ssh_port', 'ssh_key'),
           integers=('ssh_port',)),
    _cloud('libvirt', ('kvm',), category='hypervisor', required=('host',), optional=('username', 'key')),
    _cloud('openstack', category='private', required=('username', 'password', 'url', 'tenant'),
           optional=('region', 'domain', 'compute_endpoint'), secret=('password',)),
    _cloud('digitalocean', required=('token',), secret=('token',)),
    _cloud('linode', required=('apikey',), secret=('apikey',)),
    _cloud('rackspace', required=('username', 'apikey', 'region'), secret=('apikey',)),
    _cloud('softlayer', ('ibm',), required=('username', 'apikey'), secret=('apikey',)),
    _cloud('azure_arm', ('azure',), required=('tenant_id', 'subscription_id', 'key', 'secret'), secret=('secret',)),
    _cloud('docker', category='container', required=('host',),
           optional=('port', 'auth_user', 'auth_password', 'key_file', 'cert_file', 'ca_cert_file'),
           secret=('auth_password', 'key_file'), defaults={'port': 2375}, integers=('port',)),
    _cloud('vsphere', category='private', required=('host', 'username', 'password'), secret=('password',)),
    _cloud('vultr', required=('apikey',), secret=('apikey',)),
    _cloud('nephoscale', required=('username', 'password'), secret=('password',)),
))

_CLOUD_NAMES = dict((alias, p.name) for p in CLOUD_PROVIDERS.values() for alias in (p.name,) + p.aliases)


def cloud_provider(name):
    """The CloudProvider for a name or alias (case-insensitive), or None."""
    canonical = _CLOUD_NAMES.get(name.strip().lower())
    return CLOUD_PROVIDERS[canonical] if canonical else None


def cloud_providers_doc():
    """The body of GET /api/v1/providers."""
    return {'supported_providers': [
        {'name': p.name, 'aliases': list(p.aliases), 'driver': p.driver, 'category': p.category,
         'features': {'compute': True, 'dns': p.category == 'public', 'storage': p.name in ('ec2', 'gce', 'openstack'),
                      'container': p.name == 'docker'}}
        for p in CLOUD_PROVIDERS.values()]}


def credential_failure(values):
    """The deterministic credential rule: 401 when a secret starts with `invalid`,
    503 when one starts with `unreachable`, None when the provider accepts them."""
    values = [v for v in values if isinstance(v, str)]
    if any(v.startswith('invalid') for v in values):
        return 401
    if any(v.startswith('unreachable') for v in values):
        return 503
    return None
