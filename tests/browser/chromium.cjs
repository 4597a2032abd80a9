// Starting Debian's Chromium for the browser tests, shared by every script in this folder.
// playwright-core only drives the executable it is given: it never downloads a browser.
'use strict';

const fs = require('fs');
const path = require('path');

// As CHROMIUM_FLAGS in tests/common/browser.rs: no sandbox (CI runs as root), no GPU, and no
// background traffic (updates, sync, field trials). playwright-core adds a fresh profile.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(name) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  return null;
}

// Same order as find_chromium() in tests/common/browser.rs, so both agree on the browser.
// Returns null when none is found; throws when BRIEFING_BROWSER names something unusable.
function findBrowser() {
  const fromEnv = process.env.BRIEFING_BROWSER;
  if (fromEnv) {
    const resolved = fromEnv.includes(path.sep) ? fromEnv : onPath(fromEnv);
    if (!resolved || !isExecutable(resolved)) throw new Error(`BRIEFING_BROWSER=${fromEnv} is not an executable file`);
    return resolved;
  }
  if (isExecutable('/usr/bin/chromium')) return '/usr/bin/chromium';
  for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge']) {
    const found = onPath(name);
    if (found) return found;
  }
  return null;
}

// Launches headless Chromium; exits with code 2 (a setup failure, not a test failure) when
// playwright-core or the browser is missing.
async function launch(tool) {
  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
  } catch {
    console.error(`${tool}: setup failure: playwright-core is not installed (npm ci --prefix tests)`);
    process.exit(2);
  }
  let executablePath;
  try {
    executablePath = findBrowser();
  } catch (e) {
    console.error(`${tool}: setup failure: ${e.message}`);
    process.exit(2);
  }
  if (!executablePath) {
    console.error(`${tool}: setup failure: no Chromium found (apt-get install chromium, or set BRIEFING_BROWSER)`);
    process.exit(2);
  }
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
}

module.exports = { CHROMIUM_ARGS, findBrowser, launch };
