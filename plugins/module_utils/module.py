# -*- coding: utf-8 -*-
# Copyright (c) mistio.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The base every mistio.cloud module builds on: its connection and the one place a failure becomes fail_json.

The connection options' argument spec moved to connection.py (shared with the inventory).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.mistio.cloud.plugins.module_utils.client import HAS_REQUESTS, REQUESTS_IMPORT_ERROR, MistError
from ansible_collections.mistio.cloud.plugins.module_utils.connection import connect, connection_argument_spec
from ansible_collections.mistio.cloud.plugins.module_utils.providers import ProviderError
from ansible_collections.mistio.cloud.plugins.module_utils.reconcile import PlanError

__all__ = ['MistModule', 'TaskFailed', 'connection_argument_spec']


class TaskFailed(Exception):
    """The task fails with this sentence; extra: result keys to report with it (never a secret)."""

    def __init__(self, msg, **extra):
        super(TaskFailed, self).__init__(msg)
        self.extra = extra


class MistModule(object):
    """Wraps an AnsibleModule: the server's dialect for its connection options, and one way to fail.

    Subclasses implement execute(), which returns the result dict, and use
    self.dialect for every call to Mist. Anything that goes wrong is raised
    (MistError, ProviderError, PlanError or TaskFailed via self.fail); run()
    alone turns it into fail_json, with changed true when an earlier write of
    the task succeeded (self.result['changed']).
    """

    def __init__(self, module):
        self.module = module
        self.result = {'changed': False}
        if not HAS_REQUESTS:
            module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
        self._dialect = None

    @property
    def dialect(self):
        """The server's dialect (api_version auto probes once)."""
        if self._dialect is None:
            self._dialect = connect(self.module.params)
        return self._dialect

    @property
    def check_mode(self):
        return self.module.check_mode

    def fail(self, msg, **extra):
        """Stop the task with msg (run() reports it)."""
        raise TaskFailed(msg, **extra)

    def execute(self):
        """Do the module's work and return its result dict (subclasses)."""
        raise NotImplementedError('subclasses implement execute()')

    def run(self):
        """Execute, then exit_json with the result; any failure becomes one fail_json."""
        try:
            result = self.execute()
        except (MistError, ProviderError, PlanError, TaskFailed) as exc:
            self.module.fail_json(**self.failure(exc))
        if result is not None:
            self.result.update(result)
        self.module.exit_json(**self.result)

    def failure(self, exc):
        """The fail_json arguments for an error: its sentence, what it is, and what already changed."""
        details = {'msg': str(exc), 'changed': bool(self.result.get('changed'))}
        if isinstance(exc, MistError):
            info = exc.details()
            details.update(status=info.get('status'), error_kind=info.get('kind'))
        if isinstance(exc, TaskFailed):
            details.update(exc.extra)
        return details
