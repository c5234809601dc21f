"""Browser tests: skipped (with the reason) where Debian's Chromium is absent, unless
DOWNHILL_REQUIRE_BROWSER=1 (set by .ci/run), which turns that skip into a failure."""

import os
from pathlib import Path

import pytest

from labdriver import CHROMIUM  # tests/browser/ is on sys.path (pytest prepend import mode)


@pytest.fixture
def chromium_available():
    if Path(CHROMIUM).exists():
        return CHROMIUM
    reason = (f"{CHROMIUM} not found: install Debian's Chromium (apt-get install -y chromium) "
              "to run the browser test; `playwright install` downloads are not used")
    if os.environ.get("DOWNHILL_REQUIRE_BROWSER") == "1":
        pytest.fail(f"DOWNHILL_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)
