# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""mist_backend, driven in-process (main() with patch_module_args) against the real simulator.

Each test names the contract it checks. Requests are counted from the simulator's log.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from helpers import patch_module_args

from ansible_collections.mistio.cloud.plugins.modules import mist_backend

import backend_tasks

SECRET = 's3cr3t-ec2-secret-value'
SECRET2 = 'an0ther-ec2-secret-value'
RACK_SECRET = 'rack-api-key-value-42'


@pytest.fixture
def run(sim, mistsim_token, capsys):
    """run(dialect, check=False, diff=False, **params) -> (failed, result); the log is cleared first."""

    def runner(dialect, check=False, diff=False, clear=True, **params):
        if clear:
            sim.clear_requests()
        args = {'url': sim.url, 'api_token': mistsim_token, 'api_version': dialect, 'retries': 1,
                '_ansible_check_mode': check, '_ansible_diff': diff}
        args.update(params)
        with patch_module_args(args):
            with pytest.raises(SystemExit):
                mist_backend.main()
        out = capsys.readouterr().out
        result = json.loads(out)
        result['_raw'] = out
        return bool(result.get('failed')), result

    return runner


def ec2(dialect, name='prod', apikey='AKIAEXAMPLE', secret=SECRET, **extra):
    return backend_tasks.ec2(dialect, name=name, apikey=apikey, secret=secret, **extra)


def listed(sim, dialect):
    state = sim.state()
    if dialect == 'backends':
        return state['backends']
    return [c for c in state['clouds'] if not c.get('deleted')]


def log(sim):
    return ['%s %s' % (e['method'], e['path']) for e in sim.requests()]


def collection(dialect):
    return '/backends' if dialect == 'backends' else '/api/v1/clouds'


DIALECTS = ('backends', 'clouds')


# --- create / idempotence / request counts ---------------------------------

@pytest.mark.parametrize('dialect', DIALECTS)
def test_check_mode_create_sends_no_write(sim, run, dialect):
    failed, result = run(dialect, check=True, diff=True, **ec2(dialect))
    assert not failed and result['changed'] and result['actions'] == ['create']
    assert result['diff']['before'] == {} and result['diff']['after']['name'] == 'prod'
    assert sim.writes() == [] and listed(sim, dialect) == []
    if dialect == 'backends':
        assert result['backend']['id'] == '282anRybLn34tNGugwCNK7oCisfY'


@pytest.mark.parametrize('dialect', DIALECTS)
def test_create_is_list_plus_add_then_rerun_is_one_request(sim, run, dialect):
    failed, result = run(dialect, **ec2(dialect))
    assert not failed and result['changed'] and result['actions'] == ['create']
    assert log(sim) == ['GET %s' % collection(dialect), 'POST %s' % collection(dialect)]
    assert len(listed(sim, dialect)) == 1
    failed, result = run(dialect, **ec2(dialect))
    assert not failed and not result['changed'] and result['actions'] == []
    assert log(sim) == ['GET %s' % collection(dialect)]


def test_auto_costs_no_request_when_the_task_lists(sim, run):
    run('clouds', **ec2('clouds'))
    failed, result = run('auto', **ec2('clouds'))
    assert not failed and not result['changed'] and result['dialect'] == 'clouds'
    assert log(sim) == ['GET /api/v1/clouds']


@pytest.mark.parametrize('dialect', DIALECTS)
def test_create_disabled(sim, run, dialect):
    failed, result = run(dialect, enabled=False, **ec2(dialect))
    assert not failed and result['actions'] == ['create', 'disable'] and result['backend']['enabled'] is False
    assert listed(sim, dialect)[0]['enabled'] is False


# --- update ------------------------------------------------------------------

@pytest.mark.parametrize('dialect', DIALECTS)
def test_rename_by_id_disable_enable(sim, run, dialect):
    created = run(dialect, **ec2(dialect))[1]['backend']
    failed, result = run(dialect, check=True, id=created['id'], name='renamed')
    assert not failed and result['changed'] and result['actions'] == ['rename'] and sim.writes() == []
    failed, result = run(dialect, diff=True, id=created['id'], name='renamed')
    assert result['actions'] == ['rename'] and result['backend']['id'] == created['id']
    assert result['diff']['before']['name'] == 'prod' and result['diff']['after']['name'] == 'renamed'
    assert [b.get('title', b.get('name')) for b in listed(sim, dialect)] == ['renamed']
    assert run(dialect, name='renamed', enabled=False)[1]['actions'] == ['disable']
    assert listed(sim, dialect)[0]['enabled'] is False
    assert not run(dialect, name='renamed', enabled=False)[1]['changed']
    assert run(dialect, name='renamed', enabled=True)[1]['actions'] == ['enable']
    assert listed(sim, dialect)[0]['enabled'] is True


def test_clouds_credential_change_is_a_patch_of_what_differs(sim, run):
    cloud_id = run('clouds', **ec2('clouds'))[1]['backend']['id']
    failed, result = run('clouds', **ec2('clouds', apikey='AKIANEWKEY'))
    assert not failed and result['actions'] == ['update_credentials'] and result['backend']['id'] == cloud_id
    writes = sim.writes()
    assert [(w['method'], w['path']) for w in writes] == [('PATCH', '/api/v1/clouds/%s' % cloud_id)]
    assert listed(sim, 'clouds')[0]['fields']['apikey'] == 'AKIANEWKEY'
    assert listed(sim, 'clouds')[0]['fields']['apisecret'] == SECRET


def test_clouds_secret_only_with_always_and_always_changed(sim, run):
    run('clouds', **ec2('clouds'))
    assert not run('clouds', **ec2('clouds', secret=SECRET2))[1]['changed']
    for dummy in range(2):
        failed, result = run('clouds', update_credentials='always', **ec2('clouds', secret=SECRET2))
        assert not failed and result['changed'] and result['actions'] == ['update_credentials']
        assert SECRET2 not in result['_raw']
    assert listed(sim, 'clouds')[0]['fields']['apisecret'] == SECRET2


def test_backends_credential_change_refused_then_replaced(sim, run):
    old = run('backends', **ec2('backends'))[1]['backend']['id']
    failed, result = run('backends', **ec2('backends', apikey='AKIANEWKEY'))
    assert failed and 'allow_replace_with_new_id: true' in result['msg'] and old in result['msg']
    assert sim.writes() == []
    failed, result = run('backends', check=True, allow_replace_with_new_id=True, **ec2('backends', apikey='AKIANEWKEY'))
    assert not failed and result['actions'] == ['replace'] and sim.writes() == []
    failed, result = run('backends', allow_replace_with_new_id=True, **ec2('backends', apikey='AKIANEWKEY'))
    assert not failed and result['actions'] == ['replace'] and result['backend']['id'] != old
    assert [(w['method'], w['path']) for w in sim.writes()] == [('POST', '/backends'), ('DELETE', '/backends/%s' % old)]
    assert [b['id'] for b in listed(sim, 'backends')] == [result['backend']['id']]
    assert not run('backends', allow_replace_with_new_id=True, **ec2('backends', apikey='AKIANEWKEY'))[1]['changed']


def test_backends_replace_keeps_old_when_add_fails(sim, run):
    old = run('backends', **ec2('backends'))[1]['backend']['id']
    failed, result = run('backends', allow_replace_with_new_id=True, **ec2('backends', apikey='AKIANEW', secret='invalid-secret'))
    assert failed and '401' in result['msg'] and 'invalid-secret' not in result['_raw']
    assert [b['id'] for b in listed(sim, 'backends')] == [old]


def test_backends_secret_always_refused(sim, run):
    run('backends', **ec2('backends'))
    failed, result = run('backends', update_credentials='always', **ec2('backends'))
    assert failed and 'same id' in result['msg'] and sim.writes() == []


def test_backends_computed_id_taken_under_other_title_fails_before_writing(sim, run):
    run('backends', **ec2('backends', name='original'))
    failed, result = run('backends', **ec2('backends', name='copy'))
    assert failed and '282anRybLn34tNGugwCNK7oCisfY' in result['msg'] and "'original'" in result['msg']
    assert 'id: 282anRybLn34tNGugwCNK7oCisfY' in result['msg']
    assert sim.writes() == []


# --- lookup ------------------------------------------------------------------

def test_duplicate_names_fail_with_ids(sim, run):
    sim.seed({'backends': [
        {'title': 'dup', 'provider': 'ec2_us_east', 'apikey': 'AKIA1', 'apisecret': 'x1'},
        {'title': 'dup', 'provider': 'ec2_us_east', 'apikey': 'AKIA2', 'apisecret': 'x2'},
    ]})
    ids = sorted(b['id'] for b in listed(sim, 'backends'))
    for state in ('present', 'absent'):
        failed, result = run('backends', name='dup', state=state, enabled=False)
        assert failed and all(i in result['msg'] for i in ids)
    assert sim.writes() == []
    failed, result = run('backends', id=ids[0], state='absent')
    assert not failed and result['actions'] == ['delete']


def test_never_a_substring_match(sim, run):
    sim.seed({'clouds': [{'name': 'production', 'provider': 'ec2', 'apikey': 'A', 'apisecret': 'x', 'region': 'us-east-1'}]})
    failed, result = run('clouds', name='prod', state='absent')
    assert not failed and not result['changed'] and len(listed(sim, 'clouds')) == 1


def test_unknown_id_fails_on_present(sim, run):
    failed, result = run('clouds', id='f' * 32, name='x')
    assert failed and 'No backend has id' in result['msg']


# --- delete --------------------------------------------------------------------

@pytest.mark.parametrize('dialect', DIALECTS)
def test_delete_then_again(sim, run, dialect):
    run(dialect, **ec2(dialect))
    failed, result = run(dialect, check=True, diff=True, name='prod', state='absent')
    assert result['actions'] == ['delete'] and result['changed'] and sim.writes() == []
    assert result['diff']['after'] == {} and result['diff']['before']['name'] == 'prod'
    failed, result = run(dialect, name='prod', state='absent')
    assert not failed and result['changed'] and result['backend'] == {} and listed(sim, dialect) == []
    failed, result = run(dialect, name='prod', state='absent')
    assert not failed and not result['changed'] and sim.writes() == []


def test_delete_404_means_already_gone(sim, run):
    run('clouds', **ec2('clouds'))
    sim.fault(method='DELETE', path='/api/v1/clouds/.*', status=404, body='Not Found: Cloud does not exist', count=1)
    failed, result = run('clouds', name='prod', state='absent')
    assert not failed and not result['changed']


# --- provider forms --------------------------------------------------------------

@pytest.mark.parametrize('dialect', DIALECTS)
def test_rackspace_seed_id(sim, run, dialect):
    params = {'name': 'rack', 'provider': 'rackspace:lon', 'credentials': {'username': 'rackuser', 'apikey': RACK_SECRET}}
    failed, result = run(dialect, **params)
    assert not failed and result['backend']['provider'] == 'rackspace' and result['backend']['region'] == 'lon'
    assert not run(dialect, **params)[1]['changed']
    assert RACK_SECRET not in result['_raw']


@pytest.mark.parametrize('dialect', DIALECTS)
def test_bare_metal_gets_the_declared_name_and_a_rerun_changes_nothing(sim, run, dialect):
    # A backends server titles a bare-metal backend by its host (MIST_API.md 1, add step 2): the task
    # renames it to the declared name; a re-run finds it by name, one request, no write.
    sim.seed({'keys': ['ops-key']})
    params = {'name': 'metal', 'provider': 'bare_metal',
              'credentials': {'host': '10.20.30.40', 'ssh_user': 'ubuntu', 'ssh_key': 'ops-key'}}
    failed, result = run(dialect, **params)
    assert not failed and result['actions'][0] == 'create' and set(result['actions']) <= {'create', 'rename'}, result
    assert [b.get('name') or b.get('title') for b in listed(sim, dialect)] == ['metal']
    failed, result = run(dialect, **params)
    assert not failed and not result['changed'] and sim.writes() == []
    if dialect == 'backends':
        assert log(sim) == ['GET /backends']
        return
    # A clouds server lists no field of a bare-metal cloud: its host is read from its machine (one more GET),
    # and a different host is refused before anything is sent (the server refuses any update of it).
    cloud_id = listed(sim, dialect)[0]['id']
    assert log(sim) == ['GET /api/v1/clouds', 'GET /api/v1/clouds/%s/machines' % cloud_id]
    failed, result = run(dialect, **dict(params, credentials=dict(params['credentials'], host='10.20.30.41')))
    assert failed and 'cannot update the host' in result['msg'] and '10.20.30.40' in result['msg'] and not result['changed']
    assert sim.writes() == []


# --- input errors ------------------------------------------------------------------

def test_unknown_provider_lists_valid_ones(sim, run):
    failed, result = run('clouds', name='x', provider='amazin', credentials={'apikey': 'AKIAEXAMPLE'})
    assert failed and 'amazin' in result['msg'] and 'ec2' in result['msg'] and 'rackspace' in result['msg']


@pytest.mark.parametrize('dialect', DIALECTS)
def test_unknown_and_missing_fields_named(sim, run, dialect):
    failed, result = run(dialect, name='x', provider='ec2', region='us-east-1',
                         credentials={'apikey': 'A', 'apisecret': SECRET, 'username': 'bob'})
    assert failed and "'username'" in result['msg'] and sim.writes() == []
    failed, result = run(dialect, name='x', provider='ec2', region='us-east-1', credentials={'apikey': 'A'})
    assert failed and "'apisecret'" in result['msg'] and sim.writes() == []


def test_missing_required_is_fine_for_existing(sim, run):
    run('clouds', **ec2('clouds'))
    failed, result = run('clouds', name='prod', provider='ec2', credentials={'apikey': 'AKIAEXAMPLE'})
    assert not failed, result['msg']
    assert not result['changed']


def test_bad_token(sim, run):
    failed, result = run('clouds', api_token='0' * 64, **ec2('clouds'))
    assert failed and '401' in result['msg'] and result['status'] == 401 and '0' * 64 not in result['_raw']


@pytest.mark.parametrize('dialect', DIALECTS)
def test_provider_rejects_credentials(sim, run, dialect):
    failed, result = run(dialect, **ec2(dialect, secret='invalid-key-123'))
    assert failed and '401' in result['msg'] and 'invalid-key-123' not in result['_raw']
    assert listed(sim, dialect) == []


@pytest.mark.parametrize('dialect', DIALECTS)
def test_provider_unreachable(sim, run, dialect):
    failed, result = run(dialect, **ec2(dialect, secret='unreachable-key-123'))
    assert failed and '503' in result['msg'] and 'unreachable-key-123' not in result['_raw']
    assert listed(sim, dialect) == []


def test_server_down(run):
    failed, result = run('clouds', url='http://127.0.0.1:9', **ec2('clouds'))
    assert failed and 'Cannot reach Mist' in result['msg'] and 'Traceback' not in result['_raw']


# --- safe create ------------------------------------------------------------------

@pytest.mark.parametrize('dialect', DIALECTS)
def test_dropped_after_commit(sim, run, dialect):
    sim.fault(method='POST', path=collection(dialect), action='drop_after', count=1)
    failed, result = run(dialect, **ec2(dialect))
    assert not failed and result['changed'] and result['actions'] == ['create']
    assert len(listed(sim, dialect)) == 1
    assert log(sim) == ['GET %s' % collection(dialect), 'POST %s' % collection(dialect), 'GET %s' % collection(dialect)]


@pytest.mark.parametrize('dialect', DIALECTS)
def test_503_on_add_then_success(sim, run, dialect):
    sim.fault(method='POST', path=collection(dialect), status=503, count=1)
    failed, result = run(dialect, **ec2(dialect))
    assert not failed and result['changed'] and len(listed(sim, dialect)) == 1
    assert log(sim) == ['GET %s' % collection(dialect), 'POST %s' % collection(dialect)] * 2


@pytest.mark.parametrize('dialect', DIALECTS)
def test_409_race_with_parallel_add(sim, run, dialect):
    # A twin added between our list and our add: the first list is stale (empty), the add answers 409.
    if dialect == 'backends':
        sim.seed({'backends': [{'title': 'prod', 'provider': 'ec2_us_east', 'apikey': 'AKIAEXAMPLE', 'apisecret': SECRET}]})
    else:
        sim.seed({'clouds': [{'name': 'prod', 'provider': 'ec2', 'apikey': 'AKIAEXAMPLE', 'apisecret': SECRET,
                              'region': 'us-east-1'}]})
    sim.fault(method='GET', path=collection(dialect), status=200, body='[]', content_type='application/json', count=1)
    failed, result = run(dialect, **ec2(dialect))
    # Someone else added it and it needed nothing: this task changed nothing (issue 11).
    assert not failed and result['changed'] is False and result['actions'] == [] and len(listed(sim, dialect)) == 1
    statuses = [(e['method'], e['status']) for e in sim.requests()]
    assert statuses == [('GET', 200), ('POST', 409), ('GET', 200)]


def test_409_not_there_is_tried_once_more(sim, run):
    sim.fault(method='POST', path='/api/v1/clouds', status=409, body='Cloud with this name already exists', count=1)
    failed, result = run('clouds', **ec2('clouds'))
    assert not failed and len(listed(sim, 'clouds')) == 1
    assert log(sim) == ['GET /api/v1/clouds', 'POST /api/v1/clouds'] * 2


def test_add_fails_twice_reports_error(sim, run):
    sim.fault(method='POST', path='/api/v1/clouds', status=502, count=2)
    failed, result = run('clouds', **ec2('clouds'))
    assert failed and '502' in result['msg'] and listed(sim, 'clouds') == []


# --- secrets ------------------------------------------------------------------------

def test_no_secret_in_any_result(sim, run):
    results = [run('clouds', diff=True, **ec2('clouds')),
               run('clouds', diff=True, update_credentials='always', **ec2('clouds', secret=SECRET2)),
               run('clouds', diff=True, check=True, name='prod', state='absent')]
    for dummy, result in results:
        assert SECRET not in result['_raw'] and SECRET2 not in result['_raw']


# --- the two mutations no test caught before (issue 10) -------------------------------

def test_rename_onto_a_name_another_cloud_has_fails_before_any_write(sim, run):
    run('clouds', **ec2('clouds', name='first'))
    run('clouds', **ec2('clouds', name='second', apikey='AKIAOTHER'))
    first = [c for c in listed(sim, 'clouds') if c['name'] == 'first'][0]
    failed, result = run('clouds', id=first['id'], name='second')
    assert failed and 'already has that name' in result['msg'] and result['changed'] is False
    assert sim.writes() == [] and sorted(c['name'] for c in listed(sim, 'clouds')) == ['first', 'second']


@pytest.mark.parametrize('dialect', DIALECTS)
def test_a_failure_after_an_earlier_write_reports_changed(sim, run, dialect):
    # create (written), then the disable fails: the task failed, but it did change the server.
    sim.fault(method='POST', path=collection(dialect) + '/.+', status=403, body='Forbidden', count=1)
    failed, result = run(dialect, enabled=False, **ec2(dialect))
    assert failed and result['changed'] is True, result
    assert len(listed(sim, dialect)) == 1
    # And a failure before any write says changed: false.
    sim.fault(method='PUT', path=collection(dialect) + '/.+', status=403, body='Forbidden', count=1)
    failed, result = run(dialect, **ec2(dialect, name='renamed', id=listed(sim, dialect)[0]['id']))
    assert failed and result['changed'] is False
