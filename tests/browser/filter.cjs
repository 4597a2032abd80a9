#!/usr/bin/env node
// The home page's instant filter (assets/filter.js), in a real browser.
//
//   BRIEFING_BROWSER=/usr/bin/chromium node tests/browser/filter.cjs <site-dir> '<scenarios>'
//
// <scenarios> is a JSON list; each scenario opens <site-dir>/index.html afresh (with its
// optional "query", such as "?theme=neglect"), chooses each of its "choose" values
// ({"filter-theme": "neglect"}) the way a user would, and reports what a reader then sees.
// One more run opens the page with JavaScript off. Prints a JSON list of results, one per
// scenario and then the no-script run:
//   {"form": <the filter form is visible>, "shown": [hrefs of the visible cards],
//    "status": <text of the live region>, "role": <its role>}
// Exit 0: ran (the caller judges the results); 2: could not set up (no browser or module).
'use strict';

const path = require('path');
const { pathToFileURL } = require('url');

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function setupFailure(message) {
  console.error(`filter: setup failure: ${message}`);
  process.exit(2);
}

// What a reader sees of the list and the filter.
function observe(page) {
  return page.evaluate(() => {
    const status = document.getElementById('filter-status');
    const form = document.getElementById('filter');
    return {
      form: !!form && form.offsetParent !== null,
      shown: Array.from(document.querySelectorAll('ol.cards > li'))
        .filter((li) => li.offsetParent !== null)
        .map((li) => li.querySelector('a').getAttribute('href')),
      status: status ? status.textContent : null,
      role: status ? status.getAttribute('role') : null,
    };
  });
}

async function main() {
  const [dir, json] = process.argv.slice(2);
  if (!dir || !json) setupFailure('usage: filter.cjs <site-dir> <scenarios-json>');
  const executablePath = process.env.BRIEFING_BROWSER;
  if (!executablePath) setupFailure('set BRIEFING_BROWSER to a Chromium executable');
  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
  } catch (e) {
    setupFailure(`playwright-core is not installed (npm ci --prefix tests): ${e.message}`);
  }
  const url = pathToFileURL(path.resolve(dir, 'index.html')).href;
  let browser;
  try {
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
  } catch (e) {
    setupFailure(`the browser would not start: ${e.message}`);
  }
  const results = [];
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => results.push({ error: String(e) }));
    for (const scenario of JSON.parse(json)) {
      await page.goto(url + (scenario.query || ''));
      for (const [id, value] of Object.entries(scenario.choose || {})) {
        await page.selectOption(`#${id}`, value);
      }
      results.push(await observe(page));
    }
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    const plain = await noScript.newPage();
    await plain.goto(url);
    results.push(await observe(plain));
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(results));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
