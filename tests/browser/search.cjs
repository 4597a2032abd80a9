#!/usr/bin/env node
// Site search in a real browser:  node tests/browser/search.cjs <page.html> <query> <expected title>
//
// Opens the page over file:// (the hardest case: the index must load as a script, not by
// fetch), types the query into the search box as a reader would, and checks that a result
// with the expected title appears, links to a page that exists, and is announced in the status.
// Also checks that with JavaScript off the search box stays hidden.
// Exit 0: passed; 1: failed (the reason on stderr); 2: setup failure.
'use strict';

const fs = require('fs');
const { pathToFileURL, fileURLToPath } = require('url');
const { launch } = require('./chromium.cjs');

async function main() {
  const [page, query, expected] = process.argv.slice(2);
  if (!expected) {
    console.error('usage: search.cjs <page.html> <query> <expected title>');
    process.exit(2);
  }
  const browser = await launch('search');
  try {
    const url = pathToFileURL(page).href;
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    const plain = await noScript.newPage();
    await plain.goto(url);
    if (await plain.isVisible('#site-search')) throw new Error('the search box shows without JavaScript');

    const tab = await (await browser.newContext()).newPage();
    tab.setDefaultTimeout(10000);
    const errors = [];
    tab.on('pageerror', (e) => errors.push(e.message));
    await tab.goto(url);
    await tab.fill('#site-search-input', query);
    const link = tab.locator('#site-search-results a', { hasText: expected }).first();
    await link.waitFor({ timeout: 10000 });
    const href = await link.evaluate((a) => a.href);
    if (!fs.existsSync(fileURLToPath(href))) throw new Error(`the result links to ${href}, which does not exist`);
    const status = await tab.textContent('#site-search-status');
    if (!/briefings? found/.test(status)) throw new Error(`the status says "${status}"`);
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    console.log(`search: "${query}" found "${expected}" (${status})`);
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(`search: ${e.message}`);
  process.exit(1);
});
