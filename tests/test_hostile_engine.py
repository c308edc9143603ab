"""Hostile inputs to the engine, run_access, the outputs and the CLI (issue 9).

Each case ends in a typed GeoAccessError whose message names the argument, the value
or rows, and the fix, or in an explicit flag; never a silently different number or a
raw traceback. One line of intent per case.
"""

from __future__ import annotations

import dataclasses
import os
import sys

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from conftest import hand_region, write_geotiff

from geoaccess import build_network, cli, nearest, travel_time
from geoaccess.engine import network as network_mod
from geoaccess.exceptions import (
    CRSError,
    EmptyInputError,
    GeoAccessError,
    InputValidationError,
    InsufficientMemoryError,
    MissingColumnError,
    NonUniqueIDError,
    OutputError,
)
from geoaccess.pipeline import run_access, write_outputs

UTM = "EPSG:32748"
ROADS = gpd.GeoDataFrame(
    {"road_class": ["lokal", "arteri"]},
    geometry=[shapely.LineString([(0, 0), (2000, 0)]), shapely.LineString([(0, 500), (2000, 500)])],
    crs=UTM,
)
AREA = gpd.GeoSeries([shapely.box(-500, -500, 2500, 1000)], crs=UTM)
FAC = gpd.GeoDataFrame({"facility_id": ["A"]}, geometry=[shapely.Point(2000, 0)], crs=UTM)
HOMES = gpd.GeoDataFrame(geometry=[shapely.Point(0, 0), shapely.Point(1000, 250)], crs=UTM)


def _fails(exc, *needles, **kwargs):
    """build_network(ROADS, 'car', area=AREA, **kwargs) raises ``exc`` naming every needle."""
    roads, mode = kwargs.pop("roads", ROADS), kwargs.pop("mode", "car")
    with pytest.raises(exc) as info:
        build_network(roads, mode, **{"area": AREA, **kwargs})
    for n in needles:
        assert n in str(info.value), (n, str(info.value))
    return info.value


# --- speeds ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "needles"),
    [
        # a class speed of 450 km/h (typo for 45) is above the car bound, with the override named
        ({"speeds_kph": {"lokal": 450}}, ["speeds_kph", "450", "120 km/h", "max_speed_kph"]),
        # a class speed of 1e6 km/h is refused the same way
        ({"speeds_kph": {"lokal": 1e6}}, ["speeds_kph", "1000000", "max_speed_kph"]),
        # an infinite class speed is refused as not finite
        ({"speeds_kph": {"lokal": float("inf")}}, ["speeds_kph", "'lokal'", "finite", "inf"]),
        # a class speed given as a string is refused with the number to pass
        ({"speeds_kph": {"lokal": "45"}}, ["speeds_kph", "'45'", "{'lokal': 45}"]),
        # a negative class speed is refused
        ({"speeds_kph": {"lokal": -5}}, ["speeds_kph", "'lokal'", ">= 0"]),
        # speeds_kph given as a bare number instead of a dict says what shape to pass
        ({"speeds_kph": 45}, ["speeds_kph", "dict", "'lokal': 30"]),
        # an unknown road class in speeds_kph lists the classes
        ({"speeds_kph": {"highway": 45}}, ["speeds_kph", "highway", "arteri"]),
        # an off-road speed of 1e6 km/h is above the off-road bound
        ({"offroad_speed_kph": 1e6}, ["offroad_speed_kph", "30 km/h", "max_speed_kph"]),
        # an infinite off-road speed is refused
        ({"offroad_speed_kph": float("inf")}, ["offroad_speed_kph", "finite"]),
        # an off-road speed given as a string is refused with the number
        ({"offroad_speed_kph": "3"}, ["offroad_speed_kph", "without quotes", "offroad_speed_kph=3"]),
        # a NaN off-road speed is refused
        ({"offroad_speed_kph": float("nan")}, ["offroad_speed_kph", "finite"]),
        # a walking speed of 45 km/h on roads is above the walk bound (7 km/h)
        ({"mode": "walk", "speeds_kph": {"lokal": 45}}, ["speeds_kph", "7 km/h", "walk"]),
        # a land-cover speed of 450 km/h is above the off-road bound
        ({"landcover_speeds_kph": {1: 450}}, ["landcover_speeds_kph[1]", "450", "30 km/h"]),
        # the override itself must be a number
        ({"max_speed_kph": "fast"}, ["max_speed_kph", "'fast'"]),
    ],
)
def test_bad_speed_arguments_are_refused(kwargs, needles):
    _fails(InputValidationError, *needles, **kwargs)


def test_speed_override_accepts_a_real_high_speed():
    # a real 130 km/h (override given) builds, and the speed is used, not silently capped
    net = build_network(ROADS, "car", area=AREA, speeds_kph={"arteri": 130}, max_speed_kph=140)
    assert net.road_speeds_kph["arteri"] == 130.0


@pytest.mark.parametrize("bad", [450.0, np.inf])
def test_road_layer_speed_column_out_of_bounds_names_the_rows(bad):
    # a road layer's own speed_kph of 450 or inf is refused with its row and value
    roads = ROADS.assign(speed_kph=[40.0, bad])
    _fails(InputValidationError, "roads", "speed_kph", f"1: {bad:g}", "max_speed_kph", roads=roads)


def test_road_layer_speed_ignored_on_foot_is_not_refused():
    # walking never uses a line's own speed, so a 450 in speed_kph does not block a walk network
    net = build_network(ROADS.assign(speed_kph=[450.0, np.nan]), "walk", area=AREA)
    assert net.edges["speed_kph"].max() <= 7.0


@pytest.mark.parametrize(
    ("values", "needles"),
    [
        # a speed raster of 450 km/h is above the off-road bound
        (450.0, ["offroad_speed_raster", "above the 30 km/h", "max_speed_kph"]),
        # a speed raster with an undeclared -9999 fill is refused, not read as impassable
        (-9999.0, ["offroad_speed_raster", "negative", "nodata"]),
    ],
)
def test_speed_raster_out_of_bounds(tmp_path, values, needles):
    grid = np.full((4, 4), 5.0, dtype="float32")
    grid[1, 1] = values
    from rasterio.transform import from_origin

    path = write_geotiff(tmp_path / "speed.tif", grid, transform=from_origin(-1000, 1500, 1000, 1000))
    _fails(InputValidationError, *needles, offroad_speed_raster=path)


def test_fake_speed_raster_is_refused(tmp_path):
    # a text file named .tif is a typed error naming the argument, not a rasterio traceback
    p = tmp_path / "speed.tif"
    p.write_text("not a tiff")
    _fails(InputValidationError, "offroad_speed_raster", "GeoTIFF", offroad_speed_raster=p)


# --- resolution and area -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        (float("inf"), "finite"),  # resolution_m=inf is refused, not a zero-cell lattice
        ("250", "resolution_m=250"),  # a string resolution is refused with the number to pass
        (0, "> 0"),  # a zero resolution is refused
        (None, "number"),  # None is refused as not a number
    ],
)
def test_bad_resolution(value, needle):
    _fails(InputValidationError, "resolution_m", needle, resolution_m=value)


def test_empty_area():
    # an empty GeoSeries area is an EmptyInputError naming area and what to pass
    _fails(EmptyInputError, "area", "study area", area=gpd.GeoSeries([], crs=UTM))


def test_point_area():
    # a Point area has no surface: refused with the buffer fix
    _fails(
        InputValidationError, "area", "Point", "buffer", area=gpd.GeoSeries([shapely.Point(0, 0)], crs=UTM)
    )


def test_bare_shapely_area_in_metres():
    # a bare shapely polygon in UTM metres is impossible as EPSG:4326: refused with how to pass its CRS
    _fails(
        CRSError,
        "area",
        "metres",
        "gpd.GeoSeries([area], crs=",
        area=shapely.box(400_000, 9_500_000, 401_000, 9_501_000),
    )


def test_area_without_crs():
    # an area GeoSeries without CRS is a CRSError with set_crs
    _fails(CRSError, "area", "set_crs", area=gpd.GeoSeries([shapely.box(0, 0, 1000, 1000)]))


def test_bad_working_crs():
    # an unreadable crs= is a CRSError naming it
    _fails(CRSError, "crs", "EPSG:32748", crs="not-a-crs")


def test_memory_refused_with_figure_and_resolution(monkeypatch):
    # a lattice too big for the memory available is refused before building, with the figures and a resolution
    monkeypatch.setattr(network_mod, "available_memory_bytes", lambda: 50e6)
    area = gpd.GeoSeries([shapely.box(0, 0, 60_000, 60_000)], crs=UTM)
    err = _fails(
        InsufficientMemoryError,
        "resolution_m=30",
        "GB",
        "available",
        "memory_check=False",
        area=area,
        resolution_m=30,
    )
    assert isinstance(err, MemoryError)
    suggested = float(str(err).split("Use resolution_m=")[1].split()[0])
    est = network_mod.estimate_memory(area, suggested)
    assert est.bytes <= network_mod.MEMORY_BUDGET_SHARE * 50e6  # the suggestion fits


def test_memory_check_override(monkeypatch):
    # memory_check=False builds anyway (the documented override)
    monkeypatch.setattr(network_mod, "available_memory_bytes", lambda: 1.0)
    net = build_network(ROADS, "car", area=AREA, memory_check=False)
    assert net.n_cells > 0


# --- travel --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "needles"),
    [
        ({"max_time_min": "60"}, ["max_time_min", "max_time_min=60"]),  # string time limit refused
        ({"max_access_m": float("inf")}, ["max_access_m", "finite"]),  # infinite access leg refused
        ({"max_access_m": -1}, ["max_access_m", "> 0"]),  # negative access leg refused
    ],
)
def test_travel_time_bad_limits(kwargs, needles):
    net = build_network(ROADS, "car", area=AREA)
    with pytest.raises(InputValidationError) as info:
        travel_time(net, HOMES, FAC, **kwargs)
    for n in needles:
        assert n in str(info.value)


def test_far_origins_are_flagged_not_dropped():
    # an origin far outside the lattice comes back, flagged unreachable, never silently dropped
    net = build_network(ROADS, "car", area=AREA)
    homes = pd.concat([HOMES, gpd.GeoDataFrame(geometry=[shapely.Point(90_000, 90_000)], crs=UTM)])
    out = nearest(net, FAC).at_points(homes.reset_index(drop=True))
    assert len(out) == 3 and out["reachable"].tolist() == [True, True, False]
    assert np.isnan(out["travel_time_min"].iloc[2]) and out["facility_id"].iloc[2] is None


# --- run_access ----------------------------------------------------------------------


def _region():
    """The hand-made two-kecamatan region of the pipeline tests (conftest.hand_region)."""
    return hand_region()


@pytest.mark.parametrize(
    ("kwargs", "exc", "needles"),
    [
        ({"categories": []}, EmptyInputError, ["categories", "puskesmas"]),  # no category
        (
            {"categories": ["hospital"]},
            InputValidationError,
            ["categories", "without 'puskesmas'"],
        ),  # no puskesmas
        ({"categories": "puskesmas"}, InputValidationError, ["categories", "list"]),  # a bare string
        ({"categories": ["puskesmas", "puskesmas"]}, InputValidationError, ["categories", "repeat"]),  # twice
        (
            {"categories": ["puskesmas", "clinic"]},
            InputValidationError,
            ["categories", "'clinic'"],
        ),  # unknown
        (
            {"resolution_m": "500"},
            InputValidationError,
            ["resolution_m", "resolution_m=500"],
        ),  # string number
        ({"resolution_m": float("inf")}, InputValidationError, ["resolution_m", "finite"]),  # infinite
        (
            {"speeds_kph": {"arteri": 450}},
            InputValidationError,
            ["speeds_kph", "450"],
        ),  # household speed typo
        (
            {"referral_offroad_speed_kph": 1e6},
            InputValidationError,
            ["referral_offroad_speed_kph"],
        ),  # referral
        ({"mode": "bike"}, InputValidationError, ["mode", "'bike'"]),  # unknown mode
        ({"fca_threshold_min": "60"}, InputValidationError, ["fca_threshold_min"]),  # string threshold
    ],
)
def test_run_access_bad_arguments(kwargs, exc, needles):
    with pytest.raises(exc) as info:
        run_access(_region(), progress=False, **{"resolution_m": 500, **kwargs})
    for n in needles:
        assert n in str(info.value)


def _with_desa(region, desa):
    return dataclasses.replace(region, desa=desa)


@pytest.mark.parametrize(
    ("change", "exc", "needles"),
    [
        # duplicated desa codes: NonUniqueIDError naming the code
        (lambda d: d.assign(code=[d["code"].iloc[0]] * len(d)), NonUniqueIDError, ["region.desa", "code"]),
        # no kecamatan_code column
        (lambda d: d.drop(columns="kecamatan_code"), MissingColumnError, ["region.desa", "kecamatan_code"]),
        # no population column
        (lambda d: d.drop(columns="population"), MissingColumnError, ["region.desa", "population"]),
        # Indonesian-formatted population strings are refused, naming the desa and value
        (
            lambda d: d.assign(population=["12.000"] + [1000] * (len(d) - 1)),
            InputValidationError,
            ["'12.000'", "population"],
        ),
        # a negative population (fill value) is refused up front, naming the desa
        (
            lambda d: d.assign(population=[-9999.0] + [1000.0] * (len(d) - 1)),
            InputValidationError,
            ["-9999", "negative"],
        ),
        # an infinite population is refused up front
        (
            lambda d: d.assign(population=[np.inf] + [1000.0] * (len(d) - 1)),
            InputValidationError,
            ["inf", "population"],
        ),
    ],
)
def test_run_access_bad_desa_is_refused_before_any_search(monkeypatch, change, exc, needles):
    import geoaccess.pipeline as pl

    monkeypatch.setattr(pl, "build_network", lambda *a, **k: pytest.fail("searched before checking"))
    region = _region()
    with pytest.raises(exc) as info:
        run_access(_with_desa(region, change(region.desa)), progress=False, resolution_m=500)
    for n in needles:
        assert n in str(info.value)


def test_run_access_memory_refused_before_building(monkeypatch):
    # run_access refuses a resolution too fine for the memory, before building, with the CLI override named
    import geoaccess.pipeline as pl

    monkeypatch.setattr(network_mod, "available_memory_bytes", lambda: 1e6)
    monkeypatch.setattr(pl, "build_network", lambda *a, **k: pytest.fail("built before the memory check"))
    with pytest.raises(InsufficientMemoryError) as info:
        run_access(_region(), progress=False, resolution_m=30)
    assert "run_access" in str(info.value) and "memory_check=False" in str(info.value)


# --- outputs -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_result():
    return run_access(_region(), resolution_m=500, progress=False)


def test_output_dir_is_a_file(small_result, tmp_path):
    # out_dir that is a file: OutputError naming it, nothing computed into it
    f = tmp_path / "out.txt"
    f.write_text("x")
    with pytest.raises(OutputError, match="is a file, not a folder"):
        write_outputs(small_result, f)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc is Linux's read-only file system")
def test_output_dir_read_only(small_result):
    # a folder nobody (not even root) can write to: OutputError naming it, before writing
    with pytest.raises(OutputError, match="cannot be written to"):
        write_outputs(small_result, "/proc/self")


def test_output_target_blocked_fails_before_writing(small_result, tmp_path):
    # an output name taken by a folder (like a locked file) fails before anything is written
    (tmp_path / f"{small_result.region.name}_desa.csv").mkdir()
    with pytest.raises(OutputError, match="cannot be replaced"):
        write_outputs(small_result, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{small_result.region.name}_desa.csv"]


@pytest.mark.parametrize("name", ["../escape", "a/b", "..", ".hidden", "kab:x"])
def test_region_name_cannot_write_outside(small_result, tmp_path, name):
    # a region name with / or .. cannot write outside the output folder
    res = dataclasses.replace(small_result, region=dataclasses.replace(small_result.region, name=name))
    out = tmp_path / "out"
    with pytest.raises(InputValidationError) as info:
        write_outputs(res, out)
    assert "result.region.name" in str(info.value) and "dataclasses.replace" in str(info.value)
    assert not any(p for p in tmp_path.rglob("*") if p.is_file())


def test_failure_while_writing_leaves_old_set_untouched(small_result, tmp_path, monkeypatch):
    # a failure mid-write leaves the previous complete set and its manifest as they were, no staging left
    files = write_outputs(small_result, tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    import geoaccess.outputs.report as report

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(report, "plot_kecamatan_bars", boom)
    with pytest.raises(OutputError, match=r"nothing in .* was changed"):
        write_outputs(small_result, tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    assert files["manifest"].is_file()


def test_failure_while_moving_says_the_set_is_incomplete(small_result, tmp_path, monkeypatch):
    # a file that cannot be moved into place: OutputError lists new and unwritten files; no manifest
    real = os.replace
    calls = {"n": 0}

    def flaky(a, b):
        calls["n"] += ".geoaccess-staging-" not in str(b)  # moves out of the staging folder
        if calls["n"] == 3:
            raise PermissionError(13, "Permission denied")
        return real(a, b)

    monkeypatch.setattr(os, "replace", flaky)
    with pytest.raises(OutputError, match="INCOMPLETE") as info:
        write_outputs(small_result, tmp_path)
    assert "manifest" in str(info.value)
    assert not (tmp_path / f"{small_result.region.name}_manifest.json").exists()


# --- CLI -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--resolution", "abc"], "--resolution"),  # not a number
        (["--resolution", "inf"], "finite"),  # infinite
        (["--resolution", "-5"], "> 0"),  # negative
        (["--mode", "bike"], "--mode"),  # unknown mode
        (["--region", "nowhere"], "--region"),  # unknown region
        (["--bogus"], "unrecognized"),  # unknown option
    ],
)
def test_cli_bad_argument_one_line_exit_2(args, needle, capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["demo", *args])
    err = capsys.readouterr().err.strip()
    assert info.value.code == 2 and needle in err and "\n" not in err and err.startswith("geoaccess: error:")


def test_cli_output_file_refused_before_computing(data_dir, tmp_path, capsys, monkeypatch):
    # --out naming a file: one-line error, exit 2, before the run starts
    import geoaccess.pipeline as pl

    monkeypatch.setattr(pl, "run_access", lambda *a, **k: pytest.fail("computed before checking --out"))
    f = tmp_path / "out"
    f.write_text("x")
    rc = cli.main(["demo", "--out", str(f), "--no-progress", "--data-dir", str(data_dir)])
    err = capsys.readouterr().err
    assert rc == 2 and "--out" in err and "is a file" in err


def test_cli_memory_refused_names_the_flag(data_dir, tmp_path, capsys, monkeypatch):
    # --resolution 30 on a small machine: exit 2 naming the figure, a resolution and --no-memory-check
    monkeypatch.setattr(network_mod, "available_memory_bytes", lambda: 2e9)
    rc = cli.main(
        ["demo", "--out", str(tmp_path), "--no-progress", "--resolution", "30", "--data-dir", str(data_dir)]
    )
    err = capsys.readouterr().err
    assert rc == 2 and "GB" in err and "--resolution " in err and "--no-memory-check" in err


def test_every_error_here_is_a_geoaccess_error():
    # the classes used above all derive from GeoAccessError (one except clause catches them)
    for cls in (InsufficientMemoryError, OutputError, CRSError, EmptyInputError):
        assert issubclass(cls, GeoAccessError)


def test_negative_speed_in_a_road_layer_is_refused_not_replaced():
    # a road layer's own speed of -40 km/h used to become NaN, i.e. silently the class speed
    layer = gpd.GeoDataFrame(
        {"road_class": ["lokal", "lokal"], "speed_kph": [30.0, -40.0]},
        geometry=[shapely.LineString([(0, 0), (1000, 0)]), shapely.LineString([(0, 10), (1000, 10)])],
        crs=UTM,
    )
    with pytest.raises(InputValidationError, match=r"negative speeds \(rows \[1\]"):
        build_network(layer, "car", offroad=False)
