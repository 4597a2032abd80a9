#!/usr/bin/env node
// The home page's instant filter (assets/filter.js), in a real browser.
//
//   node tests/browser/filter.cjs <site-dir> '<scenarios>'
//
// <scenarios> is a JSON list; each scenario opens <site-dir>/index.html afresh (with its
// optional "query", such as "?theme=neglect"), opens the folded filter bar and chooses each
// of its "choose" values ({"filter-theme": "neglect"}) the way a user would, and reports what a reader then sees.
// One more run opens the page with JavaScript off. Prints a JSON list of results, one per
// scenario and then the no-script run:
//   {"form": <the filter form is visible>, "shown": [hrefs of the visible cards],
//    "status": <text of the live region>, "role": <its role>, "errors": [script errors]}
// Exit 0: ran (the caller judges the results); 2: could not set up (no browser or module).
// The browser is found as in chromium.cjs ($BRIEFING_BROWSER, else Debian's Chromium).
'use strict';

const path = require('path');
const { pathToFileURL } = require('url');
const { launch } = require('./chromium.cjs');

// What a reader sees of the list and the filter.
function observe(page) {
  return page.evaluate(() => {
    const status = document.getElementById('filter-status');
    // The form folds into a bar (a <details>): the bar is what shows without opening it.
    const form = document.getElementById('filter-bar') || document.getElementById('filter');
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
  if (!dir || !json) {
    console.error('usage: filter.cjs <site-dir> <scenarios-json>');
    process.exit(2);
  }
  const url = pathToFileURL(path.resolve(dir, 'index.html')).href;
  const browser = await launch('filter');
  const results = [];
  try {
    const page = await browser.newPage();
    let errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    for (const scenario of JSON.parse(json)) {
      await page.goto(url + (scenario.query || ''));
      // Opens the filter bar as a reader would, when it is folded.
      if (Object.keys(scenario.choose || {}).length && (await page.$('#filter-bar:not([open]) > summary'))) {
        await page.click('#filter-bar > summary');
      }
      for (const [id, value] of Object.entries(scenario.choose || {})) {
        await page.selectOption(`#${id}`, value);
      }
      results.push({ ...(await observe(page)), errors });
      errors = [];
    }
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    const plain = await noScript.newPage();
    await plain.goto(url);
    results.push({ ...(await observe(plain)), errors: [] });
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(results));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
