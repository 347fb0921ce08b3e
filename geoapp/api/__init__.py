"""HTTP layer: FastAPI routers, dependencies and the problem+json error table."""
