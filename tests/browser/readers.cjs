#!/usr/bin/env node
// What a reader sees of a built site, measured in a real browser (issue 19):
//
//   node tests/browser/readers.cjs <site-dir> '<request>'
//
// <request> is a JSON object; each key asks for one measurement, and the answer comes back
// under the same key in the JSON object printed on stdout:
//   "home": [[w, h], ...]   the home page at each window size: the top of the first card
//                           (px from the top of the page), the window's height, and whether
//                           the site's title appears more than once in <main>.
//   "table": {"page": rel, "width": w}   a page with a table, at width w: whether the page
//                           scrolls sideways, whether the table's box does (and can be focused,
//                           with a label), and any word of a cell broken over two lines.
//   "filter": {"select": id, "value": v}  the home page with the filter bar opened and one
//                           select chosen: the hrefs of the cards still shown.
//   "text": [rel, ...]      the text of each page's <main>, to look for wording.
// Exit 0: ran (the caller judges); 2: could not set up (no browser or module).
'use strict';

const path = require('path');
const { pathToFileURL } = require('url');
const { launch } = require('./chromium.cjs');

const urlOf = (dir, rel) => pathToFileURL(path.resolve(dir, rel)).href;

async function home(browser, dir, [width, height]) {
  const page = await browser.newPage({ viewport: { width, height } });
  await page.goto(urlOf(dir, 'index.html'));
  const seen = await page.evaluate(() => {
    const card = document.querySelector('ol.cards > li');
    const title = document.querySelector('.site-name a').textContent.trim();
    const main = document.querySelector('main').innerText;
    return {
      firstCardTop: card ? card.getBoundingClientRect().top + window.scrollY : null,
      titleInMain: main.split(title).length - 1,
    };
  });
  await page.close();
  return { width, height, ...seen };
}

async function table(browser, dir, { page: rel, width }) {
  const page = await browser.newPage({ viewport: { width, height: 800 } });
  await page.goto(urlOf(dir, rel));
  const seen = await page.evaluate(() => {
    const box = document.querySelector('.table-scroll');
    if (!box) return { found: false };
    // A word broken inside: a text node of a cell whose one word spans two line boxes.
    const broken = [];
    for (const cell of box.querySelectorAll('th, td')) {
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        // A hyphen is where a compound word may break ("out-of-hours"): the parts between
        // spaces and hyphens must each stay on one line.
        const re = /[^\s\-\u2010]+/g;
        let m;
        while ((m = re.exec(node.data))) {
          const range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          const lines = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
          if (lines.size > 1) broken.push(m[0]);
        }
      }
    }
    const root = document.scrollingElement;
    return {
      found: true,
      pageScrolls: root.scrollWidth > root.clientWidth,
      boxScrolls: box.scrollWidth > box.clientWidth,
      boxWidth: box.clientWidth,
      tableWidth: box.querySelector('table').offsetWidth,
      focusable: box.tabIndex === 0,
      role: box.getAttribute('role'),
      label: box.getAttribute('aria-label'),
      broken,
    };
  });
  await page.close();
  return seen;
}

async function filter(browser, dir, { select, value }) {
  const page = await browser.newPage();
  await page.goto(urlOf(dir, 'index.html'));
  await page.click('#filter-bar > summary');
  await page.selectOption(`#${select}`, value);
  const shown = await page.evaluate(() => Array.from(document.querySelectorAll('ol.cards > li'))
    .filter((li) => li.offsetParent !== null)
    .map((li) => li.querySelector('a').getAttribute('href')));
  const status = await page.textContent('#filter-status');
  await page.close();
  return { shown, status };
}

async function text(browser, dir, rels) {
  const page = await browser.newPage();
  const out = {};
  for (const rel of rels) {
    await page.goto(urlOf(dir, rel));
    out[rel] = await page.innerText('main');
  }
  await page.close();
  return out;
}

async function main() {
  const [dir, json] = process.argv.slice(2);
  if (!dir || !json) {
    console.error('usage: readers.cjs <site-dir> <request-json>');
    process.exit(2);
  }
  const request = JSON.parse(json);
  const browser = await launch('readers');
  const out = {};
  try {
    if (request.home) out.home = [];
    for (const size of request.home || []) out.home.push(await home(browser, dir, size));
    if (request.table) out.table = await table(browser, dir, request.table);
    if (request.filter) out.filter = await filter(browser, dir, request.filter);
    if (request.text) out.text = await text(browser, dir, request.text);
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(out));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
