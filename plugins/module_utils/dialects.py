# -*- coding: utf-8 -*-
# Copyright (c) mistio.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The two Mist dialects behind one set of methods and one normalised shape.

backends: mist.io up to 0.9 (root paths). clouds: mist.api v1 (/api/v1).
Nothing above this module branches on the dialect.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import hashlib
from urllib.parse import quote

from ansible_collections.mistio.cloud.plugins.module_utils import resources
from ansible_collections.mistio.cloud.plugins.module_utils.client import MistError, NotSupported
from ansible_collections.mistio.cloud.plugins.module_utils.providers import (
    PROVIDERS, ProviderError, from_wire, resolve_provider, to_wire, validate_credentials,
)

# Mist's own base58 order: lower case before upper case (not Bitcoin's).
BASE58_ALPHABET = '123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ'


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


class _Dialect(object):
    """What both dialects share; subclasses set name, collection and the entry mapping."""

    name = None
    collection = None

    def __init__(self, client):
        self.client = client

    def _path(self, *parts):
        return '/'.join([self.collection] + [quote(str(part), safe='') for part in parts])

    def _get_list(self, path):
        return self._expect_list(self.client.request('GET', path), path)

    def _expect_list(self, data, path):
        if not isinstance(data, list):
            raise MistError('%s does not look like a Mist server (GET %s did not return a list).' % (self.client.url, path),
                            method='GET', path=path, kind='not_mist')
        return data

    def list_backends(self):
        """Every backend (enabled or not), normalised."""
        return [self._backend(entry) for entry in self._get_list(self._path()) if isinstance(entry, dict)]

    def add_backend(self, name, provider, region, credentials):
        """Add a backend; never retried blindly (see safe create). Returns it normalised."""
        canonical, region = resolve_provider(provider, region, self.name)
        problems = validate_credentials(canonical, credentials, self.name)
        if problems:
            raise ProviderError(' '.join(problems))
        body = to_wire(self.name, name, canonical, region, credentials)
        path = self._path()
        data = self.client.request('POST', path, json=body, retry=False)
        if not isinstance(data, dict):
            raise MistError('Mist answered POST %s without the new backend; list the backends to see whether it was added.' % path,
                            method='POST', path=path, kind='not_mist', ambiguous=True)
        return self._backend(data)

    def rename(self, backend_id, name):
        self.client.request('PUT', self._path(backend_id), json={'new_name': name})
        return True

    def set_enabled(self, backend_id, enabled):
        # Toggle values are the strings "1"/"0": the clouds server ignores an integer 0.
        self.client.request('POST', self._path(backend_id), json={'new_state': '1' if enabled else '0'})
        return True

    def delete(self, backend_id):
        """True when deleted; False when it was already gone (404)."""
        try:
            self.client.request('DELETE', self._path(backend_id))
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
            data = self.client.request('GET', path)
        except MistError as exc:
            if exc.status == 404 and exc.kind == 'html':
                raise NotSupported('%s has no endpoint for the %s of a backend (GET %s answered 404 with a web page); '
                                   'this Mist server does not offer them.' % (self.client.url, kind, path))
            raise
        if isinstance(data, dict) and isinstance(data.get(kind), list):
            data = data[kind]  # clouds, a member without access to the cloud: {cloud_id, <kind>: []}
        return resources.normalise(kind, self._expect_list(data, path), backend_id)

    def list_machines(self, backend_id):
        """The machines of one backend, normalised."""
        return self.list_resources('machines', backend_id)

    def _backend(self, entry):
        canonical, region, credentials = from_wire(self.name, entry)
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


class BackendsDialect(_Dialect):
    """mist.io up to 0.9: /backends at the root, computable backend ids."""

    name = 'backends'
    collection = '/backends'

    def list_providers(self):
        data = self.client.request('GET', '/providers')
        entries = data.get('supported_providers', []) if isinstance(data, dict) else []
        return [{'id': e.get('provider'), 'title': e.get('title') or e.get('provider'), 'aliases': []} for e in entries]

    def update_credentials(self, backend_id, fields):
        raise NotSupported('The Mist server speaks the backends dialect, which has no way to update the credentials of '
                           'backend %s; use update_credentials: on_create, or delete and re-add it yourself.' % backend_id)

    def find_backend_id(self, name, provider, region, credentials):
        """The id the server will give this backend (the title is not part of it)."""
        canonical, region = resolve_provider(provider, region, self.name)
        body = to_wire(self.name, name, canonical, region, credentials)
        wire_provider, dummy, wire_region = body['provider'].partition(':')
        if not wire_region:
            wire_region = body.get('region') or ''
        key = body.get('machine_ip') if wire_provider == 'bare_metal' else body.get('apikey')
        return backend_id(wire_provider, wire_region, key)


class CloudsDialect(_Dialect):
    """mist.api v1 (Mist 3+): /api/v1/clouds, unique names, random ids."""

    name = 'clouds'
    collection = '/api/v1/clouds'

    def list_providers(self):
        data = self.client.request('GET', '/api/v1/providers')
        entries = data.get('supported_providers', []) if isinstance(data, dict) else []
        providers = []
        for entry in entries:
            if not isinstance(entry, dict):
                entry = {'name': entry}
            name = entry.get('name') or entry.get('provider')
            title = entry.get('title') or PROVIDERS.get(name, {}).get('title') or name
            providers.append({'id': name, 'title': title, 'aliases': list(entry.get('aliases') or [])})
        return providers

    def update_credentials(self, backend_id, fields):
        """PATCH the changed provider fields (clouds wire names are the catalogue's names)."""
        fields = dict((k, v) for k, v in (fields or {}).items() if v is not None)
        if not fields:
            return False
        self.client.request('PATCH', self._path(backend_id), json=fields)
        return True

    def find_backend_id(self, name, provider, region, credentials):
        """Clouds get random ids: callers match by exact name instead."""
        return None


DIALECT_CLASSES = {'backends': BackendsDialect, 'clouds': CloudsDialect}


def dialect_for(name, client):
    """The dialect object called name ('backends' or 'clouds') over client."""
    return DIALECT_CLASSES[name](client)
