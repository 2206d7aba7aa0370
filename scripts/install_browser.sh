#!/bin/sh
# Make /usr/bin/chromium available for tests/widgets/test_browser_widgets.py.
# Playwright's own browser download does not work here, so the test drives
# Debian's chromium. Idempotent; never fails (exit 0): when it cannot install,
# it says why in one line and the browser test skips with its own reason.
set -u
CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    exit 0
fi
if [ "$(id -u 2>/dev/null)" != 0 ]; then
    echo "install_browser: $CHROMIUM missing and not root: run 'sudo apt-get install -y chromium' (browser test will skip)"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install_browser: $CHROMIUM missing and no apt-get: install chromium by hand (browser test will skip)"
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt_install() { apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1; }
# refresh the package lists only when the install fails without it
apt_install || { apt-get update -qq >/dev/null 2>&1 && apt_install; }

if [ -x "$CHROMIUM" ]; then
    echo "install_browser: installed $("$CHROMIUM" --version 2>/dev/null || echo chromium)"
else
    echo "install_browser: 'apt-get install chromium' failed: the browser test will skip"
fi
exit 0
