# -*- coding: utf-8 -*-
# Copyright (c) mistio.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The base every mistio.cloud module builds on: its connection and the one place a failure becomes fail_json.

The connection options' argument spec moved to connection.py (shared with the inventory).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.mistio.cloud.plugins.module_utils.client import HAS_REQUESTS, REQUESTS_IMPORT_ERROR, MistError
from ansible_collections.mistio.cloud.plugins.module_utils.connection import connect, connection_argument_spec
from ansible_collections.mistio.cloud.plugins.module_utils.providers import ProviderError
from ansible_collections.mistio.cloud.plugins.module_utils.reconcile import PlanError

__all__ = ['MistAnsibleModule', 'MistModule', 'TaskFailed', 'connection_argument_spec']


class MistAnsibleModule(AnsibleModule):
    """AnsibleModule that knows every no_log value before it validates the arguments.

    ansible-core collects the no_log values during validation and drops all of them
    when one suboption value (credentials given as a string) is not a dict; the
    failure's invocation then shows the token and the password in clear.

    It also knows each value's escaped form: ansible-core logs a dict option
    (credentials) as str(dict), where a secret with a newline, backslash or control
    character appears escaped, which its exact-match masking misses. That line goes
    to syslog and, where syslog refuses it (Python 3.12+ rejects a NUL in any option),
    into the failure's msg_to_log.
    """

    def _load_params(self):
        super(MistAnsibleModule, self)._load_params()
        values = raw_no_log_values(self.argument_spec, self.params)
        self.no_log_values.update(values)
        self.no_log_values.update(escaped_forms(values))
        # ansible-core's validator raises TypeError on a bool or number where suboptions are expected.
        for name, option in self.argument_spec.items():
            value = self.params.get(name)
            if option.get('options') and value is not None and not isinstance(value, (dict, str, list)):
                self.fail_json(msg='%s must be a dictionary of fields, not %s.' % (name, type(value).__name__))


def raw_no_log_values(spec, params):
    """Every value given to a no_log option (or suboption), whatever its type; an unreadable suboptions value whole."""
    found = set()
    if not isinstance(params, dict):
        return found
    for name, option in spec.items():
        for key in [name] + list(option.get('aliases') or ()):
            value = params.get(key)
            if value is None or value == '':
                continue
            if option.get('no_log'):
                found.update(_texts(value, 1))
            if option.get('options'):
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, dict):
                        found.update(raw_no_log_values(option['options'], item))
                    else:
                        found.update(_texts(item, 4))
    return found


def escaped_forms(values):
    """The forms str() of a dict or list gives the string values that differ from the values themselves."""
    forms = set()
    for value in values:
        form = repr(value)[1:-1]
        if form != value:
            forms.add(form)
    return forms


def _texts(value, shortest):
    if isinstance(value, dict):
        return set(text for item in value.values() for text in _texts(item, shortest))
    if isinstance(value, (list, tuple)):
        return set(text for item in value for text in _texts(item, shortest))
    text = str(value)
    return set([text]) if len(text) >= shortest else set()


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
            # Every no_log value of the task (credentials too, not only the request at hand): a server
            # may echo one in the answer to any request, and a trimmed echo escapes Ansible's own masking.
            for value in self.module.no_log_values:
                self._dialect.transport.add_secret(value)
            warning = self._dialect.transport.tls_warning()
            if warning:
                self.module.warn(warning)
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
