"""Run notes and data-source texts that can be read in the planner's language.

A :class:`Note` is a ``str`` (its English text, so code that reads notes as text keeps
working) that also carries a key of the string catalogue
(:data:`geoaccess.outputs.i18n.STRINGS`, keys ``note.*`` and ``source.*``) and the values
of its placeholders. The loaders and :func:`geoaccess.run_access` put notes into
``result.assumptions["notes"]`` and the data sources into ``region.sources``; the outputs
(:func:`geoaccess.write_outputs`, the command line, the print map) render them in the
output language with :func:`localize` at the moment they write.

Values are rendered in the same language when they are notes themselves (a note inside a
note); other values are formatted as they are (numbers are formatted by the caller; in Indonesian
:func:`~geoaccess.outputs.i18n.t` writes their thousands separators ``1.234``).

Examples
--------
>>> from geoaccess.notes import Note, localize
>>> n = Note("note.area_weighting")
>>> n
"people are spread evenly over each desa's area (area weighting)"
>>> localize(n, "id")
'penduduk disebar merata di seluruh luas tiap desa (pembobotan luas)'
>>> localize({"notes": [n, "plain text stays as it is"]}, "id")["notes"][1]
'plain text stays as it is'
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ._catalogue import STRINGS, t
from .exceptions import GeoAccessWarning

__all__ = ["Joined", "Note", "localize", "network_note", "warning_note"]


class Note(str):
    """A note of a run: its English text, plus the catalogue key and values to render it.

    Parameters
    ----------
    key : str
        A key of :data:`geoaccess.outputs.i18n.STRINGS`.
    **values
        The values of the key's ``{placeholders}`` (notes among them are rendered in the
        same language).

    Attributes
    ----------
    key : str
        The catalogue key.
    values : dict
        The placeholder values, as given.

    Examples
    --------
    The note is its English text, so it can be compared, joined and written like any
    string; :meth:`text` renders it in another language:

    >>> n = Note("note.no_located_facility", category="hospital")
    >>> n
    'no located facility in category hospital; its travel times are empty'
    >>> isinstance(n, str), n.key, n.values
    (True, 'note.no_located_facility', {'category': 'hospital'})
    >>> n.text("id")
    'tidak ada fasilitas berlokasi dalam kategori hospital; waktu tempuhnya kosong'
    """

    key: str
    values: dict[str, Any]

    def __new__(cls, key: str, /, **values: Any) -> Note:
        self = super().__new__(cls, t(key, "en", **{k: localize(v, "en") for k, v in values.items()}))
        self.key = key
        self.values = values
        return self

    def text(self, lang: str) -> str:
        """The note in ``lang`` ("en" or "id").

        Parameters
        ----------
        lang : {"en", "id"}
            The language.

        Returns
        -------
        str
            The catalogue text of :attr:`key` in ``lang``, with the values filled in (notes
            among them rendered in ``lang`` too).

        Examples
        --------
        >>> Note("note.area_weighting").text("id")
        'penduduk disebar merata di seluruh luas tiap desa (pembobotan luas)'
        >>> Note("note.no_located_facility", category=Note("mode.walk")).text("id")  # a note inside
        'tidak ada fasilitas berlokasi dalam kategori jalan kaki; waktu tempuhnya kosong'
        """
        return t(self.key, lang, **{k: localize(v, lang) for k, v in self.values.items()})

    def __getnewargs_ex__(self) -> tuple[tuple[str], dict[str, Any]]:  # pickling (batch cache)
        return (self.key,), self.values


class Joined(Note):
    """Notes (or plain texts) joined by ``sep``, each rendered in the output language.

    Examples
    --------
    >>> Joined("; ", [Note("note.area_weighting"), "x"]).text("id")
    'penduduk disebar merata di seluruh luas tiap desa (pembobotan luas); x'
    """

    sep: str
    items: tuple[Any, ...]

    def __new__(cls, sep: str, items: Any, /) -> Joined:
        items = tuple(items)
        self = str.__new__(cls, sep.join(str(i) for i in items))
        self.key, self.values = "", {}
        self.sep, self.items = sep, items
        return self

    def text(self, lang: str) -> str:
        """The items in ``lang``, joined.

        Parameters
        ----------
        lang : {"en", "id"}
            The language of the notes among the items (plain texts stay as they are).

        Returns
        -------
        str

        Examples
        --------
        >>> j = Joined(" | ", [Note("mode.motorbike"), Note("mode.car"), "ketek"])
        >>> j  # the English text
        'motorbike | car | ketek'
        >>> j.text("id")
        'sepeda motor | mobil | ketek'
        """
        return self.sep.join(str(localize(i, lang)) for i in self.items)

    def __getnewargs_ex__(self) -> tuple[tuple[Any, ...], dict[str, Any]]:
        return (self.sep, self.items), {}


def localize(obj: Any, lang: str) -> Any:
    """``obj`` with every :class:`Note` in it (in dicts, lists, tuples) rendered in ``lang``;
    everything else as it is.

    Parameters
    ----------
    obj : object
        A note, or a dict, list or tuple holding notes (at any depth), or anything else.
    lang : {"en", "id"}
        The language.

    Returns
    -------
    object
        A plain ``str`` for a note; a new dict, list or tuple of the same shape for a
        container; ``obj`` itself otherwise.

    Examples
    --------
    >>> record = {"notes": [Note("note.area_weighting"), "hand-written"], "resolution_m": 250}
    >>> localize(record, "id")
    {'notes': ['penduduk disebar merata di seluruh luas tiap desa (pembobotan luas)', 'hand-written'],
     'resolution_m': 250}
    >>> type(localize(Note("note.area_weighting"), "en")).__name__  # no longer a Note
    'str'
    """
    if isinstance(obj, Note):
        return obj.text(lang)
    if isinstance(obj, dict):
        return {k: localize(v, lang) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return type(obj)(localize(v, lang) for v in obj)
    return obj


def warning_note(message: Warning | str) -> str:
    """The text a caught warning was raised with: the :class:`Note` itself when it was one
    (``str(w.message)`` would keep only its English).

    Parameters
    ----------
    message : Warning or str
        ``w.message`` of a warning caught with :func:`warnings.catch_warnings`.

    Returns
    -------
    str
        The :class:`Note` the warning was raised with, else the warning's text.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warnings.warn(Note("note.no_located_facility", category="hospital"), UserWarning)
    >>> note = warning_note(caught[0].message)
    >>> type(str(caught[0].message)).__name__, type(note).__name__
    ('str', 'Note')
    >>> note.text("id")
    'tidak ada fasilitas berlokasi dalam kategori hospital; waktu tempuhnya kosong'
    >>> warning_note("a plain message")
    'a plain message'
    """
    args = getattr(message, "args", ())
    if args and isinstance(args[0], Note):
        return args[0]
    return str(message)


@contextmanager
def into_notes(notes: list[str]) -> Iterator[None]:
    """Collect the GeoAccessWarnings raised inside the block into the run's notes (once each)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", GeoAccessWarning)
        yield
    notes += sorted({warning_note(w.message) for w in caught})


def network_note(net: Any) -> Note:
    """One line on a :class:`~geoaccess.engine.network.Network` (mode, road nodes, waterway
    pieces, lattice, edges, CRS) for the run's record and the command line.

    Parameters
    ----------
    net : Network
        From :func:`geoaccess.build_network`.

    Returns
    -------
    Note
        Its English text; ``.text("id")`` in Indonesian.

    Examples
    --------
    A 2 km road, by car without the off-road lattice (cut into 100 m pieces: 20 pieces,
    21 nodes, 40 directed edges), and by motorbike with a 250 m lattice over a 2 x 1 km
    area (pieces of at most 125 m: 17 nodes; 4 x 8 cells):

    >>> import geopandas as gpd, shapely
    >>> import geoaccess as ga
    >>> roads = gpd.GeoDataFrame({"road_class": ["lokal"]}, crs="EPSG:32748",
    ...     geometry=[shapely.LineString([(400_000, 9_590_000), (402_000, 9_590_000)])])
    >>> network_note(ga.build_network(roads, "car", offroad=False)).text("id")
    'jaringan (mobil): 21 simpul jalan, tanpa kisi (hanya jalan), 40 sisi berarah, crs=EPSG:32748'
    >>> area = gpd.GeoSeries([shapely.box(400_000, 9_589_500, 402_000, 9_590_500)], crs="EPSG:32748")
    >>> network_note(ga.build_network(roads, "motorbike", area=area))
    'network (motorbike): 17 road nodes, lattice 4x8 at 250 m (32 passable cells), 252 directed edges,
    crs=EPSG:32748'
    """
    lat = net.lattice
    grid = (
        Note(
            "cli.network_lattice",
            shape=f"{lat.shape[0]}x{lat.shape[1]}",
            res=f"{lat.resolution_m:g}",
            cells=f"{net.n_cells:,}",
        )
        if lat is not None
        else Note("cli.network_no_lattice")
    )
    n_water = int(net.edges["waterway"].sum()) if "waterway" in net.edges.columns else 0
    return Note(
        "cli.network",
        mode=Note(f"mode.{net.mode}") if f"mode.{net.mode}" in STRINGS else str(net.mode),
        nodes=f"{net.n_road_nodes:,}",
        water=Note("cli.network_water", n=f"{n_water:,}") if n_water else "",
        lattice=grid,
        edges=f"{net.graph.nnz:,}",
        crs=net.crs.to_string(),
    )
