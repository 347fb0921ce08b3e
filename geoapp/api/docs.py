"""The interactive API documentation, from the packaged Swagger UI (no CDN, no inline script)."""

from fastapi import APIRouter
from fastapi.responses import FileResponse

from geoapp.api.deps import SettingsDep

router = APIRouter(include_in_schema=False)


@router.get("/docs")
def api_docs(settings: SettingsDep) -> FileResponse:
    """Swagger UI on /openapi.json; the page and its start-up script are static files."""
    return FileResponse(settings.static_dir / "api-docs.html", media_type="text/html")
