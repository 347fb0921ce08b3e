"""`make bench` calls every benchmark's `main(argv)`: each must import and take its arguments."""

import importlib

import pytest

from bench.__main__ import BENCHES, _bench


@pytest.mark.parametrize("name", BENCHES)
def test_every_benchmark_of_make_bench_starts(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run = _bench(name)
    assert run is not None, f"{name} is not in the checkout"
    with pytest.raises(SystemExit) as done:
        run(["--help"])
    assert done.value.code == 0
    assert "usage: python -m bench." in capsys.readouterr().out


@pytest.mark.parametrize("module", ["bench.ingest", "bench.ogc", "bench.stress"])
def test_the_other_benchmarks_import(module: str) -> None:
    assert callable(importlib.import_module(module).main)
