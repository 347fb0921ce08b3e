"""Command line: `geoapp serve`, `migrate`, `seed-demo`,
`planner add|passwd|list|unlock|disable|enable`, `planner token create|list|revoke`, `report`,
`import`, `export`, `columns`, `cleanup`, `poster`, `copy`, `backup`, `restore`."""

import argparse
import getpass
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from geoapp.config import Settings
from geoapp.domain import PlannerRole, Status
from geoapp.errors import DomainError, NotConfigured
from geoapp.i18n import translate
from geoapp.models import ImportSource
from geoapp.services.export_formats import Format
from geoapp.store import Store

if TYPE_CHECKING:
    from tqdm import tqdm

    from geoapp.store.photos import PhotoStorage
    from geoapp.store.sql.core import SqlBase
    from geoapp.store.transfer import Difference

PASSWORD_ENV = "GEOAPP_PLANNER_PASSWORD"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="geoapp", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the web service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--reload", action="store_true", help="restart on code changes")
    serve.add_argument(
        "--workers", type=int, default=1, help="processes (each opens its own database pool)"
    )

    commands.add_parser(
        "migrate", help="bring the database schema to the newest migration (serve does it too)"
    )

    commands.add_parser("seed-demo", help="add the Heeren-Werve demo consultations")

    planner = commands.add_parser("planner", help="planner accounts")
    planner_commands = planner.add_subparsers(dest="planner_command", required=True)
    add = planner_commands.add_parser(
        "add", help=f"create an account (password from a prompt or ${PASSWORD_ENV})"
    )
    add.add_argument("name")
    add.add_argument("--role", choices=[r.value for r in PlannerRole], required=True)
    passwd = planner_commands.add_parser("passwd", help="set a new password; ends its sessions")
    passwd.add_argument("name")
    planner_commands.add_parser("list", help="list the accounts")
    unlock = planner_commands.add_parser(
        "unlock", help="forget failed sign-ins, so the account can sign in at once again"
    )
    unlock.add_argument("name")
    disable = planner_commands.add_parser("disable", help="block sign-in; ends its sessions")
    disable.add_argument("name")
    enable = planner_commands.add_parser("enable", help="allow a disabled account again")
    enable.add_argument("name")
    token = planner_commands.add_parser(
        "token", help="read-only API tokens for QGIS/GDAL (planner collections of /ogc)"
    )
    token_commands = token.add_subparsers(dest="token_command", required=True)
    token_create = token_commands.add_parser(
        "create", help="make a token for the planner NAME; it is shown once"
    )
    token_create.add_argument("name", help="the planner's username")
    token_create.add_argument(
        "--label", default="QGIS", help="what the token is for, e.g. 'QGIS Büro' (default QGIS)"
    )
    token_commands.add_parser("list", help="list the tokens (never their secrets)")
    token_revoke = token_commands.add_parser("revoke", help="revoke a token by its id")
    token_revoke.add_argument("id")

    commands.add_parser(
        "cleanup",
        help="remove photos never attached to a pin, old failed sign-ins, expired counters",
    )

    report = commands.add_parser("report", help="write the report map (one offline HTML file)")
    report.add_argument("slug")
    report.add_argument("-o", "--output", type=Path, required=True)
    report.add_argument("--language", default="de")

    imported = commands.add_parser(
        "import", help="import pins from CSV (lon/lat or E/N EPSG:25832), GeoJSON, GeoPackage"
    )
    imported.add_argument("slug")
    imported.add_argument("file", type=Path)
    imported.add_argument("--source", choices=[s.value for s in ImportSource], default="import")
    imported.add_argument("--dry-run", action="store_true", help="only show what would happen")

    export = commands.add_parser(
        "export", help="write a consultation's pins to a GIS/CAD/table file or the package"
    )
    export.add_argument("slug")
    export.add_argument("-o", "--output", type=Path, required=True, help="file to write")
    export.add_argument("--format", choices=[str(f) for f in Format], default=str(Format.GPKG))
    export.add_argument("--crs", help="EPSG:NNNN (default: the format's own)")
    export.add_argument("--package", action="store_true", help="the competition data package (ZIP)")
    export.add_argument(
        "--status", action="append", choices=[str(s) for s in Status], help="repeatable"
    )
    export.add_argument("--category", action="append", help="category key; repeatable")
    export.add_argument("--from", dest="created_from", type=_utc, help="ISO 8601, inclusive")
    export.add_argument("--to", dest="created_to", type=_utc, help="ISO 8601, exclusive")
    export.add_argument("--separator", choices=["comma", "semicolon"], default="comma")

    columns = commands.add_parser(
        "columns", help="print the column dictionary of every export (Markdown tables)"
    )
    columns.add_argument("--language", choices=["de", "en"], default="de")

    poster = commands.add_parser(
        "poster", help="make a poster whose QR code opens the form at a place or point (PDF)"
    )
    poster.add_argument("slug")
    spot = poster.add_mutually_exclusive_group(required=True)
    spot.add_argument("--place", help="a named place (id or name, e.g. luisenpark)")
    spot.add_argument("--at", type=_lon_lat, metavar="LON,LAT", help="a point (WGS84)")
    poster.add_argument("--size", choices=["A4", "A3"], default="A4")
    poster.add_argument("--language", default="en", help="printed beside German (de: German only)")
    poster.add_argument("-o", "--output", type=Path, required=True, help="PDF file to write")

    copy = commands.add_parser(
        "copy",
        help="copy a whole installation into an empty database (SQLite ↔ PostgreSQL), "
        "then compare every table",
    )
    copy.add_argument("source_url", metavar="SOURCE_URL")
    copy.add_argument("target_url", metavar="TARGET_URL")
    for side in ("source", "target"):
        copy.add_argument(
            f"--{side}-uploads",
            type=Path,
            help=f"photo folder of a SQLite {side} (default: `uploads` beside its file)",
        )

    backup = commands.add_parser(
        "backup", help="write the database and its photos to one file, while the service runs"
    )
    backup.add_argument("file", type=Path)
    restore = commands.add_parser(
        "restore", help="write a backup into the configured database, then verify every table"
    )
    restore.add_argument("file", type=Path)
    restore.add_argument(
        "--force", action="store_true", help="replace a database that holds data already"
    )

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    handlers: dict[str, Callable[[argparse.Namespace], None]] = {
        "serve": _serve,
        "migrate": _migrate,
        "seed-demo": _seed_demo,
        "planner": _planner,
        "report": _report,
        "import": _import,
        "export": _export,
        "columns": _columns,
        "cleanup": _cleanup,
        "poster": _poster,
        "copy": _copy,
        "backup": _backup,
        "restore": _restore,
    }
    from geoapp.store.backup import ToolFailed

    try:
        handlers[args.command](args)
    except NotConfigured as error:
        print(translate(error.key, "de", **error.params), file=sys.stderr)
        sys.exit(2)
    except DomainError as error:
        print(translate(error.key, "de", **error.params), file=sys.stderr)
        sys.exit(1)
    except ToolFailed as error:
        print(error, file=sys.stderr)
        sys.exit(1)


def _serve(args: argparse.Namespace) -> None:
    import uvicorn

    from geoapp.services import demo

    # Migrate and seed once, here, so that several workers do not race to do it at start-up.
    with _store() as (store, settings):
        if settings.seed_demo:
            demo.seed_if_empty(store, settings.reference_dir)
    uvicorn.run(
        # An import string, so that each worker process builds its own app from GEOAPP_*.
        "geoapp.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        reload=args.reload,
        workers=args.workers,
        # X-Forwarded-For/-Proto only from GEOAPP_TRUSTED_PROXIES, the setting the rate limits'
        # network check uses too; uvicorn would otherwise believe any local process.
        proxy_headers=bool(settings.trusted_proxy_networks),
        forwarded_allow_ips=[str(n) for n in settings.trusted_proxy_networks],
        timeout_graceful_shutdown=settings.shutdown_grace_seconds,
        # uvicorn's 5 s default kills workers that are still importing on a busy machine.
        timeout_worker_healthcheck=settings.worker_healthcheck_seconds,
        # The access log would write every client's IP address; we store none (DSGVO).
        access_log=False,
    )


def _migrate(_args: argparse.Namespace) -> None:
    with _store() as (store, settings):
        state = store.schema_state()
    print(f"{_shown(settings.effective_database_url)} is at migration {state.current}")


def _shown(url: str) -> str:
    """A database URL fit for a terminal or a log: without its password."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@contextmanager
def _store() -> Iterator[tuple[Store, Settings]]:
    from geoapp.store import open_store

    settings = Settings()
    # Opening the store runs the migrations (alembic upgrade head).
    store = open_store(settings.effective_database_url)
    try:
        yield store, settings
    finally:
        store.close()


def _seed_demo(_args: argparse.Namespace) -> None:
    from geoapp.services import demo

    with _store() as (store, settings):
        added = demo.seed(store, settings.reference_dir)
    print(f"{added} demo consultation(s) added to {_shown(settings.effective_database_url)}")


def _planner(args: argparse.Namespace) -> None:
    from geoapp.services import planners

    with _store() as (store, _settings):
        if args.planner_command == "add":
            password = _new_password()
            planners.add(store, args.name, password, PlannerRole(args.role), datetime.now(UTC))
            print(f"planner {args.name.strip().lower()} ({args.role}) added")
        elif args.planner_command == "passwd":
            planners.change_password(store, args.name, _new_password())
            print(f"password of {args.name.strip().lower()} changed; its sessions ended")
        elif args.planner_command == "unlock":
            removed = planners.unlock(store, args.name)
            print(f"{args.name.strip().lower()} unlocked ({removed} network(s) forgotten)")
        elif args.planner_command == "token":
            _token(store, args)
        elif args.planner_command in ("disable", "enable"):
            disabled = args.planner_command == "disable"
            planners.set_disabled(store, args.name, disabled)
            state = "disabled; its sessions ended" if disabled else "enabled"
            print(f"{args.name.strip().lower()} {state}")
        else:
            for p in store.list_planners():
                state = " (disabled)" if p.disabled else ""
                print(f"{p.username}\t{p.role}\t{p.created_at:%Y-%m-%d}{state}")


def _token(store: Store, args: argparse.Namespace) -> None:
    from geoapp.services import api_tokens

    now = datetime.now(UTC)
    if args.token_command == "create":
        token, secret = api_tokens.create(store, args.name, args.label, now)
        print(f"token {token.id} ({token.name}) for {args.name.strip().lower()}:")
        print(secret)
        print("Keep it like a password: it is shown only now.", file=sys.stderr)
    elif args.token_command == "revoke":
        api_tokens.revoke(store, args.id, now)
        print(f"token {args.id.strip()} revoked")
    else:
        for token, planner in store.list_api_tokens():
            state = f" (revoked {token.revoked_at:%Y-%m-%d})" if token.revoked_at else ""
            print(
                f"{token.id}\t{planner.username}\t{token.name}\t{token.created_at:%Y-%m-%d}{state}"
            )


def _cleanup(_args: argparse.Namespace) -> None:
    from geoapp.services import cleanup
    from geoapp.store.photos import open_photo_storage

    with _store() as (store, settings):
        storage = open_photo_storage(settings.effective_photo_storage, settings.uploads_dir, store)
        cleaned = cleanup.run(store, storage, settings, datetime.now(UTC))
    print(
        f"{cleaned.orphan_photos} orphan photo(s), "
        f"{cleaned.signin_failures} old sign-in failure record(s) and "
        f"{cleaned.expired_counters} expired counter(s) removed"
    )


def _new_password() -> str:
    """From $GEOAPP_PLANNER_PASSWORD (scripts), else asked twice without echo."""
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    first = getpass.getpass("Passwort: ")
    if first != getpass.getpass("Passwort wiederholen: "):
        print("Die Passwörter stimmen nicht überein.", file=sys.stderr)
        sys.exit(1)
    return first


def _report(args: argparse.Namespace) -> None:
    from geoapp.services import report_map
    from geoapp.services.consultations import get_for_planner

    with _store() as (store, settings):
        consultation = get_for_planner(store, args.slug)
        document = report_map.build(store, consultation, settings, args.language)
    args.output.write_text(document, encoding="utf-8")
    print(f"report map written to {args.output}")


def _import(args: argparse.Namespace) -> None:
    from geoapp.domain import Source
    from geoapp.services import imports
    from geoapp.services.consultations import get_for_planner

    with _store() as (store, _settings):
        plan = imports.plan(
            get_for_planner(store, args.slug),
            args.file.read_bytes(),
            args.file.name,
            Source(args.source),
            "de",
        )
        for refused in plan.refused:
            print(f"Zeile {refused.row}: {refused.reason}", file=sys.stderr)
        if args.dry_run:
            print(f"{len(plan.accepted)} would be created, {len(plan.refused)} refused")
            return
        actor = f"cli:{getpass.getuser()}"
        with _progress_bar(len(plan.accepted), "Beiträge") as bar:
            result = imports.run(
                store, plan, actor, datetime.now(UTC), lambda done, _total: bar.update(done - bar.n)
            )
    print(f"{result.created} created, {len(result.refused)} refused")


def _progress_bar(total: int, unit: str) -> "tqdm[None]":
    """A progress bar on stderr, drawn only when stderr is a terminal (never into a log)."""
    from tqdm import tqdm

    return tqdm(total=total, unit=f" {unit}", disable=None, file=sys.stderr)


def _export(args: argparse.Namespace) -> None:
    import shutil
    import tempfile

    from geoapp import geo
    from geoapp.services import export_package, exports, themes
    from geoapp.services.consultations import get_for_planner
    from geoapp.store.photos import open_photo_storage

    epsg = geo.parse_crs(args.crs) if args.crs else None
    filters = exports.ExportFilter(
        statuses=tuple(Status(s) for s in args.status or [Status.PUBLISHED]),
        categories=tuple(args.category or ()),
        created_from=args.created_from,
        created_to=args.created_to,
    )
    with _store() as (store, settings):
        consultation = get_for_planner(store, args.slug)
        total = exports.count(store, consultation, filters)
        with (
            _progress_bar(total, "Beiträge") as bar,
            tempfile.TemporaryDirectory(dir=args.output.resolve().parent) as folder,
        ):
            progress = bar.update
            if args.package:
                licence = export_package.Licence(settings.data_licence, settings.data_attribution)
                photos = open_photo_storage(
                    settings.effective_photo_storage, settings.uploads_dir, store
                )
                made = export_package.build(
                    store,
                    photos,
                    consultation,
                    filters,
                    licence,
                    Path(folder),
                    progress,
                    theme_limits=themes.limits_of(settings),
                )
            else:
                made = exports.export_file(
                    store,
                    consultation,
                    Format(args.format),
                    epsg,
                    filters,
                    Path(folder),
                    separator={"comma": ",", "semicolon": ";"}[args.separator],
                    progress=progress,
                )
            shutil.move(made.path, args.output)
    print(f"{total} Beiträge → {args.output}")


def _columns(args: argparse.Namespace) -> None:
    from geoapp.services.export_columns import dictionary

    print(dictionary(args.language))


def _poster(args: argparse.Namespace) -> None:
    from geoapp.domain import PosterSize
    from geoapp.models import PosterCreate
    from geoapp.services import posters, reference
    from geoapp.services.consultations import get_for_planner

    geometry = {"type": "Point", "coordinates": list(args.at)} if args.at else None
    request = PosterCreate(
        place=args.place, geometry=geometry, size=PosterSize(args.size), language=args.language
    )
    with _store() as (store, settings):
        poster_settings = posters.PosterSettings.of(settings)
        poster_settings.base_url()
        layers = reference.load(settings.reference_dir)
        consultation = get_for_planner(store, args.slug)
        made = posters.create(
            store,
            consultation,
            layers,
            request,
            poster_settings,
            f"cli:{getpass.getuser()}",
            datetime.now(UTC),
        )
        args.output.write_bytes(posters.render(consultation, made, layers, poster_settings))
        print(f"poster {made.key} → {args.output}")
        print(posters.link(poster_settings.base_url(), consultation, made))


def _lon_lat(value: str) -> tuple[float, float]:
    """LON,LAT from the command line (WGS84, longitude first as in GeoJSON)."""
    try:
        lon, lat = (float(part) for part in value.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError("expected LON,LAT, e.g. 7.7128,51.5778") from None
    return lon, lat


def _utc(value: str) -> datetime:
    """An ISO 8601 time from the command line; UTC when it names no zone."""
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _copy(args: argparse.Namespace) -> None:
    from geoapp.store import transfer

    with _sql_store(args.source_url) as source, _sql_store(args.target_url) as target:
        source_photos = _photos(args.source_url, args.source_uploads, source)
        target_photos = _photos(args.target_url, args.target_uploads, target)
        bars: dict[str, tqdm[None]] = {}

        def progress(table: str, done: int, total: int) -> None:
            bar = bars.get(table) or bars.setdefault(table, _progress_bar(total, table))
            bar.update(done - bar.n)
            if done >= total:
                bar.close()

        try:
            transfer.copy(source, target, source_photos, target_photos, progress)
        except transfer.TargetNotEmpty as error:
            print(translate(error.key, "de", **error.params), file=sys.stderr)
            sys.exit(2)
        print(f"{_shown(args.source_url)} → {_shown(args.target_url)} kopiert; Vergleich …")
        differences = transfer.differences(transfer.digests(source), transfer.digests(target))
        files = transfer.photo_digest(source, source_photos)
        copied = transfer.photo_digest(target, target_photos)
        if copied != files:
            differences.append(transfer.Difference("photo files", files, copied))
    _report_comparison(f"{len(transfer.tables())} Tabellen, {files.rows} Fotodateien", differences)


def _backup(args: argparse.Namespace) -> None:
    from geoapp.store import backup

    settings = Settings()
    url = settings.effective_database_url
    with _sql_store(url) as store:
        manifest = backup.backup(store, url, _photos(url, None, store), args.file)
    rows = sum(d.rows for d in manifest.tables.values())
    tables, files = len(manifest.tables), manifest.photo_files.rows
    print(f"{_shown(url)} → {args.file}: {tables} Tabellen, {rows} Zeilen, {files} Fotodateien")


def _restore(args: argparse.Namespace) -> None:
    from geoapp.store import backup, transfer

    settings = Settings()
    url = settings.effective_database_url
    try:
        differences = backup.restore(
            args.file, url, lambda restored: _photos(url, None, restored), force=args.force
        )
    except transfer.TargetNotEmpty as error:
        print(translate(error.key, "de", **error.params), file=sys.stderr)
        print("Mit --force wird ihr Inhalt ersetzt.", file=sys.stderr)
        sys.exit(2)
    manifest = backup.read_manifest(args.file)
    print(f"{args.file} → {_shown(url)} wiederhergestellt; Vergleich mit der Sicherung …")
    files = manifest.photo_files.rows
    _report_comparison(f"{len(manifest.tables)} Tabellen, {files} Fotodateien", differences)


def _report_comparison(what: str, differences: "list[Difference]") -> None:
    """Say whether both sides hold the same; exit 3 when they do not."""
    if not differences:
        print(f"gleich: {what} (Zeilen und SHA-256 je Tabelle)")
        return
    for d in differences:
        source = f"{d.source.rows} Zeilen {d.source.sha256[:12]}" if d.source else "fehlt"
        target = f"{d.target.rows} Zeilen {d.target.sha256[:12]}" if d.target else "fehlt"
        print(f"VERSCHIEDEN {d.table}: Quelle {source}, Ziel {target}", file=sys.stderr)
    sys.exit(3)


@contextmanager
def _sql_store(url: str) -> "Iterator[SqlBase]":
    """The (migrated) store at `url`, as the SQL store the transfer functions work on."""
    from geoapp.store import open_store
    from geoapp.store.sql.core import SqlBase

    store = open_store(url)
    try:
        assert isinstance(store, SqlBase)
        yield store
    finally:
        store.close()


def _photos(url: str, uploads: Path | None, store: Store) -> "PhotoStorage":
    """Where the installation at `url` keeps its photo files: the folder `uploads` if given;
    else as configured when `url` is the configured database; else by the `auto` rule (the
    database with PostgreSQL, with SQLite the `uploads` folder beside the file)."""
    from sqlalchemy.engine import make_url

    from geoapp.store.photos import FileSystemPhotoStorage, open_photo_storage

    if uploads is not None:
        return FileSystemPhotoStorage(uploads)
    settings = Settings()
    if url == settings.effective_database_url:
        return open_photo_storage(settings.effective_photo_storage, settings.uploads_dir, store)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        return FileSystemPhotoStorage(Path(parsed.database).parent / "uploads")
    return open_photo_storage("database", settings.uploads_dir, store)
