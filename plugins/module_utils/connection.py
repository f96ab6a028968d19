# -*- coding: utf-8 -*-
# Copyright (c) mistio.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The connection options, once: their argument spec and connect() for modules and the inventory.

Documented once in the mistio.cloud.connection doc fragment (its ``plugins``
variant for the inventory). Moved here from module.py (the spec) and from
client.py (MistClient.from_options).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.module_utils.basic import env_fallback

from ansible_collections.mistio.cloud.plugins.module_utils.client import Transport
from ansible_collections.mistio.cloud.plugins.module_utils.dialects import API_VERSIONS, connect as connect_dialect
from ansible_collections.mistio.cloud.plugins.module_utils.providers import provider_table

# name: (type, default, no_log, environment variable)
CONNECTION_OPTIONS = {
    'url': ('str', None, False, 'MIST_URL'),
    'api_token': ('str', None, True, 'MIST_API_TOKEN'),
    'email': ('str', None, False, 'MIST_EMAIL'),
    'password': ('str', None, True, 'MIST_PASSWORD'),
    'api_version': ('str', 'auto', False, None),
    'validate_certs': ('bool', True, False, None),
    'ca_path': ('path', None, False, None),
    'timeout': ('int', 30, False, None),
    'retries': ('int', 3, False, None),
}
TRANSPORT_OPTIONS = ('timeout', 'validate_certs', 'ca_path', 'retries')
AUTH_OPTIONS = ('api_token', 'email', 'password')


def connection_argument_spec():
    """The connection options of every module (their docs: the mistio.cloud.connection fragment)."""
    spec = {}
    for name, (kind, default, secret, env) in CONNECTION_OPTIONS.items():
        option = {'type': kind}
        if default is not None:
            option['default'] = default
        if secret:
            option['no_log'] = True
        if env:
            option['fallback'] = (env_fallback, [env])
        spec[name] = option
    spec['url'].update(required=True, aliases=['mist_uri'])
    spec['api_version']['choices'] = list(API_VERSIONS)
    return spec


def connect(options):
    """The server's dialect for a dict of connection options (module params or plugin options).

    api_version auto probes on the first request. Raises MistError for bad options.
    The dialect gets the catalogue's providers as plain data (it imports nothing above it).
    """
    transport_args = dict((key, options[key]) for key in TRANSPORT_OPTIONS if options.get(key) is not None)
    transport = Transport(options.get('url'), **transport_args)
    auth = dict((key, options.get(key)) for key in AUTH_OPTIONS)
    return connect_dialect(transport, options.get('api_version') or 'auto', providers=provider_table(), **auth)
