# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The layer order of plugins/ (DESIGN.md, "The shared API util"), read from the source with ast.

transport -> dialect -> catalogue -> plan -> modules and inventory: each file
imports only files of a lower rank (so there is no cycle), and nothing above
the dialect layer tests a dialect's or an era's name.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ast
import os

import pytest

PLUGINS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))),
                       'plugins')
PACKAGE = 'ansible_collections.mistio.cloud.plugins.'

# module_utils files, bottom up; a file may import only files listed before it.
MODULE_UTILS = [
    ('transport', 'client'),
    # resources.py normalises the resource listings (images, sizes, machines) a dialect reads: wire shapes.
    ('dialect', 'resources'),
    ('dialect', 'dialects'),
    ('catalogue', 'providers'),
    ('plan', 'reconcile'),
    # The shared glue of modules and the inventory: the connection spec, the one fail_json, the info modules' base.
    ('modules', 'connection'),
    ('modules', 'module'),
    ('modules', 'resource_info'),
]
RANK = dict(('module_utils.%s' % name, index) for index, (dummy, name) in enumerate(MODULE_UTILS))
TOP = len(MODULE_UTILS)  # modules/, inventory/, doc_fragments/: import anything below, imported by nothing
LAYER = dict(('module_utils.%s' % name, layer) for layer, name in MODULE_UTILS)

# What a dialect or an era is called; a comparison against one of these above the dialect layer branches on it.
DIALECT_WORDS = frozenset(['backends', 'clouds', 'B0', 'B1', 'B2', 'C1', 'C2', 'C3'])
DIALECT_CONSTANTS = frozenset(['BACKENDS', 'CLOUDS', 'DIALECTS'])


def plugin_files():
    found = []
    for folder, dummy, names in os.walk(PLUGINS):
        for name in sorted(names):
            if name.endswith('.py') and name != '__init__.py':
                path = os.path.join(folder, name)
                found.append((os.path.relpath(path, PLUGINS)[:-3].replace(os.sep, '.'), path))
    return sorted(found)


def parse(path):
    with open(path) as handle:
        return ast.parse(handle.read(), path)


def collection_imports(tree):
    """The plugins/ modules a file imports (module_utils.x), wherever the import sits (try blocks too)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PACKAGE[:-1]):
            base = node.module[len(PACKAGE):] if node.module.startswith(PACKAGE) else ''
            if base.count('.') == 0:  # from ...plugins.module_utils import client, dialects
                found.update('%s.%s' % (base, alias.name) for alias in node.names)
            else:
                found.add(base)
        elif isinstance(node, ast.Import):
            found.update(a.name[len(PACKAGE):] for a in node.names if a.name.startswith(PACKAGE))
    return found


def rank(module):
    if module.startswith('module_utils.'):
        assert module in RANK, '%s is in no layer: add it to MODULE_UTILS in %s' % (module, __file__)
        return RANK[module]
    return TOP


def import_graph():
    return dict((module, collection_imports(parse(path))) for module, path in plugin_files())


def test_every_import_goes_down_the_layers():
    upward = []
    for module, imported in sorted(import_graph().items()):
        for target in sorted(imported):
            if rank(target) >= rank(module):
                upward.append('%s imports %s' % (module, target))
    assert not upward, 'imports against the layer order (%s): %s' % (
        ' -> '.join(name for dummy, name in MODULE_UTILS), '; '.join(upward))


def test_no_cycle():
    graph = import_graph()
    state = {}

    def visit(module, path):
        if state.get(module) == 'open':
            raise AssertionError('import cycle: %s' % ' -> '.join(path + [module]))
        if state.get(module) == 'done':
            return
        state[module] = 'open'
        for target in sorted(graph.get(module, ())):
            visit(target, path + [module])
        state[module] = 'done'

    for module in sorted(graph):
        visit(module, [])


def _dialect_words(node):
    """The dialect or era names a comparison operand spells (a literal, a tuple of them, or BACKENDS-style constants)."""
    if isinstance(node, ast.Constant) and node.value in DIALECT_WORDS:
        return [node.value]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return [word for item in node.elts for word in _dialect_words(item)]
    if isinstance(node, ast.Name) and node.id in DIALECT_CONSTANTS:
        return [node.id]
    if isinstance(node, ast.Attribute) and node.attr in DIALECT_CONSTANTS:
        return [node.attr]
    return []


def _names_a_dialect(node):
    """dialect.name, caps.name, self.dialect.name, x.era, dialect_name: what the dialect is rather than what it can do."""
    if isinstance(node, ast.Name):
        return node.id in ('dialect_name', 'era')
    if not isinstance(node, ast.Attribute):
        return False
    if node.attr == 'era':
        return True
    owner = node.value.attr if isinstance(node.value, ast.Attribute) else getattr(node.value, 'id', '')
    return node.attr == 'name' and owner in ('dialect', 'caps', '_dialect')


def dialect_tests(tree):
    """(line, text) of every comparison above the dialect layer that branches on a dialect's or an era's name."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            operands = [node.left] + list(node.comparators)
            if any(_dialect_words(o) for o in operands) or any(_names_a_dialect(o) for o in operands):
                found.append((node.lineno, ast.dump(node)[:120]))
        elif isinstance(node, ast.Name) and node.id in DIALECT_CONSTANTS:
            found.append((node.lineno, node.id))
    return found


ABOVE_DIALECTS = [(module, path) for module, path in plugin_files()
                  if rank(module) > max(RANK[m] for m, layer in LAYER.items() if layer == 'dialect')]


@pytest.mark.parametrize('module, path', ABOVE_DIALECTS, ids=[m for m, p in ABOVE_DIALECTS])
def test_nothing_above_the_dialect_layer_tests_a_dialect_name(module, path):
    found = dialect_tests(parse(path))
    assert not found, '%s branches on a dialect or era name (read a capability instead): %s' % (module, found)


def test_the_name_check_sees_what_it_looks_for():
    """The check itself: each of these spellings is caught, reading a capability is not."""
    caught = [
        "if dialect_name != BACKENDS: pass",
        "if dialect.name == 'clouds': pass",
        "x = caps.era in ('B1', 'B2')",
        "y = self.dialect.name == other",
        "z = 'backends' if a == 'C1' else 'clouds'",
        "if dialect_name in names: pass",
    ]
    for source in caught:
        assert dialect_tests(ast.parse(source)), source
    for source in ["if caps.computed_ids: pass", "result = {'dialect': dialect.name, 'backends': []}",
                   "ok = data['backends'] == []"]:
        assert not dialect_tests(ast.parse(source)), source


def test_the_graph_sees_every_import_form():
    tree = ast.parse('from ansible_collections.mistio.cloud.plugins.module_utils import providers as c, client\n'
                     'from ansible_collections.mistio.cloud.plugins.module_utils.reconcile import PlanError\n'
                     'try:\n    from ansible_collections.mistio.cloud.plugins.module_utils import dialects\n'
                     'except ImportError:\n    pass\n')
    assert collection_imports(tree) == {'module_utils.providers', 'module_utils.client', 'module_utils.reconcile',
                                        'module_utils.dialects'}
