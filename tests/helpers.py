# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test helpers shared by every test folder, written to hold on every ansible-core of the matrix.

Import them as ``from helpers import ...`` (tests/conftest.py puts tests/ on sys.path).

- ``ANSIBLE_CORE``: the running ansible-core as a (major, minor) tuple.
- ``patch_module_args(args)``: feed a module's arguments in-process;
  ``ansible.module_utils.testing`` exists on 2.19+ only.
- ``flat(text)``, ``says(text, fragment)``, ``says_re(text, pattern)``: match a
  message in Ansible's output whatever its line wrapping (before 2.19 warnings
  are wrapped at 80 columns, and may be cut after a hyphen).
- ``leaked(text, *secrets)``: the secrets that appear in the output, also when a
  line wrap cut one in two; ``[]`` is the answer a test wants.
- ``VERBOSE_ENV``: the environment that makes `-vvv` print a module's
  ``invocation`` (with its no_log masking) on every version; 2.21 stopped by default.
"""

from __future__ import annotations

import contextlib
import json
import re

import ansible
from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes
from ansible.module_utils.common import warnings as warnings_store

ANSIBLE_CORE = tuple(int(part) for part in ansible.__version__.split('.')[:2])

# INJECT_INVOCATION: off by default since 2.21, unknown (and ignored) before.
VERBOSE_ENV = {'ANSIBLE_INJECT_INVOCATION': 'true'}


@contextlib.contextmanager
def patch_module_args(args):
    """Run AnsibleModule(...) with these arguments, as ansible.module_utils.testing does on 2.19+."""
    try:
        from ansible.module_utils.testing import patch_module_args as core_patch  # pylint: disable=import-outside-toplevel
    except ImportError:
        core_patch = None
    if core_patch is not None:
        with core_patch(args):
            yield
        return
    # Before 2.19 warnings and deprecations pile up in module globals across in-process runs;
    # each run starts empty, as a real module process does.
    del warnings_store._global_warnings[:]  # pylint: disable=protected-access
    del warnings_store._global_deprecations[:]  # pylint: disable=protected-access
    saved = basic._ANSIBLE_ARGS  # pylint: disable=protected-access
    basic._ANSIBLE_ARGS = to_bytes(json.dumps({'ANSIBLE_MODULE_ARGS': args}))  # pylint: disable=protected-access
    try:
        yield
    finally:
        basic._ANSIBLE_ARGS = saved  # pylint: disable=protected-access


def flat(text):
    """The text without any whitespace: what a message is, however it was wrapped."""
    return re.sub(r'\s+', '', text)


def says(text, fragment):
    """Whether the output holds this message fragment, whitespace and line breaks aside."""
    return flat(fragment) in flat(text)


def leaked(text, *secrets):
    """The secrets found in the output, as given or split by line wrapping (whitespace ignored)."""
    squashed = flat(text)
    return [secret for secret in secrets if secret in text or flat(secret) in squashed]


def says_re(text, pattern):
    """re.search of a pattern over the output with whitespace ignored on both sides.

    Write the pattern as the message reads; its literal spaces are dropped, so
    do not rely on a space to separate two tokens (use .* or the text itself).
    """
    return re.search(pattern.replace(' ', ''), flat(text))
