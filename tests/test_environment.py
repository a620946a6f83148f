"""environment.yml (conda) and pyproject.toml (pip) must name the same packages."""

import re
import tomllib

import yaml

# conda-forge names that differ from the PyPI names
CONDA_TO_PYPI = {"python-kaleido": "kaleido"}
# in environment.yml only: the interpreter, pip itself, the Quarto CLI and the project itself
CONDA_ONLY = {"python", "pip", "quarto-cli", "-e ."}


def name(requirement: str) -> str:
    return re.split(r"[<>=!~ ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_conda_and_pip_name_the_same_packages(root):
    pyproject = tomllib.loads((root / "pyproject.toml").read_text())
    pip_names = {name(r) for r in pyproject["project"]["dependencies"]}

    env = yaml.safe_load((root / "environment.yml").read_text())
    conda_names = set()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            conda_names |= {name(r) for r in dep["pip"] if not r.startswith("-e")}
        else:
            dep_name = name(dep)
            # conda-forge's "quarto" is the CLI; the Python package comes through pip
            conda_names.add("quarto-cli" if dep_name == "quarto" else CONDA_TO_PYPI.get(dep_name, dep_name))
    assert conda_names - CONDA_ONLY == pip_names


def test_environment_has_the_quarto_cli_from_conda_forge(root):
    env = yaml.safe_load((root / "environment.yml").read_text())
    assert "conda-forge" in env["channels"]
    assert "quarto" in [name(d) for d in env["dependencies"] if isinstance(d, str)]
