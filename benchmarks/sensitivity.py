"""Sensitivity of the headline access figures to the knobs behind them (issue 6).

Run (from the repository root):

    python benchmarks/sensitivity.py --region muara_enim --out docs/sensitivity.md
    python benchmarks/sensitivity.py --quick --out /tmp/s.md     # without the 100 m run

One-at-a-time variation from the default run (motorbike, 250 m lattice, population spread
uniformly over the cells of each desa):

* off-road speed: default, -50 %, +50 % (``offroad_speed_kph``, and with it
  ``referral_offroad_speed_kph`` of the referral leg when run_access has one: the same
  assumption about land without a mapped road, scaled by the same factor);
* lattice resolution: 100, 250, 500 m (``resolution_m``);
* population weighting: uniform vs nearer to mapped roads (``population_weights_by``);
* and, when run_access times the referral leg in its own mode, one extra row with the whole
  referral chain in the household's mode (``referral_mode``).

Every run goes through the public API (:func:`geoaccess.pipeline.run_access`) on one
region loaded once (``geoaccess.datasets.load``); the figures are read from the
kabupaten rows of ``result.tables["coverage"]``; the default speeds are read from the
default run's ``result.assumptions`` (no internal module is imported). Per run the wall time and the peak
resident memory (``resource.getrusage``; the high-water mark is reset before each run
where Linux allows it) are recorded. The Markdown report states the method, the data the
figures rest on, the table, the command, the date and the geoaccess commit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import inspect
import resource
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import geoaccess as ga
from geoaccess import datasets, pipeline
from geoaccess.pipeline import run_access

MODE = "motorbike"
DEFAULT_RESOLUTION_M = 250.0
THRESHOLD_MIN = 60
CATEGORY_ORDER = ("puskesmas", "inpatient", "hospital", "referral")
#: categories whose time is a sum of two legs (home -> puskesmas -> hospital), not one search
CHAINED = ("referral",)
REPO = Path(__file__).resolve().parents[1]


@dataclass
class Variant:
    key: str
    knob: str
    label: str
    kwargs: dict[str, Any]
    figures: dict[str, dict[str, float]] = field(default_factory=dict)
    seconds: float = float("nan")
    peak_mib: float = float("nan")
    peak_is_run: bool = False
    n_cells: int = 0


@dataclass
class Defaults:
    """Speeds of the default run, as its ``assumptions`` report them."""

    offroad_kph: float
    referral_mode: str | None = None
    referral_offroad_kph: float | None = None  # None: the referral leg uses the household network

    @classmethod
    def of(cls, result: Any) -> Defaults:
        a = result.assumptions
        r = a.get("referral_offroad_speed_kph")
        return cls(float(a["offroad_speed_kph"]), a.get("referral_mode"), None if r is None else float(r))

    def offroad_label(self, factor: float) -> str:
        txt = f"{MODE} {factor * self.offroad_kph:g}"
        if self.referral_offroad_kph is not None:
            txt += f", referral {self.referral_mode} {factor * self.referral_offroad_kph:g}"
        return txt + " km/h"


BASE: dict[str, Any] = {
    "mode": MODE,
    "resolution_m": DEFAULT_RESOLUTION_M,
    "offroad_speed_kph": None,
    "population_weights_by": None,
}


def default_variant() -> Variant:
    return Variant("default", "default", "default", dict(BASE))


def variants(default: Variant, d: Defaults, quick: bool) -> list[Variant]:
    """The runs, in table order. The default is first; each other run changes one knob."""
    default.label = f"default ({MODE}, {DEFAULT_RESOLUTION_M:g} m, uniform; off-road {d.offroad_label(1.0)})"

    def with_(**kw: Any) -> dict[str, Any]:
        return {**BASE, **kw}

    def offroad(factor: float) -> dict[str, Any]:
        kw = with_(offroad_speed_kph=factor * d.offroad_kph)
        if d.referral_offroad_kph is not None:
            kw["referral_offroad_speed_kph"] = factor * d.referral_offroad_kph
        return kw

    out = [
        default,
        Variant("offroad_slow", "off-road speed", f"off-road -50 % ({d.offroad_label(0.5)})", offroad(0.5)),
        Variant("offroad_fast", "off-road speed", f"off-road +50 % ({d.offroad_label(1.5)})", offroad(1.5)),
        Variant("res_100", "resolution", "lattice 100 m", with_(resolution_m=100.0)),
        Variant("res_500", "resolution", "lattice 500 m", with_(resolution_m=500.0)),
        Variant(
            "weights_roads",
            "population weighting",
            "population nearer to mapped roads",
            with_(population_weights_by="roads"),
        ),
    ]
    if d.referral_offroad_kph is not None and "referral_mode" in inspect.signature(run_access).parameters:
        # not one of the three knobs: the referral leg has its own mode, whose off-road speed
        # dominates the referral figures; this row shows what that choice alone does
        out.append(
            Variant(
                "referral_household_mode",
                "referral mode",
                f"referral leg by {MODE} (`referral_mode`; extra row)",
                with_(referral_mode=MODE),
            )
        )
    if quick:
        out = [v for v in out if v.key != "res_100"]
    return out


def run_order(vs: list[Variant]) -> list[Variant]:
    """Default first, the memory-heavy 100 m lattice last."""
    return sorted(vs, key=lambda v: (v.key != "default", v.key == "res_100"))


# --- memory -------------------------------------------------------------------------


def _reset_peak() -> bool:
    """Reset the process' peak-RSS mark (Linux >= 4.0) so ru_maxrss measures one run."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _peak_mib() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return r / 1024.0 if sys.platform != "darwin" else r / 2**20  # KiB on Linux, bytes on macOS


# --- figures ------------------------------------------------------------------------


def kabupaten_figures(result: Any) -> dict[str, dict[str, float]]:
    """People and share beyond 60 min, mean minutes and unreachable people per category."""
    cov = result.tables.get("coverage")
    if cov is None:
        raise SystemExit("run_access gave no coverage table (no population in the region?)")
    need = {
        "category",
        "level",
        "population",
        "mean_travel_time_min",
        "people_unreachable",
        f"people_beyond_{THRESHOLD_MIN}_min",
        f"share_beyond_{THRESHOLD_MIN}_min",
    }
    missing = need - set(cov.columns)
    if missing:
        raise SystemExit(f"coverage table lacks columns {sorted(missing)}; has {list(cov.columns)}")
    kab = cov[cov["level"] == "kabupaten"]
    out: dict[str, dict[str, float]] = {}
    for _, row in kab.iterrows():
        out[str(row["category"])] = {
            "population": float(row["population"]),
            "beyond": float(row[f"people_beyond_{THRESHOLD_MIN}_min"]),
            "share": float(row[f"share_beyond_{THRESHOLD_MIN}_min"]),
            "mean": float(row["mean_travel_time_min"]),
            "unreachable": float(row["people_unreachable"]),
        }
        if "people_31_60_min" in kab.columns:
            out[str(row["category"])]["band_31_60"] = float(row["people_31_60_min"])
    return out


def categories_of(vs: list[Variant]) -> list[str]:
    seen = [c for v in vs for c in v.figures]
    first = [c for c in CATEGORY_ORDER if c in seen]
    return first + sorted(set(seen) - set(first))


def context_facts(region: Any, result: Any) -> dict[str, Any]:
    """Measured facts about the data the figures rest on (for the method section)."""
    facts: dict[str, Any] = {}
    try:
        kab = region.kabupaten.to_crs(result.network.crs).union_all()
        roads = region.roads.to_crs(result.network.crs)
        facts["road_km_in_kab"] = float(roads.intersection(kab).length.sum()) / 1000.0
        facts["road_classes"] = sorted(
            map(str, region.roads.get("road_class", pd.Series()).dropna().unique())
        )
        facts["area_km2"] = float(kab.area) / 1e6
    except Exception as exc:  # context only: never fail the benchmark for it
        facts["road_error"] = repr(exc)
    try:
        f = region.facilities
        facts["own_by_quality"] = f.groupby(["type", "location_quality"], dropna=False).size().to_dict()
        pkm = f[f["type"] == "puskesmas"]
        facts["pkm_inpatient_source"] = pkm["inpatient_source"].value_counts(dropna=False).to_dict()
        facts["pkm_inpatient"] = pkm["inpatient"].value_counts(dropna=False).to_dict()
        facts["n_neighbour"] = len(region.neighbour_facilities)
    except Exception as exc:
        facts["facility_error"] = repr(exc)
    try:  # how far people live from a mapped road: desa point to nearest mapped road
        d = result.desa
        pop = d["population"].fillna(0.0).to_numpy(float)
        dist = d["access_dist_m"].to_numpy(float)
        ok = np.isfinite(dist)
        facts["pop_road_dist_median_km"] = float(_wmedian(dist[ok], pop[ok])) / 1000.0
        for km in (2, 5):
            facts[f"pop_share_beyond_{km}km_of_road"] = float(
                pop[ok][dist[ok] > km * 1000].sum() / pop[ok].sum()
            )
    except Exception as exc:
        facts["dist_error"] = repr(exc)
    return facts


def _wmedian(x: np.ndarray, w: np.ndarray) -> float:
    o = np.argsort(x)
    c = np.cumsum(w[o])
    return float(x[o][np.searchsorted(c, 0.5 * c[-1])])


# --- report -------------------------------------------------------------------------


def _int(x: float) -> str:
    return f"{x:,.0f}" if np.isfinite(x) else "n/a"


def _signed(x: float, fmt: str) -> str:
    if not np.isfinite(x):
        return "n/a"
    s = format(x, fmt)
    if s.lstrip("-").strip("0.,") == "":  # -0.0 and 0.0 print as 0.0
        return s.lstrip("-")
    return s if s.startswith("-") else "+" + s


def table_md(vs: list[Variant], cats: list[str]) -> str:
    d0 = vs[0].figures
    head = ["variant"] + [f"{c}: >{THRESHOLD_MIN} min" for c in cats] + [f"{c}: mean min" for c in cats]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for v in vs:
        cells = [v.label]
        for c in cats:
            f, b = v.figures.get(c), d0.get(c)
            if f is None:
                cells.append("n/a")
                continue
            s = f"{_int(f['beyond'])} ({100 * f['share']:.1f} %)"
            if v is not vs[0] and b is not None:
                dpp = _signed(100 * (f["share"] - b["share"]), ".1f")
                s += f"<br>{_signed(f['beyond'] - b['beyond'], ',.0f')} ({dpp} pp)"
            cells.append(s)
        for c in cats:
            f, b = v.figures.get(c), d0.get(c)
            if f is None:
                cells.append("n/a")
                continue
            s = f"{f['mean']:.1f}"
            if v is not vs[0] and b is not None:
                dpct = _signed(100 * (f["mean"] / b["mean"] - 1), ".0f")
                s += f"<br>{_signed(f['mean'] - b['mean'], '.1f')} ({dpct} %)"
            cells.append(s)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def runs_md(vs: list[Variant]) -> str:
    lines = ["| variant | lattice cells | wall time (s) | peak memory (MiB) |", "|---|---:|---:|---:|"]
    for v in vs:
        peak = f"{v.peak_mib:,.0f}" + ("" if v.peak_is_run else " (process peak so far)")
        lines.append(f"| {v.label} | {v.n_cells:,} | {v.seconds:.1f} | {peak} |")
    return "\n".join(lines)


def _span(xs: list[float], fmt: str, unit: str) -> str:
    """'+1.0 pp' for one value, '+1.0 to +3.5 pp' for several."""
    lo, hi = min(xs), max(xs)
    if format(lo, fmt) == format(hi, fmt):
        return f"{_signed(lo, fmt)}{unit}"
    return f"{_signed(lo, fmt)} to {_signed(hi, fmt)}{unit}"


def _change(v: Variant, d0: dict[str, dict[str, float]], cats: list[str]) -> tuple[list[float], list[float]]:
    """Per category: change of the share beyond the threshold (pp) and of the mean (%)."""
    cs = [c for c in cats if c in d0 and c in v.figures]
    dpp = [100 * (v.figures[c]["share"] - d0[c]["share"]) for c in cs]
    dmean = [100 * (v.figures[c]["mean"] / d0[c]["mean"] - 1) for c in cs]
    return dpp, dmean


def _variant_line(v: Variant, d0: dict[str, dict[str, float]], cats: list[str]) -> str:
    dpp, dmean = _change(v, d0, cats)
    if not dpp:
        return f"{v.label}: n/a"
    return (
        f"{v.label}: share beyond {THRESHOLD_MIN} min {_span(dpp, '.1f', ' pp')}, "
        f"mean {_span(dmean, '.0f', ' %')} (over the {len(dpp)} categories)"
    )


#: a figure is robust to a knob if its share moves at most ROBUST_PP percentage points and its
#: mean at most ROBUST_MEAN_PCT per cent; moderate up to twice that; large beyond
ROBUST_PP = 2.0
ROBUST_MEAN_PCT = 5.0


def reading_md(vs: list[Variant], cats: list[str], facts: dict[str, Any], d: Defaults) -> str:
    """A reading of the table built from the measured numbers only."""
    by = {v.key: v for v in vs}
    d0 = by["default"].figures
    out = []

    if "offroad_slow" in by and "offroad_fast" in by:
        slow, fast = by["offroad_slow"].figures, by["offroad_fast"].figures
        parts = []
        for c in cats:
            if c in d0 and c in slow and c in fast:
                rs, rf = slow[c]["mean"] / d0[c]["mean"], fast[c]["mean"] / d0[c]["mean"]
                # trip time = road minutes + off-road distance x pace (1/speed), minimised over
                # paths and facilities: concave in the pace, so the off-road share f of the
                # default minutes satisfies  rs - 1 <= f <= 3 (1 - rf)
                lo, hi = rs - 1.0, 3.0 * (1.0 - rf)
                if c in CHAINED:
                    share = "off-road share not bracketed (two legs chained, not one shortest path)"
                elif lo <= hi + 1e-9:
                    share = f"off-road minutes are {100 * lo:.0f}-{100 * hi:.0f} % of the default mean"
                else:
                    share = "off-road share not bracketed (bounds cross)"
                kb = slow[c]["beyond"] / d0[c]["beyond"] if d0[c]["beyond"] > 0 else float("nan")
                parts.append(
                    f"{c}: mean x{rs:.2f} / x{rf:.2f}, people beyond {THRESHOLD_MIN} min "
                    f"x{kb:.2f} at half speed; {share}"
                )
        out.append(
            f"* **Off-road speed swings everything.** Halving it ({d.offroad_label(1.0)} to "
            f"{d.offroad_label(0.5)}) / raising it by half ({d.offroad_label(1.5)}) multiplies "
            "the figures by:\n"
            + "\n".join(f"  * {p}" for p in parts)
            + "\n\n  The off-road share is bracketed from the two runs alone: a trip's minutes are "
            "road minutes plus off-road distance times pace (1/speed), minimised over routes and "
            "facilities, hence concave in the pace; so (mean at half speed / default - 1) <= "
            "share <= 3 x (1 - mean at 1.5x speed / default). Most of every modelled trip is "
            "spent on the lattice, i.e. on land the road data do not describe, at an assumed speed."
        )
        p, ps = d0.get("puskesmas", {}), slow.get("puskesmas", {})
        if "band_31_60" in p and ps and p["beyond"] > 0:
            out.append(
                f"* For the puskesmas the count beyond {THRESHOLD_MIN} min swings more than the mean "
                f"(x{ps['beyond'] / p['beyond']:.2f} against x{ps['mean'] / p['mean']:.2f} at half "
                f"speed) because many people sit just under the threshold: in the default run "
                f"{_int(p['band_31_60'])} people ({100 * p['band_31_60'] / p['population']:.0f} %) "
                "are 31-60 min from a puskesmas. Where most people are already beyond the threshold "
                "(referral) the count moves less than the mean. A threshold count is the least "
                "robust way to state a figure that sits near its threshold."
            )
    if "referral_household_mode" in by and "referral" in d0:
        r0, r1 = d0["referral"], by["referral_household_mode"].figures.get("referral")
        h0 = d0.get("hospital")
        if r1 is not None:
            hosp = (
                f"; going straight from home to the nearest hospital by {MODE} takes {h0['mean']:.1f}"
                if h0
                else ""
            )
            out.append(
                f"* **Referral**: the leg puskesmas -> hospital is timed by {d.referral_mode}, which "
                f"crosses land without a mapped road at {d.referral_offroad_kph:g} km/h. With it the "
                f"referral chain takes {r0['mean']:.1f} min on average ({100 * r0['share']:.1f} % beyond "
                f"{THRESHOLD_MIN} min); with the whole chain by {MODE}, {r1['mean']:.1f} min "
                f"({100 * r1['share']:.1f} %){hosp} min. The referral figures therefore measure "
                "mostly the assumed off-road speed of the referral mode on the missing roads "
                "between puskesmas and the national road, not the road network."
            )
    for knob, keys in (
        ("Lattice resolution", ("res_100", "res_500")),
        ("Population weighting", ("weights_roads",)),
    ):
        present = [by[k] for k in keys if k in by]
        if not present:
            continue
        text = "; ".join(_variant_line(v, d0, cats) for v in present)
        if knob == "Lattice resolution":
            text += (
                ". Coarser cells move homes and facilities to cell centres and change where a "
                "desa's people sit; finer cells resolve the land between roads in more steps."
            )
            if "res_100" not in by:
                text += " (The 100 m run was skipped: `--quick`.)"
        else:
            text += (
                ". Offline the only mapped roads are national roads, so this weighting pulls people "
                "towards the trunk roads: it shows how much the figures depend on where inside a "
                "desa people live, which the data do not say."
            )
        out.append(f"* **{knob}**: {text}")

    tiers: dict[str, list[str]] = {"robust": [], "moderate": [], "large": []}
    for knob in dict.fromkeys(v.knob for v in vs[1:]):
        for c in cats:
            ch = [v for v in vs if v.knob == knob and c in v.figures]
            if c not in d0 or not ch or (knob == "referral mode" and c not in CHAINED):
                continue
            dpp = max(abs(100 * (v.figures[c]["share"] - d0[c]["share"])) for v in ch)
            dm = max(abs(100 * (v.figures[c]["mean"] / d0[c]["mean"] - 1)) for v in ch)
            tier = "robust" if dpp <= ROBUST_PP and dm <= ROBUST_MEAN_PCT else "moderate"
            if dpp > 2 * ROBUST_PP or dm > 2 * ROBUST_MEAN_PCT:
                tier = "large"
            tiers[tier].append(f"{c} to {knob} ({dpp:.1f} pp, {dm:.0f} %)")
    out.append(
        f"* **Verdict** (largest change of the share beyond {THRESHOLD_MIN} min in pp, of the mean "
        f"in %). Robust (at most {ROBUST_PP:g} pp and {ROBUST_MEAN_PCT:g} %): "
        + ("; ".join(tiers["robust"]) or "none")
        + f". Moderate (at most {2 * ROBUST_PP:g} pp and {2 * ROBUST_MEAN_PCT:g} %): "
        + ("; ".join(tiers["moderate"]) or "none")
        + ". Large: "
        + ("; ".join(tiers["large"]) or "none")
        + "."
    )
    if "pop_share_beyond_2km_of_road" in facts:
        out.append(
            f"* Why off-road time dominates: half of the people live in desa whose point is "
            f"more than {facts['pop_road_dist_median_km']:.1f} km from a mapped road; "
            f"{100 * facts['pop_share_beyond_2km_of_road']:.0f} % beyond 2 km, "
            f"{100 * facts['pop_share_beyond_5km_of_road']:.0f} % beyond 5 km "
            "(desa representative points, population-weighted; offline the mapped roads are "
            "national roads only)."
        )
    unr = {c: max(v.figures[c]["unreachable"] for v in vs if c in v.figures) for c in cats}
    if any(x > 0 for x in unr.values()):
        out.append(
            "* People with no path at all (counted beyond the threshold): "
            + "; ".join(f"{c} up to {_int(x)}" for c, x in unr.items())
            + "."
        )
    else:
        out.append(
            "* No run left anyone unreachable: no barriers (rivers) are in the offline data, so "
            "every cell connects to every other and rivers are crossed anywhere."
        )
    return "\n".join(out)


def facts_md(facts: dict[str, Any]) -> str:
    lines = []
    if "road_km_in_kab" in facts:
        dens = 1000 * facts["road_km_in_kab"] / facts["area_km2"]
        lines.append(
            f"* **Roads**: offline, the only road layer is the national road network: "
            f"{facts['road_km_in_kab']:.0f} km inside the kabupaten ({facts['area_km2']:,.0f} km², "
            f"{dens:.0f} m of mapped road per km²; classes: {', '.join(facts['road_classes']) or 'n/a'}). "
            "Kabupaten and village roads are missing; the off-road lattice stands in for them at "
            "one flat speed, so the off-road speed is in effect the speed on every unmapped road, "
            "track and plantation path, and on land with no path at all."
        )
    if "own_by_quality" in facts:
        names = {"puskesmas": "puskesmas", "rs": "hospitals"}
        per: dict[str, list[str]] = {}
        for (t, lq), n in facts["own_by_quality"].items():
            per.setdefault(names.get(str(t), str(t)), []).append(f"{n} {lq}")
        q = "; ".join(f"{t}: {', '.join(sorted(x))}" for t, x in per.items())
        lines.append(
            f"* **Facility locations** of the kabupaten's own facilities by `location_quality` ({q}). "
            "`source` is the coordinate of the 2019 list, `kecamatan_centroid` the representative "
            "point of the facility's kecamatan (no usable coordinate), `missing` left out. Hospital "
            f"and referral figures rest mostly on such approximate locations. "
            f"{facts.get('n_neighbour', 'n/a')} facilities of neighbouring kabupaten (within the "
            "buffer) are destinations too. Locations are not varied here."
        )
    if "pkm_inpatient" in facts:
        word = {"True": "inpatient", "False": "not inpatient"}
        flag = ", ".join(f"{n} {word.get(str(k), 'unknown')}" for k, n in facts["pkm_inpatient"].items())
        src = ", ".join(f"{n} {k}" for k, n in facts["pkm_inpatient_source"].items())
        lines.append(
            f"* **Inpatient flag** of the own puskesmas ({flag}; source: {src}): read from the "
            "Kemenkes code digit, not verified against the Dinkes list. The inpatient figures are "
            "only as good as this flag; it is not varied here."
        )
    lines.append(
        "* **Not modelled, not varied**: rivers and other barriers (crossed anywhere, as if "
        "bridged everywhere), slope, swamp and land cover (one flat off-road speed), one speed per "
        "road class, seasons and floods. Missing roads make modelled trips longer than real ones "
        "where a road exists; free river crossings and one flat speed over swamp, forest and "
        "hills make them shorter where the land is harder than assumed. The figures are "
        "therefore not bounds in either direction: they are estimates, and their spread under "
        "the knobs that can be varied is measured below."
    )
    return "\n".join(lines)


def knobs_md(d: Defaults) -> str:
    speeds_mod = getattr(getattr(ga, "speeds", None), "__name__", "geoaccess speeds module")
    ref = (
        f"; the referral leg's `referral_offroad_speed_kph` ({d.referral_mode}, "
        f"{d.referral_offroad_kph:g} km/h by default) is scaled with it"
        if d.referral_offroad_kph is not None
        else ""
    )
    scale = getattr(pipeline, "ROAD_WEIGHT_SCALE_M", None)
    scale_txt = f"{scale / 1000:g} km" if scale else "a fixed scale"
    rows = [
        (
            "off-road speed (`offroad_speed_kph`)",
            f"{d.offroad_kph:g} km/h (default for {MODE}, `{speeds_mod}.OFFROAD_SPEED_KPH`), "
            f"{0.5 * d.offroad_kph:g} (-50 %), {1.5 * d.offroad_kph:g} (+50 %){ref}",
            "speed over the lattice between mapped roads: unmapped village roads, tracks, "
            "plantation paths, fields, forest. A planning assumption, not a measurement.",
        ),
        (
            "lattice resolution (`resolution_m`)",
            f"100, {DEFAULT_RESOLUTION_M:g} (default), 500 m",
            "size of the off-road cells: where people sit, how finely the land between roads is "
            "resolved, how far a home or facility is moved to its cell centre.",
        ),
        (
            "population weighting (`population_weights_by`)",
            'uniform (default, `None`), `"roads"`',
            "how a desa's people are spread over its cells: evenly, or with weight "
            f"1 / (1 + d / {scale_txt}), d = distance from the cell to the nearest *mapped* road.",
        ),
    ]
    lines = ["| knob | values | what it means |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines)


def git_commit() -> str:
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "geoaccess"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return sha + (" (with uncommitted changes under geoaccess/)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"


def command(args: argparse.Namespace) -> str:
    parts = ["python", "benchmarks/sensitivity.py", "--region", args.region]
    if args.data_dir:
        parts += ["--data-dir", str(args.data_dir)]
    parts += ["--out", str(args.out)]
    if args.quick:
        parts.append("--quick")
    return " ".join(parts)


def report(
    args: argparse.Namespace,
    region: Any,
    vs: list[Variant],
    facts: dict[str, Any],
    d: Defaults,
    total_s: float,
    load_s: float,
) -> str:
    cats = categories_of(vs)
    name = getattr(region, "display_name", region.name)
    pop = vs[0].figures[cats[0]]["population"] if cats else float("nan")
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    quick_note = " **Quick run: the 100 m lattice was skipped.**" if args.quick else ""
    ref_leg = (
        f"by {d.referral_mode} (the referral network's own speeds)"
        if d.referral_offroad_kph is not None
        else f"by {MODE}"
    )
    return f"""# Sensitivity of the headline figures ({name})

Generated {when} by `benchmarks/sensitivity.py` on geoaccess commit {git_commit()}
(geoaccess {getattr(ga, "__version__", "?")}).{quick_note}

Regenerate (from the repository root, with the project's virtualenv):

```bash
{command(args)}
```

## What is measured

The headline figures of a run are, per facility category (puskesmas, inpatient puskesmas,
hospital, referral = home to the nearest puskesmas by {MODE}, then on to that puskesmas'
nearest hospital {ref_leg}): the **people beyond {THRESHOLD_MIN} minutes** (count and share of the
{_int(pop)} people of the kabupaten; people with no path count as beyond) and the
**population-weighted mean minutes**. They come from the kabupaten rows of
`result.tables["coverage"]` of `geoaccess.pipeline.run_access`.

They depend on assumptions that the data cannot settle. Each is varied **one at a time**
from the default run ({MODE}, {DEFAULT_RESOLUTION_M:g} m lattice, population spread
uniformly), everything else unchanged; the data are loaded once and shared by all runs:

{knobs_md(d)}

A one-at-a-time design shows how strongly each knob moves the figures on its own; it does
not show interactions (e.g. a slow off-road speed on a coarse lattice), and the ranges are
not confidence intervals: they are the figures under other equally defensible choices.

## The data the figures rest on, and their gaps

{facts_md(facts)}

## Results

People beyond {THRESHOLD_MIN} minutes (count, share of the population) and
population-weighted mean minutes per category, {name}. Second line of a cell:
change against the default (people, percentage points; minutes, per cent).

{table_md(vs, cats)}

## Reading

{reading_md(vs, cats, facts, d)}

## Runs

Wall time and peak resident memory of each `run_access` call (`resource.getrusage`
`ru_maxrss`, high-water mark reset before each run); the machine's 2 cores were shared with
other work, so times are indicative. Loading the data once took {load_s:.1f} s; the whole
benchmark {total_s:.0f} s.

{runs_md(vs)}
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--region", default="muara_enim", help="region for geoaccess.inputs.datasets.load")
    ap.add_argument("--data-dir", default=None, help="shared data directory (default: geoaccess's)")
    ap.add_argument("--out", default="docs/sensitivity.md", type=Path, help="Markdown report to write")
    ap.add_argument("--quick", action="store_true", help="skip the 100 m lattice (slow, ~3 GB)")
    args = ap.parse_args(argv)
    ga.options.progress = False

    t_all = time.perf_counter()
    print(f"loading {args.region} ...", flush=True)
    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # data notes: the same for every run, kept in region.notes
        region = datasets.load(args.region, data_dir=args.data_dir)
    load_s = time.perf_counter() - t
    print(f"  loaded in {load_s:.1f} s ({len(getattr(region, 'notes', ()))} data notes)", flush=True)

    default = default_variant()
    vs: list[Variant] = [default]
    facts: dict[str, Any] = {}
    d: Defaults | None = None
    i, n = 0, len(variants(default_variant(), Defaults(1.0, "car", 1.0), args.quick))
    while i < len(vs):
        v = run_order(vs)[i]
        i += 1
        print(f"[{i}/{n}] {v.label} ...", flush=True)
        gc.collect()
        reset = _reset_peak()
        t = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = run_access(region, progress=False, **v.kwargs)
        v.seconds = time.perf_counter() - t
        v.peak_mib, v.peak_is_run = _peak_mib(), reset
        v.figures = kabupaten_figures(res)
        v.n_cells = len(res.cells)
        if v.key == "default":
            facts = context_facts(region, res)
            d = Defaults.of(res)  # the other runs are set from the default's own speeds
            vs = variants(default, d, args.quick)
        summary = ", ".join(
            f"{c} {f['share'] * 100:.1f} % >{THRESHOLD_MIN} min, mean {f['mean']:.1f}"
            for c, f in v.figures.items()
        )
        print(f"  {v.seconds:.1f} s, peak {v.peak_mib:,.0f} MiB: {summary}", flush=True)
        del res

    total_s = time.perf_counter() - t_all
    assert d is not None
    text = report(args, region, vs, facts, d, total_s, load_s)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({total_s:.0f} s in all)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
