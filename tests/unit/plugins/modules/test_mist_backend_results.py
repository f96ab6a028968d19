# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Honest results: what mist_backend reports is what this task did, and what the server will accept.

A backend adopted after a definite 409 (someone else added it) that needs nothing is
changed: false; a list answer that is not a list of objects fails the task (never "no
backends", which would add a duplicate); a redirect on a write fails clearly (never a
POST turned into a GET); clouds names are compared as the server stores them (stripped);
check mode refuses a clouds name the server's name rule refuses.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from ansible_collections.mistio.cloud.plugins.modules import mist_backend

import backend_tasks

TOKEN = 'e' * 64
COLLECTION = {'backends': '/backends', 'clouds': '/api/v1/clouds'}
CONFLICT = {'backends': 'Backend exists: %s', 'clouds': 'Cloud with this name already exists'}


def ec2(dialect, name='prod', **extra):
    return backend_tasks.ec2(dialect, name=name, apikey='AKIARESULTS', secret='results-secret-123', **extra)


def listed_entry(dialect, backend_id, name='prod', enabled=True):
    entry = {'id': backend_id, 'provider': 'ec2_us_east' if dialect == 'backends' else 'ec2', 'enabled': enabled,
             'apikey': 'AKIARESULTS', 'state': 'online'}
    if dialect == 'backends':
        entry['title'] = name
    else:
        entry.update(name=name, region='us-east-1')
    return entry


@pytest.mark.parametrize('dialect', ['backends', 'clouds'])
@pytest.mark.parametrize('enabled, expect_changed, expect_writes', [(None, False, ['POST']), (False, True, ['POST', 'POST'])])
def test_adopted_after_409_reports_what_this_task_did(scripted, run_module, dialect, enabled, expect_changed, expect_writes):
    """Someone else adds the same backend between our list and our add: the 409 is definite, the
    backend is adopted; changed only when this task then had to converge it."""
    state = {'listed': []}

    def answer(request):
        if request.method == 'GET' and request.path == COLLECTION[dialect]:
            return 200, {}, json.dumps(state['listed'])
        if request.method == 'POST' and request.path == COLLECTION[dialect]:
            body = json.loads(request.body)
            entry = listed_entry(dialect, 'someone-elses-id', body.get('title') or body.get('name'))
            if dialect == 'backends':
                entry['id'] = state['predicted']
            state['listed'] = [entry]
            return 409, {'Content-Type': 'text/plain'}, CONFLICT[dialect] % entry['id'] if '%s' in CONFLICT[dialect] else CONFLICT[dialect]
        if request.method == 'POST':
            state['listed'][0]['enabled'] = json.loads(request.body)['new_state'] in ('1', 1, True)
            return 200, {}, 'OK'
        return 404, {}, 'Not Found'

    server = scripted(answer)
    base = {'url': server.url, 'api_token': TOKEN, 'api_version': dialect, 'retries': 0}
    predicted = run_module(mist_backend.main, dict(base, _ansible_check_mode=True, **ec2(dialect)))
    state['predicted'] = predicted.result['backend']['id']
    server.requests[:] = []
    args = dict(base, **ec2(dialect))
    if enabled is not None:
        args['enabled'] = enabled
    outcome = run_module(mist_backend.main, args)
    assert not outcome.failed, outcome.result
    assert [r.method for r in server.requests if r.method != 'GET'] == expect_writes
    assert outcome.changed is expect_changed, outcome.result
    assert outcome.result['backend']['name'] == 'prod'


@pytest.mark.parametrize('dialect', ['backends', 'clouds'])
@pytest.mark.parametrize('answer_text', ['[1, 2]', '["prod"]', '[{"id": "x", "title": "a", "name": "a"}, "junk"]', '[null]',
                                         '[[{"id": "x"}]]', '{"clouds": []}', '"[]"'])
def test_list_answer_that_is_not_a_list_of_objects_fails(scripted, run_module, dialect, answer_text):
    server = scripted(lambda request: (200, {}, answer_text) if request.method == 'GET' else (200, {}, '{}'))
    outcome = run_module(mist_backend.main, dict({'url': server.url, 'api_token': TOKEN, 'api_version': dialect,
                                                  'retries': 0}, **ec2(dialect)))
    assert outcome.failed, outcome.result
    assert 'list' in outcome.result['msg'] and COLLECTION[dialect] in outcome.result['msg'], outcome.result['msg']
    assert [r.method for r in server.requests] == ['GET'], 'nothing may be added on a list that was not read'


@pytest.mark.parametrize('dialect', ['backends', 'clouds'])
@pytest.mark.parametrize('status', [301, 302, 303, 307, 308])
def test_redirect_on_a_write_fails_clearly(scripted, run_module, dialect, status):
    where = {}

    def answer(request):
        if request.method == 'GET':
            return 200, {}, '[]'
        return status, {'Location': '%s/moved%s' % (where['url'], request.path)}, ''

    server = scripted(answer)
    where['url'] = server.url
    outcome = run_module(mist_backend.main, dict({'url': server.url, 'api_token': TOKEN, 'api_version': dialect,
                                                  'retries': 0}, **ec2(dialect)))
    assert outcome.failed, outcome.result
    msg = outcome.result['msg']
    assert 'redirect' in msg and str(status) in msg and '/moved' in msg, msg
    assert [r.method for r in server.requests] == ['GET', 'POST'], 'the POST must not be replayed, nor become a GET'


def test_clouds_names_are_compared_stripped(sim, mistsim_token, run_module):
    """The clouds server strips names: ' spaced ' is stored as 'spaced', so a re-run is unchanged."""
    base = {'url': sim.url, 'api_token': mistsim_token, 'api_version': 'clouds', 'retries': 0}
    first = run_module(mist_backend.main, dict(base, **ec2('clouds', name='  spaced name ')))
    assert not first.failed and first.changed, first.result
    assert first.result['backend']['name'] == 'spaced name'
    sim.clear_requests()
    again = run_module(mist_backend.main, dict(base, **ec2('clouds', name='  spaced name ')))
    assert not again.failed and again.changed is False, again.result
    assert sim.writes() == []
    renamed = run_module(mist_backend.main, dict(base, id=first.result['backend']['id'], name='spaced name\t'))
    assert not renamed.failed and renamed.changed is False, renamed.result


@pytest.mark.parametrize('check', [True, False])
@pytest.mark.parametrize('name', ['bad/name', 'x', '-lead', 'tr@il', 'na\u00efve', '_under'])
def test_clouds_name_outside_the_server_rule_is_refused_before_any_write(sim, mistsim_token, run_module, check, name):
    base = {'url': sim.url, 'api_token': mistsim_token, 'api_version': 'clouds', 'retries': 0, '_ansible_check_mode': check}
    outcome = run_module(mist_backend.main, dict(base, **ec2('clouds', name=name)))
    assert outcome.failed, outcome.result
    assert 'letters, numbers' in outcome.result['msg'] and repr(name) in outcome.result['msg'], outcome.result['msg']
    assert sim.writes() == []


def test_clouds_rename_outside_the_server_rule_is_refused_in_check_mode(sim, mistsim_token, run_module):
    base = {'url': sim.url, 'api_token': mistsim_token, 'api_version': 'clouds', 'retries': 0}
    created = run_module(mist_backend.main, dict(base, **ec2('clouds')))
    outcome = run_module(mist_backend.main, dict(base, _ansible_check_mode=True, id=created.result['backend']['id'], name='a/b'))
    assert outcome.failed and 'letters, numbers' in outcome.result['msg'], outcome.result
