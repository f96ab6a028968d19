"""Offline stand-in for get-pip.py, used by ansible-test --venv and `make test-matrix`.

ansible-test bootstraps pip in its venvs by downloading get-pip-<ver>.py, which
cannot be reached here. It first looks in ~/.ansible/test/cache, so this file is
copied there: it runs a pip wheel found on this machine and installs the pip
version ansible-test asked for from the package index.

The wheel is the one ensurepip bundles; Debian's own pythons ship ensurepip
without its _bundled wheels, so the system's wheels (python3-pip-whl, in
/usr/share/python-wheels) are the fallback.
"""
import glob
import os
import sys

GET_PIP_ONLY = ('--no-setuptools', '--no-wheel')
SYSTEM_WHEELS = '/usr/share/python-wheels'


def wheel_dirs():
    """Where a pip wheel may lie, best first."""
    dirs = []
    try:
        import ensurepip
    except ImportError:  # some distributions leave ensurepip out entirely
        pass
    else:
        dirs.append(os.path.join(os.path.dirname(ensurepip.__file__), '_bundled'))
    dirs.append(os.environ.get('GET_PIP_OFFLINE_WHEELS', SYSTEM_WHEELS))
    return dirs


def _version(path):
    name = os.path.basename(path).split('-')[1]
    return tuple(int(part) if part.isdigit() else 0 for part in name.split('.'))


def find_pip_wheel(dirs):
    """The newest pip wheel in the first folder that has one, or None."""
    for folder in dirs:
        wheels = glob.glob(os.path.join(folder, 'pip-*.whl'))
        if wheels:
            return max(wheels, key=_version)
    return None


def main(argv):
    wheel = find_pip_wheel(wheel_dirs())
    if wheel is None:
        sys.stderr.write('get_pip_offline: no pip wheel in %s; install python3-pip-whl or use a Python with ensurepip\n'
                         % ' or '.join(wheel_dirs()))
        return 1
    sys.path.insert(0, wheel)
    from pip._internal.cli.main import main as pip_main  # pylint: disable=import-outside-toplevel
    return pip_main(['install'] + [arg for arg in argv if arg not in GET_PIP_ONLY])


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
