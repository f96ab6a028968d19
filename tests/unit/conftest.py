# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Make `ansible_collections.mistio.cloud` importable for plain pytest.

The repository root is the collection root. Unless the checkout already sits
at .../ansible_collections/mistio/cloud, a temp dir gets that path as a
symlink to the repo, and Ansible's collection loader is pointed at it.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import atexit
import os
import shutil
import tempfile

import pytest

from ansible.plugins.loader import init_plugin_loader

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _collections_root():
    parts = REPO.split(os.sep)
    if parts[-3:-2] == ['ansible_collections'] and parts[-2:] == ['mistio', 'cloud']:
        return os.sep.join(parts[:-3])
    root = tempfile.mkdtemp(prefix='mistio-cloud-unit-')
    # rmtree unlinks the symlink; it never follows it into the repo.
    atexit.register(shutil.rmtree, root, True)
    os.makedirs(os.path.join(root, 'ansible_collections', 'mistio'))
    os.symlink(REPO, os.path.join(root, 'ansible_collections', 'mistio', 'cloud'))
    return root


init_plugin_loader([_collections_root()])


@pytest.fixture(autouse=True)
def _fresh_dialect_cache(monkeypatch, tmp_path):
    """api_version auto is cached per process and url (and a backends url on disk); each test starts without it."""
    from ansible_collections.mistio.cloud.plugins.module_utils import dialects
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path / 'xdg-cache'))
    dialects.clear_dialect_cache()
    yield
    dialects.clear_dialect_cache()
