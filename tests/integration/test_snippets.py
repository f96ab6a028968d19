# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Contract: every YAML snippet a user can copy works as shown.

Found automatically, so a new plugin's or a new section's snippets are covered:
every ```yaml / ```yml block of README.md and every document of each plugin's
EXAMPLES (plugins/*/*.py). Each is parsed, then run against the simulator:

- a list of tasks runs as one play on localhost; a list of plays runs as is;
- a mapping with ``plugin:`` is an inventory config, run with ``ansible-inventory --list``.

What is rewritten so that it runs here: the connection options of the Mist
modules (``url``/``mist_uri``, ``api_token``, in a task or in module_defaults)
and of an inventory config point at the simulator; an inventory's
``cache_connection`` goes to a temp dir; every ``vault_*`` variable gets a value.
The simulator is seeded with snippets/seed.json (the ids and names the snippets use).
A block that cannot run on its own is marked ``<!-- snippet: parse-only -->`` on
the line before its fence; it is still parsed.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
import yaml

from helpers import says

REPO = Path(__file__).resolve().parents[2]
SEED = json.loads((Path(__file__).resolve().parent / 'snippets' / 'seed.json').read_text())
FENCE = re.compile(r'(?P<mark><!-- snippet: parse-only -->\n)?```(?:yaml|yml)\n(?P<body>.*?)^```', re.S | re.M)
CONNECTION = ('url', 'mist_uri', 'api_token')
TASK_LISTS = ('tasks', 'pre_tasks', 'post_tasks', 'handlers', 'block', 'rescue', 'always')
MIST_GROUP = 'group/mistio.cloud.mist'

pytestmark = pytest.mark.slow


class SnippetLoader(yaml.SafeLoader):  # pylint: disable=too-many-ancestors
    """YAML as Ansible reads it: !vault and !unsafe are tagged strings."""


SnippetLoader.add_constructor('!vault', lambda loader, node: loader.construct_scalar(node))
SnippetLoader.add_constructor('!unsafe', lambda loader, node: loader.construct_scalar(node))


def markdown_snippets(name, text):
    """(where, text, runnable) of every yaml/yml fence of a markdown text."""
    for match in FENCE.finditer(text):
        line = text.count('\n', 0, match.start('body')) + 1
        yield '%s:%d' % (name, line), match.group('body'), not match.group('mark')


def examples_snippets(path):
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and any(getattr(t, 'id', None) == 'EXAMPLES' for t in node.targets):
            yield '%s:EXAMPLES' % path.relative_to(REPO), ast.literal_eval(node.value), True


def snippets():
    found = list(markdown_snippets('README.md', (REPO / 'README.md').read_text()))
    for path in sorted((REPO / 'plugins').glob('*/*.py')):
        found.extend(examples_snippets(path))
    return [pytest.param(text, runnable, id=where) for where, text, runnable in found]


SNIPPETS = snippets()


def test_the_snippets_are_found():
    """The README and every plugin have snippets, so an extractor that finds none fails here."""
    ids = [case.id for case in SNIPPETS]
    assert [i for i in ids if i.startswith('README.md:')]
    for path in sorted((REPO / 'plugins').glob('*/*.py')):
        if 'EXAMPLES =' in path.read_text():
            assert [i for i in ids if i.startswith('%s:EXAMPLES' % path.relative_to(REPO))], path


def test_the_extractor_takes_yaml_fences_only_and_honours_parse_only():
    text = '\n'.join(['# t', '```console', 'make test', '```', '```yaml', '- debug:', '```',
                      '<!-- snippet: parse-only -->', '```yml', 'plugin: x', '```', ''])
    assert list(markdown_snippets('T.md', text)) == [('T.md:6', '- debug:\n', True), ('T.md:10', 'plugin: x\n', False)]


def kind(doc):
    if isinstance(doc, dict) and 'plugin' in doc:
        return 'inventory'
    if isinstance(doc, list) and doc and all(isinstance(item, dict) for item in doc):
        return 'plays' if any('hosts' in item for item in doc) else 'tasks'
    return None


def point_at(options, url, token):
    for key in CONNECTION:
        if key in options:
            options[key] = url if key != 'api_token' else token


def rewrite_tasks(tasks, url, token):
    """Point every Mist module (its own options and module_defaults) at the simulator, in place."""
    for task in tasks or ():
        for key, value in task.items():
            if key.startswith('mistio.cloud.') and isinstance(value, dict):
                point_at(value, url, token)
            elif key in TASK_LISTS:
                rewrite_tasks(value, url, token)
        rewrite_defaults(task, url, token)


def rewrite_defaults(holder, url, token):
    for name, options in (holder.get('module_defaults') or {}).items():
        if (name == MIST_GROUP or name.startswith('mistio.cloud.')) and isinstance(options, dict):
            point_at(options, url, token)


def vault_vars(doc):
    return sorted(set(re.findall(r'\bvault_\w+', json.dumps(doc))))


def hosts(group):
    """Every host name under a group of `ansible-inventory --list -y` output (the whole output: {all: ...})."""
    group = group or {}
    found = set(group.get('hosts') or ())
    for child in list((group.get('children') or {}).values()) + [group.get('all')]:
        if child:
            found |= hosts(child)
    return found


@pytest.mark.parametrize('text, runnable', SNIPPETS)
def test_snippet_parses_and_runs(ansible, sim, mistsim_token, tmp_path, text, runnable):
    try:
        docs = [doc for doc in yaml.load_all(text, Loader=SnippetLoader) if doc is not None]
    except yaml.YAMLError as exc:
        pytest.fail('the snippet is not valid YAML: %s' % exc, pytrace=False)
    for index, doc in enumerate(docs):
        what = kind(doc)
        assert what, 'document %d: a snippet must be a list of tasks, a list of plays or an inventory config' % (index + 1)
        if runnable:
            if index == 0:
                sim.seed(SEED)
            run(ansible, sim, mistsim_token, tmp_path / str(index), doc, what)


def run(ansible, sim, token, work, doc, what):
    work.mkdir()
    env = {'MIST_URL': sim.url, 'MIST_API_TOKEN': token}
    if what == 'inventory':
        point_at(doc, sim.url, token)
        if 'cache_connection' in doc:
            doc['cache_connection'] = str(work / 'cache')
        path = work / 'snippet.mist.yml'
        path.write_text(yaml.safe_dump(doc))
        proc = ansible.assert_ok(ansible.inventory(path, env=env))
        assert hosts(yaml.safe_load(proc.stdout)), 'the snippet yields no host:\n' + proc.output
    else:
        plays = doc if what == 'plays' else [{'name': 'snippet', 'hosts': 'localhost', 'gather_facts': False, 'tasks': doc}]
        for play in plays:
            rewrite_defaults(play, sim.url, token)
            for key in TASK_LISTS:
                rewrite_tasks(play.get(key), sim.url, token)
        path = work / 'snippet.yml'
        path.write_text(yaml.safe_dump(plays, sort_keys=False))
        extra = dict((name, 'snippet-%s' % name) for name in vault_vars(doc))
        proc = ansible.assert_ok(ansible.playbook(path, args=['-i', 'localhost,', '-c', 'local', '-e', json.dumps(extra)],
                                                  env=env))
        assert says(proc.output, 'failed=0'), proc.output
    assert 'Traceback' not in proc.output
