"""Command line: ``geoaccess demo`` runs the whole job on a bundled region.

Examples
--------
``geoaccess demo`` (Muara Enim, motorbike, 250 m lattice, outputs in ``geoaccess-output/``)

``geoaccess demo --region musi_banyuasin --mode car --resolution 500 --out out/``

``geoaccess plan --region muara_enim --budget 10 --out plan/`` (where to build or upgrade
inpatient puskesmas for Rp 10 miliar; ``--targets`` first gives every kecamatan without
one an inpatient puskesmas)

``geoaccess init my_kab.yaml`` then ``geoaccess run my_kab.yaml`` (any kabupaten or kota from a
config file; see geoaccess.config)
"""

from __future__ import annotations

import argparse
import logging
import math
import sys
import textwrap
import time
import warnings
from collections.abc import Sequence
from typing import Any, NoReturn

from .exceptions import GeoAccessError
from .notes import localize
from .outputs.i18n import STRINGS, t


class _OneLineParser(argparse.ArgumentParser):
    """argparse with one-line errors: ``geoaccess: error: ...`` and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"geoaccess: error: {message} (see: {self.prog} -h)\n")


def _parser() -> argparse.ArgumentParser:
    from .inputs.datasets import available

    p = _OneLineParser(
        prog="geoaccess",
        description="Travel time to puskesmas and hospitals over roads and the land between them.",
    )
    sub = p.add_subparsers(dest="command", required=True, parser_class=_OneLineParser)
    d = sub.add_parser(
        "demo",
        help="travel time to puskesmas and hospitals for a bundled region",
        description="Run the whole job on a region of the shared data and write tables, "
        "figures, a GeoTIFF and a map to --out.",
    )
    d.add_argument(
        "--region",
        default="muara_enim",
        choices=available(),
        help="region of the shared data (default muara_enim; sarolangun has no desa population, "
        "so it gets travel times only)",
    )
    d.add_argument(
        "--mode",
        default="motorbike",
        choices=["motorbike", "car", "walk"],
        help="travel mode; speeds in geoaccess/engine/speeds.py (default motorbike)",
    )
    d.add_argument(
        "--resolution",
        type=_resolution,
        default=250.0,
        help="off-road lattice resolution in metres (default 250)",
    )
    d.add_argument("--out", default="geoaccess-output", help="output directory (default geoaccess-output)")
    d.add_argument(
        "--data-dir",
        default=None,
        help="shared data directory (default: $GEOACCESS_DATA_DIR or ../shared/data)",
    )
    d.add_argument(
        "--no-memory-check",
        action="store_true",
        help="build even when the estimated memory exceeds what is available",
    )
    d.add_argument("--no-progress", action="store_true", help="hide progress bars")
    d.add_argument(
        "--no-flood-season",
        action="store_true",
        help="skip the flood-season access tables and map layer (flood_season_*.csv; a few seconds)",
    )
    d.add_argument(
        "--no-critical-links",
        action="store_true",
        help="skip the critical-roads table and map layers (the exact top 50 road links, dry and "
        "flood season; a few seconds per season)",
    )
    d.add_argument("-v", "--verbose", action="store_true", help="log details")
    _lang_option(d, "en")

    pl = sub.add_parser(
        "plan",
        help="propose new and upgraded inpatient puskesmas for a budget",
        description="Choose where to build new puskesmas (every desa's representative point, "
        "Rp 2.4 miliar) and which puskesmas not known to be inpatient to upgrade (Rp 1 miliar, "
        "an assumption to review) so that the most people are within 60 minutes of an inpatient "
        "puskesmas; writes the proposal (CSV/XLSX, Indonesian labels), a budget curve and a map to "
        "--out. Exact answer (HiGHS); demand = the populated lattice cells of the run.",
    )
    pl.add_argument("--region", default="muara_enim", choices=available(), help="default muara_enim")
    pl.add_argument(
        "--budget",
        type=_budget,
        default=10.0,
        help="budget in Rp miliar (default 10; 1 miliar = Rp 1,000,000,000)",
    )
    pl.add_argument(
        "--targets",
        action="store_true",
        help="program-target mode: first an inpatient puskesmas in every kecamatan without one "
        "(cheapest candidate there), then the rest of the budget on coverage",
    )
    pl.add_argument(
        "--mode", default="motorbike", choices=["motorbike", "car", "walk"], help="default motorbike"
    )
    pl.add_argument(
        "--resolution", type=_resolution, default=250.0, help="lattice resolution in m (default 250)"
    )
    pl.add_argument("--out", default="geoaccess-plan", help="output directory (default geoaccess-plan)")
    pl.add_argument("--data-dir", default=None, help="shared data directory")
    pl.add_argument("--no-memory-check", action="store_true", help="build even when memory looks short")
    pl.add_argument("--no-progress", action="store_true", help="hide progress bars")
    pl.add_argument("-v", "--verbose", action="store_true", help="log details")
    _lang_option(pl, "en")

    it = sub.add_parser(
        "init",
        help="write a commented config template for your own kabupaten",
        description="Write a commented YAML config template (the example: Kabupaten Ogan Ilir from the "
        "national files of the shared data directory); edit it, then: geoaccess run PATH.",
    )
    it.add_argument(
        "path", nargs="?", default="geoaccess.yaml", help="file to write (default geoaccess.yaml)"
    )
    it.add_argument("--data-dir", default=None, help="shared data directory the example paths point into")
    it.add_argument("--force", action="store_true", help="replace an existing file")
    it.add_argument(
        "--lang",
        choices=["id", "en"],
        default="id",
        help="the template's language: key (the outputs and summary of geoaccess run): id (Bahasa "
        "Indonesia) or en; default id",
    )

    rn = sub.add_parser(
        "run",
        help="run the whole analysis from a config file (geoaccess init writes one)",
        description="Check the config (every problem listed at once), build the region from its files, "
        "run the analysis and write the outputs, with a copy of the config, the package version and "
        "the SHA-256 checksum of every data file used.",
    )
    rn.add_argument("config", help="the YAML config file")
    rn.add_argument("--check", action="store_true", help="only check the config and its files, then stop")
    rn.add_argument("--no-memory-check", action="store_true", help="build even when memory looks short")
    rn.add_argument("--no-progress", action="store_true", help="hide progress bars")
    rn.add_argument("-v", "--verbose", action="store_true", help="log details")
    _lang_option(rn, None)
    return p


def _lang_option(parser: argparse.ArgumentParser, default: str | None) -> None:
    """``--lang id|en``: the language of the map, figures, spreadsheet labels and summary."""
    parser.add_argument(
        "--lang",
        choices=["id", "en"],
        default=default,
        help="language of the map, figures, spreadsheet labels and printed summary: id (Bahasa "
        "Indonesia) or en; " + (f"default {default}" if default else "default: the config's language"),
    )


def _budget(text: str) -> float:
    """``--budget``: a finite number of Rp miliar >= 0."""
    try:
        v = float(text.replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected Rp miliar, e.g. 10, got {text!r}") from None
    if not math.isfinite(v) or v < 0:
        raise argparse.ArgumentTypeError(f"must be a finite number of Rp miliar >= 0, got {text!r}")
    return v


def _resolution(text: str) -> float:
    """``--resolution``: a finite number of metres > 0."""
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected metres, e.g. 250, got {text!r}") from None
    if not math.isfinite(v) or v <= 0:
        raise argparse.ArgumentTypeError(f"must be a finite number of metres > 0, e.g. 250, got {text!r}")
    return v


def _data_dir_missing(args: argparse.Namespace) -> bool:
    """Print a one-line error and return True when the data directory cannot be found."""
    from .exceptions import DataNotFoundError
    from .settings import resolve_data_dir

    try:
        resolve_data_dir(args.data_dir)
    except DataNotFoundError as e:
        msg = (
            str(e)
            .replace("argument data_dir", "--data-dir")
            .replace("Pass data_dir=...", "Pass --data-dir DIR")
        )
        print(f"geoaccess: error: {msg}", file=sys.stderr)
        return True
    return False


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``geoaccess`` command; returns the exit code.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after ``geoaccess`` (default: the command line).

    Returns
    -------
    int
        0 on success, 2 for an error reported in one line.

    Examples
    --------
    ``geoaccess init`` from Python:

    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "contoh.yaml")
    ...     code = main(["init", path, "--data-dir", folder])
    ...     written = os.path.isfile(path)
    wrote ...contoh.yaml...
    >>> code, written
    (0, True)
    """
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if getattr(args, "verbose", False) else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if args.command == "init":
        return _init(args)
    if args.command == "run":
        return _run(args)
    from .exceptions import GeoAccessWarning
    from .flood_season import with_critical_links, with_flood_season
    from .outputs.report import check_output_dir
    from .pipeline import run_access, write_outputs

    if _data_dir_missing(args):
        return 2
    if args.command == "plan":
        return _plan(args)
    try:
        # the output folder is checked before hours of computing, not after
        check_output_dir(args.out, argument="--out", prefix=f"{args.region}_")
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            # data notes are collected in the run and printed once below
            warnings.simplefilter("ignore", GeoAccessWarning)
            res = run_access(
                args.region,
                mode=args.mode,
                resolution_m=args.resolution,
                data_dir=args.data_dir,
                progress=not args.no_progress,
                memory_check=not args.no_memory_check,
            )
            if not args.no_flood_season:
                res = with_flood_season(res)  # flood-season access tables and map layer
            if not args.no_critical_links:
                res = with_critical_links(res)
            files = write_outputs(res, args.out, language=args.lang)
    except GeoAccessError as e:
        msg = str(e).replace("memory_check=False (command line: --no-memory-check)", "--no-memory-check")
        msg = msg.replace("resolution_m=", "--resolution ")
        print(f"geoaccess: error: {msg}", file=sys.stderr)
        return 2
    secs = time.perf_counter() - t0
    lang = args.lang
    _print_notes(res, files, lang)
    print(f"\n{res.region.display_name}: {_network_line(res.network, lang)}")
    print(_summary(res, lang))
    print("\n" + t("cli.written", lang, secs=round(secs, 1), out=args.out))
    for k, p in files.items():
        print(f"  {k:<28} {p.name}")
    return 0


def _init(args: argparse.Namespace) -> int:
    """``geoaccess init [PATH]``: write the commented config template."""
    from .config import write_template

    try:
        path = write_template(args.path, data_dir=args.data_dir, overwrite=args.force, language=args.lang)
    except GeoAccessError as e:
        msg = str(e).replace("delete it first", "delete it first (or pass --force)")
        print(f"geoaccess: error: {msg}", file=sys.stderr)
        return 2
    print(f"wrote {path}; edit it, then: geoaccess run {path}")
    return 0


def _run(args: argparse.Namespace) -> int:
    """``geoaccess run CONFIG``: check the config, run the analysis, write the outputs."""
    from .config import load_config, run_config
    from .exceptions import GeoAccessWarning

    try:
        cfg = load_config(args.config)
        if args.check:
            print(f"{args.config}: OK ({cfg['region']['name']}, {cfg['region']['kabupaten_code']})")
            return 0
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", GeoAccessWarning)  # in the run's notes, printed below
            res, files = run_config(
                args.config,
                progress=not args.no_progress,
                memory_check=False if args.no_memory_check else None,
                language=args.lang,
            )
        lang = args.lang or cfg["language"]
    except GeoAccessError as e:
        msg = str(e).replace("memory_check=False (command line: --no-memory-check)", "--no-memory-check")
        print(f"geoaccess: error: {msg}", file=sys.stderr)
        return 2
    secs = time.perf_counter() - t0
    _print_notes(res, files, lang)
    print(f"\n{res.region.display_name}: {_network_line(res.network, lang)}")
    print(_summary(res, lang))
    if "siting" in res.assumptions:
        print(_siting_summary(res.region.display_name, res.assumptions["siting"], lang))
    out = files["config"].parent
    print("\n" + t("cli.written_config", lang, secs=round(secs, 1), out=out, file=files["config"].name))
    for k, p in files.items():
        print(f"  {k:<28} {p.name}")
    return 0


def _siting_summary(name: str, siting: dict, lang: str) -> str:
    """Lines of the ``siting:`` of a config run (``res.assumptions["siting"]``), as ``plan`` prints."""
    st, cand = siting["settings"], siting["candidates"]
    budget = st.get("budget_idr")
    lines = [
        "",
        t("cli.plan.budget", lang, name=name, budget=f"{budget / 1e9:g}" if budget is not None else "-")
        + (t("cli.plan.targets_first", lang) if st.get("targets") else ""),
        t(
            "cli.plan.sites",
            lang,
            n=siting["sites"],
            n_new=siting["sites_new"],
            n_up=siting["sites_upgrade"],
            n_cand=cand["new"] + cand["upgrade"],
        ),
        t("cli.plan.cost", lang, cost=f"{siting['cost_idr']:,.0f}"),
    ]
    if siting.get("people_within_before") is not None and siting.get("people_within_after") is not None:
        lines.append(
            t(
                "cli.plan.gained",
                lang,
                n=f"{siting['people_within_after'] - siting['people_within_before']:,.0f}",
            )
        )
    lines.append(t("cli.plan.costs", lang, source=localize(siting.get("cost_source") or "", lang)))
    return "\n".join(lines)


def _print_notes(res: Any, files: dict, lang: str) -> None:
    """The run's data notes, in ``lang`` where the catalogue has them (:mod:`geoaccess.notes`)."""
    notes = res.assumptions.get("notes", [])
    if notes:
        print("\n" + t("cli.data_notes", lang, n=len(notes), file=files["assumptions"].name))
        for n in localize(list(notes), lang):
            print("  - " + textwrap.shorten(str(n).replace("\n", " "), width=300, placeholder=" ..."))


def _network_line(net: Any, lang: str) -> str:
    """The network of a run: its repr in English (as the README quotes it), else from the catalogue."""
    from .notes import network_note

    return repr(net) if lang == "en" else network_note(net).text(lang)


def _cat(cat: Any, lang: str) -> str:
    """Short category name of a summary row (the key itself in English)."""
    key = f"category_short.{cat}"
    return t(key, lang) if lang != "en" and key in STRINGS else str(cat)


def _summary(res: Any, lang: str = "en") -> str:
    """Kabupaten-level lines of the coverage table, and the top of the priority table.

    ``lang``: "en" (the text the README quotes, unchanged) or "id" (Bahasa Indonesia).
    """
    cov = res.tables.get("coverage")
    if cov is None:
        d = res.desa
        lines = [t("cli.no_population", lang, n=len(d))]
        for c in [k for k in d.columns if k.endswith("_travel_time_min")]:
            cat = _cat(c.removesuffix("_travel_time_min"), lang)
            lines.append(
                t(
                    "cli.desa_median",
                    lang,
                    cat=f"{cat:>10}",
                    median=f"{d[c].median():.1f}",
                    max=f"{d[c].max():.1f}",
                )
            )
        return "\n".join(lines)
    kab = cov[cov["level"] == "kabupaten"].set_index("category")
    in_polygons = float(res.desa["population"].sum())
    total = float(kab["population"].iloc[0])
    extra = (
        t("cli.population_extra", lang, n=f"{total - in_polygons:,.0f}") if total - in_polygons > 0.5 else ""
    )
    lines = [
        t(
            "cli.population",
            lang,
            total=f"{total:,.0f}",
            in_polygons=f"{in_polygons:,.0f}",
            n_desa=len(res.desa),
            unit=t(f"unit.{getattr(res.region, 'desa_unit', 'desa')}", lang),
            extra=extra,
            n_cells=f"{int((res.cell_table['population'] > 0).sum()):,}",
        )
    ]
    mean, median = t("cli.header_mean", lang), t("cli.header_median", lang)
    lines.append(f"{'':>10}  {mean:>6} {median:>6} {'p90':>6}   " + t("cli.header_beyond", lang))
    for cat, r in kab.iterrows():
        row = (
            f"{r['mean_travel_time_min']:6.1f} {r['median_travel_time_min']:6.1f} "
            f"{r['p90_travel_time_min']:6.1f}   "
            + " / ".join(
                f"{r[f'people_beyond_{m}_min']:,.0f} ({r[f'share_beyond_{m}_min']:.0%})"
                for m in (30, 60, 120)
            )
        )  # in Indonesian with Indonesian separators (245.017, 33,0), as t() writes numbers
        row = row.translate(str.maketrans(",.", ".,")) if lang == "id" else row
        lines.append(f"{_cat(cat, lang):>10}: {row}")
    own = res.facilities[res.facilities.get("in_kabupaten", True)]
    hosp = own[own["type"] == "rs"]["location_quality"].value_counts()
    if len(hosp):
        lines.append(t("cli.hospitals", lang, counts=str({k: int(v) for k, v in hosp.items()})))
    tg = res.tables.get("targets")
    if tg is not None:
        fail = tg[tg["meets_pp47_2016"].eq(False)]["name"].tolist()
        inp = tg["meets_inpatient_target"]
        lines.append(t("cli.no_puskesmas", lang, names=fail or t("cli.none", lang)))
        lines.append(t("cli.no_inpatient", lang, n=int(inp.eq(False).sum()), unknown=int(inp.isna().sum())))
    pr = res.tables.get("priority_kecamatan")
    if pr is not None:
        top = pr.sort_values("rank").head(5)
        gap = top.get("score_rests_on_gaps", [False] * len(top))
        gap_text = t("cli.gaps", lang)
        items = ", ".join(
            f"{n} ({s:.0f}{gap_text if g else ''})"
            for n, s, g in zip(top["name"], top["priority_score"], gap, strict=True)
        )
        lines.append(t("cli.priority", lang, items=items))
    return "\n".join(lines)


def _plan(args: argparse.Namespace) -> int:
    """``geoaccess plan``: baseline run, siting for the budget, proposal, curve and map."""
    from .exceptions import GeoAccessWarning
    from .outputs.proposal import proposal_table, write_proposal
    from .outputs.report import check_output_dir
    from .pipeline import run_access
    from .planning.candidates import plan_candidates
    from .planning.siting import site_facilities, site_for_targets

    if _data_dir_missing(args):
        return 2
    stem = f"{args.region}_proposal"
    lang = args.lang
    try:
        out = check_output_dir(args.out, argument="--out", prefix=stem)
        check_output_dir(args.out, argument="--out", prefix=f"{args.region}_budget_curve")
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", GeoAccessWarning)
            res = run_access(
                args.region,
                mode=args.mode,
                resolution_m=args.resolution,
                data_dir=args.data_dir,
                categories=("puskesmas", "inpatient"),
                progress=not args.no_progress,
                memory_check=not args.no_memory_check,
            )
            cand, existing = plan_candidates(res)
            origins = res.network.as_cell_points(
                res.cell_table[res.cell_table["population"] > 0]
            )  # populated only
            budget = args.budget * 1e9
            kw: dict[str, Any] = dict(budget=budget, candidate_id_col="candidate_id", method="exact")
            if args.targets:
                tg = res.tables["targets"]
                groups = tg.loc[tg["meets_inpatient_target"].eq(False), "code"].tolist()
                sites = site_for_targets(
                    res.network, origins, existing, cand, group_col="kecamatan_code", groups=groups, **kw
                )
            else:
                sites = site_facilities(res.network, origins, existing, cand, **kw)
            prop = proposal_table(sites, kecamatan=res.kecamatan, id_col="candidate_id")
            # the proposal table in Indonesian whatever --lang: it goes into a Dinkes budget
            # proposal; the figure, the map and the printed summary follow --lang
            files = write_proposal(
                res, sites, prop, out, args.region, existing=existing, budget_idr=budget,
                language=lang, table_language="id",
            )  # fmt: skip
            pop = float(origins["population"].sum())
    except GeoAccessError as e:
        msg = str(e).replace("memory_check=False (command line: --no-memory-check)", "--no-memory-check")
        msg = msg.replace("resolution_m=", "--resolution ")
        print(f"geoaccess: error: {msg}", file=sys.stderr)
        return 2
    secs = time.perf_counter() - t0
    a = sites.attrs
    gained = float(prop["people_newly_within_60_min"].sum())
    n_new = int((prop["action"] == "new").sum())
    print(
        "\n"
        + t("cli.plan.budget", lang, name=res.region.display_name, budget=f"{args.budget:g}")
        + (t("cli.plan.targets_first", lang) if args.targets else "")
    )
    print(t("cli.plan.sites", lang, n=len(prop), n_new=n_new, n_up=len(prop) - n_new, n_cand=len(cand)))
    print(t("cli.plan.cost", lang, cost=f"{float(prop['cost_idr'].sum()):,.0f}"))
    print(t("cli.plan.gained", lang, n=f"{gained:,.0f}"))
    print(
        t(
            "cli.plan.within",
            lang,
            before=f"{a['people_within_before']:,.0f}",
            after=f"{a['people_within_after']:,.0f}",
            total=f"{pop:,.0f}",
        )
    )
    print(
        t(
            "cli.plan.gap",
            lang,
            gap=f"{a['gap']:.2%}",
            source=a.get("bound_source", ""),
            bound=f"{a['bound']:,.0f}",
        )
    )
    status = str(a.get("solver_status", ""))
    if status and "optimal" not in status.lower():
        print(t("cli.plan.not_optimal", lang, status=status))
    if args.targets:
        print(
            t(
                "cli.plan.target",
                lang,
                n=len(a.get("target_site_ids", [])),
                cost=f"{a.get('target_cost_idr', 0.0):,.0f}",
                without=a.get("target_groups_without_candidate") or t("cli.none", lang),
            )
        )
    print(t("cli.plan.costs", lang, source=localize(a.get("cost_source", ""), lang)))
    print("\n" + t("cli.written", lang, secs=round(secs, 1), out=args.out))
    for k, p in files.items():
        print(f"  {k:<16} {p.name}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
