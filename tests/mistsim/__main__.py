# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""CLI: PYTHONPATH=tests python -m mistsim [options].

Prints the bound URL (http://HOST:PORT) as the first stdout line, then serves
until SIGTERM or SIGINT, and exits 0.
"""

import argparse
import json
import signal
import sys
import threading

from mistsim import eras as era_names
from mistsim import seed as seeding
from mistsim.server import DEFAULT_EMAIL, DEFAULT_PASSWORD, DIALECTS, MistSim, Server


def _user(value):
    email, sep, password = value.partition(':')
    if not sep or not email or not password:
        raise argparse.ArgumentTypeError('expected EMAIL:PASSWORD, got %r' % value)
    return email, password


def _dialects(value):
    chosen = [item.strip() for item in value.split(',') if item.strip()]
    if not chosen or any(item not in DIALECTS for item in chosen):
        raise argparse.ArgumentTypeError('expected a comma-separated subset of %s' % ','.join(DIALECTS))
    return chosen


def _eras(value):
    try:
        return era_names.parse(value)
    except era_names.EraError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog='mistsim', description='Local Mist API simulator (both dialects).')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=0, help='0 picks a free port (default)')
    parser.add_argument('--db', default=':memory:', help='SQLite file; a restart with the same file keeps state')
    parser.add_argument('--seed', help='JSON seed file, applied when the database is fresh')
    parser.add_argument('--dialects', type=_dialects, default=list(DIALECTS), help='backends,clouds (default both)')
    parser.add_argument('--era', type=_eras, default=era_names.parse(), metavar='backends=B1,clouds=C3',
                        help='the era each dialect speaks (MIST_API.md section 0): backends B1|B2 '
                             '(default B1), clouds C1|C3 (default C3); "B2", "B2,C1" also work')
    parser.add_argument('--backends-auth', action='store_true',
                        help='backends dialect requires Authorization: mist_1 EMAIL:TOKEN (hosted mist.io)')
    parser.add_argument('--machines-per-backend', type=int, default=3, help='generated machines per backend/cloud')
    parser.add_argument('--user', type=_user, action='append', metavar='EMAIL:PASSWORD',
                        help='a user (repeatable; default %s:%s)' % (DEFAULT_EMAIL, DEFAULT_PASSWORD))
    parser.add_argument('--token', action='append', default=[], help='an API token of the first user (repeatable)')
    parser.add_argument('--verbose', action='store_true', help='log requests to stderr')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    app = MistSim(db=args.db, dialects=args.dialects, backends_auth=args.backends_auth,
                  machines_per_backend=args.machines_per_backend, users=args.user, tokens=args.token, eras=args.era)
    if args.seed and not app.store.get_meta('seeded'):
        try:
            with open(args.seed, encoding='utf-8') as handle:
                doc = json.load(handle)
            with app.store.transaction():
                seeding.apply(app, doc)
                app.store.set_meta('seeded', args.seed)
        except (OSError, ValueError, seeding.SeedError) as exc:
            sys.stderr.write('mistsim: cannot apply seed %s: %s\n' % (args.seed, exc))
            app.close()
            return 2
    server = Server((args.host, args.port), app, verbose=args.verbose)

    def stop(_signum, _frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    sys.stdout.write(server.url + '\n')
    sys.stdout.flush()
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
        app.close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
