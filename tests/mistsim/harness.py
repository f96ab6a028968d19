# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Start and stop the simulator as a real subprocess from tests (stdlib urllib only).

    with Simulator(db=str(tmp_path / 'sim.db'), era='B2') as sim:   # era: see eras.py
        sim.seed({'backends': [...]})
        ... talk to sim.url with the client under test ...
        assert not sim.writes()
"""

import atexit
import json
import os
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.request

from mistsim import eras

TESTS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_EMAIL = 'demo@mist.local'
DEFAULT_PASSWORD = 'demo-password'
# The clouds-dialect API token every harness-started simulator knows (64 lowercase hex).
DEFAULT_TOKEN = '6d69737473696d2d64656d6f2d746f6b656e2d30303030303030303030303031'


class SimulatorError(RuntimeError):
    pass


class Simulator:
    def __init__(self, db=None, seed=None, dialects=None, backends_auth=False, machines_per_backend=None,
                 users=None, token=DEFAULT_TOKEN, extra_args=(), python=None, startup_timeout=20.0, era=None, port=0):
        self.db = db or ':memory:'
        self.port = port
        # {'backends': 'B1', 'clouds': 'C3'}: the era each dialect speaks (see eras.py)
        self.eras = eras.parse(era)
        self.seed_file = seed
        self.dialects = dialects
        self.backends_auth = backends_auth
        self.machines_per_backend = machines_per_backend
        self.users = users or []
        self.token = token
        self.extra_args = list(extra_args)
        self.python = python or sys.executable
        self.startup_timeout = startup_timeout
        self.url = None
        self.proc = None
        self._stderr = None

    def command(self):
        cmd = [self.python, '-m', 'mistsim', '--host', '127.0.0.1', '--port', str(self.port), '--db', self.db,
               '--era', eras.spec(self.eras)]
        if self.seed_file:
            cmd += ['--seed', str(self.seed_file)]
        if self.dialects:
            cmd += ['--dialects', self.dialects if isinstance(self.dialects, str) else ','.join(self.dialects)]
        if self.backends_auth:
            cmd.append('--backends-auth')
        if self.machines_per_backend is not None:
            cmd += ['--machines-per-backend', str(self.machines_per_backend)]
        for user in self.users:
            cmd += ['--user', user]
        if self.token:
            cmd += ['--token', self.token]
        return cmd + self.extra_args

    def start(self):
        if self.proc is not None:
            raise SimulatorError('already started')
        env = dict(os.environ)
        env['PYTHONPATH'] = os.pathsep.join(filter(None, [TESTS_DIR, env.get('PYTHONPATH')]))
        self._stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(self.command(), stdout=subprocess.PIPE, stderr=self._stderr, env=env)
        atexit.register(self.stop)  # even if the test run dies, no simulator is left behind
        line = []
        reader = threading.Thread(target=lambda: line.append(self.proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(self.startup_timeout)
        url = line[0].decode('utf-8').strip() if line else ''
        if not url.startswith('http://'):
            detail = self._stderr_text()
            self.stop()
            raise SimulatorError('mistsim did not start (first line %r): %s' % (url, detail))
        self.url = url
        return self

    def _stderr_text(self):
        if self._stderr is None:
            return ''
        self._stderr.seek(0)
        return self._stderr.read().decode('utf-8', 'replace')

    def stop(self, timeout=10.0):
        """SIGTERM, wait, kill if needed; returns the exit code."""
        atexit.unregister(self.stop)
        proc, self.proc = self.proc, None
        code = None
        if proc is not None:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout)
            code = proc.returncode
            proc.stdout.close()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
        self.url = None
        return code

    def restart(self):
        """Stop (if still running) and start again on the same port and --db: the state survives."""
        self.port = int(self.url.rsplit(':', 1)[1]) if self.url else self.port
        self.stop()
        return self.start()

    def exited(self):
        """True when the process has ended by itself (an exit_after fault)."""
        return self.proc is not None and self.proc.poll() is not None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # plain HTTP
    def call(self, method, path, body=None, headers=None, token=None):
        """(status, headers, body text) of one request; `body` is JSON-encoded unless bytes/str."""
        data = body if isinstance(body, bytes) or body is None else (
            body.encode('utf-8') if isinstance(body, str) else json.dumps(body).encode('utf-8'))
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=dict(headers or {}))
        if token:
            request.add_header('Authorization', token)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers.items()), response.read().decode('utf-8')
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code, dict(exc.headers.items()), exc.read().decode('utf-8')

    def _admin(self, method, name, doc=None):
        status, _headers, text = self.call(method, '/_mistsim/' + name, doc)
        if status != 200:
            raise SimulatorError('%s /_mistsim/%s -> %d %s' % (method, name, status, text))
        return json.loads(text) if text and text != 'OK' else None

    # admin interface
    def reset(self):
        self._admin('POST', 'reset')

    def seed(self, doc):
        return self._admin('POST', 'seed', doc)

    def state(self):
        return self._admin('GET', 'state')

    def era(self):
        """The eras the running process speaks, as it reports them."""
        return self._admin('GET', 'era')

    def fault(self, **rule):
        return self._admin('POST', 'faults', rule)

    def faults(self):
        return self._admin('GET', 'faults')

    def clear_faults(self):
        self._admin('DELETE', 'faults')

    def latency(self, seconds=0, method=None, path=None):
        doc = {'seconds': seconds}
        if method:
            doc['method'] = method
        if path:
            doc['path'] = path
        return self._admin('POST', 'latency', doc)

    def requests(self):
        return self._admin('GET', 'requests')

    def clear_requests(self):
        self._admin('DELETE', 'requests')

    def writes(self):
        return [entry for entry in self.requests() if entry['write']]

    def clean(self):
        """Empty state, faults, latency and the request log (what the `sim` fixture does)."""
        self.reset()
        self.clear_faults()
        self.latency(0)
        self.clear_requests()
