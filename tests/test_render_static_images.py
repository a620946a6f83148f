"""The PDF's static figures: kaleido's Chromium writes nothing outside the project and the temp folder."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from analysis import static_images

pytestmark = pytest.mark.skipif(static_images.find_browser() is None, reason="needs Chrome or Chromium")

EXPORT = textwrap.dedent("""
    import sys
    from pathlib import Path
    import plotly.graph_objects as go
    from analysis import figures, static_images
    assets, profile = Path(sys.argv[1]), Path(sys.argv[2])
    fig = figures.base_layout(go.Figure(go.Bar(x=[1, 2], y=["a", "b"], orientation="h")), height=200)
    (assets / "fig-x.json").write_text(fig.to_json(), encoding="utf-8")
    print(static_images.export(assets, scale=1, profile=profile))
""")


def test_export_with_an_empty_home_leaves_it_empty(tmp_path):
    home, assets = tmp_path / "home", tmp_path / "assets"
    for folder in (home, assets):
        folder.mkdir()
    profile = tmp_path / "project" / "build" / "chromium"
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env.update(HOME=str(home), PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
    result = subprocess.run(
        [sys.executable, "-c", EXPORT, str(assets), str(profile)], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "fig-x" in result.stdout
    assert (assets / "fig-x.png").read_bytes().startswith(b"\x89PNG")
    assert sorted(str(p.relative_to(home)) for p in home.rglob("*")) == []
    assert profile.is_dir()


def test_browser_home_points_home_and_xdg_into_the_profile_and_restores_them(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", "/nonexistent-home")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    with static_images.browser_home(tmp_path / "chromium") as user_data:
        assert os.environ["HOME"] == str((tmp_path / "chromium" / "home").resolve())
        assert os.environ["XDG_CACHE_HOME"] == str((tmp_path / "chromium" / "cache").resolve())
        assert user_data.is_dir()
    assert os.environ["HOME"] == "/nonexistent-home"
    assert "XDG_CACHE_HOME" not in os.environ


class TestEnsureFont:
    def test_an_installed_font_passes(self):
        if not static_images.font_installed("Liberation Sans"):
            pytest.skip("Liberation Sans is not installed here")
        static_images.ensure_font("Liberation Sans")

    def test_a_missing_font_stops_with_what_to_install(self, monkeypatch):
        monkeypatch.setattr(static_images, "font_installed", lambda family: False)
        monkeypatch.setattr(static_images.os, "geteuid", lambda: 1000)
        with pytest.raises(static_images.FontMissingError, match="apt-get install fonts-liberation"):
            static_images.ensure_font("Liberation Sans")
