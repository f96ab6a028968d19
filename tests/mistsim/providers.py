# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Provider tables of both dialects (MIST_API.md sections 1 and 2)."""

import collections
import json
import os

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

# B2 (9af63a984 config.py) inserts Azure after bare metal.
BACKEND_PROVIDERS_B2 = BACKEND_PROVIDERS[:1] + (('azure', 'Azure'),) + BACKEND_PROVIDERS[1:]


# Dialect `clouds`: the cloud models of mist.api (MIST_API.md 2.5), per era.
# C1 = v4.5.4 (dd989442f clouds/models.py:467-742), C3 = HEAD (dcf483f47 clouds/models.py:538-810).
# A field: (name, kind, required, default); kind is str, int, bool or None (a nullable str).
Field = collections.namedtuple('Field', 'name kind required default')
CloudModel = collections.namedtuple('CloudModel', 'provider class_name fields secret renames special')


def _f(name, kind=str, required=False, default=None):
    return Field(name, kind, required, default)


def _model(provider, class_name, fields=(), secret=(), renames=(), special=None):
    return CloudModel(provider, class_name, tuple(fields), frozenset(secret), tuple(renames), special)


_OPENSTACK_RENAMES = (('auth_url', 'url'), ('tenant_name', 'tenant'), ('domain_name', 'domain'))
_DOCKER_RENAMES = (('docker_port', 'port'), ('docker_host', 'host'), ('auth_user', 'username'),
                   ('auth_password', 'password'))
_DOCKER_FIELDS = (_f('host', required=True), _f('port', int, True, 4243), _f('username'), _f('password'),
                  _f('key_file'), _f('cert_file'), _f('ca_cert_file'), _f('show_all', bool, False, False))
_KUBEVIRT_FIELDS = (_f('host', required=True), _f('port', int, True, 6443), _f('username'), _f('password'),
                    _f('token'), _f('key_file'), _f('cert_file'), _f('ca_cert_file'), _f('verify', bool))


def _models(era):
    c3 = era == 'C3'
    models = [
        _model('ec2', 'AmazonCloud', (_f('apikey', required=True), _f('apisecret', required=True),
                                      _f('region', required=True)), ('apisecret',)),
        _model('gce', 'GoogleCloud', (_f('email', required=True), _f('private_key', required=True),
                                      _f('project_id', required=True)), ('private_key',)),
        _model('rackspace', 'RackSpaceCloud', (_f('username', required=True), _f('apikey', required=True),
                                               _f('region', required=True)), ('apikey',)),
        _model('openstack', 'OpenStackCloud',
               (_f('username', required=True), _f('password', required=True), _f('url', required=True),
                _f('tenant', required=True)) + ((_f('tenant_id'),) if c3 else ()) +
               (_f('domain'), _f('region'), _f('compute_endpoint')), ('password',), _OPENSTACK_RENAMES, 'openstack'),
        _model('digitalocean', 'DigitalOceanCloud', (_f('token', required=True),), ('token',)),
        _model('linode', 'LinodeCloud', (_f('apikey', required=True), _f('apiversion', None)), ('apikey',)),
        _model('softlayer', 'SoftLayerCloud', (_f('username', required=True), _f('apikey', required=True)),
               ('apikey',)),
        _model('docker', 'DockerCloud', _DOCKER_FIELDS,
               ('username', 'password', 'key_file', 'cert_file', 'ca_cert_file') if c3 else ('password', 'key_file'),
               _DOCKER_RENAMES, 'host'),
        _model('vsphere', 'VSphereCloud', (_f('host', required=True), _f('username', required=True),
                                           _f('password', required=True), _f('ca_cert_file'),
                                           _f('max_properties_per_request', int, False, 20)),
               ('password', 'ca_cert_file') if c3 else ('password',), (), 'host'),
        _model('azure_arm', 'AzureArmCloud', (_f('tenant_id', required=True), _f('subscription_id', required=True),
                                              _f('key', required=True), _f('secret', required=True)), ('secret',)),
        _model('vultr', 'VultrCloud', (_f('apikey', required=True),), ('apikey',)),
        _model('equinixmetal', 'EquinixMetalCloud', (_f('apikey', required=True), _f('project_id')), ('apikey',)),
        _model('kubevirt', 'KubeVirtCloud', _KUBEVIRT_FIELDS,
               ('username', 'password', 'token', 'key_file', 'cert_file', 'ca_cert_file') if c3
               else ('password', 'key_file', 'cert_file', 'ca_cert_file'), (), 'host'),
        _model('libvirt', 'LibvirtCloud', (_f('hosts', list),) if c3 else (), (), (), 'libvirt'),
        _model('other' if c3 else 'bare_metal', 'OtherCloud', (), (), (), 'other'),
    ]
    if not c3:   # classic Azure (service certificates); C3 maps `azure` to Azure ARM
        models.append(_model('azure', 'AzureCloud', (_f('subscription_id', required=True),
                                                     _f('certificate', required=True)), ('certificate',)))
    return collections.OrderedDict((m.provider, m) for m in models)


def _aliases(era, models):
    """The provider names an add accepts (clouds/models.py `_populate_clouds`)."""
    names = dict((provider, provider) for provider in models)
    if era == 'C1':   # dd989442f clouds/models.py:56-68
        names.update(amazon='ec2', kvm='libvirt', other='bare_metal', google='gce', ibm='softlayer',
                     equinix='equinixmetal')
        return names
    for key, doc in cloud_providers_doc(era).items():   # C3: every config.PROVIDERS key and alias
        target = doc['driver'] if doc['driver'] in models else next(
            (names[alias] for alias in [key] + doc['aliases'] if alias in names), None)
        if target:
            for alias in [key] + doc['aliases']:
                names[alias] = target
    return names


def cloud_providers_doc(era):
    """config.PROVIDERS of the era (keyed; GET /api/v1/providers lists the values)."""
    if era not in _PROVIDERS_DOCS:
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'data', 'providers_%s.json' % era)
        with open(path, encoding='utf-8') as handle:
            _PROVIDERS_DOCS[era] = json.load(handle, object_pairs_hook=collections.OrderedDict)
    return _PROVIDERS_DOCS[era]


_PROVIDERS_DOCS = {}
CLOUD_MODELS = dict((era, _models(era)) for era in ('C1', 'C3'))
CLOUD_NAMES = dict((era, _aliases(era, CLOUD_MODELS[era])) for era in ('C1', 'C3'))


def cloud_model(era, name):
    """The CloudModel a provider name selects in this era (exact, case-sensitive), or None."""
    canonical = CLOUD_NAMES[era].get(name)
    return CLOUD_MODELS[era][canonical] if canonical else None


def credential_failure(values):
    """The deterministic credential rule: 401 when a secret starts with `invalid`,
    503 when one starts with `unreachable`, None when the provider accepts them."""
    values = [v for v in values if isinstance(v, str)]
    if any(v.startswith('invalid') for v in values):
        return 401
    if any(v.startswith('unreachable') for v in values):
        return 503
    return None
