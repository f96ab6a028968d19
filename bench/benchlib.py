# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the benchmarks in bench/ share: a work folder with the collection on the path, the
Mist API simulator, and timed runs of ansible-inventory / ansible-playbook.

A run is timed twice: wall time (what a user waits; the right measure when the network
latency dominates) and the CPU time of the child process (user + system, from
getrusage: what the run costs; much less disturbed by other work on a shared machine,
so CPU-bound comparisons use it).
"""

import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, 'tests'))

from mistsim.harness import DEFAULT_TOKEN, Simulator  # noqa: E402  pylint: disable=wrong-import-position

# The -vvv line of the inventory plugin that says where its time went.
TIMING = re.compile(r'mistio\.cloud\.mist: (?:read (?P<backends>\d+) backends|read the cache) in (?P<read>[\d.]+)s, '
                    r'built (?P<hosts>\d+) hosts in (?P<build>[\d.]+)s \(CPU (?P<build_cpu>[\d.]+)s\)')


class Run(object):
    def __init__(self, wall, cpu, stdout, stderr):
        self.wall, self.cpu, self.stdout, self.stderr = wall, cpu, stdout, stderr

    def timing(self):
        """The plugin's own -vvv timing line as a dict of floats, or None."""
        match = TIMING.search(self.stderr) or TIMING.search(self.stdout)  # -vvv goes to stdout
        return dict((key, float(value)) for key, value in match.groupdict().items() if value is not None) if match else None


def tool(name):
    """An Ansible command from this Python's venv (else from PATH)."""
    here = os.path.join(os.path.dirname(sys.executable), name)
    return here if os.path.exists(here) else (shutil.which(name) or name)


def timed(argv, env, check=True):
    """Run argv; a Run with its wall and CPU seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    proc = subprocess.run(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=False)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if check and proc.returncode != 0:
        sys.stderr.write(proc.stdout[-2000:] + proc.stderr[-6000:])
        raise SystemExit('%s failed (exit %d)' % (' '.join(argv[:3]), proc.returncode))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(wall, cpu, proc.stdout, proc.stderr)


def median(values):
    return statistics.median(values) if values else float('nan')


class Workspace(object):
    """A temporary folder with the collection on ANSIBLE_COLLECTIONS_PATH and one simulator."""

    def __init__(self, prefix='mist-bench-'):
        self.work = tempfile.mkdtemp(prefix=prefix)
        collections = os.path.join(self.work, 'collections', 'ansible_collections', 'mistio')
        os.makedirs(collections)
        os.symlink(REPO, os.path.join(collections, 'cloud'))
        self.env = dict(os.environ)
        for name in ('MIST_EMAIL', 'MIST_PASSWORD', 'MIST_URL', 'MIST_API_TOKEN'):
            self.env.pop(name, None)
        self.env.update({
            'ANSIBLE_COLLECTIONS_PATH': os.path.join(self.work, 'collections'),
            'ANSIBLE_INVENTORY_UNPARSED_FAILED': 'true',
            'ANSIBLE_HOME': os.path.join(self.work, 'home'),
            'ANSIBLE_LOCAL_TEMP': os.path.join(self.work, 'tmp'),
            # api_version auto remembers a backends server here: a run starts from nothing remembered.
            'XDG_CACHE_HOME': os.path.join(self.work, 'cache'),
            'ANSIBLE_PYTHON_INTERPRETER': sys.executable,
            'ANSIBLE_DEPRECATION_WARNINGS': 'false',
            'ANSIBLE_RETRY_FILES_ENABLED': 'false',
            'LC_ALL': 'C.UTF-8', 'NO_COLOR': '1', 'ANSIBLE_NOCOLOR': '1',
        })
        self.sim = None

    def path(self, name):
        return os.path.join(self.work, name)

    def write(self, name, text):
        path = self.path(name)
        with open(path, 'w') as handle:
            handle.write(text)
        return path

    def start(self):
        self.sim = Simulator(db=self.path('sim.db'))
        self.sim.start()
        self.env.update({'MIST_URL': self.sim.url, 'MIST_API_TOKEN': DEFAULT_TOKEN})
        return self.sim

    def seed_clouds(self, backends, machines):
        """backends clouds (Linode) of `machines` generated machines each, with fixed ids."""
        self.sim.reset()
        self.sim.seed({'clouds': [{'name': 'bench-%04d' % index, 'provider': 'linode', 'apikey': 'bench-key-%d' % index,
                                   'id': '%032x' % (0xbe000000 + index), 'machine_count': machines}
                                  for index in range(backends)]})

    def inventory(self, source, *args):
        return timed([tool('ansible-inventory'), '-i', source] + list(args or ('--list',)), self.env)

    def playbook(self, path, *args, **kwargs):
        env = dict(self.env, **kwargs.get('env', {}))
        return timed([tool('ansible-playbook'), '-i', 'localhost,', path] + list(args), env)

    def close(self):
        if self.sim is not None:
            self.sim.stop()
        shutil.rmtree(self.work, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def machine_note():
    """One line naming the machine and its load, for bench/README.md."""
    model = ''
    try:
        with open('/proc/cpuinfo') as handle:
            for line in handle:
                if line.startswith('model name'):
                    model = line.split(':', 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        from ansible.release import __version__ as core
    except ImportError:
        core = '?'
    load = ', '.join('%.2f' % value for value in os.getloadavg())
    return '%s, %d CPUs (%s), Python %s, ansible-core %s, load average %s' % (
        platform.system(), os.cpu_count() or 0, model or platform.machine(), platform.python_version(), core, load)


def verdict(ok):
    return 'ok' if ok else 'NOT MET'
