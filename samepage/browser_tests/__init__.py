"""End-to-end tests in real Chromium (Debian's /usr/bin/chromium) through Playwright.

Every page a test visits is checked with axe-core; see ``a11y.py`` and ``conftest.py``.
"""
