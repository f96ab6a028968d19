# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""SQLite state of the simulator.

One connection (``check_same_thread=False``) guarded by one re-entrant lock: every
request thread serialises on it, which is simple, correct and fast enough for
hundreds of requests per second. A file database uses WAL so a restart with the
same ``--db`` keeps everything (users, tokens, keys, backends, clouds, machines).

Everything is a JSON document in one table keyed by (scope, kind, id); the two
dialects are two separate stores because their records carry different scopes
(``backends`` / ``clouds``): a backend added through /backends never shows in
/api/v1/clouds. Users, tokens and SSH key ids are account data (scope ``account``).
"""

import contextlib
import json
import sqlite3
import threading
import time

ACCOUNT = 'account'
STATE_KINDS = ('backend', 'cloud', 'machines')

_SCHEMA = '''
CREATE TABLE IF NOT EXISTS records (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    scope TEXT NOT NULL,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (scope, kind, id)
)
'''


class Store:
    def __init__(self, path=':memory:'):
        self.path = path
        self._lock = threading.RLock()
        self._depth = 0
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        if path != ':memory:':
            self._conn.execute('PRAGMA journal_mode=WAL')
            self._conn.execute('PRAGMA synchronous=NORMAL')
        self._conn.execute(_SCHEMA)

    def close(self):
        with self._lock:
            self._conn.close()

    @contextlib.contextmanager
    def transaction(self):
        """All-or-nothing; nests (only the outermost level commits or rolls back)."""
        with self._lock:
            if self._depth == 0:
                self._conn.execute('BEGIN IMMEDIATE')
            self._depth += 1
            try:
                yield self
            except BaseException:
                self._depth -= 1
                if self._depth == 0:
                    self._conn.execute('ROLLBACK')
                raise
            self._depth -= 1
            if self._depth == 0:
                self._conn.execute('COMMIT')

    # generic records
    def get(self, scope, kind, rid):
        with self._lock:
            row = self._conn.execute('SELECT data FROM records WHERE scope=? AND kind=? AND id=?',
                                     (scope, kind, rid)).fetchone()
        return json.loads(row[0]) if row else None

    def all(self, scope, kind):
        with self._lock:
            rows = self._conn.execute('SELECT data FROM records WHERE scope=? AND kind=? ORDER BY seq',
                                      (scope, kind)).fetchall()
        return [json.loads(row[0]) for row in rows]

    def put(self, scope, kind, rid, data):
        """Insert, or replace the data of an existing record (keeping its position)."""
        text = json.dumps(data, sort_keys=True)
        with self.transaction():
            cur = self._conn.execute('UPDATE records SET data=? WHERE scope=? AND kind=? AND id=?',
                                     (text, scope, kind, rid))
            if cur.rowcount == 0:
                self._conn.execute('INSERT INTO records (scope, kind, id, data) VALUES (?, ?, ?, ?)',
                                   (scope, kind, rid, text))

    def delete(self, scope, kind, rid):
        with self.transaction():
            self._conn.execute('DELETE FROM records WHERE scope=? AND kind=? AND id=?', (scope, kind, rid))

    def reset(self):
        """Empty both dialects' stores; keep users, tokens and keys."""
        with self.transaction():
            self._conn.execute('DELETE FROM records WHERE scope != ?', (ACCOUNT,))

    # account data
    def add_user(self, email, password):
        self.put(ACCOUNT, 'user', email, {'email': email, 'password': password})

    def user_email(self, email):
        """The stored email of a user, matched case-insensitively, or None."""
        if self.get(ACCOUNT, 'user', email) is not None:
            return email
        with self._lock:
            rows = self._conn.execute("SELECT id FROM records WHERE scope=? AND kind='user' AND lower(id)=?",
                                      (ACCOUNT, email.lower())).fetchall()
        return rows[0][0] if rows else None

    def check_password(self, email, password):
        user = self.get(ACCOUNT, 'user', email)
        return bool(user) and isinstance(password, str) and user['password'] == password

    def add_token(self, token, email, name=None, ttl=None):
        now = time.time()
        self.put(ACCOUNT, 'token', token.lower(), {
            'token': token.lower(), 'email': email, 'name': name, 'created': now,
            'expires': now + ttl if ttl else None})

    def token_email(self, token):
        """The email of a valid (existing, unexpired) token, else None."""
        record = self.get(ACCOUNT, 'token', token.strip().lower()) if token else None
        if not record or (record['expires'] is not None and record['expires'] < time.time()):
            return None
        return record['email']

    def add_key(self, key_id):
        self.put(ACCOUNT, 'key', key_id, {'id': key_id})

    def has_key(self, key_id):
        return self.get(ACCOUNT, 'key', key_id) is not None

    def get_meta(self, name):
        record = self.get(ACCOUNT, 'meta', name)
        return record['value'] if record else None

    def set_meta(self, name, value):
        self.put(ACCOUNT, 'meta', name, {'value': value})

    def dump(self):
        """Everything, secrets included (admin /_mistsim/state, tests only)."""
        with self._lock:
            rows = self._conn.execute('SELECT scope, kind, data FROM records ORDER BY seq').fetchall()
        out = {'users': [], 'tokens': [], 'keys': [], 'backends': [], 'clouds': [],
               'machines': {'backends': {}, 'clouds': {}}}
        plural = {'user': 'users', 'token': 'tokens', 'key': 'keys', 'backend': 'backends', 'cloud': 'clouds'}
        for scope, kind, text in rows:
            data = json.loads(text)
            if kind == 'machines':
                out['machines'][scope][data['owner']] = data['machines']
            elif kind == 'key':
                out['keys'].append(data['id'])
            elif kind in plural:
                out[plural[kind]].append(data)
        return out
