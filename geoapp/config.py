"""Runtime settings, read from GEOAPP_* environment variables (never at import time)."""

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from geoapp.paths import bundled


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
        default=5, description="Failed sign-ins per username before each try has to wait."
    )
    signin_max_wait_seconds: int = Field(
        default=15 * 60, description="Longest wait between tries after many failed sign-ins."
    )

    data_licence: str = Field(
        default="Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0)",
        description="Licence stated in exports, the data package and the open-data download.",
    )
    data_attribution: str = Field(
        default="Stadt Kamen, Beteiligungskarte Heeren-Werve",
        description="Attribution that users of exported data must give.",
    )

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

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'geoapp.sqlite').resolve()}"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"
