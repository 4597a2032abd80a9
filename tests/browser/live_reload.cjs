#!/usr/bin/env node
// Live reload of `briefing serve`, in a real browser.
//
//   node tests/browser/live_reload.cjs <page-url> <plan.json>
//
// plan.json: { "file": absolute path of a briefing source, "broken": text with an error,
// "fixed": good text, "fixedTitle": a title that only the good text has }.
//
// Opens the page, then saves the broken text and expects the error overlay (file, line,
// message) over the still-served last good page; opens a second page while the source is
// broken and expects the overlay there too (it asks for the status on load); then saves the
// good text and expects both pages to reload by themselves and show the new title, with no
// overlay and no JavaScript error. Exit 0: all held; 1: something did not; 2: setup failure.
//
// Browser: as for the other scripts here (chromium.cjs): $BRIEFING_BROWSER, else Debian's
// Chromium. Never downloads one.
'use strict';

const fs = require('fs');
const { launch } = require('./chromium.cjs');

// Generous: Chromium on a loaded two-core machine takes seconds to start and reload.
const WAIT_MS = 15000;

async function main() {
  const [url, planFile] = process.argv.slice(2);
  if (!url || !planFile) {
    console.error('live_reload: setup failure: usage: live_reload.cjs <page-url> <plan.json>');
    process.exit(2);
  }
  const plan = JSON.parse(fs.readFileSync(planFile, 'utf8'));
  const browser = await launch('live_reload');
  const problems = [];
  try {
    await run(await browser.newContext(), url, plan, problems);
  } catch (e) {
    problems.push(String((e && e.stack) || e));
  } finally {
    await browser.close();
  }
  for (const p of problems) console.log(p);
  console.log(problems.length ? `live_reload: ${problems.length} problem(s)` : 'live_reload: ok');
  process.exit(problems.length ? 1 : 0);
}

async function open(context, url, problems) {
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // Failed requests are judged by their responses below (a missing favicon is not an error).
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console error: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`${r.status()} for ${r.url()}`);
  });
  // The page is live once its event stream is open.
  const listening = page.waitForRequest((r) => r.url().endsWith('/__briefing/events'), { timeout: WAIT_MS });
  await page.goto(url);
  await listening;
  return page;
}

async function run(context, url, plan, problems) {
  const first = await open(context, url, problems);
  const before = await first.textContent('h1');

  fs.writeFileSync(plan.file, plan.broken);
  const overlay = await first.waitForSelector('#briefing-live-error', { timeout: WAIT_MS });
  const text = await overlay.textContent();
  if (!/briefings\/alpha\.md, line \d+/.test(text)) problems.push(`the overlay does not say file and line: ${text}`);
  if ((await overlay.getAttribute('role')) !== 'alert') problems.push('the overlay is not announced (role=alert)');
  if ((await first.textContent('h1')) !== before) problems.push('the page changed although the build failed');

  // A page opened while the site is broken asks for the status and shows the error too.
  const second = await open(context, url, problems);
  await second.waitForSelector('#briefing-live-error', { timeout: WAIT_MS });

  const reloads = [first, second].map((p, i) =>
    p.waitForEvent('load', { timeout: WAIT_MS }).catch(async (e) => {
      const status = await p.evaluate(() => fetch('/__briefing/status').then((r) => r.text())).catch((f) => String(f));
      throw new Error(`page ${i + 1} did not reload (server status: ${status}): ${e.message}`);
    }));
  fs.writeFileSync(plan.file, plan.fixed);
  await Promise.all(reloads);
  for (const page of [first, second]) {
    await page.waitForFunction((t) => document.querySelector('h1')?.textContent.includes(t), plan.fixedTitle, { timeout: WAIT_MS });
    if (await page.$('#briefing-live-error')) problems.push('the overlay is still there after a good build');
  }
}

main();
