"""Loaded by pytest before Django starts (``-p tests.environment`` in pyproject.toml).

The test servers speak plain HTTP on loopback, so the HTTPS-only defaults are turned
off here, and static files are served from the source folders, not a collected manifest.
"""

import os
import tempfile

os.environ["SECURE_HTTPS"] = "0"
os.environ["DEBUG"] = "0"
os.environ["MANIFEST_STATIC"] = "0"
os.environ.setdefault("FLOORPLAN_VAR_DIR", tempfile.mkdtemp(prefix="floorplan-test-"))
# Playwright's sync API runs an event loop in the main thread; Django's ORM calls from
# the test body are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
