#!/usr/bin/env node
// Accessibility, reflow and privacy checks for a built site, in a real browser.
//
//   node tests/browser/a11y.cjs [--base-url URL] <site-dir>
//
// For every .html file under <site-dir> (sorted), opened over file:// so relative links are
// tested exactly as a reader who opens the site from disk would see them:
//   - axe-core with the WCAG 2.0/2.1/2.2 A and AA rules with prefers-color-scheme: light, then
//     its colour rules (contrast, links told apart by colour alone) again with dark, so
//     contrast is checked in both schemes;
//   - reflow (WCAG 1.4.10): no horizontal scrolling at 320 px wide (400% zoom of 1280 px)
//     nor at 640 px (200% zoom);
//   - no request leaves the site: only file:, data: and blob: URLs are allowed; anything else
//     is aborted and reported (UK public-sector pages must not call third parties unasked);
//   - no JavaScript console error or uncaught page error.
//
// --base-url: the site's own address (site.toml's base_url). 404.html is served at any depth,
// so it is the one page that may load assets by absolute address under base_url: for it, such
// requests are answered from <site-dir>. From any other page they are answered too (so the
// other checks still see the styled page) but reported, because links must be relative for
// the site to work from disk and under a sub-path.
//
// Prints one line per problem (`page: rule-id: description (N nodes: selector...)`) and a final
// summary line. Exit 0: no problems; 1: problems found; 2: setup failure (no browser, no
// node modules, no pages).
//
// Browser: $BRIEFING_BROWSER, else /usr/bin/chromium, else chromium, chromium-browser,
// google-chrome or microsoft-edge on PATH. Never downloads a browser: playwright-core only
// drives the executable it is given.
//
// Environment: A11Y_JOBS=N pages checked in parallel (default: 2, or 3 with more than 2 CPUs).
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { pathToFileURL, fileURLToPath } = require('url');
const { findBrowser, launch } = require('./chromium.cjs');

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
// Rules whose result depends on the colour scheme: reported separately for light and dark.
const COLOUR_RULES = new Set(['color-contrast', 'color-contrast-enhanced', 'link-in-text-block']);
// Reflow widths: 320 CSS px = 1280 px at 400% zoom (WCAG 1.4.10); 640 px = 200% zoom.
const REFLOW_WIDTHS = [320, 640];
const DESKTOP = { width: 1280, height: 800 };
const NAV_TIMEOUT_MS = 30000;

function setupFailure(message) {
  console.error(`a11y: setup failure: ${message}`);
  process.exit(2);
}

// Every .html file under `dir`, as paths relative to it, in a stable (byte-wise) order.
function htmlFiles(dir) {
  const out = [];
  const walk = (rel) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile() && entry.name.endsWith('.html')) out.push(child);
    }
  };
  walk('');
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

// A URL a local site may load: the site's own files and inline data.
function isLocal(url) {
  return /^(file|data|blob|about):/i.test(url);
}

function selectorOf(node) {
  return node.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : String(t))).join(' >>> ');
}

// The message of the first failed check of a node, e.g. the measured contrast ratio.
function nodeMessage(node) {
  for (const list of [node.any, node.all, node.none]) {
    for (const check of list || []) {
      if (check && check.message) return check.message;
    }
  }
  return '';
}

function describeNodes(nodes) {
  const sels = nodes.map(selectorOf);
  const shown = sels.slice(0, 3).join(', ') + (sels.length > 3 ? `, ... ${sels.length - 3} more` : '');
  let text = `(${nodes.length} node${nodes.length === 1 ? '' : 's'}: ${shown})`;
  const msg = nodeMessage(nodes[0]);
  if (msg) text += ` [${sels[0]}: ${msg.replace(/\s+/g, ' ').trim()}]`;
  return text;
}

// axe with the WCAG tags, or (`colourOnly`) with just the rules that depend on colour.
async function runAxe(page, colourOnly = false) {
  const runOnly = colourOnly
    ? { type: 'rule', values: [...COLOUR_RULES].filter((r) => r !== 'color-contrast-enhanced') }
    : { type: 'tag', values: AXE_TAGS };
  return page.evaluate(async (runOnly) => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, {
      runOnly,
      resultTypes: ['violations'],
      // No fetching of stylesheets by XMLHttpRequest: over file:// Chromium blocks it (origin
      // null), which only logs CORS errors; it serves just css-orientation-lock, which cannot
      // read file:// stylesheets either way.
      preload: false,
    });
    return result.violations.map((v) => ({
      id: v.id,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, any: n.any, all: n.all, none: n.none })),
    }));
  }, runOnly);
}

// Horizontal overflow at the current viewport width, with the elements sticking out furthest.
async function measureReflow(page) {
  return page.evaluate(() => {
    const limit = window.innerWidth;
    const scrollWidth = document.documentElement.scrollWidth;
    const culprits = [];
    if (scrollWidth > limit + 1) {
      const describe = (el) => {
        let s = el.tagName.toLowerCase();
        if (el.id) s += `#${el.id}`;
        else if (el.classList.length) s += '.' + [...el.classList].slice(0, 2).join('.');
        const parent = el.parentElement;
        if (parent && parent !== document.body && parent !== document.documentElement) {
          let p = parent.tagName.toLowerCase();
          if (parent.id) p += `#${parent.id}`;
          else if (parent.classList.length) p += '.' + [...parent.classList].slice(0, 2).join('.');
          s = `${p} > ${s}`;
        }
        return s;
      };
      // Report the outermost elements that stick out: their children stick out because of them.
      const all = [...document.body.querySelectorAll('*')];
      const over = new Set(all.filter((el) => el.getBoundingClientRect().right > limit + 1));
      for (const el of over) {
        if (!over.has(el.parentElement)) {
          culprits.push({ sel: describe(el), right: Math.round(el.getBoundingClientRect().right) });
        }
      }
      culprits.sort((a, b) => b.right - a.right);
    }
    return { scrollWidth, culprits: culprits.slice(0, 3) };
  });
}

async function main() {
  const args = process.argv.slice(2);
  let baseUrl = null;
  if (args[0] === '--base-url' && args.length >= 2) {
    baseUrl = args[1].endsWith('/') ? args[1] : `${args[1]}/`;
    args.splice(0, 2);
  }
  const dirArg = args[0];
  if (!dirArg || args.length > 1) {
    console.error('usage: node tests/browser/a11y.cjs [--base-url URL] <site-dir>');
    process.exit(2);
  }
  const siteDir = path.resolve(dirArg);
  if (!fs.existsSync(siteDir) || !fs.statSync(siteDir).isDirectory()) {
    setupFailure(`${siteDir} is not a folder`);
  }
  const pages = htmlFiles(siteDir);
  if (pages.length === 0) setupFailure(`no .html files under ${siteDir}`);

  let axePath;
  try {
    axePath = require.resolve('axe-core');
  } catch (e) {
    setupFailure(`${e.message.split('\n')[0]} (run \`npm ci --prefix tests\`)`);
  }
  let browser;
  try {
    browser = await launch('a11y');
  } catch (e) {
    setupFailure(`cannot start the browser: ${e.message.split('\n')[0]}`);
  }
  const executablePath = findBrowser();

  const started = Date.now();
  // One context for all pages. bypassCSP: a strict Content-Security-Policy in the pages must
  // not stop axe from being injected (it is ours, not the site's).
  const context = await browser.newContext({
    viewport: DESKTOP,
    colorScheme: 'light',
    reducedMotion: 'reduce',
    bypassCSP: true,
    serviceWorkers: 'block',
  });
  context.setDefaultTimeout(NAV_TIMEOUT_MS);
  // axe-core goes into every document (and frame) as an init script rather than with
  // page.addScriptTag() after the load: the same code, but Chromium can reuse its compiled
  // form, which makes the whole run about twice as fast, and frames get axe too.
  await context.addInitScript({ path: axePath });

  // Each worker page has a `current` record that the event handlers write into.
  const recordOf = new Map(); // Page -> current record
  await context.route('**/*', async (route) => {
    const request = route.request();
    const url = request.url();
    if (isLocal(url)) return route.continue();
    let rec;
    try {
      rec = recordOf.get(request.frame().page());
    } catch {
      rec = undefined; // a request without a frame (a worker): still blocked
    }
    const local = baseUrl && url.startsWith(baseUrl) ? siteFileFor(url) : null;
    if (local) {
      if (rec && rec.rel !== '404.html') rec.absolute.add(url);
      if (fs.existsSync(local) && fs.statSync(local).isFile()) return route.fulfill({ path: local });
      if (rec) rec.missing.add(url);
      return route.fulfill({ status: 404, body: 'not in the built site' });
    }
    if (rec) rec.external.add(url);
    return route.abort('blockedbyclient');
  });

  // The file in the site folder that an address under base_url stands for.
  function siteFileFor(url) {
    let rel = decodeURIComponent(url.slice(baseUrl.length).replace(/[?#].*$/, ''));
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = path.resolve(siteDir, rel);
    return file.startsWith(siteDir + path.sep) ? file : null;
  }

  function attach(page) {
    page.on('request', (request) => {
      // A second net under route(): anything that bypassed it is still reported.
      const url = request.url();
      if (!isLocal(url) && !(baseUrl && url.startsWith(baseUrl))) recordOf.get(page)?.external.add(url);
    });
    page.on('websocket', (ws) => recordOf.get(page)?.external.add(ws.url()));
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const rec = recordOf.get(page);
      if (!rec) return;
      const loc = msg.location();
      // A blocked or missing request logs "Failed to load resource"; it is already reported.
      if (loc && loc.url && (rec.external.has(loc.url) || rec.missing.has(loc.url))) return;
      const where = loc && loc.url ? ` (${loc.url.startsWith('file:') ? path.relative(siteDir, fileURLToPath(loc.url)) : loc.url}:${loc.lineNumber + 1})` : '';
      rec.console.add(`${msg.text().replace(/\s+/g, ' ').trim()}${where}`);
    });
    page.on('pageerror', (err) => recordOf.get(page)?.errors.add(String(err.message || err).split('\n')[0]));
  }

  async function load(page, url) {
    const response = await page.goto(url, { waitUntil: 'load' });
    if (response && !response.ok() && response.status() !== 0) {
      throw new Error(`status ${response.status()}`);
    }
    // Web fonts change text size and so reflow and contrast (large text has a lower bar).
    if (!(await page.evaluate(async () => (await document.fonts.ready, typeof window.axe === 'object')))) {
      throw new Error('axe-core did not load in the page');
    }
  }

  // Waits two frames for styles to apply, then for CSS transitions (at most 2 s).
  async function settle(page) {
    await page.evaluate(async () => {
      const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
      await frame();
      await frame();
      const running = document.getAnimations().filter((a) => a instanceof CSSTransition);
      const timeout = new Promise((resolve) => setTimeout(resolve, 2000));
      await Promise.race([Promise.all(running.map((a) => a.finished.catch(() => {}))), timeout]);
    });
  }

  async function checkPage(page, rel) {
    const rec = { rel, external: new Set(), absolute: new Set(), missing: new Set(), console: new Set(), errors: new Set() };
    recordOf.set(page, rec);
    const problems = [];
    const url = pathToFileURL(path.join(siteDir, rel)).href;
    try {
      // Light scheme, desktop width: axe, then reflow at narrow widths on the same load.
      await page.setViewportSize(DESKTOP);
      await page.emulateMedia({ colorScheme: 'light' });
      await load(page, url);
      const light = await runAxe(page);
      for (const width of REFLOW_WIDTHS) {
        await page.setViewportSize({ width, height: 640 });
        const { scrollWidth, culprits } = await measureReflow(page);
        if (scrollWidth > width + 1) {
          const who = culprits.map((c) => `${c.sel} reaches ${c.right} px`).join(', ');
          problems.push(`reflow-${width}: horizontal scrolling at ${width} px wide (scrollWidth ${scrollWidth} px${who ? `; ${who}` : ''})`);
        }
      }
      // Dark scheme on the same load (axe is already there): switch, then let any CSS
      // transition that the switch started finish, so no colour is measured half way. Only
      // the colour rules run again: the others do not depend on the scheme and would only
      // repeat the light run's findings (this saves about a third of the time).
      await page.setViewportSize(DESKTOP);
      await page.emulateMedia({ colorScheme: 'dark' });
      await settle(page);
      const dark = await runAxe(page, true);

      const seen = new Set();
      for (const v of light) {
        const scheme = COLOUR_RULES.has(v.id) ? ' (light scheme)' : '';
        for (const n of v.nodes) seen.add(`${v.id}\u0000${selectorOf(n)}`);
        problems.push(`${v.id}${scheme}: ${v.help} ${describeNodes(v.nodes)}`);
      }
      for (const v of dark) {
        const colour = COLOUR_RULES.has(v.id);
        const nodes = colour ? v.nodes : v.nodes.filter((n) => !seen.has(`${v.id}\u0000${selectorOf(n)}`));
        if (nodes.length) problems.push(`${v.id} (dark scheme): ${v.help} ${describeNodes(nodes)}`);
      }
    } catch (e) {
      problems.push(`load-failed: ${String(e.message || e).split('\n')[0]}`);
    }
    recordOf.delete(page);
    for (const u of [...rec.external].sort()) problems.push(`external-request: request leaves the site (blocked): ${u}`);
    for (const u of [...rec.absolute].sort()) problems.push(`absolute-self-address: loads ${u} by absolute address; use a relative one (the site must work from disk and under any sub-path)`);
    for (const u of [...rec.missing].sort()) problems.push(`missing-file: ${u} is not in the built site`);
    for (const m of rec.errors) problems.push(`page-error: ${m}`);
    for (const m of rec.console) problems.push(`console-error: ${m}`);
    return problems.map((p) => `${rel}: ${p}`);
  }

  const jobsEnv = parseInt(process.env.A11Y_JOBS || '', 10);
  const jobs = Math.max(1, Math.min(pages.length, jobsEnv > 0 ? jobsEnv : os.cpus().length > 2 ? 3 : 2));
  const results = new Array(pages.length);
  let next = 0;
  let printed = 0;
  // Print results in page order as soon as every earlier page is done.
  const flush = () => {
    while (printed < pages.length && results[printed]) {
      for (const line of results[printed]) console.log(line);
      printed += 1;
    }
  };
  await Promise.all(
    Array.from({ length: jobs }, async () => {
      const page = await context.newPage();
      attach(page);
      while (next < pages.length) {
        const i = next++;
        results[i] = await checkPage(page, pages[i]);
        flush();
      }
      await page.close();
    }),
  );
  await context.close();
  await browser.close();

  const count = results.reduce((n, r) => n + r.length, 0);
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`a11y: ${pages.length} page${pages.length === 1 ? '' : 's'} checked, ${count} problem${count === 1 ? '' : 's'} (${secs} s, ${path.basename(executablePath)})`);
  process.exit(count === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(`a11y: setup failure: ${e.stack || e}`);
  process.exit(2);
});
