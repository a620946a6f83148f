"""Static PNGs of the report's plotly figures for the PDF, all in one Chromium session.

Chromium gets its profile, caches and HOME under build/chromium/ (wiped before each session): it
writes nothing into the user's home folder (no crash reports, no dconf or fontconfig cache).
"""

import contextlib
import os
import shutil
import subprocess
from pathlib import Path

import kaleido

from . import figures, paths

PROFILE = paths.BUILD / "chromium"

BROWSER_NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"]


class ChromiumMissingError(RuntimeError):
    """Raised when no Chrome/Chromium is found for kaleido and it cannot be installed here."""


def find_browser() -> str | None:
    for name in BROWSER_NAMES:
        if path := shutil.which(name):
            return path
    return os.environ.get("BROWSER_PATH") or None


def ensure_browser() -> str:
    """Find Chromium; as root on Debian, install the `chromium` package when it is missing."""
    if path := find_browser():
        return path
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("Chromium is missing: installing Debian's package 'chromium' (kaleido needs it for the PDF's figures) …")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env)
        if path := find_browser():
            return path
    raise ChromiumMissingError(
        "Static figures for the PDF need Chrome or Chromium (kaleido 1.x drives it), and none was found.\n"
        "  Debian/Ubuntu: sudo apt-get install chromium\n"
        "  macOS: brew install --cask chromium   (or install Google Chrome)\n"
        "  Any system with internet: .venv/bin/plotly_get_chrome\n"
        "  Or point BROWSER_PATH at an existing Chrome/Chromium binary."
    )


class FontMissingError(RuntimeError):
    """Raised when the report's font family is not installed and cannot be installed here."""


FONT_PACKAGE = "fonts-liberation"  # Debian's package of Liberation Sans (figures.FONT, the PDF's text)


def font_installed(family: str) -> bool:
    if not shutil.which("fc-list"):
        return False
    listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    return any(family in line.split(",") for line in listed.splitlines())


def ensure_font(family: str = "Liberation Sans") -> None:
    """The report's one font family, for Chromium (figures) and Typst (text): as root on Debian,
    install it when it is missing; otherwise stop instead of falling back to another font."""
    if font_installed(family):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"{family} saknas – installerar Debians paket '{FONT_PACKAGE}' …")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", FONT_PACKAGE, "fontconfig"], check=True, env=env)
        if font_installed(family):
            return
    raise FontMissingError(
        f"The report's font {family!r} is not installed (text and figure labels use it).\n"
        f"  Debian/Ubuntu: sudo apt-get install {FONT_PACKAGE}\n"
        "  macOS: brew install --cask font-liberation\n"
        "  Or install Liberation Sans from https://github.com/liberationfonts and run fc-cache."
    )


def stale_figures(assets_dir: Path) -> list[str]:
    """Figure ids whose PNG is missing or older than the figure's JSON."""
    stale = []
    for fid in figures.figure_ids(assets_dir):
        png, spec = assets_dir / f"{fid}.png", assets_dir / f"{fid}.json"
        if not png.exists() or png.stat().st_mtime < spec.stat().st_mtime:
            stale.append(fid)
    return stale


@contextlib.contextmanager
def browser_home(profile: Path):
    """HOME and the XDG folders pointed into `profile` while Chromium runs (restored after)."""
    profile = Path(profile).resolve()
    shutil.rmtree(profile, ignore_errors=True)
    folders = {
        "HOME": "home",
        "XDG_CONFIG_HOME": "config",
        "XDG_CACHE_HOME": "cache",
        "XDG_DATA_HOME": "data",
        "XDG_STATE_HOME": "state",
    }
    saved = {name: os.environ.get(name) for name in folders}
    for name, sub in folders.items():
        (profile / sub).mkdir(parents=True, exist_ok=True)
        os.environ[name] = str(profile / sub)
    (profile / "user-data").mkdir()
    try:
        yield profile / "user-data"
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def export(assets_dir: Path, scale: float = 2.0, profile: Path = PROFILE) -> list[str]:
    """Write PNGs for every stale figure in one kaleido/Chromium session. Returns the ids written."""
    assets_dir = Path(assets_dir)
    stale = stale_figures(assets_dir)
    if not stale:
        return []
    browser = ensure_browser()
    ensure_font()
    figs = [figures.load_json(assets_dir / f"{fid}.json") for fid in stale]
    tmp_paths = [assets_dir / f".{fid}.png.tmp" for fid in stale]
    specs = [
        dict(
            fig=fig.to_dict(),
            path=tmp,
            opts=dict(format="png", width=fig.layout.width, height=fig.layout.height, scale=scale),
        )
        for fig, tmp in zip(figs, tmp_paths)
    ]
    try:
        with browser_home(profile) as user_data:
            kaleido.write_fig_from_object_sync(specs, kopts={"path": browser, "tmp_dir": str(user_data)})
        for tmp, fid in zip(tmp_paths, stale):
            os.replace(tmp, assets_dir / f"{fid}.png")
    finally:
        for tmp in tmp_paths:
            tmp.unlink(missing_ok=True)
    return stale
