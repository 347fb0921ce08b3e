"""Where the front end and the bundled reference geodata live (checkout or installed wheel)."""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    """Folder `name` shipped with the app: inside the wheel, else at the top of the checkout."""
    inside_wheel = _PACKAGE / "_bundled" / name
    if inside_wheel.is_dir():
        return inside_wheel
    return _PACKAGE.parent / ("static" if name == "static" else f"data/{name}")


def node_package(name: str) -> Path:
    """The `dist` folder of npm package `name` (installed by `npm ci`, or shipped in the wheel)."""
    inside_wheel = _PACKAGE / "_bundled" / "node_modules" / name / "dist"
    if inside_wheel.is_dir():
        return inside_wheel
    return _PACKAGE.parent / "node_modules" / name / "dist"
