"""Runtime settings, read from GEOAPP_* environment variables (never at import time)."""

from pathlib import Path

from pydantic import Field, IPvAnyNetwork
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
    secret_key: str | None = Field(
        default=None,
        description="Server secret for keyed hashes (client networks); default: one generated "
        "once and kept in the database.",
    )
    trusted_proxies: list[IPvAnyNetwork] = Field(
        default_factory=list,
        description='Reverse proxies (addresses or CIDR, JSON list: ["127.0.0.1"]) whose '
        "X-Forwarded-For names the client; nobody else's header is believed.",
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

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'geoapp.sqlite').resolve()}"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"
