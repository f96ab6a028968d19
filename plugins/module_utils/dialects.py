# -*- coding: utf-8 -*-
# Copyright (c) mistio.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Dialects: the wire. One class per Mist dialect, each holding its eras.

Layer 2 of module_utils, above the transport (client.py). A dialect owns the
paths, the auth header and login, request bodies, response normalisation,
backend ids, api_version auto (connect()) and the capabilities it declares
(computed_ids, unique_names, can_update(), readable_fields(), name_field).
Everything above reads those capabilities and never tests a dialect's or an
era's name. It reads the provider catalogue (providers.py) as data: the
canonical ids, the fields and, for the backends era, their wire names.

Moved here from client.py: dialect detection, login, auth headers.
Moved here from providers.py: to_wire / from_wire (now add_body / normalise).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import hashlib
from urllib.parse import quote

from ansible_collections.mistio.cloud.plugins.module_utils.client import (
    MistError, NotSupported, describe, looks_html, parse_json,
)
from ansible_collections.mistio.cloud.plugins.module_utils import providers as catalogue
from ansible_collections.mistio.cloud.plugins.module_utils import resources

API_VERSIONS = ('auto', 'backends', 'clouds')

# api_version: auto is resolved once per process and url (the inventory
# plugin and several tasks in one run share it).
_DIALECT_CACHE = {}

# Mist's own base58 order: lower case before upper case (not Bitcoin's).
BASE58_ALPHABET = '123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ'


def clear_dialect_cache():
    """Forget every detected dialect (tests; a server upgraded mid-run)."""
    _DIALECT_CACHE.clear()


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


def _given(creds):
    return dict((k, v) for k, v in (creds or {}).items() if v is not None and v != '')


class _Dialect(object):
    """What both dialects share; subclasses set the paths, the wire mapping and the capabilities."""

    name = None
    collection = None
    # Capabilities (read by the plan and the modules; never the name).
    computed_ids = False      # a backend's id follows from its provider and credentials
    unique_names = False      # the server refuses two backends with one name
    name_field = 'title'      # the add body's name field

    def __init__(self, transport, api_token=None, email=None, password=None):
        self.transport = transport
        self.url = transport.url
        self._token = api_token or None
        self._email = email or None
        self._password = password or None
        self._login_done = False
        self._prefetched = {}
        transport.add_secret(self._token)
        transport.add_secret(self._password)

    # Capabilities ----------------------------------------------------------

    def can_update(self, canonical):
        """Whether a backend of this provider can have its credentials changed in place."""
        return False

    def readable_fields(self, canonical):
        """The non-secret credential fields a list shows back: only these are ever compared."""
        return frozenset()

    def stores(self, canonical):
        """Whether this dialect can hold a backend of this canonical provider."""
        return self.name in catalogue.PROVIDERS.get(canonical, {}).get('dialects', ())

    # Auth and requests --------------------------------------------------

    def auth_header(self):
        return {'Authorization': self._token} if self._token else {}

    def login(self):
        """Mint a token from email + password, once per connection."""
        if self._token or not self._password or self._login_done:
            return
        self._login_done = True
        data = self._login_request()
        if data is None:
            return
        token = data.get(self.token_field) if isinstance(data, dict) else None
        if not token:
            raise MistError('Mist accepted the login of %s but returned no token.' % self._email, kind='auth')
        self._token = token
        self.transport.add_secret(token)

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
        if not isinstance(data, list):
            raise MistError('%s does not look like a Mist server (GET %s did not return a list).' % (self.url, path),
                            method='GET', path=path, kind='not_mist')
        return data

    # Backends -------------------------------------------------------------

    def list_backends(self):
        """Every backend (enabled or not), normalised."""
        return [self.normalise(entry) for entry in self._get_list(self._path()) if isinstance(entry, dict)]

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
        """True when deleted; False when it was already gone (404)."""
        try:
            self.request('DELETE', self._path(backend_id))
        except MistError as exc:
            if exc.status == 404:
                return False
            raise
        return True

    # What a backend holds (images, sizes, locations, machines): one GET each, every era.
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

    def _secret_values(self, body):
        names = set(['password', 'api_token', 'token'] + catalogue.secret_fields())
        for spec in catalogue.PROVIDERS.values():
            for field in spec['fields']:
                if field['secret']:
                    names.update(field['backends'])
        return [value for key, value in body.items() if key in names]

    def normalise(self, entry):
        canonical, region, credentials = self._identity(entry)
        enabled = entry.get('enabled', True)
        if isinstance(enabled, str):
            enabled = enabled.strip().lower() not in ('0', 'false', 'no', '')
        return {
            'id': str(entry.get('id')),
            'name': entry.get('title') or entry.get('name') or entry.get('provider'),
            'provider': canonical,
            'region': region,
            'enabled': bool(enabled),
            'state': entry.get('state') or entry.get('status') or '',
            'credentials': credentials,
        }

    def _identity(self, entry):
        """(canonical, region, non-secret credentials) of a listed entry; unknown providers pass through."""
        raise NotImplementedError


class BackendsDialect(_Dialect):
    """mist.io up to 0.9 (eras B1, B2): /backends at the root, computable backend ids."""

    name = 'backends'
    collection = '/backends'
    login_path = '/auth'
    token_field = 'mist_api_token'
    computed_ids = True

    def auth_header(self):
        if self._token and self._email:
            return {'Authorization': 'mist_1 %s:%s' % (self._email, self._token)}
        return super(BackendsDialect, self).auth_header()

    def _login_request(self):
        try:
            return super(BackendsDialect, self)._login_request()
        except MistError as exc:
            if exc.status == 404:
                return None  # a standalone backends server has no login and needs none
            raise

    def readable_fields(self, canonical):
        spec = catalogue.PROVIDERS.get(canonical)
        if not spec:
            return frozenset()
        return frozenset(f['name'] for f in spec['fields'] if not f['secret'] and 'apikey' in f['backends'])

    def list_providers(self):
        data = self.request('GET', '/providers')
        entries = data.get('supported_providers', []) if isinstance(data, dict) else []
        return [{'id': e.get('provider'), 'title': e.get('title') or e.get('provider'), 'aliases': []} for e in entries]

    def update_credentials(self, backend_id, fields):
        raise NotSupported('The Mist server speaks the backends dialect, which has no way to update the credentials of '
                           'backend %s; use update_credentials: on_create, or delete and re-add it yourself.' % backend_id)

    def add_body(self, desired):
        spec = catalogue.provider_spec(desired['provider'])
        given = _given(desired.get('credentials'))
        body = {'title': desired.get('name')}
        region = desired.get('region')
        if spec['region'] in ('seed', 'aws'):
            body['provider'] = catalogue.seed_id(desired['provider'], region)
        else:
            body['provider'] = desired['provider']
            if region:
                body['region'] = region
        for field in spec['fields']:
            if field['name'] in given:
                for wire in field['backends']:
                    body.setdefault(wire, given[field['name']])
        return body

    def candidate_ids(self, desired):
        """The id the server will give this backend (the title is not part of it)."""
        body = self.add_body(desired)
        wire_provider, dummy, wire_region = body['provider'].partition(':')
        if not wire_region:
            wire_region = body.get('region') or ''
        key = body.get('machine_ip') if wire_provider == 'bare_metal' else body.get('apikey')
        return [backend_id(wire_provider, wire_region, key)]

    def _identity(self, entry):
        provider = str(entry.get('provider') or '')
        region = entry.get('region') or None
        canonical, region = catalogue.seed_provider(provider, region)
        spec = catalogue.PROVIDERS.get(canonical)
        creds = {}
        for field in spec['fields'] if spec else ():
            if field['secret'] or self.name not in field['dialects']:
                continue
            for wire in field['backends']:
                if entry.get(wire) not in (None, ''):
                    creds[field['name']] = entry[wire]
                    break
        return canonical, region, creds


class CloudsDialect(_Dialect):
    """mist.api v1 (Mist 3+, eras C1, C3): /api/v1/clouds, unique names, random ids."""

    name = 'clouds'
    collection = '/api/v1/clouds'
    login_path = '/api/v1/tokens'
    token_field = 'token'
    unique_names = True
    name_field = 'name'
    # Providers whose clouds refuse a PATCH (their host details live on machines).
    NOT_UPDATABLE = frozenset(['bare_metal', 'libvirt'])

    def can_update(self, canonical):
        return canonical not in self.NOT_UPDATABLE

    def readable_fields(self, canonical):
        spec = catalogue.PROVIDERS.get(canonical)
        if not spec:
            return frozenset()
        return frozenset(f['name'] for f in spec['fields'] if not f['secret'] and self.name in f['dialects'])

    def stores(self, canonical):
        return super(CloudsDialect, self).stores(canonical) or bool(catalogue.PROVIDERS.get(canonical, {}).get('clouds_as'))

    def list_providers(self):
        data = self.request('GET', '/api/v1/providers')
        entries = data.get('supported_providers', []) if isinstance(data, dict) else []
        providers = []
        for entry in entries:
            if not isinstance(entry, dict):
                entry = {'name': entry}
            name = entry.get('name') or entry.get('provider')
            title = entry.get('title') or catalogue.PROVIDERS.get(name, {}).get('title') or name
            providers.append({'id': name, 'title': title, 'aliases': list(entry.get('aliases') or [])})
        return providers

    def update_credentials(self, backend_id, fields):
        """PATCH the changed provider fields (clouds wire names are the catalogue's names)."""
        fields = dict((k, v) for k, v in (fields or {}).items() if v is not None)
        if not fields:
            return False
        self.request('PATCH', self._path(backend_id), json=fields)
        return True

    def add_body(self, desired):
        spec = catalogue.provider_spec(desired['provider'])
        body = {'name': desired.get('name'), 'provider': spec.get('clouds_as', desired['provider'])}
        body.update(_given(desired.get('credentials')))
        if desired.get('region'):
            body['region'] = desired['region']
        return body

    def _identity(self, entry):
        provider = str(entry.get('provider') or '')
        canonical = catalogue.canonical_name(provider)
        region = entry.get('region') or None
        spec = catalogue.PROVIDERS.get(canonical)
        creds = {}
        for field in spec['fields'] if spec else ():
            if field['secret'] or self.name not in field['dialects']:
                continue
            if entry.get(field['name']) not in (None, ''):
                creds[field['name']] = entry[field['name']]
        return canonical, region, creds


DIALECT_CLASSES = {'backends': BackendsDialect, 'clouds': CloudsDialect}


def connect(transport, api_version='auto', api_token=None, email=None, password=None):
    """The dialect object for a server; api_version auto asks it once per process and url.

    The probe is the clouds list (its answer is kept for the first list_backends),
    then the backends list: a task that lists anyway pays no extra request on a
    clouds server.
    """
    if api_version not in API_VERSIONS:
        raise MistError('api_version must be one of %s (got %r).' % (', '.join(API_VERSIONS), api_version), kind='not_mist')
    if password and not email:
        raise MistError('password needs email to log in to Mist.', kind='auth')
    creds = dict(api_token=api_token, email=email, password=password)
    name = api_version if api_version != 'auto' else _DIALECT_CACHE.get(transport.url)
    if name:
        return DIALECT_CLASSES[name](transport, **creds)
    dialect = _detect(transport, creds)
    _DIALECT_CACHE[transport.url] = dialect.name
    return dialect


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
    listing = transport.send('GET', path, None, True, clouds.auth_header())
    if listing.status_code in (401, 403) and not looks_html(listing.text):
        return clouds
    if listing.status_code >= 500:
        transport.parse(listing, 'GET', path)
    if listing.status_code == 200:
        data = parse_json(listing.text)
        if isinstance(data, list):
            clouds._prefetched[('GET', path)] = data
            return clouds
    if listing.status_code != 404:
        raise transport.not_mist('GET %s answered %s' % (path, describe(listing)))
    return _detect_backends(transport, creds, 'GET %s answered 404' % path)


def _detect_backends(transport, creds, before):
    backends = BackendsDialect(transport, **creds)
    path = backends._path()
    backends.login()
    listing = transport.send('GET', path, None, True, backends.auth_header())
    if listing.status_code in (401, 403) and not looks_html(listing.text):
        return backends
    data = parse_json(listing.text) if listing.status_code == 200 else None
    if not isinstance(data, list):
        raise transport.not_mist('%s, GET %s answered %s' % (before, path, describe(listing)))
    # The probe already fetched the list: the first list_backends reuses it.
    backends._prefetched[('GET', path)] = data
    return backends
