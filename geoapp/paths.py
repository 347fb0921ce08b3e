"""Where the front end and the bundled reference geodata live (checkout or installed wheel)."""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    """Folder `name` shipped with the app: inside the wheel, else at the top of the checkout."""
    inside_wheel = _PACKAGE / "_bundled" / name
    if inside_wheel.is_dir():
        return inside_wheel
    return _PACKAGE.parent / ("static" if name == "static" else f"data/{name}")


def node_package(name: str, folder: str = "dist") -> Path:
    """The folder of npm package `name` with its built files (`npm ci`, or shipped in the wheel).

    Most packages keep them in `dist`; swagger-ui-dist keeps them at its top (`folder=""`).
    """
    inside_wheel = _PACKAGE / "_bundled" / "node_modules" / name / folder
    if inside_wheel.is_dir():
        return inside_wheel
    return _PACKAGE.parent / "node_modules" / name / folder
