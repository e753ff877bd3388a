"""native_slots.supported(): the free-threading check reads sysconfig only where such builds exist."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

from graphoid.values import native_slots

ROOT = Path(__file__).resolve().parents[2]


def test_gil_check_agrees_with_sysconfig():
    assert native_slots._gil_disabled() == bool(sysconfig.get_config_var("Py_GIL_DISABLED"))


def test_supported_follows_the_escape_hatch(monkeypatch):
    expected = (sys.implementation.name == "cpython" and (3, 8) <= sys.version_info[:2] <= (3, 13)
                and not sysconfig.get_config_var("Py_GIL_DISABLED"))
    monkeypatch.delenv(native_slots.DISABLE_ENV, raising=False)
    assert native_slots.supported() == expected
    monkeypatch.setenv(native_slots.DISABLE_ENV, "0")
    assert native_slots.supported() is False


def test_values_import_without_sysconfig_before_3_13():
    probe = "import sys\nimport graphoid.values.types\nprint('sysconfig' in sys.modules)\n"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    # sysconfig may still come from site on some installs; it never comes from native_slots before 3.13
    if sys.version_info < (3, 13) and result.stdout.strip() == "True":
        check = subprocess.run([sys.executable, "-c", "import sys\nprint('sysconfig' in sys.modules)"],
                               capture_output=True, text=True, timeout=60)
        assert check.stdout.strip() == "True"  # already there without graphoid
    elif sys.version_info < (3, 13):
        assert result.stdout.strip() == "False"
