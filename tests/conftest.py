"""Test-suite settings: property-based tests explore new inputs locally, replay fixed ones in CI."""
from __future__ import annotations

import os

from hypothesis import settings

# Locally every run draws new examples (that is how they find bugs); in CI (CI set) the
# examples are derived from each test's name, so a run is reproducible and a red build
# always means a change broke something, never an unlucky draw.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
