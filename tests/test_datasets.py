"""Tests of geoaccess.inputs.datasets.load on the shared data (skipped when it is absent)."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pandas as pd
import pytest

import geoaccess
from geoaccess.exceptions import DataNotFoundError, GeoAccessWarning, InputValidationError
from geoaccess.inputs import datasets


@pytest.fixture(scope="session")
def muara_enim(shared_data):
    """load('muara_enim') once per session; returns (region, warning texts, seconds)."""
    t0 = time.perf_counter()
    with pytest.warns(GeoAccessWarning) as rec:
        region = datasets.load("muara_enim", data_dir=shared_data)
    return region, [str(w.message) for w in rec], time.perf_counter() - t0


# ----------------------------------------------------------------------------- no data needed


def test_available_names():
    assert datasets.available() == [
        "muara_enim",
        "musi_banyuasin",
        "ogan_komering_ilir",
        "sarolangun",
    ]


def test_unknown_name_lists_valid_ones():
    with pytest.raises(InputValidationError, match=r"`name`.*'atlantis'.*muara_enim"):
        datasets.load("atlantis")


def test_bad_arguments():
    with pytest.raises(InputValidationError, match="`buffer_km`"):
        datasets.load("muara_enim", buffer_km=-1)
    with pytest.raises(InputValidationError, match="`relocate`"):
        datasets.load("muara_enim", relocate="kabupaten")


def test_missing_data_dir_argument(tmp_path):
    with pytest.raises(DataNotFoundError, match="argument data_dir"):
        datasets.load("muara_enim", data_dir=tmp_path / "does-not-exist")


def test_missing_files_named_with_the_data_dir(tmp_path):
    (tmp_path / "boundaries").mkdir()
    with pytest.raises(DataNotFoundError) as err:
        datasets.load("muara_enim", data_dir=tmp_path)
    msg = str(err.value)
    assert "boundaries/desa.geojson" in msg and "facilities/facilities_4kab.csv" in msg
    assert str(tmp_path) in msg and "data/README.md" in msg


# ----------------------------------------------------------------------------- shared data


def test_boundaries_and_population(muara_enim):
    region, _, _ = muara_enim
    assert region.name == "muara_enim" and region.kabupaten_code == "16.03"
    assert len(region.kabupaten) == 1 and region.kabupaten["code"].iloc[0] == "16.03"
    assert len(region.kecamatan) == 22
    assert (region.kecamatan["kabupaten_code"] == "16.03").all()
    assert len(region.desa) == 254
    assert region.desa["code"].is_unique
    for layer in (
        region.kabupaten,
        region.kecamatan,
        region.desa,
        region.facilities,
        region.neighbour_facilities,
        region.roads,
        region.study_area,
    ):
        assert layer.crs == "EPSG:4326"
    # every desa polygon has a figure once the two spelling differences are matched by
    # hand (Air Enau Upt Xi = Air Enau 1,548; Kartamulia = Kerta Mulya 1,866);
    # 2 population rows (Ujanmas Ulu 3,964, Arisan Musi 1,010) have no polygon
    assert region.desa["population"].isna().sum() == 0
    assert region.desa["population"].sum() == 645_361 + 1_548 + 1_866
    assert region.desa.set_index("code").loc["16.03.03.2019", "population"] == 1_548
    assert region.desa.set_index("code").loc["16.03.06.2019", "population"] == 1_866
    # the shared table's column names stay in the loader: the Region has standard names
    assert datasets.DESA_EXTRA_COLUMNS == ("flood_hazard_index", "poverty_rate", "flood_event_freq")
    for col in datasets.DESA_EXTRA_COLUMNS:
        assert col in region.desa.columns
    for col in ("flood_hazard_index_bnpb", "poverty_rate_idm", "flood_event_freq_kemendes_2024"):
        assert col not in region.desa.columns
    assert "pop_est_scaled_kepmendagri2025" in region.sources["population"]
    assert "lat_src" in region.audit_columns


def test_own_facilities(muara_enim):
    region, warns, _ = muara_enim
    fac = region.facilities
    assert len(fac) == 29
    assert (fac["type"] == "puskesmas").sum() == 22 and (fac["type"] == "rs").sum() == 7
    src = fac["location_quality"] == "source"
    assert ((fac["type"] == "puskesmas") & src).sum() == 18
    assert ((fac["type"] == "rs") & src).sum() == 1
    rest = fac[~src]
    assert set(rest["location_quality"]) <= {"kecamatan_centroid", "missing"}
    assert (rest["location_quality"] == "kecamatan_centroid").sum() == 9
    missing = rest.loc[rest["location_quality"] == "missing", "facility_id"].tolist()
    assert missing == ["F1603-RS077"]
    text = "\n".join(warns)
    assert all(fid in text for fid in rest["facility_id"])
    assert "load('muara_enim')" in text
    # every located own facility lies in the kabupaten, except Puskesmas Teluk Lubuk which
    # the 2019 source puts ~80 m outside the desa-derived kabupaten outline
    kab_m = region.kabupaten.to_crs(32748).union_all()
    dist_m = fac.geometry.dropna().to_crs(32748).distance(kab_m)
    assert (dist_m < 100).all()
    assert fac.loc[dist_m[dist_m > 0].index, "facility_id"].tolist() == ["F1603-PKM075"]
    # the code digit, except the two puskesmas with a public report (inpatient_evidence.csv)
    src = fac.loc[fac["type"] == "puskesmas"].set_index("facility_id")["inpatient_source"]
    explicit = src[src.str.startswith("explicit: ")]
    assert sorted(explicit.index) == ["F1603-PKM065", "F1603-PKM073"]
    assert src.drop(explicit.index).isin(["pkm_code_type_digit (unverified)", "unknown"]).all()


def test_neighbour_facilities(muara_enim):
    region, _, _ = muara_enim
    nb = region.neighbour_facilities
    assert len(nb) > 0
    assert set(nb["type"]) <= {"puskesmas", "rs"}
    assert (nb["coord_quality"] == "ok").all()
    assert (nb["location_quality"] == "source").all()
    kab = region.kabupaten.union_all()
    area = region.study_area.union_all()
    assert not nb.geometry.intersects(kab).any()
    assert nb.geometry.within(area).all()
    sids = region.facilities["source_id"]
    own_ids = {s.split(":", 1)[1] for s in sids if s.startswith("kode_pkm")}
    own_ids |= {"R" + s.split(":", 1)[1] for s in sids if s.startswith("kode_rs")}
    assert len(own_ids) == 25  # 18 puskesmas codes + 7 hospital codes
    assert not set(nb["facility_id"]) & own_ids
    allf = region.facilities_all
    assert len(allf) == len(region.facilities) + len(nb)
    assert allf["facility_id"].is_unique
    assert allf["neighbour"].sum() == len(nb)


def test_roads_and_study_area(muara_enim):
    region, _, _ = muara_enim
    roads = region.roads
    assert (roads["road_class"] == "arteri").all() and (roads["class_source"] == "national").all()
    assert set(roads.geom_type) == {"LineString"}
    area = region.study_area
    assert len(area) == 1 and area["buffer_km"].iloc[0] == 25.0
    assert area.union_all().contains(region.kabupaten.union_all())
    # clipped in UTM, stored in lon/lat: allow ~1 m of reprojection noise
    assert roads.geometry.within(area.union_all().buffer(1e-5)).all()
    # SOURCES.md: 207.7 km of national road inside Kab. Muara Enim
    inside_km = roads.clip(region.kabupaten).to_crs(32748).length.sum() / 1000
    assert 200 < inside_km < 215
    # the buffer is ~25 km wide: area grows accordingly
    a_kab = region.kabupaten.to_crs(32748).area.sum() / 1e6
    a_area = area.to_crs(32748).area.sum() / 1e6
    assert a_kab == pytest.approx(6761, rel=0.01)
    assert a_area > a_kab + 5000


def test_region_is_frozen_and_inputs_are_copies(muara_enim):
    region, _, _ = muara_enim
    with pytest.raises(dataclasses.FrozenInstanceError):
        region.name = "x"
    assert "Region('muara_enim'" in repr(region)
    fa = region.facilities_all
    fa["name"] = "changed"
    assert (region.facilities["name"] != "changed").all()


def test_data_dir_from_options(shared_data, monkeypatch):
    monkeypatch.setitem(geoaccess.options._values, "data_dir", str(shared_data))
    monkeypatch.delenv("GEOACCESS_DATA_DIR", raising=False)
    with pytest.warns(GeoAccessWarning):
        region = datasets.load("musi_banyuasin", buffer_km=5)
    assert region.data_dir == Path(shared_data).resolve()
    assert len(region.kecamatan) == 15 and len(region.desa) == 240
    assert region.buffer_km == 5.0


def test_sarolangun_has_no_desa_population(shared_data):
    with pytest.warns(GeoAccessWarning) as rec:
        region = datasets.load("sarolangun", data_dir=shared_data)
    assert any("no desa population" in str(w.message) for w in rec)
    assert len(region.kecamatan) == 11 and len(region.desa) == 158
    assert region.desa["population"].isna().all()
    assert (region.facilities["type"] == "puskesmas").sum() == 16


def test_relocate_none_leaves_missing(shared_data):
    with pytest.warns(GeoAccessWarning):
        region = datasets.load("muara_enim", data_dir=shared_data, relocate=None)
    q = region.facilities["location_quality"].value_counts()
    assert q.to_dict() == {"source": 19, "missing": 10}
    assert isinstance(region.facilities, pd.DataFrame)


def test_buffered_area_of_many_islands_is_the_union_of_their_buffers():
    import geopandas as gpd
    import shapely

    from geoaccess.inputs.datasets import MANY_PARTS, buffered_area

    utm = "EPSG:32748"
    boxes = [
        shapely.box(400_000 + 3000 * i, 9_600_000, 400_000 + 3000 * i + 500, 9_600_500) for i in range(150)
    ]
    assert len(boxes) > MANY_PARTS
    kab = gpd.GeoDataFrame({"code": ["99.01"]}, geometry=[shapely.MultiPolygon(boxes)], crs=utm).to_crs(4326)
    got = buffered_area(kab, 2.0).to_crs(utm).geometry.iloc[0]
    want = shapely.MultiPolygon(boxes).buffer(2000.0)
    assert got.symmetric_difference(want).area < 5e-3 * want.area  # reprojection, GEOS simplification
    assert all(got.contains(b) for b in boxes)
