"""Runtime settings, read from GEOAPP_* environment variables (never at import time)."""

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

from geoapp.paths import bundled
from geoapp.security.networks import IPNetwork, parse_networks


class Settings(BaseSettings):
    """Everything a deployment may change; tests build one per test."""

    model_config = SettingsConfigDict(env_prefix="GEOAPP_", extra="ignore")

    data_dir: Path = Path("data")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default: a SQLite file in data_dir."
    )
    seed_demo: bool = Field(
        default=True, description="Give an empty database the Heeren-Werve demo consultations."
    )
    reference_dir: Path = Field(default_factory=lambda: bundled("heeren-werve"))
    static_dir: Path = Field(default_factory=lambda: bundled("static"))

    tile_url: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    tile_attribution: str = "© OpenStreetMap-Mitwirkende (ODbL)"
    map_center: tuple[float, float] = (51.5778, 7.7128)
    map_zoom: int = 15

    max_body_bytes: int = Field(default=64 * 1024, description="Largest JSON body accepted.")
    languages: tuple[str, ...] = ("de", "en", "tr", "ar", "uk", "pl", "ru")

    max_photo_bytes: int = Field(default=10 * 1024 * 1024, description="Largest photo upload.")
    report_threshold: int = Field(
        default=3, ge=1, description="Reports by this many participants hide a pin or reply."
    )
    cookie_secure: bool = Field(
        default=False,
        description="Send the participant and planner cookies over HTTPS only (behind TLS).",
    )
    max_upload_bytes: int = Field(
        default=20 * 1024 * 1024, description="Largest file upload (perimeter, import)."
    )
    planner_session_minutes: int = Field(
        default=8 * 60, description="A planner's sign-in lasts this long, then ends."
    )
    signin_free_failures: int = Field(
        default=5,
        description="Failed sign-ins per username from one network before each try has to wait.",
    )
    signin_max_wait_seconds: int = Field(
        default=15 * 60,
        description="Longest wait between tries after many failed sign-ins (the lock-out cap).",
    )

    # Bounded resources and sign-in (issue 10, part "signin").
    max_photo_decoded_bytes: int = Field(
        default=100 * 1024 * 1024,
        ge=1,
        description="Largest memory a photo may take once decoded (pixels × bytes per pixel of "
        "the decoded image and its full-size copies); a larger one is refused before decoding.",
    )
    photo_decodes_at_once: int = Field(
        default=1, ge=1, description="Photos one process decodes at the same time."
    )
    photo_decode_wait_seconds: float = Field(
        default=15.0, ge=0, description="How long an upload waits for a free decode, then 503."
    )
    signin_hashes_at_once: int = Field(
        default=2,
        ge=1,
        description="Password checks (64 MiB argon2 each) one process runs at once.",
    )
    signin_hash_wait_seconds: float = Field(
        default=3.0,
        ge=0,
        description="How long a sign-in waits for a free password check, then 503.",
    )
    signin_network_free_failures: int = Field(
        default=20,
        ge=1,
        description="Failed sign-ins from one network (any username) before each try has to wait.",
    )
    planner_idle_minutes: int = Field(
        default=60, ge=1, description="A planner's session ends after this long without a request."
    )
    max_perimeter_vertices: int = Field(
        default=10_000, ge=4, description="Most vertices a consultation's perimeter may have."
    )
    orphan_photo_hours: int = Field(
        default=24, ge=1, description="Photos never attached to a pin are removed after this long."
    )

    data_licence: str = Field(
        default="Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0)",
        description="Licence stated in exports, the data package and the open-data download.",
    )
    data_attribution: str = Field(
        default="Stadt Kamen, Beteiligungskarte Heeren-Werve",
        description="Attribution that users of exported data must give.",
    )

    # Abuse protection (issue 10, branch abuse): signed participant tokens, rate limits per
    # participant and per network, report thresholds, bot checks, idempotency.
    participant_secret: SecretStr | None = Field(
        default=None,
        description="Secret that signs participant tokens and form starts and keys the network "
        "hashes; unset: one is generated on first start and kept in the database.",
    )
    trusted_proxies: str = Field(
        default="",
        description="Comma-separated addresses/CIDRs of reverse proxies whose X-Forwarded-For "
        "is believed; empty: the direct peer is the client.",
    )
    rate_window_seconds: int = Field(
        default=3600, ge=1, description="The window the per-action rate limits count in."
    )
    rate_pins_per_participant: int = Field(default=20, ge=1, description="Pins per window.")
    rate_pins_per_network: int = Field(default=100, ge=1, description="Pins per window.")
    rate_replies_per_participant: int = Field(default=60, ge=1, description="Replies/window.")
    rate_replies_per_network: int = Field(default=300, ge=1, description="Replies per window.")
    rate_supports_per_participant: int = Field(
        default=300, ge=1, description="Supports (and taking them back) per window."
    )
    rate_supports_per_network: int = Field(
        default=1500, ge=1, description="Supports (and taking them back) per window."
    )
    rate_reports_per_participant: int = Field(default=30, ge=1, description="Reports/window.")
    rate_reports_per_network: int = Field(default=100, ge=1, description="Reports per window.")
    rate_photos_per_participant: int = Field(default=30, ge=1, description="Photo uploads.")
    rate_photos_per_network: int = Field(default=150, ge=1, description="Photo uploads/window.")
    rate_participants_per_network: int = Field(
        default=200, ge=1, description="New participant tokens (cookies) per network and window."
    )
    rate_signins_per_network: int = Field(
        default=60, ge=1, description="Planner sign-in attempts per network and window."
    )
    intake_daily_cap: int = Field(
        default=5000,
        ge=1,
        description="Pins and replies a consultation takes per day (UTC) from residents.",
    )
    report_network_threshold: int = Field(
        default=3,
        ge=1,
        description="Reports must also come from this many networks to hide a pin or reply.",
    )
    form_min_seconds: float = Field(
        default=2.0,
        ge=0,
        description="A pin or reply sent sooner after its form opened is taken for a bot.",
    )
    idempotency_hours: int = Field(
        default=24, ge=1, description="How long a retried send gets its first answer back."
    )

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_parse(cls, value: str) -> str:
        parse_networks(value)
        return value

    @property
    def trusted_proxy_networks(self) -> tuple[IPNetwork, ...]:
        return parse_networks(self.trusted_proxies)

    # Security headers and caching (issue 10, part "headers").
    hsts_seconds: int = Field(
        default=365 * 24 * 3600,
        ge=0,
        description="Strict-Transport-Security max-age when cookie_secure is on; 0 sends none.",
    )
    photo_cache_seconds: int = Field(
        default=300,
        ge=0,
        description="How long browsers and proxies may keep a published photo before asking "
        "again (a pin hidden meanwhile stays visible in caches at most this long).",
    )

    # Themes at a glance for planners (issue 15, part "themes").
    themes_max_texts: int = Field(
        default=2000,
        ge=1,
        description="Most pins the themes are computed from (the newest); the answer says "
        "when there were more.",
    )
    themes_max_words: int = Field(
        default=50_000,
        ge=1,
        description="Most words the analysed pins hold together (newest pins first): bounds "
        "the work also when every text is long.",
    )
    themes_max_features: int = Field(
        default=5000,
        ge=10,
        description="Most distinct words and word pairs (and as many word parts) the grouping "
        "of pins uses, the most frequent ones.",
    )
    themes_at_once: int = Field(
        default=1, ge=1, description="Themes computations one process runs at the same time."
    )
    themes_wait_seconds: float = Field(
        default=20.0,
        ge=0,
        description="How long a themes request waits for a free computation, then 503.",
    )

    # OGC API – Features under /ogc (issue 13, branch ogc).
    ogc_default_limit: int = Field(
        default=100, ge=1, description="Features on an OGC API items page when no limit is given."
    )
    ogc_max_limit: int = Field(
        default=10_000,
        ge=1,
        description="Largest `limit` of an OGC API items page; a larger one is refused (400).",
    )

    # On the spot (issue 15, part "spot"): posters with a QR code, nearby suggestions.
    public_url: str | None = Field(
        default=None,
        description="The address residents reach the service at (e.g. "
        "https://beteiligung.kamen.de); poster links point there. Unset: no posters.",
    )
    poster_contact: str = Field(
        default="Stadtteilbüro Heeren-Werve · Mittelstraße 14 · 59174 Kamen",
        max_length=200,
        description="The office's contact printed on every poster.",
    )
    poster_font_dir: Path = Field(
        default=Path("/usr/share/fonts/truetype/dejavu"),
        description="Folder with DejaVuSans.ttf and DejaVuSans-Bold.ttf (Debian: "
        "fonts-dejavu-core), embedded in posters.",
    )
    nearby_radius_m: int = Field(
        default=50,
        ge=1,
        le=500,
        description="How far (metres) the form looks for published pins of the same topic.",
    )

    @field_validator("public_url")
    @classmethod
    def _public_url_is_address(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        url = urlsplit(value.strip())
        if url.scheme not in ("http", "https") or not url.hostname or url.query or url.fragment:
            raise ValueError("public_url must be an http(s) address without query or fragment")
        return value.strip().rstrip("/")

    # Operations (issue 12, part "ops"): serving several workers, shutting down, moving data.
    shutdown_grace_seconds: int = Field(
        default=30,
        ge=1,
        description="On SIGTERM, requests in flight get this long to finish before the "
        "process ends anyway (new connections are refused at once).",
    )
    worker_healthcheck_seconds: int = Field(
        default=60,
        ge=1,
        description="With --workers N: how long a worker may take to start (imports "
        "included) or to answer the supervisor's check before it is restarted.",
    )

    # PostgreSQL/PostGIS backend (issue 12, branch pg): where photo files are kept.
    photo_storage: Literal["auto", "directory", "database"] = Field(
        default="auto",
        description="Where photo files are kept: 'directory' (uploads/ in data_dir), "
        "'database' (a table, reachable from every machine that shares it), or 'auto': the "
        "database with PostgreSQL, the directory with SQLite.",
    )

    @property
    def effective_photo_storage(self) -> Literal["directory", "database"]:
        if self.photo_storage != "auto":
            return self.photo_storage
        backend = make_url(self.effective_database_url).get_backend_name()
        return "database" if backend == "postgresql" else "directory"

    # The public map of many pins (issue 14, part "map").
    map_pins_max: int = Field(
        default=1000,
        ge=1,
        le=20_000,
        description="Most pins a map view is answered with one by one; a view holding more "
        "is answered with clusters (counts per category and grid cell).",
    )
    map_cache_entries: int = Field(
        default=64,
        ge=0,
        le=10_000,
        description="Map views each worker keeps encoded in memory, keyed by the "
        "consultation's change version in the database (never stale); 0 keeps none.",
    )

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'geoapp.sqlite').resolve()}"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"
