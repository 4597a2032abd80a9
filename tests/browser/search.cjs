#!/usr/bin/env node
// Site search in a real browser, over file:// (the hardest case: the index must load as a
// script, not by fetch):  node tests/browser/search.cjs <output folder>
//
// Built for the example site. Checks, each as a reader would do it:
// - from a briefing's page (two folders deep), the header's search box leads to the search
//   page, where "Child R" ranks the briefing titled "Child R: ..." first;
// - a misspelling ("neglet") finds the neglect briefings, with the word marked in excerpts;
// - a word in another form ("curious") finds what "curiosity" finds;
// - a word only in a section's text ("hoarding") finds its briefing with that section's excerpt;
// - every result is a list item with one link (to a page that exists) and one excerpt <p>;
// - with JavaScript off, the search page says search needs it and links to the theme index.
// Exit 0: passed; 1: failed (the reason on stderr); 2: setup failure.
'use strict';

const fs = require('fs');
const path = require('path');
const { pathToFileURL, fileURLToPath } = require('url');
const { launch } = require('./chromium.cjs');

function check(ok, message) {
  if (!ok) throw new Error(message);
}

// The results shown for `query` typed into the search page's box.
async function results(tab, query) {
  await tab.fill('#search-input', query);
  await tab.waitForFunction((q) => {
    const status = document.getElementById('search-status').textContent;
    return document.getElementById('search-input').value === q && /found/.test(status);
  }, query);
  return tab.$$eval('#search-results > li', (items) => items.map((li) => ({
    title: li.querySelector('a') ? li.querySelector('a').textContent : '',
    href: li.querySelector('a') ? li.querySelector('a').href : '',
    links: li.querySelectorAll('a').length,
    excerpts: li.querySelectorAll(':scope > p').length,
    excerpt: li.querySelector('p') ? li.querySelector('p').textContent : '',
    marks: Array.from(li.querySelectorAll('p mark')).map((m) => m.textContent.toLowerCase()),
  })));
}

function wellFormed(found, query) {
  check(found.length > 0, `"${query}" found nothing`);
  for (const r of found) {
    check(r.links === 1 && r.excerpts === 1, `"${query}": the result "${r.title}" has ${r.links} links and ${r.excerpts} excerpts, not one of each`);
    check(fs.existsSync(fileURLToPath(r.href)), `"${query}": the result links to ${r.href}, which does not exist`);
  }
}

async function main() {
  const [out] = process.argv.slice(2);
  if (!out) {
    console.error('usage: search.cjs <output folder>');
    process.exit(2);
  }
  const searchPage = pathToFileURL(path.join(out, 'search/index.html')).href;
  const briefingPage = pathToFileURL(path.join(out, 'briefings/mr-h-self-neglect-sar/index.html')).href;
  const browser = await launch('search');
  try {
    const plain = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
    await plain.goto(searchPage);
    const says = await plain.textContent('main');
    check(/Search needs JavaScript/.test(says), `without JavaScript the search page says: ${says}`);
    check(await plain.isVisible('main a[href="../themes/index.html"]'), 'without JavaScript the search page offers no link to the theme index');
    check(await plain.isVisible('main a[href^="../formats/"]'), 'without JavaScript the search page offers no listing by format');
    check(!(await plain.isVisible('#search-form')), 'without JavaScript the search form shows, though it cannot work');

    const tab = await (await browser.newContext()).newPage();
    tab.setDefaultTimeout(10000);
    const errors = [];
    tab.on('pageerror', (e) => errors.push(e.message));

    // A title: from the header of a briefing's page, as a reader starts a search.
    await tab.goto(briefingPage);
    await tab.fill('#site-search-input', 'Child R');
    await Promise.all([tab.waitForURL(/search\/index\.html\?q=Child(\+|%20)R/), tab.press('#site-search-input', 'Enter')]);
    await tab.waitForSelector('#search-results > li');
    check(await tab.inputValue('#search-input') === 'Child R', 'the search page did not take the query from the header');
    let found = await results(tab, 'Child R');
    wellFormed(found, 'Child R');
    check(found[0].title.startsWith('Child R:'), `"Child R" ranks "${found[0].title}" first`);

    // A misspelling.
    found = await results(tab, 'neglet');
    wellFormed(found, 'neglet');
    const titles = found.map((r) => r.title);
    check(titles.some((t) => t.startsWith('Child R:')) && titles.some((t) => t.startsWith('Mr H:')), `"neglet" found ${titles.join('; ')}`);
    check(found[0].marks.some((m) => m.includes('neglect')), `"neglet": the first excerpt marks ${JSON.stringify(found[0].marks)} (${found[0].excerpt})`);

    // A stem: "curious" finds what "curiosity" finds, which is more than one briefing.
    const curiosity = (await results(tab, 'curiosity')).map((r) => r.title).sort();
    found = await results(tab, 'curious');
    wellFormed(found, 'curious');
    const curious = found.map((r) => r.title).sort();
    check(curiosity.length > 1 && JSON.stringify(curious) === JSON.stringify(curiosity), `"curious" found ${curious.length} (${curious.join('; ')}), "curiosity" ${curiosity.length}`);
    check(found[0].marks.length > 0, `"curious": the first excerpt has no mark (${found[0].excerpt})`);

    // A word only in the text: the excerpt comes from the section that has it.
    found = await results(tab, 'hoarding');
    wellFormed(found, 'hoarding');
    const mrH = found.find((r) => r.title.startsWith('Mr H:'));
    check(mrH && mrH.marks.includes('hoarding'), `"hoarding": ${JSON.stringify(found)}`);

    check(errors.length === 0, `page errors: ${errors.join('; ')}`);
    console.log(`search: "Child R" ranked first; "neglet", "curious" (${curious.length}, as "curiosity") and "hoarding" found, with marked excerpts`);
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(`search: ${e.message}`);
  process.exit(1);
});
