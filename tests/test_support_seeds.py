"""The seed-text checks never pass silently in CI."""

import pytest

from support import seeds


def test_a_missing_seed_fails_in_ci(monkeypatch, tmp_path):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="with CI=true they fail"):
        seeds.require(tmp_path / "absent.txt")


def test_a_missing_seed_is_skipped_outside_ci_and_says_why(monkeypatch, tmp_path):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="outside CI they are skipped"):
        seeds.require(tmp_path / "absent.txt")


def test_an_existing_seed_is_returned(tmp_path):
    path = tmp_path / "seed.txt"
    path.write_text("x", encoding="utf-8")
    assert seeds.require(path) == path
