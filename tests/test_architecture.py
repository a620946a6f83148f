"""STYLE.md, "This project's rules": "A source is data plus config ... The Python package names no
source." The package src/analysis is parsed with `ast`; no module name, function, class, argument
or constant name, and no string literal other than a docstring may contain a configured source id
(config/default.yml `sources`) or a region/publisher name. Comments and docstrings may name
sources: they explain, they do not dispatch. (tests/test_section_spec.py checks the section
builders for source ids only; this covers the whole package, names as well as literals.)"""

import ast
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "analysis"
REGION_NAMES = ("stockholm", "sormland", "sörmland", "dalarna", "skl", "lansstyrelserna", "länsstyrelserna")

# Domain knowledge that is not a source, each with its reason:
# - normalise.py: the municipality-name normaliser maps Stockholm city's districts (stadsdelar) and
#   "Stockholms stad" to the municipality Stockholm: a fact about Swedish municipalities, whichever
#   source uses it.
# - a text about Stockholm city districts anywhere (the reference table
#   data/raw/reference/stockholm_districts.csv, its schema, its validation messages): a national
#   reference file beside kommuner.csv, not one of the report's sources.
ALLOWED_MODULES = {"normalise.py": ("stockholm",)}


def allowed(relative: str, word: str, text: str) -> bool:
    if word in ALLOWED_MODULES.get(relative, ()):
        return True
    return word == "stockholm" and "district" in text.lower()


def forbidden_words() -> list[str]:
    config = yaml.safe_load((ROOT / "config" / "default.yml").read_text(encoding="utf-8"))
    return sorted({*config["sources"], *REGION_NAMES}, key=len, reverse=True)


def docstring_nodes(tree: ast.AST) -> set[int]:
    """The ids of the string constants that are docstrings (first statement of a module, class or
    function)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                found.add(id(first.value))
    return found


def names_in(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, text) of every name defined or used and every non-docstring string literal."""
    docstrings = docstring_nodes(tree)
    found = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            found.append((line, node.value))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found.append((line, node.name))
        elif isinstance(node, ast.Name):
            found.append((line, node.id))
        elif isinstance(node, ast.Attribute):
            found.append((line, node.attr))
        elif isinstance(node, ast.arg):
            found.append((line, node.arg))
        elif isinstance(node, ast.keyword) and node.arg:
            found.append((line, node.arg))
        elif isinstance(node, ast.alias):
            found.append((line, node.asname or node.name))
    return found


def violations(package: Path = PACKAGE) -> list[str]:
    words = forbidden_words()
    found = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package).as_posix()
        for word in words:
            if word in relative.lower():
                found.append(f"{relative}: module name contains {word!r}")
                break
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, text in names_in(tree):
            hit = next((w for w in words if w in text.lower()), None)
            if hit and not allowed(relative, hit, text):
                found.append(f"{relative}:{line}: {text[:70]!r} contains {hit!r}")
    return sorted(set(found))


def test_the_package_names_no_source():
    found = violations()
    assert not found, "the Python package names a source (STYLE.md):\n" + "\n".join(found)


@pytest.mark.parametrize(
    "code",
    [
        "if source_id == 'dalarna_2020':\n    pass\n",
        "def build_sormland():\n    pass\n",
        "DALARNA_STATUSES = ()\n",
        "KEY = 'numbers.stockholm_units'\n",
    ],
)
def test_the_check_finds_a_named_source(tmp_path, code):
    (tmp_path / "module.py").write_text(code, encoding="utf-8")
    assert violations(tmp_path)


def test_the_check_ignores_docstrings(tmp_path):
    (tmp_path / "module.py").write_text('"""Presents Dalarna\'s coding sheet."""\n', encoding="utf-8")
    assert violations(tmp_path) == []


def test_the_check_flags_a_module_named_after_a_region(tmp_path):
    (tmp_path / "dalarna.py").write_text("", encoding="utf-8")
    assert violations(tmp_path) == ["dalarna.py: module name contains 'dalarna'"]
