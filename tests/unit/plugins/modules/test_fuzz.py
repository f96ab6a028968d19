# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Seeded, bounded fuzzing of every module: no input and no server answer may crash it or leak a secret.

Part 1: random argument sets over the three modules, against the simulator (both dialects).
Part 2: malformed server answers (non-JSON, HTML, wrong shapes, nulls, huge and deeply
nested bodies, odd headers, redirects, echoes of the request) from a scripted server.
Every case must end in exit_json or fail_json (a clean result); an exception escaping
main() is a crash. No form of any secret (raw, JSON-escaped, whitespace-collapsed, one
line of a multi-line value, a piece cut by trimming) may appear in the output.

MISTIO_FUZZ_SEED and MISTIO_FUZZ_SCALE (a multiplier of the case counts) reproduce or
widen a run. Retry sleeps are skipped (timing is not what this checks).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import collections
import json
import os
import random
import string
import time
import traceback

import pytest

from ansible_collections.mistio.cloud.plugins.module_utils import providers as catalogue
from ansible_collections.mistio.cloud.plugins.modules import mist_backend, mist_backend_info, mist_provider_info

pytestmark = pytest.mark.slow

SEED = int(os.environ.get('MISTIO_FUZZ_SEED', '20261127'))
SCALE = float(os.environ.get('MISTIO_FUZZ_SCALE', '1'))
ARGUMENT_CASES = int(1000 * SCALE)
ANSWER_CASES = int(200 * SCALE)
MODULES = {'mist_backend': mist_backend.main, 'mist_backend_info': mist_backend_info.main,
           'mist_provider_info': mist_provider_info.main}
B64 = string.ascii_letters + string.digits + '+/'


# --- secrets in every awkward shape -------------------------------------------

def secret(rng):
    tail = ''.join(rng.choice(string.ascii_letters + string.digits) for dummy in range(20))
    shapes = [
        lambda: '-----BEGIN PRIVATE KEY-----\n%s\n%s\n-----END PRIVATE KEY-----\n' % (
            ''.join(rng.choice(B64) for dummy in range(64)), ''.join(rng.choice(B64) for dummy in range(40)) + tail),
        lambda: 'qu"ote\\back-%s' % tail,
        lambda: 'ctl\x01\x07\x1b-%s' % tail,
        lambda: 's\u00e9cr\u00e9t-\u2603-%s' % tail,
        lambda: (tail * 20)[:400],
        lambda: 'sp  a\tc e-%s ' % tail,
        lambda: 'plain-%s' % tail,
    ]
    return rng.choice(shapes)()


def leak_forms(value):
    """Every form of a secret a message could carry."""
    value = str(value)
    forms = set([value, json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1], ' '.join(value.split())])
    forms.update(line.strip() for line in value.splitlines())
    collapsed = ' '.join(value.split())
    forms.update(collapsed[i:i + 24] for i in range(0, max(1, len(collapsed) - 23), 6))
    return set(form for form in forms if len(form) >= 12)


def leaks(output, secrets):
    return sorted(set(form for value in secrets for form in leak_forms(value) if form in output))


# --- argument sets ------------------------------------------------------------

def odd_text(rng):
    return rng.choice([
        '', ' ', 'prod', ' prod ', 'a' * 300, 'na\u00efve-\u2603', 'tab\there', 'new\nline', 'x/../y', '%2F', '{{ x }}',
        '\u0663\u0664', 'DROP TABLE', '-', 'a.b', '\x00nul', 12, 3.5, True, None, ['l'], {'k': 'v'},
    ])


def odd_int(rng):
    return rng.choice([0, -1, 1, 2, 30, 10 ** 12, '5', 'x', None, 2.5])


def credentials(rng, secrets):
    fields = sorted(catalogue.credential_options())
    secret_names = set(catalogue.secret_fields())
    creds = {}
    for name in rng.sample(fields, rng.randint(0, 4)):
        if name in secret_names:
            creds[name] = secrets[rng.randrange(len(secrets))]
        else:
            creds[name] = odd_text(rng) if rng.random() < 0.5 else 'value-%d' % rng.randint(0, 9)
    return creds


def url_for(rng, good, closed):
    if rng.random() < 0.75:
        return rng.choice([good, good + '/api/v1/', good + '/'])
    return rng.choice([
        'http://' + 'a' * 64 + '.example', 'http://' + 'a' * 300, closed, 'ftp://127.0.0.1', '', 'http://',
        'http://[::1', 'http://127.0.0.1:99999', 'https://127.0.0.1:1', 'http://user:pw@127.0.0.1:1',
        'http://\u00fcn\u00ef.invalid', good.replace('http://', 'HTTP://'),
    ])


def argument_set(rng, good_url, closed_url, token):
    secrets = [secret(rng) for dummy in range(3)]
    args = {
        'url': url_for(rng, good_url, closed_url),
        'api_version': rng.choice(['auto', 'backends', 'clouds', 'clouds', 'backends', 'v2']),
        'timeout': 5 if rng.random() < 0.85 else rng.choice([0, -1, 10 ** 12, 10 ** 400, '5', 'x']),
        'retries': rng.choice([0, 1, 1, -1, 2]),
    }
    token_choice = rng.random()
    if token_choice < 0.5:
        args['api_token'] = token
    elif token_choice < 0.6:
        args['api_token'] = token + rng.choice(['\r\n', '\n', ' ', '\t'])
    elif token_choice < 0.7:
        args['api_token'] = 't\u00f6k\u00e9n-\u2603-' + secrets[0][:8]
    elif token_choice < 0.8:
        args['email'] = rng.choice(['demo@mist.local', 'd\u00e9mo@mist.local', '\u2603@x', ''])
        args['password'] = secrets[1]
    elif token_choice < 0.9:
        args['api_token'] = secrets[2]
    if rng.random() < 0.15:
        args['validate_certs'] = rng.choice([False, True, 'maybe'])
    if rng.random() < 0.1:
        args['ca_path'] = rng.choice(['/nonexistent/ca.pem', '/etc/hostname', ''])
    module = rng.choice(sorted(MODULES))
    if module == 'mist_backend':
        args['name'] = odd_text(rng)
        for key in ('id', 'region'):
            if rng.random() < 0.3:
                args[key] = odd_text(rng)
        if rng.random() < 0.8:
            args['provider'] = rng.choice(sorted(catalogue.PROVIDERS) + ['ec2_us_east', 'rackspace:lon', 'nope', '', None])
        args['credentials'] = credentials(rng, secrets) if rng.random() < 0.8 else odd_text(rng)
        for key, choices in (('enabled', [True, False, 'yes', 'bogus']), ('state', ['present', 'absent', 'gone']),
                             ('update_credentials', ['on_create', 'always', 'never']),
                             ('allow_replace_with_new_id', [True, False])):
            if rng.random() < 0.4:
                args[key] = rng.choice(choices)
    elif module == 'mist_backend_info':
        for key in mist_backend_info.FILTERS:
            if rng.random() < 0.3:
                args[key] = odd_text(rng)
    elif rng.random() < 0.5:
        args['provider'] = odd_text(rng)
    args['_ansible_check_mode'] = rng.random() < 0.3
    args['_ansible_diff'] = rng.random() < 0.3
    secrets = list(secrets) + [v for k, v in args.items() if k in ('api_token', 'password') and isinstance(v, str) and len(v) > 12]
    return module, args, secrets


# --- malformed answers ---------------------------------------------------------

ODD_RETRY_AFTER = ['\u0663', '\u0661' * 30, '99999999999999999999', 'Fri, 31 Dec 99999 23:59:59 GMT',
                   'Mon, 01 Jan 0001 00:00:00 GMT', '-5', '1e9', 'soon', '']
ODD_LOCATIONS = ['/backends', '/api/v1/clouds', 'http://127.0.0.1:1/x', '//evil.invalid/x', '']


def deep(n):
    return '[' * n + ']' * n


def malformed(rng, request, echo_secrets):
    """One odd answer to a request: (status, headers, body)."""
    body_text = request.body.decode('utf-8', 'replace')
    kinds = [
        lambda: (200, {}, 'not json at all'),
        lambda: (200, {'Content-Type': 'text/html'}, '<!DOCTYPE html><html><body>hi</body></html>'),
        lambda: (rng.choice([500, 502, 503]), {'Content-Type': 'text/html'}, '<html><body>Bad Gateway</body></html>'),
        lambda: (200, {}, rng.choice(['null', '1', '"text"', '{}', '[]', '[1, 2]', '[null]', '[[1]]', '[{}]', 'true'])),
        lambda: (200, {}, json.dumps([{'id': rng.choice([None, 1, [], {}]), 'title': rng.choice([None, 5, [], 'x']),
                                       'provider': rng.choice([None, 3, 'ec2', [], {}]), 'enabled': rng.choice(['maybe', None, 2, []]),
                                       'region': rng.choice([[], {}, 7, None, 'us-east-1']), 'name': rng.choice([None, {}, 'n'])}])),
        lambda: (200, {}, json.dumps({'supported_providers': rng.choice([None, 1, [1, 'x'], [None], 'ec2', [{'provider': []}]])})),
        lambda: (200, {}, json.dumps([{'id': 'm', 'public_ips': '203.0.113.1', 'tags': 'x', 'extra': [], 'state': 5}])),
        lambda: (200, {}, '[' + ','.join(['{"id": "x%d", "title": "t"}' % i for i in range(20000)]) + ']'),
        lambda: (200, {}, deep(rng.choice([1000, 5000, 100000]))),
        lambda: (200, {}, '{"a": ' * 50000 + '1' + '}' * 50000),
        lambda: (rng.choice([429, 503]), {'Retry-After': rng.choice(ODD_RETRY_AFTER)}, 'busy'),
        lambda: (rng.choice([301, 302, 303, 307, 308]), {'Location': rng.choice(ODD_LOCATIONS)}, ''),
        lambda: (rng.choice([400, 401, 403, 409, 500]), {'Content-Type': 'text/plain'}, 'Bad request: ' + body_text),
        lambda: (400, {}, 'Bad request: ' + json.dumps(body_text)),
        lambda: (400, {}, 'Invalid: ' + ' '.join(' '.join(s.split()) for s in echo_secrets)),
        lambda: (401, {}, 'Invalid header: %r' % request.headers.get('Authorization')),
        lambda: (200, {}, json.dumps({'token': 't\u00f6k\u00e9n\u2603', 'mist_api_token': 't\u00f6k\u00e9n\u2603'})),
        lambda: (204, {}, ''),
        lambda: (200, {'Content-Type': 'application/json; charset=utf-16'}, '\xff\xfe[]'),
        lambda: (rng.choice([100, 199, 299, 418, 599]), {}, 'odd'),
        lambda: 'drop',
    ]
    return rng.choice(kinds)()


def plausible(request):
    """A valid-looking answer, so a case can get past the first request."""
    path = request.path.split('?')[0]
    if path in ('/backends', '/api/v1/clouds') and request.method == 'GET':
        return 200, {}, json.dumps([{'id': 'abc123', 'title': 'prod', 'name': 'prod', 'provider': 'ec2', 'enabled': True,
                                     'region': 'us-east-1', 'state': 'online', 'apikey': 'AKIA'}])
    if path in ('/providers', '/api/v1/providers'):
        return 200, {}, json.dumps({'supported_providers': [{'provider': 'ec2_us_east', 'title': 'EC2'}, {'name': 'ec2', 'title': 'EC2'}]})
    if path == '/api/v1/ping':
        return 200, {}, '{"hello": "x"}'
    if path in ('/api/v1/tokens', '/auth'):
        return 200, {}, json.dumps({'token': 'a' * 64, 'mist_api_token': 'a' * 64})
    if request.method == 'POST' and path in ('/backends', '/api/v1/clouds'):
        return 200, {}, json.dumps({'id': 'new1', 'title': 'prod', 'name': 'prod', 'provider': 'ec2', 'enabled': True})
    return 200, {}, 'OK'


# --- the runs ------------------------------------------------------------------

class Tally(object):
    def __init__(self, title):
        self.title = title
        self.cases = self.ok = self.failed = 0
        self.crashes = []
        self.leaks = []

    def run(self, run_module, module, args, secrets):
        self.cases += 1
        try:
            outcome = run_module(MODULES[module], args)
        except Exception:  # pylint: disable=broad-except
            self.crashes.append('%s %r\n%s' % (module, _shown(args), traceback.format_exc(limit=-4)))
            return
        if outcome.failed:
            self.failed += 1
        else:
            self.ok += 1
        found = leaks(outcome.output, secrets)
        if found:
            self.leaks.append('%s %r leaked %r in %s' % (module, _shown(args), found, outcome.output[:600]))

    def report(self, capsys):
        with capsys.disabled():
            print('\nfuzz %s (seed %d): %d cases, %d ok, %d clean failures, %d uncaught exceptions, %d leaks'
                  % (self.title, SEED, self.cases, self.ok, self.failed, len(self.crashes), len(self.leaks)))
        kinds = collections.Counter(crash.strip().splitlines()[-1][:120] for crash in self.crashes)
        assert not (self.crashes or self.leaks), '%d uncaught exceptions %s; %d leaks. The first ones:\n%s\n%s' % (
            len(self.crashes), dict(kinds), len(self.leaks), '\n'.join(self.crashes[:5]), '\n'.join(self.leaks[:5]))


def _shown(args):
    return dict((k, (v[:60] if isinstance(v, str) else v)) for k, v in args.items())


@pytest.fixture
def no_sleep(monkeypatch):
    monkeypatch.setattr(time, 'sleep', lambda seconds: None)


def test_fuzz_arguments(sim, mistsim_token, run_module, no_sleep, closed_url, capsys):
    rng = random.Random(SEED)
    tally = Tally('arguments')
    for dummy in range(ARGUMENT_CASES):
        module, args, secrets = argument_set(rng, sim.url, closed_url, mistsim_token)
        tally.run(run_module, module, args, secrets)
    tally.report(capsys)


def test_fuzz_server_answers(scripted, run_module, no_sleep, capsys):
    rng = random.Random(SEED + 1)
    tally = Tally('server answers')
    state = {}

    def answer(request):
        if rng.random() < state['sanity']:
            return plausible(request)
        return malformed(rng, request, state['secrets'])

    server = scripted(answer)
    for dummy in range(ANSWER_CASES):
        secrets = [secret(rng) for dummy in range(2)]
        state['sanity'] = rng.choice([0.0, 0.5, 0.8])
        module = rng.choice(sorted(MODULES))
        args = {'url': server.url, 'api_token': rng.choice(['b' * 64, secrets[0]]), 'timeout': 5,
                'api_version': rng.choice(['auto', 'backends', 'clouds']), 'retries': rng.choice([0, 1, 2])}
        if rng.random() < 0.2:
            args.pop('api_token')
            args.update(email='demo@mist.local', password=secrets[0])
        if module == 'mist_backend':
            provider = rng.choice(['ec2', 'gce', 'docker', 'openstack', 'digitalocean'])
            fields = list(catalogue.PROVIDERS[provider]['fields'])
            creds = dict((f['name'], secrets[1] if f['secret'] else 'v-%s' % f['name']) for f in fields
                         if f['name'] not in catalogue.INT_FIELDS)
            args.update(name=rng.choice(['prod', 'other', ' prod ']), provider=provider, credentials=creds,
                        region=None if provider != 'ec2' else 'us-east-1',
                        state=rng.choice(['present', 'present', 'absent']), enabled=rng.choice([None, True, False]),
                        update_credentials=rng.choice(['on_create', 'always']), allow_replace_with_new_id=rng.random() < 0.3)
            args = dict((k, v) for k, v in args.items() if v is not None)
        elif module == 'mist_backend_info':
            args[rng.choice(mist_backend_info.FILTERS)] = 'prod'
        args['_ansible_check_mode'] = rng.random() < 0.3
        # The server echoes only what it was sent (a value it never got is not the client's to hide).
        sent = [args.get('api_token'), args.get('password')] + ([secrets[1]] if module == 'mist_backend' else [])
        state['secrets'] = [value for value in sent if value]
        tally.run(run_module, module, args, state['secrets'])
    tally.report(capsys)
