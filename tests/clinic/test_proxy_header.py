"""X-Forwarded-Proto is trusted only when settings say a proxy in front sets it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The settings as a deployment loads them, in a fresh interpreter: HTTPS on.
IS_SECURE = (
    "import django; django.setup();"
    "from django.test import RequestFactory;"
    "print(RequestFactory().get('/', HTTP_X_FORWARDED_PROTO='https').is_secure())"
)


def is_secure_behind(behind_proxy: str, tmp_path: Path) -> str:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
        "DEBUG": "0",
        "SECURE_HTTPS": "1",
        "SECRET_KEY": "test-" + "x" * 50,
        "FLOORPLAN_VAR_DIR": str(tmp_path),
        "BEHIND_PROXY": behind_proxy,
    }
    result = subprocess.run(
        [sys.executable, "-c", IS_SECURE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize(("behind_proxy", "secure"), [("0", "False"), ("1", "True")])
def test_a_forwarded_https_header_counts_only_behind_a_proxy(behind_proxy, secure, tmp_path):
    assert is_secure_behind(behind_proxy, tmp_path) == secure
