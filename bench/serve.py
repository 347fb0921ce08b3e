"""uvicorn, with SQLite's synchronous mode taken from GEOAPP_BENCH_SYNCHRONOUS (bench only).

`python -m bench.serve --factory geoapp.app:create_app …` takes uvicorn's own arguments; the
mode is not a setting of the app, which always runs FULL (see bench/README.md).
"""

import os

import uvicorn

from geoapp.store.sqlite import SqliteStore

if __name__ == "__main__":
    SqliteStore.synchronous = os.environ.get("GEOAPP_BENCH_SYNCHRONOUS", "FULL")
    uvicorn.main()
