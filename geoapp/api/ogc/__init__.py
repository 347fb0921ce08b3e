"""OGC API – Features (Part 1 Core, GeoJSON, HTML, OpenAPI 3.0; Part 2 CRS) under /ogc.

GIS clients (QGIS, GDAL's OAPIF driver, ArcGIS Pro) read the published pins and perimeters
live; planner collections need an API token. The service describes itself in its own
OpenAPI 3.0 document (/ogc/api), so its routes stay out of the app's /openapi.json (each
router says so: the app's document is built from the routes themselves).
"""

from fastapi import APIRouter

from geoapp.api.ogc import collections, items, landing

router = APIRouter()
for part in (landing, collections, items):
    router.include_router(part.router, prefix="/ogc")

__all__ = ["router"]
