"""Normalising what researchers type: whitespace, municipality names, response categories.

* `clean_text` — stray whitespace out of a cell (non-breaking spaces, tabs, doubled spaces,
  spaces at the ends of the cell or its lines); an empty cell is missing (None).
* `MunicipalityIndex` — a municipality or Stockholm city district name, as a survey export or
  an interview sheet writes it, to its unit: kommunkod (e.g. '0180'), or for the 14 Stockholm
  city districts (2007–2020 division) their own unit id (e.g. '0180-bromma'). Case, whitespace,
  dashes, the suffixes "kommun"/"stad" (and for districts "stadsdelsområde", "sdf", …), regular
  genitives ("Danderyds kommun", "Sundbybergs stad") and the spellings of
  data/raw/reference/name_aliases.csv (irregular genitives such as "Falu kommun", former names)
  are understood. Unknown names get the closest valid names (difflib).
* `response_code` — Ja/Nej/Delvis/Vet ej in any case and spacing → yes/no/partly/dont_know;
  a blank answer is missing (None), never "no".
"""

import difflib
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .errors import TableShapeError

_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f\u2009]+")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\ufeff]")


def clean_text(value) -> str | None:
    """'  Stockholms\u00a0 stad ' → 'Stockholms stad'; '' and '   ' → None. Line breaks inside a
    cell are kept (an interview sheet separates codes with them); each line is stripped."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    text = _INVISIBLE.sub("", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n")).strip()
    return text or None


def clean_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """`clean_text` on every text cell and on the column names."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(clean_text).astype("str")
    out.columns = [clean_text(c) or "" for c in out.columns]
    return out


def text_key(value) -> str:
    """Comparison key: cleaned, case-folded, one kind of dash, no spaces around dashes."""
    text = clean_text(value) or ""
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text.casefold())
    return re.sub(r"\s*-\s*", "-", text).replace("\n", " ")


def slug(value) -> str:
    """'Malung-Sälen' → 'malung_salen' (ASCII, underscores), as group ids in counts.csv are written."""
    folded = unicodedata.normalize("NFKD", text_key(value)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", folded).strip("_")


# --- response categories --------------------------------------------------------------------------

RESPONSE_CODES = {
    "ja": "yes",
    "yes": "yes",
    "nej": "no",
    "no": "no",
    "delvis": "partly",
    "partly": "partly",
    "vet ej": "dont_know",
    "vet inte": "dont_know",
    "dont_know": "dont_know",
    "don't know": "dont_know",
}
RESPONSE_LABELS = {"yes": "Ja", "no": "Nej", "partly": "Delvis", "dont_know": "Vet ej"}


def response_code(value) -> str | None:
    """'JA ' → 'yes', 'vet  ej' → 'dont_know', '' → None. ValueError for any other answer."""
    key = text_key(value)
    if not key:
        return None
    if key not in RESPONSE_CODES:
        raise TableShapeError(
            f"{value!r} is not a response category; expected one of "
            + ", ".join(RESPONSE_LABELS.values())
            + " or blank"
        )
    return RESPONSE_CODES[key]


def is_response(value) -> bool:
    """True for Ja/Nej/Delvis/Vet ej (any case/spacing) and their codes; False for blank and anything else."""
    return text_key(value) in RESPONSE_CODES


# --- municipalities ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """A municipality, or one of Stockholm city's districts counted as a unit of its own."""

    unit_id: str  # kommunkod ('0180') or district id ('0180-bromma')
    kommunkod: str
    name: str  # official short name ('Stockholm') or district name ('Bromma')
    kind: str  # 'municipality' or 'district'


_MUNICIPALITY_SUFFIX = re.compile(r"^(?P<stem>.+?)\s+(kommun|stad|kommuns|stads|stadskommun)$")
_DISTRICT_WORDS = (
    "stadsdelsområdet|stadsdelsområde|stadsdelsförvaltningen|stadsdelsförvaltning|stadsdelsnämnd|stadsdel|sdf|sdn"
)
_DISTRICT_SUFFIX = re.compile(rf"^(?P<stem>.+?)\s+({_DISTRICT_WORDS})$")
_DISTRICT_PREFIX = re.compile(rf"^({_DISTRICT_WORDS})\s+(?P<stem>.+)$")
_STOCKHOLM = r"stockholms?(\s+(stad|kommun))?"
_STOCKHOLM_PREFIX = re.compile(rf"^{_STOCKHOLM}\s*[-,/:|]\s*(?P<stem>.+)$")  # "Stockholms stad, Bromma"
_STOCKHOLM_SUFFIX = re.compile(rf"^(?P<stem>.+?)\s*(\({_STOCKHOLM}\)|,\s*{_STOCKHOLM})$")  # "Bromma (Stockholm)"


class MunicipalityIndex:
    """Names → units, from the reference tables (kommuner, name_aliases, stockholm_districts)."""

    def __init__(self, kommuner: pd.DataFrame, aliases: pd.DataFrame, districts: pd.DataFrame):
        self.municipalities = {}
        self._names: dict[str, Unit] = {}  # key -> unit (official names and aliases)
        self._districts: dict[str, Unit] = {}
        self._display: dict[str, str] = {}  # key -> name as written in the reference
        for row in kommuner.itertuples():
            unit = Unit(row.kommunkod, row.kommunkod, row.kommun, "municipality")
            self.municipalities[row.kommunkod] = unit
            self._add(self._names, row.kommun, unit)
        for row in aliases.itertuples():
            self._add(self._names, row.alias, self.municipalities[row.kommunkod])
        for row in districts.itertuples():
            unit = Unit(row.unit_id, row.kommunkod, row.stadsdel, "district")
            self._add(self._districts, row.stadsdel, unit)
        self.units = {u.unit_id: u for u in [*self.municipalities.values(), *self._districts.values()]}
        slugs: dict[str, set] = {}
        for unit in self.units.values():
            slugs.setdefault(slug(unit.name), set()).add(unit)
        self._slugs = {s: next(iter(u)) for s, u in slugs.items() if len(u) == 1}

    def _add(self, table: dict, name: str, unit: Unit) -> None:
        key = text_key(name)
        table[key] = unit
        self._display.setdefault(key, name)

    @classmethod
    def from_reference(cls, reference_dir: Path) -> "MunicipalityIndex":
        return _index_for(str(Path(reference_dir).resolve()))

    @classmethod
    def from_tables(
        cls, kommuner: pd.DataFrame, aliases: pd.DataFrame | None = None, districts: pd.DataFrame | None = None
    ) -> "MunicipalityIndex":
        """From reference tables already read (aliases and districts optional)."""
        kommuner = kommuner.assign(kommunkod=kommuner["kommunkod"].astype(str))
        aliases = (
            pd.DataFrame(columns=["alias", "kommunkod"])
            if aliases is None
            else aliases.assign(kommunkod=aliases["kommunkod"].astype(str))
        )
        districts = pd.DataFrame(columns=["unit_id", "kommunkod", "stadsdel"]) if districts is None else districts
        return cls(kommuner, aliases, districts)

    def exact(self, name) -> Unit | None:
        """The municipality a name is written as: its official short name or a listed alias (no
        suffix or genitive guessing, unlike `resolve`); None otherwise."""
        return self._names.get(text_key(name))

    def resolve(self, name) -> Unit | None:
        """The unit a name means, or None. Also accepts a kommunkod ('0180') or unit id ('0180-bromma')."""
        key = text_key(name)
        if not key:
            return None
        if key in self.units:
            return self.units[key]
        return self._municipality(key) or self._district(key)

    def _municipality(self, key: str) -> Unit | None:
        if key in self._names:
            return self._names[key]
        if key in self._districts:
            return self._districts[key]
        match = _MUNICIPALITY_SUFFIX.match(key)
        if match:
            stem = match["stem"]
            if stem in self._names:
                return self._names[stem]
            if stem.endswith("s") and stem[:-1] in self._names:  # regular genitive: "Danderyds kommun"
                return self._names[stem[:-1]]
        return None

    def _district(self, key: str) -> Unit | None:
        for pattern in (_STOCKHOLM_PREFIX, _STOCKHOLM_SUFFIX):
            match = pattern.match(key)
            if match:
                key = match["stem"].strip()
                break
        if key in self._districts:
            return self._districts[key]
        for pattern in (_DISTRICT_SUFFIX, _DISTRICT_PREFIX):
            match = pattern.match(key)
            if not match:
                continue
            stem = match["stem"].strip()
            if stem in self._districts:
                return self._districts[stem]
            if pattern is _DISTRICT_SUFFIX and stem.endswith("s") and stem[:-1] in self._districts:
                return self._districts[stem[:-1]]  # regular genitive: "Bromma stadsdelsförvaltning", "Kungsholmens sdf"
        return None

    def resolve_slug(self, value) -> Unit | None:
        """A group id such as 'trollhattan' or 'malung_salen' (ASCII slug of the name), or a code."""
        key = text_key(value)
        return self.units.get(key) or self._slugs.get(slug(value))

    def closest(self, name, n: int = 3) -> list[str]:
        """The valid names most like `name` (as written in the reference tables), best first."""
        key = text_key(name)
        stems = {key}
        for pattern in (_MUNICIPALITY_SUFFIX, _DISTRICT_SUFFIX, _DISTRICT_PREFIX, _STOCKHOLM_PREFIX, _STOCKHOLM_SUFFIX):
            match = pattern.match(key)
            if match:
                stems.add(match["stem"].strip())
        scored = []
        for candidate in self._display:
            score = max(difflib.SequenceMatcher(None, stem, candidate).ratio() for stem in stems)
            if score >= 0.6:
                scored.append((-score, self._display[candidate]))
        out = []
        for _, shown in sorted(scored):
            if shown not in out:
                out.append(shown)
        return out[:n]

    def describe_unknown(self, name) -> str:
        """'closest: 'Stockholm', 'Stockholms stad'' or a hint when nothing is close."""
        close = self.closest(name)
        if close:
            return "a municipality or Stockholm city district; closest: " + ", ".join(f"'{c}'" for c in close)
        return "a municipality or Stockholm city district name as in data/raw/reference (e.g. 'Botkyrka', 'Bromma')"


@lru_cache(maxsize=8)
def _index_for(reference_dir: str) -> MunicipalityIndex:
    from .io import read_raw_csv

    folder = Path(reference_dir)
    return MunicipalityIndex(
        read_raw_csv(folder / "kommuner.csv"),
        read_raw_csv(folder / "name_aliases.csv"),
        read_raw_csv(folder / "stockholm_districts.csv"),
    )


def resolve_kommunkod(names, reference) -> pd.Series:
    """The 4-digit kommunkod of each name, in order: official short name or listed alias
    (`MunicipalityIndex.exact`). `reference` is the dict `load_published(data/raw/reference)`
    returns or the kommuner frame itself. Raises UnknownMunicipalityError naming every name that
    does not resolve. The one resolver of names as the transcriptions write them."""
    if isinstance(reference, dict):
        index = MunicipalityIndex.from_tables(
            reference["kommuner"], reference.get("name_aliases"), reference.get("stockholm_districts")
        )
    else:
        index = MunicipalityIndex.from_tables(reference)
    names = pd.Series(list(names), dtype="object")
    units = names.map(index.exact)
    missing = sorted(set(names[units.isna()].astype(str)))
    if missing:
        raise UnknownMunicipalityError(
            f"municipality name(s) not found in the reference (kommuner.csv / name_aliases.csv): {', '.join(missing)}"
        )
    codes = units.map(lambda unit: unit.kommunkod)
    bad = sorted({c for c in codes if not (isinstance(c, str) and len(c) == 4 and c.isdigit())})
    if bad:
        raise UnknownMunicipalityError(f"kommunkod not a 4-digit code in the reference: {bad}")
    return codes.astype(str)


class UnknownMunicipalityError(TableShapeError, KeyError):
    """Raised when a municipality name of a table is neither an official name nor a listed alias
    in the reference (or its code is not a 4-digit kommunkod)."""
