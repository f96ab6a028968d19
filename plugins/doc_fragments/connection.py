# -*- coding: utf-8 -*-
# Copyright (c) mistio.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

# The connection options, documented once for the modules (DOCUMENTATION) and the
# inventory plugin (PLUGINS: environment variables as env entries, templates allowed),
# as amazon.aws does with its MODULES and PLUGINS variants; both are built from this
# one table. The argument spec is module_utils/connection.py (a unit test keeps them equal).
_OPTIONS = [
    ('url', {
        'description': [
            'Base URL of the Mist server, for example C(https://mist.example.com).',
            'A trailing C(/api/v1) is ignored.',
        ],
        'type': 'str',
    }, 'MIST_URL', True),
    ('api_token', {
        'description': [
            'Mist API token.',
            'The C(clouds) dialect sends it as C(Authorization) header; the C(backends) dialect sends '
            'C(mist_1 <email>:<token>) when O(email) is set too. Standalone servers of the C(backends) dialect need none.',
            ('modules', 'This value is marked C(no_log) and never appears in output.'),
        ],
        'type': 'str',
    }, 'MIST_API_TOKEN', True),
    ('email', {
        'description': [
            'Email of the Mist user.',
            'With O(password) and no O(api_token), a token is minted before the first request '
            '(C(POST /api/v1/tokens) or, on a C(backends) server, C(POST /auth)), once per module task '
            '(each task runs in its own process), once per inventory run. Prefer O(api_token) for long plays.',
        ],
        'type': 'str',
    }, 'MIST_EMAIL', True),
    ('password', {
        'description': [
            'Password of the Mist user, used with O(email) to mint a token.',
            ('modules', 'Minting is a C(POST) (it creates a token on the server) and happens in check mode too; '
                        'use O(api_token) when a check run must send nothing but reads.'),
            ('modules', 'This value is marked C(no_log) and never appears in output.'),
        ],
        'type': 'str',
    }, 'MIST_PASSWORD', True),
    ('api_version', {
        'description': [
            'Which Mist API dialect the server speaks.',
            'V(backends) is mist.io up to 0.9 (paths at the root); V(clouds) is mist.api v1 of Mist 3 and later, '
            'which calls backends "clouds". This collection calls both backends.',
            'V(auto) asks the server once per module task or inventory run: the first list of backends is the question '
            '(C(GET /api/v1/clouds), then C(GET /backends) when that is not found), so a task that lists anyway pays no '
            'extra request on a C(clouds) server and one on a C(backends) server. Pinning the dialect saves that.',
            'The era of the server (the Mist release), where it matters, is learnt from its answers.',
        ],
        'type': 'str',
        'default': 'auto',
        'choices': ['auto', 'backends', 'clouds'],
    }, None, False),
    ('validate_certs', {
        'description': ["Whether to verify the server's TLS certificate. Only set to V(false) for a server you trust."],
        'type': 'bool',
        'default': True,
    }, None, False),
    ('ca_path', {
        'description': ["A CA bundle (PEM file) to verify the server's certificate with, for a private CA."],
        'type': 'path',
    }, None, False),
    ('timeout', {
        'description': ['Seconds to wait for each answer from the server.'],
        'type': 'int',
        'default': 30,
    }, None, False),
    ('retries', {
        'description': [
            'How often a safe request (read, rename, enable, disable, delete) is retried after a connection error '
            'or a 429, 502, 503 or 504 answer, with exponential backoff and jitter honouring C(Retry-After).',
            'Adding a backend is never retried blindly; the backends are listed again instead.',
        ],
        'type': 'int',
        'default': 3,
    }, None, False),
]


def _variant(plugins):
    # A description line given as ('modules', text) is only true of modules.
    options = {}
    for name, doc, env, templated in _OPTIONS:
        lines = [line for line in doc['description'] if isinstance(line, str) or not plugins]
        option = dict(doc, description=[line if isinstance(line, str) else line[1] for line in lines])
        if env and plugins:
            option['env'] = [{'name': env}]
        elif env:
            option['description'].append('If not set, the value of the E(%s) environment variable is used.' % env)
        if plugins and templated:
            option['description'].append('May be a template (a lookup, a vaulted variable, ...).')
        if name == 'url' and not plugins:
            option.update(required=True, aliases=['mist_uri'])
        options[name] = option
    where = 'requests (Python library, on the controller)' if plugins else 'requests'
    return 'options: %s\nrequirements:\n  - %s\n' % (json.dumps(options), where)


class ModuleDocFragment(object):

    DOCUMENTATION = _variant(plugins=False)

    PLUGINS = _variant(plugins=True)
