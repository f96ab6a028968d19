# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""mistsim: a local simulator of the Mist HTTP API (both dialects of MIST_API.md).

Run it: ``PYTHONPATH=tests python -m mistsim --port 0`` (prints its URL first).

* Dialect ``backends`` (mist.io 0.9.x) at the root paths and dialect ``clouds``
  (mist.api v1) under ``/api/v1``, from one process but over two separate stores.
  ``--dialects`` picks which are served; paths of the other answer 404 ``Not Found``.
* Each dialect speaks one era of the real servers (``--era backends=B1,clouds=C3``,
  the defaults; B2 and C1 selectable; see eras.py and README.md).
* Stdlib only (``http.server.ThreadingHTTPServer`` + ``sqlite3``): no dependency,
  so it runs in any venv or execution environment the collection is tested in.
* State is SQLite (``--db``, default in memory): a restart with the same file
  keeps users, tokens, keys, backends, clouds and machines.
* Deterministic credential rule (the "provider login"): a secret value that
  starts with ``invalid`` is rejected (backends: 401 ``Invalid backend
  credentials``; clouds: 401 ``Unauthorized cloud credentials``); one that starts
  with ``unreachable`` means the provider cannot be reached (503 ``Backend
  unavailable`` / ``Cloud unavailable``). Backends check ``apisecret``; clouds
  check every secret field of the provider; bare metal has no secret and no check.
  A backends provider id outside GET /providers is also a 401.
* Users: ``demo@mist.local`` / ``demo-password`` unless ``--user`` is given;
  ``--token`` registers API tokens for the first user; SSH key id ``mykey`` exists
  (bare_metal ``machine_key``), more via the seed.
* Test-only admin interface under ``/_mistsim/`` (see admin.py), seed format in
  seed.py, subprocess harness in harness.py.

Modules: eras (era names), ids (base58 ids, tokens), providers (both provider tables), store
(SQLite), web (request/response values), machines (machine shapes), backends_api,
clouds_api, seed, admin, server (routing + HTTP handler), __main__ (CLI), harness.
"""
