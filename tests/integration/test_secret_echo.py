# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""No secret in any echo, seen from the outside: a real ansible-playbook run at -vvv.

The simulator answers every add with a 400 that repeats the secrets the way servers do
(raw, JSON-escaped, whitespace-collapsed, Python-repr escaped); the whole -vvv output must
hold no form of any of them. (The playbook labels its loop: -vvv prints a loop's raw item.) tests/unit/plugins/module_utils/test_redaction.py covers every
provider and failure path in-process.
"""

import json

import pytest

pytestmark = pytest.mark.slow

TAIL = 'Vv7Kq2Wn9Xc4Lm8Tz3Rb'
SECRETS = {
    'gce': ('private_key', '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0B%s\nAQEFAASCBKcwggSjAgEAAoIBAQ%s\n'
                           '-----END PRIVATE KEY-----\n' % (TAIL, TAIL)),
    'openstack': ('password', 'p"a\\ss\tw\u00f6rd \u2603 %s' % TAIL),
    'digitalocean': ('token', ('do-%s' % TAIL) * 16),
}
OTHER = {'gce': {'email': 'sa@project.iam.gserviceaccount.com', 'project_id': 'project-1'},
         'openstack': {'username': 'admin', 'url': 'https://10.0.0.1:5000/v2.0', 'tenant': 'admin'},
         'digitalocean': {}}


def forms(value):
    found = set([value, json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1], ' '.join(value.split()),
                 repr(value)[1:-1]])
    found.update(line.strip() for line in value.splitlines())
    return set(f for f in found if len(f) >= 12)


@pytest.mark.parametrize('dialect', ['backends', 'clouds'])
def test_echoed_secrets_never_reach_vvv_output(ansible, sim, mistsim_token, dialect):
    values = [secret for _field, secret in SECRETS.values()]
    path = '^/backends$' if dialect == 'backends' else '^/api/v1/clouds$'
    cases = []
    for provider, (field, secret) in sorted(SECRETS.items()):
        creds = dict(OTHER[provider], **{field: secret})
        cases.append({'provider': provider, 'credentials': creds})
        # One rule per add, in the tasks' order: each answer repeats what that add sent.
        echo = 'Invalid request: %s | %s | %r' % (json.dumps(creds), ' '.join(secret.split()), creds)
        sim.fault(method='POST', path=path, status=400, body=echo, count=1)
    proc = ansible.playbook('secret_echo.yml', args=['-i', 'localhost,', '-vvv', '-e', json.dumps({
        'mist_url': sim.url, 'mist_token': mistsim_token, 'dialect': dialect, 'cases': cases})])
    ansible.assert_ok(proc)
    assert '<localhost> EXEC' in proc.output  # -vvv really was on
    assert len([e for e in sim.requests() if e['method'] == 'POST']) == len(cases)
    # The command line carries the secrets as extra vars (the test's doing, not the module's).
    output = proc.output
    for value in values:
        output = output.replace(json.dumps(value), '')
    leaked = sorted(f for value in values for f in forms(value) if f in output)
    assert leaked == [], [(f, output[max(0, output.find(f) - 300):output.find(f) + 100]) for f in leaked[:2]]
