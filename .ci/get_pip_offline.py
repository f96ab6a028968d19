"""Offline stand-in for get-pip.py, used by ansible-test --venv.

ansible-test bootstraps pip in its venvs by downloading get-pip-<ver>.py, which
cannot be reached here. It first looks in ~/.ansible/test/cache, so this file is
copied there: it runs the pip wheel that ensurepip bundles and installs the pip
version ansible-test asked for from the package index.
"""
import glob
import os
import sys

import ensurepip

GET_PIP_ONLY = ('--no-setuptools', '--no-wheel')

wheel = sorted(glob.glob(os.path.join(os.path.dirname(ensurepip.__file__), '_bundled', 'pip-*.whl')))[-1]
sys.path.insert(0, wheel)

from pip._internal.cli.main import main  # noqa: E402  pylint: disable=wrong-import-position

sys.exit(main(['install'] + [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY]))
