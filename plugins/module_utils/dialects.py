# -*- coding: utf-8 -*-
# Copyright (c) mistio.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Dialects: the wire. One class per Mist dialect, each holding its eras.

Layer 2 of module_utils, above the transport (client.py). A dialect owns the
paths, the auth header and login, request bodies, response normalisation,
backend ids, api_version auto (connect()) and the capabilities it declares
(computed_ids, unique_names, can_update(), readable_fields(), name_field,
stores(), stored_as(), regions(), takes_field(), required_fields()).
Everything above reads those capabilities and never tests a dialect's or an
era's name.

It imports only the transport and resources.py (the wire shapes of resource
listings). What each dialect knows per provider is its own data: which
providers it stores, the wire names of their fields, its provider ids and
the providers it lists under another name. What is the catalogue's (the
fields of a provider, which are secret, a title) the layer above hands down
as plain data (``providers``, from providers.provider_table()).

Moved here from client.py: dialect detection, login, auth headers.
Moved here from providers.py: to_wire / from_wire (now add_body / normalise).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import hashlib
import json
import os
import re
import tempfile
from urllib.parse import quote

from ansible_collections.mistio.cloud.plugins.module_utils.client import (
    MistError, NotSupported, describe, header_safe, looks_html, parse_json,
)
from ansible_collections.mistio.cloud.plugins.module_utils import resources

API_VERSIONS = ('auto', 'backends', 'clouds')

# api_version: auto is resolved once per process and url (the inventory
# plugin and several tasks in one run share it); so is an era, once learnt.
_DIALECT_CACHE = {}
_ERA_CACHE = {}

# Mist's own base58 order: lower case before upper case (not Bitcoin's).
BASE58_ALPHABET = '123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ'


def clear_dialect_cache():
    """Forget every detected dialect and era (tests; a server upgraded mid-run)."""
    _DIALECT_CACHE.clear()
    _ERA_CACHE.clear()


def base58(number):
    """Encode a non-negative integer with Mist's base58 alphabet."""
    if number <= 0:
        return BASE58_ALPHABET[0] if number == 0 else ''
    digits = []
    while number:
        number, rest = divmod(number, 58)
        digits.append(BASE58_ALPHABET[rest])
    return ''.join(reversed(digits))


def backend_id(provider, region, key):
    """The id a backends server gives: base58(sha1(provider + region + key))."""
    text = '%s%s%s' % (provider, region or '', key or '')
    return base58(int(hashlib.sha1(text.encode('utf-8')).hexdigest(), 16))


def _kind(value):
    """What a JSON value is, for a message (never the value: it may hold a secret)."""
    if value is None:
        return 'null'
    return {dict: 'an object', list: 'a list', str: 'a string', bool: 'a boolean'}.get(type(value), 'a number')


def _given(creds):
    return dict((k, v) for k, v in (creds or {}).items() if v is not None and v != '')


class _Dialect(object):
    """What both dialects share; subclasses set the paths, the wire mapping and the capabilities."""

    name = None
    collection = None
    ERAS = ()
    # Capabilities (read by the plan and the modules; never the name).
    computed_ids = False      # a backend's id follows from its provider and credentials
    unique_names = False      # the server refuses two backends with one name
    strips_names = False      # the server stores (and compares) names stripped of surrounding whitespace
    name_rule = None          # a regex every added or renamed name must match, else the server refuses it

    def __init__(self, transport, api_token=None, email=None, password=None, providers=None):
        self.transport = transport
        # The catalogue's providers as plain data: {canonical: {title, fields: {name: secret}}}.
        self.providers = providers or {}
        self.url = transport.url
        transport.add_secret(api_token)
        # A token pasted with its line ending: the server's tokens never hold whitespace.
        self._token = api_token.strip() if isinstance(api_token, str) and api_token.strip() else None
        self._email = email or None
        self._password = password or None
        self._login_done = False
        self._prefetched = {}
        transport.add_secret(self._token)
        transport.add_secret(self._password)

    # Eras and capabilities -------------------------------------------------

    @property
    def era(self):
        """The era of the server (one of ERAS), or None until an answer told it."""
        return _ERA_CACHE.get((self.name, self.url))

    @era.setter
    def era(self, value):
        _ERA_CACHE[(self.name, self.url)] = value

    @property
    def name_field(self):
        """The add body's name field."""
        return 'title'

    def added_name(self, desired):
        """The name the server gives a backend it adds (the declared one, unless it names it itself)."""
        return desired.get('name')

    def can_update(self, canonical):
        """Whether a backend of this provider can have its credentials changed in place."""
        return False

    def hosts_on_machines(self, canonical):
        """Whether a backend of this provider keeps its host on its machines, not in its listed fields."""
        return False

    def id_fields(self, canonical):
        """Credential fields never listed back that its computed id follows: a different id means they changed."""
        return ()

    def named_id_fields(self, canonical):
        """Credential fields never listed back that the computed id follows together with the name: the
        same id confirms them; another id may also mean a rename since the add, so it tells nothing."""
        return ()

    def machine_hosts(self, backend_id):
        """The hosts of a backend's machines (their host names and addresses), one GET."""
        hosts = []
        for machine in self.list_machines(backend_id):
            hosts.extend(value for value in [machine.get('hostname')] + machine.get('public_ips', []) + machine.get('private_ips', [])
                         if value and value not in hosts)
        return hosts

    def readable_fields(self, canonical):
        """The non-secret credential fields a list shows back: only these are ever compared."""
        return frozenset()

    def stores(self, canonical):
        """Whether this dialect can hold a backend of this canonical provider."""
        raise NotImplementedError

    def stored_as(self, canonical):
        """The canonical provider a backend of this provider is stored (and listed) as."""
        return canonical

    def regions(self, canonical):
        """The only regions of this provider the dialect can express, or None: those the catalogue allows."""
        return None

    def takes_field(self, canonical, field):
        """Whether an add of this provider can carry this credential field."""
        return self.stores(canonical)

    def required_fields(self, canonical):
        """Credential fields this dialect requires although the catalogue leaves them optional."""
        return ()

    def wire_names(self, canonical, field):
        """The body fields a credential field is sent as."""
        return (field,)

    def _public_fields(self, canonical):
        """The non-secret credential fields of a provider this dialect takes, in catalogue order."""
        fields = self.providers.get(canonical, {}).get('fields', {})
        return [name for name, secret in fields.items() if not secret and self.takes_field(canonical, name)]

    # Auth and requests --------------------------------------------------

    def auth_header(self):
        return {'Authorization': header_safe('api_token', self._token)} if self._token else {}

    def login(self):
        """Mint a token from email + password, once per connection."""
        if self._token or not self._password or self._login_done:
            return
        self._login_done = True
        data = self._login_request()
        if data is None:
            return
        token = data.get(self.token_field) if isinstance(data, dict) else None
        if not token or not isinstance(token, str):
            raise MistError('Mist accepted the login of %s but returned no token.' % self._email, kind='auth')
        self.transport.add_secret(token)
        self._token = header_safe('the token Mist returned at login', token)

    def _login_request(self):
        body = {'email': self._email, 'password': self._password}
        data = self.transport.request('POST', self.login_path, body, True, {}, login=True)
        return {} if data is None else data

    def request(self, method, path, json=None, retry=True):
        """One API request with this dialect's auth (logging in first when needed).

        The secret values of the body are kept out of any message.
        """
        self.login()
        if method == 'GET' and (method, path) in self._prefetched:
            return self._prefetched.pop((method, path))
        secrets = self._secret_values(json) if isinstance(json, dict) else ()
        return self.transport.request(method, path, json, retry, self.auth_header(), secrets)

    def _path(self, *parts):
        return '/'.join([self.collection] + [quote(str(part), safe='') for part in parts])

    def _get_list(self, path):
        return self._expect_list(self.request('GET', path), path)

    def _expect_list(self, data, path):
        """A list answer, every entry an object; anything else fails (never read as an empty list)."""
        odd = None if isinstance(data, list) else 'not a list but %s' % _kind(data)
        for index, entry in enumerate(data if odd is None else ()):
            if not isinstance(entry, dict):
                odd = 'a list whose entry %d is %s, not an object' % (index, _kind(entry))
                break
        if odd:
            raise MistError('%s does not look like a Mist server (GET %s answered %s).' % (self.url, path, odd),
                            method='GET', path=path, kind='not_mist')
        return data

    # Backends -------------------------------------------------------------

    def list_backends(self):
        """Every backend (enabled or not), normalised; the entries tell the era when it is not known yet."""
        entries = [entry for entry in self._get_list(self._path()) if isinstance(entry, dict)]
        if entries and self.era is None:
            self.era = self.era_of_entries(entries)
        return [self.normalise(entry) for entry in entries]

    def era_of_entries(self, entries):
        """The era listed entries show, or None."""
        return None

    def add_backend(self, desired):
        """Add a resolved, validated desired backend; never retried blindly (see safe create). Returns it normalised."""
        body = self.add_body(desired)
        path = self._path()
        data = self.request('POST', path, json=body, retry=False)
        if not isinstance(data, dict):
            raise MistError('Mist answered POST %s without the new backend; list the backends to see whether it was added.' % path,
                            method='POST', path=path, kind='not_mist', ambiguous=True)
        return self.normalise(data)

    def rename(self, backend_id, name):
        self.request('PUT', self._path(backend_id), json={'new_name': name})
        return True

    def set_enabled(self, backend_id, enabled):
        # Toggle values are the strings "1"/"0": the clouds server ignores an integer 0.
        self.request('POST', self._path(backend_id), json={'new_state': '1' if enabled else '0'})
        return True

    def delete(self, backend_id):
        """True when this call deleted it; False when it was already gone (404).

        A 404 after an attempt whose answer was lost (dropped, timed out, 5xx, a server
        restart) means that attempt deleted it: this call did.
        """
        try:
            self.request('DELETE', self._path(backend_id))
        except MistError as exc:
            if exc.status == 404:
                return exc.after_ambiguous
            raise
        return True

    def list_resources(self, kind, backend_id):
        """The images, sizes, locations or machines (kind) of one backend, in resources' one shape."""
        path = self._path(backend_id, kind)
        try:
            data = self.request('GET', path)
        except MistError as exc:
            if exc.status == 404 and exc.kind == 'html':
                raise NotSupported('%s has no endpoint for the %s of a backend (GET %s answered 404 with a web page); '
                                   'this Mist server does not offer them.' % (self.url, kind, path))
            raise
        if isinstance(data, dict) and isinstance(data.get(kind), list):
            data = data[kind]  # clouds, a member without access to the cloud: {cloud_id, <kind>: []}
        return resources.normalise(kind, self._expect_list(data, path), backend_id)

    def list_machines(self, backend_id):
        """The machines of one backend, normalised."""
        return self.list_resources('machines', backend_id)

    def candidate_ids(self, desired):
        """The ids the server may give this desired backend ([] when it assigns them)."""
        return []

    def _provider_entries(self, path):
        """supported_providers of a providers answer: a list of objects, else a clear failure."""
        data = self.request('GET', path)
        entries = data.get('supported_providers') if isinstance(data, dict) else None
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries) \
                or any(isinstance(e.get(k), (dict, list)) for e in entries for k in ('name', 'provider', 'title')):
            raise MistError('%s does not look like a Mist server (GET %s did not answer supported_providers as a list '
                            'of objects).' % (self.url, path), method='GET', path=path, kind='not_mist')
        return entries

    def _secret_values(self, body):
        """The values of a body sent under the name (or wire name here) of any provider's secret field."""
        names = set(['password', 'api_token', 'token'])
        for canonical, spec in self.providers.items():
            for field, secret in spec.get('fields', {}).items():
                if secret:
                    names.add(field)
                    names.update(self.wire_names(canonical, field) if self.takes_field(canonical, field) else ())
        return [value for key, value in body.items() if key in names]

    def normalise(self, entry):
        for key in ('id', 'title', 'name', 'provider', 'region', 'state', 'status'):
            if isinstance(entry.get(key), (dict, list)):
                raise MistError('%s does not look like a Mist server (a listed backend has a %s that is %s, not a '
                                'string).' % (self.url, key, _kind(entry[key])), kind='not_mist')
        canonical, region, credentials = self._identity(entry)
        enabled = entry.get('enabled', True)
        if isinstance(enabled, str):
            enabled = enabled.strip().lower() not in ('0', 'false', 'no', '')
        return {
            'id': str(entry.get('id')),
            'name': self.listed_name(entry),
            'provider': canonical,
            'region': region,
            'enabled': bool(enabled),
            'state': entry.get('state') or entry.get('status') or '',
            'credentials': credentials,
        }

    def _identity(self, entry):
        """(canonical, region, non-secret credentials) of a listed entry; unknown providers pass through."""
        raise NotImplementedError

    def listed_name(self, entry):
        """The backend's name in a listed entry."""
        raise NotImplementedError


class BackendsDialect(_Dialect):
    """mist.io up to 0.9 (eras B1, B2): /backends at the root, computable backend ids."""

    name = 'backends'
    collection = '/backends'
    login_path = '/auth'
    token_field = 'mist_api_token'
    computed_ids = True
    ERAS = ('B1', 'B2')
    # B2 (9af63a984 model.py:113-124) hashes the URL and tenant of these too; B1 does not.
    URL_IN_ID = ('openstack', 'hpcloud')
    # Any apiurl naming hpcloudsvc is stored as this (9af63a984 methods.py:180).
    HPCLOUD_AUTH_URL = 'https://region-a.geo-1.identity.hpcloudsvc.com:35357/v2.0/tokens'
    # The providers these servers store and the body fields each credential field is sent as
    # (MIST_API.md 1, Add). The servers are frozen: adding a provider never touches this.
    _KEY_PAIR = {'username': ('apikey',), 'apikey': ('apisecret',)}
    _OPENSTACK = {'username': ('apikey',), 'password': ('apisecret',), 'url': ('apiurl',), 'tenant': ('tenant_name',),
                  'compute_endpoint': ('compute_endpoint',)}
    WIRE_FIELDS = {
        'ec2': {'apikey': ('apikey',), 'apisecret': ('apisecret',)},
        'rackspace': _KEY_PAIR, 'rackspace_first_gen': _KEY_PAIR, 'softlayer': _KEY_PAIR,
        'gce': {'email': ('apikey',), 'private_key': ('apisecret',), 'project_id': ('tenant_name',)},
        'openstack': _OPENSTACK, 'hpcloud': _OPENSTACK,
        # One key field: a token-only provider repeats it.
        'digitalocean': {'token': ('apikey', 'apisecret')},
        'linode': {'apikey': ('apikey', 'apisecret')},
        'nephoscale': {'username': ('apikey',), 'password': ('apisecret',)},
        # The host URL is apiurl (part of the id, with the title), the basic-auth user and
        # password apikey and apisecret (both optional); there is no TLS.
        'docker': {'host': ('apiurl',), 'port': ('docker_port',), 'auth_user': ('apikey',), 'auth_password': ('apisecret',)},
        'bare_metal': {'host': ('machine_ip', 'apikey'), 'ssh_user': ('machine_user',), 'ssh_port': ('machine_port',),
                       'ssh_key': ('machine_key',)},
    }
    # The server needs a bare-metal host and the id of an SSH key it already holds.
    REQUIRED = {'bare_metal': ('host', 'ssh_key')}
    # Provider ids that name an EC2 region (GET /providers order); the others are the provider, or
    # provider:region for these providers.
    REGION_IDS = {'ec2': (
        ('ec2_ap_northeast', 'ap-northeast-1'), ('ec2_ap_southeast', 'ap-southeast-1'),
        ('ec2_ap_southeast_2', 'ap-southeast-2'), ('ec2_eu_west', 'eu-west-1'), ('ec2_sa_east', 'sa-east-1'),
        ('ec2_us_east', 'us-east-1'), ('ec2_us_west', 'us-west-1'), ('ec2_us_west_oregon', 'us-west-2'),
    )}
    REGION_IN_ID = ('rackspace', 'rackspace_first_gen', 'hpcloud')

    LISTED_WIRE_FIELDS = {'B1': ('apikey',), 'B2': ('apikey', 'docker_port')}

    def era_of_entries(self, entries):
        # Late B2 lists tenant_name (cf2a04a2f); B1 never does. Early B2 looks like B1 here.
        return 'B2' if any('tenant_name' in entry for entry in entries) else None

    def listed_name(self, entry):
        # The server lists `title or provider` (methods.py:1522-1537).
        return entry.get('title') or entry.get('provider')

    def id_fields(self, canonical):
        # A bare-metal id is provider + host (model.py get_id); its listed apikey is "".
        return ('host',) if canonical == 'bare_metal' else ()

    def added_name(self, desired):
        # A bare-metal backend is titled by its host whatever the body says (views.py:176-200).
        if desired.get('provider') == 'bare_metal':
            return (desired.get('credentials') or {}).get('host')
        return desired.get('name')

    def auth_header(self):
        if self._token and self._email:
            return {'Authorization': 'mist_1 %s:%s' % (header_safe('email', self._email), header_safe('api_token', self._token))}
        return super(BackendsDialect, self).auth_header()

    def _login_request(self):
        try:
            return super(BackendsDialect, self)._login_request()
        except MistError as exc:
            if exc.status == 404:
                return None  # a standalone backends server has no login and needs none
            raise

    def stores(self, canonical):
        return canonical in self.WIRE_FIELDS

    def regions(self, canonical):
        if canonical in self.REGION_IDS:
            return [region for dummy, region in self.REGION_IDS[canonical]]
        return None

    def takes_field(self, canonical, field):
        return field in self.WIRE_FIELDS.get(canonical, {})

    def required_fields(self, canonical):
        return self.REQUIRED.get(canonical, ())

    def wire_names(self, canonical, field):
        return self.WIRE_FIELDS.get(canonical, {}).get(field, ())

    def readable_fields(self, canonical):
        if canonical == 'bare_metal':
            return frozenset()  # listed apikey is "" (MIST_API.md 1, list entry)
        # Only apikey is listed among the credentials (MIST_API.md 3.4); late B2 also lists a Docker
        # backend's docker_port (4fc89bb63 methods.py:2804-2807). A Docker host (apiurl) is never listed.
        wires = set(self.LISTED_WIRE_FIELDS.get(self.era, ('apikey',)))
        return frozenset(f for f in self._public_fields(canonical) if wires & set(self.wire_names(canonical, f)))

    def named_id_fields(self, canonical):
        # A Docker id is provider + title + apiurl (model.py get_id): the id confirms the host only
        # while the backend keeps the title it was added with.
        return ('host',) if canonical == 'docker' else ()

    def _provider_id(self, canonical, region):
        """(provider id, region field) of an add body; NotSupported when this wire cannot name the region."""
        if canonical in self.REGION_IDS:
            for provider_id, listed in self.REGION_IDS[canonical]:
                if listed == region:
                    return provider_id, None
        elif canonical in self.REGION_IN_ID and region:
            return '%s:%s' % (canonical, region), None
        elif canonical not in self.REGION_IN_ID:
            return canonical, region
        raise NotSupported('The backends servers have no provider %s in region %s.' % (canonical, region))

    def _listed_provider(self, provider, region):
        """(canonical, region) of a provider id as a server lists it (rackspace:lon, ec2_us_east); unknown ids pass."""
        if ':' in provider:
            provider, region = provider.split(':', 1)
        for canonical, ids in self.REGION_IDS.items():
            for provider_id, listed in ids:
                if provider_id == provider:
                    return canonical, listed
        return provider, region

    def list_providers(self):
        entries = self._provider_entries('/providers')
        return [{'id': e.get('provider'), 'title': e.get('title') or e.get('provider'), 'aliases': []} for e in entries]

    def update_credentials(self, backend_id, fields, provider=None):
        raise NotSupported('The Mist server speaks the backends dialect, which has no way to update the credentials of '
                           'backend %s; use update_credentials: on_create, or delete and re-add it yourself.' % backend_id)

    def add_body(self, desired):
        canonical = desired['provider']
        if not self.stores(canonical):
            raise NotSupported('The backends servers have no provider %s.' % canonical)
        given = _given(desired.get('credentials'))
        body = {'title': desired.get('name')}
        body['provider'], region = self._provider_id(canonical, desired.get('region'))
        if region:
            body['region'] = region
        for field, wires in self.WIRE_FIELDS[canonical].items():
            if field in given:
                for wire in wires:
                    body.setdefault(wire, given[field])
        return body

    def candidate_ids(self, desired):
        """The ids the server may give this backend (model.py get_id of each era).

        docker: provider+title+apiurl; bare metal: provider+host; OpenStack and HP in
        B2: provider+region+apikey+apiurl+tenant_name; others: provider+region+apikey.
        Until the era is known, OpenStack and HP have one candidate per era. [] when
        this wire cannot express the backend (no id to compute).
        """
        try:
            body = self.add_body(desired)
        except NotSupported:
            return []
        provider, dummy, region = body['provider'].partition(':')
        region = region or body.get('region') or ''
        if provider == 'docker':
            return [backend_id(provider, body.get('title') or '', body.get('apiurl') or '')]
        if provider == 'bare_metal':
            return [backend_id(provider, '', body.get('machine_ip'))]
        ids = []
        if provider in self.URL_IN_ID and self.era != 'B1':
            tail = '%s%s' % (self._b2_apiurl(provider, body.get('apiurl') or ''), body.get('tenant_name') or '')
            ids.append(backend_id(provider, region, '%s%s' % (body.get('apikey') or '', tail)))
        if provider not in self.URL_IN_ID or self.era != 'B2':
            ids.insert(0, backend_id(provider, region, body.get('apikey')))
        return ids

    def _b2_apiurl(self, provider, apiurl):
        """The apiurl as B2 stores (and hashes) it (9af63a984 methods.py:166-180)."""
        if 'hpcloudsvc' in apiurl:
            return self.HPCLOUD_AUTH_URL
        if provider == 'openstack':
            for suffix in ('/v2.0/', '/v2.0'):
                if apiurl.endswith(suffix):
                    apiurl = apiurl.split(suffix)[0]
                    break
            apiurl = apiurl.rstrip('/')
        return apiurl

    def add_backend(self, desired):
        added = super(BackendsDialect, self).add_backend(desired)
        ids = self.candidate_ids(desired)
        if self.era is None and len(ids) == 2 and added['id'] in ids:
            self.era = 'B1' if added['id'] == ids[0] else 'B2'
        return added

    def _identity(self, entry):
        canonical, region = self._listed_provider(str(entry.get('provider') or ''), entry.get('region') or None)
        creds = {}
        for field in self._public_fields(canonical):
            for wire in self.wire_names(canonical, field):
                if entry.get(wire) not in (None, ''):
                    creds[field] = entry[wire]
                    break
        return canonical, region, creds


class CloudsDialect(_Dialect):
    """mist.api v1 (Mist 3+, eras C1, C3): /api/v1/clouds, unique names, random ids."""

    name = 'clouds'
    collection = '/api/v1/clouds'
    login_path = '/api/v1/tokens'
    token_field = 'token'
    unique_names = True
    strips_names = True
    # MIST_API.md 2.4 (clouds/methods.py:25-30, C1 from v4.3.8 and C3): add and rename.
    name_rule = re.compile(r'^[0-9a-zA-Z]+[0-9a-zA-Z-_ .]{0,}[0-9a-zA-Z]+$')
    ERAS = ('C1', 'C3')
    # Providers whose clouds list no fields and refuse a PATCH: their hosts live on machines
    # (MIST_API.md 2.5, "OtherServer clouds don't support update", libvirt likewise).
    MACHINE_HELD = frozenset(['bare_metal', 'libvirt'])
    # Fields no secret to the user that a cloud never lists in an era (MIST_API.md 2.5 table).
    UNLISTED = {
        'C1': frozenset(),
        'C3': frozenset([('docker', 'auth_user'), ('docker', 'cert_file'), ('docker', 'ca_cert_file'),
                         ('vsphere', 'ca_cert_file')]),
    }
    # Provider ids as the servers list them, where they differ from the catalogue's (MIST_API.md 3.3).
    LISTED_PROVIDERS = {'other': 'bare_metal', 'packet': 'equinixmetal'}
    # First-generation Rackspace was retired before these servers; HP Helion was OpenStack.
    NOT_STORED = frozenset(['rackspace_first_gen'])
    STORED_AS = {'hpcloud': 'openstack'}
    # Credential fields sent under another name: Docker's basic auth (MIST_API.md 2.5).
    WIRE_NAMES = {('docker', 'auth_user'): 'username', ('docker', 'auth_password'): 'password'}

    def era_of_entries(self, entries):
        # C1 lists title (dd989442f clouds/models.py:237-261), C3 name (clouds/models.py:263-289).
        if any('name' in entry for entry in entries):
            return 'C3'
        if any('title' in entry for entry in entries):
            return 'C1'
        return None

    @property
    def name_field(self):
        # C1 reads title only; C3 name (and refuses a leftover title). Until told, name.
        return 'title' if self.era == 'C1' else 'name'

    def listed_name(self, entry):
        return entry.get('name') or entry.get('title')

    def can_update(self, canonical):
        return canonical not in self.MACHINE_HELD

    def hosts_on_machines(self, canonical):
        return canonical in self.MACHINE_HELD

    def readable_fields(self, canonical):
        if canonical in self.MACHINE_HELD:
            return frozenset()
        eras = [self.era] if self.era in self.UNLISTED else list(self.UNLISTED)
        unlisted = set()
        for era in eras:
            unlisted.update(field for provider, field in self.UNLISTED[era] if provider == canonical)
        return frozenset(f for f in self._public_fields(canonical) if f not in unlisted)

    def stores(self, canonical):
        return canonical not in self.NOT_STORED

    def stored_as(self, canonical):
        return self.STORED_AS.get(canonical, canonical)

    def wire_names(self, canonical, field):
        return (self.WIRE_NAMES.get((canonical, field), field),)

    def add_backend(self, desired):
        """Add with name; a 400 that asks for a title is C1, which refused before writing: the same add with title."""
        try:
            return super(CloudsDialect, self).add_backend(desired)
        except MistError as exc:
            if exc.status != 400 or self.name_field != 'name' or 'title' not in (exc.message or ''):
                raise
        self.era = 'C1'
        return super(CloudsDialect, self).add_backend(desired)

    # config.PROVIDERS drivers that are no provider id an add takes (MIST_API.md 2.6): `other` has
    # none (dd989442f config.py:1913), vCloud's is `cloud` (config.py:1803); the add takes
    # bare_metal and vcloud (clouds/controllers/main/controllers.py:251,584).
    DRIVER_IDS = {'': 'bare_metal', 'cloud': 'vcloud'}

    def list_providers(self):
        return [self._provider(entry) for entry in self._provider_entries('/api/v1/providers')]

    def _provider(self, entry):
        """One providers entry as {id, title, aliases}.

        v4.4 and later (C1 v4.4-v4.5.4, C3) list config.PROVIDERS values: {name (the display
        name), aliases, driver, ...}, the id being the driver; v3.2-v4.3 {title, provider, regions}.
        """
        if 'driver' not in entry:
            ident = str(entry.get('provider') or entry.get('name') or '')
            title = entry.get('title') or self.providers.get(ident, {}).get('title') or ident
            return {'id': ident, 'title': title, 'aliases': [str(a) for a in entry.get('aliases') or []]}
        driver = str(entry.get('driver') or '')
        ident = self.DRIVER_IDS.get(driver, driver)
        aliases = [str(a) for a in entry.get('aliases') or [] if str(a) != ident]
        return {'id': ident, 'title': str(entry.get('name') or ident), 'aliases': aliases}

    def update_credentials(self, backend_id, fields, provider=None):
        """PATCH the changed provider fields, under their wire names."""
        fields = dict((k, v) for k, v in (fields or {}).items() if v is not None)
        if not fields:
            return False
        self.request('PATCH', self._path(backend_id), json=self._wire_fields(provider, fields))
        return True

    def _wire_fields(self, canonical, creds):
        return dict((self.wire_names(canonical, key)[0], value) for key, value in creds.items())

    def add_body(self, desired):
        body = {self.name_field: desired.get('name'), 'provider': self.stored_as(desired['provider'])}
        body.update(self._wire_fields(desired['provider'], _given(desired.get('credentials'))))
        if desired.get('region'):
            body['region'] = desired['region']
        return body

    def _identity(self, entry):
        provider = str(entry.get('provider') or '')
        canonical = self.LISTED_PROVIDERS.get(provider, provider)
        region = entry.get('region') or None
        creds = {}
        for field in self._public_fields(canonical):
            wire = self.wire_names(canonical, field)[0]
            if entry.get(wire) not in (None, ''):
                creds[field] = entry[wire]
        return canonical, region, creds


DIALECT_CLASSES = {'backends': BackendsDialect, 'clouds': CloudsDialect}


def connect(transport, api_version='auto', api_token=None, email=None, password=None, providers=None):
    """The dialect object for a server; api_version auto asks it once per process and url.

    providers: the catalogue as plain data (providers.provider_table()), handed down by the layer above.

    The probe is a list (its answer is kept for the first list_backends), so a
    task that lists anyway pays no extra request: the clouds list first, unless
    an earlier run found the backends dialect at this url (hints_path()).
    """
    if api_version not in API_VERSIONS:
        raise MistError('api_version must be one of %s (got %r).' % (', '.join(API_VERSIONS), api_version), kind='not_mist')
    if password and not email:
        raise MistError('password needs email to log in to Mist.', kind='auth')
    creds = dict(api_token=api_token, email=email, password=password, providers=providers)
    name = api_version if api_version != 'auto' else _DIALECT_CACHE.get(transport.url)
    if name:
        return DIALECT_CLASSES[name](transport, **creds)
    hints = _read_hints()
    key = _url_key(transport.url)
    dialect = None
    if hints.get(key) == BackendsDialect.name:
        dialect = _probe_backends_first(transport, creds)
    dialect = dialect or _detect(transport, creds)
    _DIALECT_CACHE[transport.url] = dialect.name
    _remember(hints, key, dialect.name)
    return dialect


# Each task is a process of its own, so what auto found is also kept on disk, per
# url: the two dialects share no list path (mist.api has no /backends, mist.io no
# /api/v1/clouds), and without it every task on a backends server would pay the
# clouds probe. Only a backends server is written down (clouds is probed first
# anyway); the entry only orders the probes, so a stale one costs a request, never
# a wrong answer. No secret goes in: the url is hashed.
HINTS_KEPT = 64


def hints_path():
    base = os.environ.get('XDG_CACHE_HOME') or os.path.join(os.path.expanduser('~'), '.cache')
    return os.path.join(base, 'mistio.cloud', 'dialects.json')


def _url_key(url):
    return hashlib.sha256(url.encode('utf-8')).hexdigest()


def _read_hints():
    try:
        with open(hints_path()) as handle:
            hints = json.load(handle)
    except (OSError, ValueError):
        return {}
    return hints if isinstance(hints, dict) else {}


def _remember(hints, key, name):
    """Keep a backends url (its key) for later processes; forget it once it answers as clouds."""
    if hints.get(key) == name or (name != BackendsDialect.name and key not in hints):
        return
    hints.pop(key, None)
    if name == BackendsDialect.name:
        hints[key] = name
    _write_hints(dict(list(hints.items())[-HINTS_KEPT:]))


def _write_hints(hints):
    """Replace the file atomically; a cache that cannot be written is only a lost request."""
    path = hints_path()
    tmp = None
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix='.dialects.')
        with os.fdopen(handle, 'w') as out:
            json.dump(hints, out)
        os.replace(tmp, path)
    except OSError:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)


def _probe_backends_first(transport, creds):
    """The backends list as the probe, where an earlier run found that dialect; None if not (any more)."""
    backends = BackendsDialect(transport, **creds)
    try:
        backends.login()
    except MistError as exc:
        if exc.status is None:
            raise  # unreachable: probing the other dialect would only wait again
        return None
    return backends if _probe_list(transport, backends)[0] else None


def _probe_list(transport, dialect):
    """GET the dialect's list: (True, answer) if the server speaks it (the list is kept for
    the first list_backends), else (False, answer); a server error fails as such."""
    path = dialect._path()
    listing = transport.send('GET', path, None, True, dialect.auth_header())
    if listing.status_code in (401, 403) and not looks_html(listing.text):
        return True, listing
    if listing.status_code >= 500:
        transport.parse(listing, 'GET', path)
    data = parse_json(listing.text) if listing.status_code == 200 else None
    if isinstance(data, list):
        dialect._prefetched[('GET', path)] = data
        return True, listing
    return False, listing


def _detect(transport, creds):
    clouds = CloudsDialect(transport, **creds)
    path = clouds._path()
    if clouds._password and not clouds._token:
        try:
            clouds.login()
        except MistError as exc:
            if exc.status != 404:
                raise
            return _detect_backends(transport, creds, 'POST %s answered 404' % clouds.login_path)
    speaks, listing = _probe_list(transport, clouds)
    if speaks:
        return clouds
    if listing.status_code != 404:
        raise transport.not_mist('GET %s answered %s' % (path, describe(listing)))
    return _detect_backends(transport, creds, 'GET %s answered 404' % path)


def _detect_backends(transport, creds, before):
    backends = BackendsDialect(transport, **creds)
    backends.login()
    speaks, listing = _probe_list(transport, backends)
    if not speaks:
        raise transport.not_mist('%s, GET %s answered %s' % (before, backends._path(), describe(listing)))
    return backends
