# -*- coding: utf-8 -*-
# Copyright (c) mistio.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The base every mistio.cloud module builds on: connection options, client, errors."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.module_utils.basic import env_fallback, missing_required_lib

from ansible_collections.mistio.cloud.plugins.module_utils.client import (
    HAS_REQUESTS, REQUESTS_IMPORT_ERROR, MistClient, MistError,
)
from ansible_collections.mistio.cloud.plugins.module_utils.providers import ProviderError


def connection_argument_spec():
    """The connection options (documented once in the mistio.cloud.connection doc fragment)."""
    return dict(
        url=dict(type='str', required=True, aliases=['mist_uri'], fallback=(env_fallback, ['MIST_URL'])),
        api_token=dict(type='str', no_log=True, fallback=(env_fallback, ['MIST_API_TOKEN'])),
        email=dict(type='str', fallback=(env_fallback, ['MIST_EMAIL'])),
        password=dict(type='str', no_log=True, fallback=(env_fallback, ['MIST_PASSWORD'])),
        api_version=dict(type='str', default='auto', choices=['auto', 'backends', 'clouds']),
        validate_certs=dict(type='bool', default=True),
        ca_path=dict(type='path'),
        timeout=dict(type='int', default=30),
        retries=dict(type='int', default=3),
    )


class MistModule(object):
    """Wraps an AnsibleModule: a client for its connection options and one way to fail.

    Subclasses implement execute(), which returns the result dict, and use
    self.dialect for every call to Mist. run() turns errors into fail_json.
    """

    def __init__(self, module):
        self.module = module
        self.result = {'changed': False}
        if not HAS_REQUESTS:
            module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
        try:
            self.client = MistClient.from_options(module.params)
        except MistError as exc:
            self.fail_from_error(exc)
        self._dialect = None

    @property
    def dialect(self):
        """The server's dialect (api_version auto probes once); fails the module if unreachable."""
        if self._dialect is None:
            try:
                self._dialect = self.client.dialect
            except MistError as exc:
                self.fail_from_error(exc)
        return self._dialect

    @property
    def check_mode(self):
        return self.module.check_mode

    def fail_from_error(self, exc, **extra):
        """fail_json with the error's sentence and status; no body, so no secret."""
        details = exc.details() if isinstance(exc, MistError) else {}
        self.module.fail_json(msg=str(exc), status=details.get('status'), error_kind=details.get('kind'), **extra)

    def fail(self, msg, **extra):
        self.module.fail_json(msg=msg, **extra)

    def execute(self):
        """Do the module's work and return its result dict (subclasses)."""
        raise NotImplementedError('subclasses implement execute()')

    def run(self):
        """Execute, then exit_json with the result; a MistError or bad input becomes fail_json."""
        result = None
        try:
            result = self.execute()
        except MistError as exc:
            self.fail_from_error(exc)
        except ProviderError as exc:
            self.fail(str(exc))
        if result is not None:
            self.result.update(result)
        self.module.exit_json(**self.result)
