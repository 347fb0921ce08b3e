"""Command line: `geoapp serve`, `geoapp seed-demo`."""

import argparse
import logging
import sys

from geoapp.config import Settings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="geoapp", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the web service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--reload", action="store_true", help="restart on code changes")
    serve.add_argument("--workers", type=int, default=1)

    commands.add_parser("seed-demo", help="add the Heeren-Werve demo consultations")

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if args.command == "serve":
        _serve(args)
    elif args.command == "seed-demo":
        _seed_demo()


def _serve(args: argparse.Namespace) -> None:
    import uvicorn

    uvicorn.run(
        "geoapp.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        reload=args.reload,
        workers=args.workers,
        # The access log would write every client's IP address; we store none (DSGVO).
        access_log=False,
    )


def _seed_demo() -> None:
    from geoapp.services import demo
    from geoapp.store import open_store

    settings = Settings()
    store = open_store(settings.effective_database_url)
    try:
        added = demo.seed(store, settings.reference_dir)
    finally:
        store.close()
    print(f"{added} demo consultation(s) added to {settings.effective_database_url}")
    sys.exit(0)
