#!/usr/bin/env node
// The search page's matching and ranking (templates/search.js), on a small index made here:
//   node tests/browser/search_rank.cjs
// Needs Node only (the script's logic does not touch the page when there is no document).
// Exit 0: passed; 1: failed (the reason on stderr).
'use strict';

const assert = require('assert');
const path = require('path');
const search = require(path.join(__dirname, '..', '..', 'templates', 'search.js'));

// As the build writes it: stop words; families as "stems|words"; entries with parts
// [anchor, heading, excerpt, delta-coded families].
const families = [
  'child|child children', // 0
  'curios curious|curiosity curious', // 1
  'neglect|neglect neglected', // 2
  'supervis|supervision', // 3
  'famili|families family', // 4
  'hoard|hoarding', // 5
];
const raw = {
  stop: 'the and was not',
  v: families,
  e: [
    { t: 'Supervision matters', u: 'a/', s: 'Neglect in families.', h: [], f: 'Guidance', d: '1 May 2025', p: [['why', 'Why', 'A child.', [0]]] },
    { t: 'Family help', u: 'b/', s: '', h: ['Neglect'], f: 'Guidance', d: '1 May 2025', p: [['x', 'Background', 'Start here.', [3]]] },
    { t: 'Child M', u: 'c/', s: 'Curiosity saves lives.', h: [], f: '7-minute', d: '1 May 2025', p: [['y', 'Learning', 'Hoarding was missed.', [2, 3]]] },
    { t: 'Child R: neglect', u: 'd/', s: '', h: [], f: '7-minute', d: '1 May 2025', p: [['z', 'Background', 'Neglect was seen.', [2]]] },
  ],
};
const index = search.prepare(raw);
const titles = (q) => search.rank(index, search.parseQuery(index, q)).map((r) => r.entry.e.t);

// One edit: a letter added, dropped, changed or two swapped; not two.
assert.ok(search.oneEdit('neglet', 'neglect'));
assert.ok(search.oneEdit('neglcet', 'neglect'));
assert.ok(search.oneEdit('neglext', 'neglect'));
assert.ok(!search.oneEdit('neglected', 'neglect'));
assert.ok(!search.oneEdit('neglect', 'neglect'));

// Fields rank title over summary over themes over text.
assert.deepStrictEqual(titles('neglect'), ['Child R: neglect', 'Supervision matters', 'Family help', 'Child M']);
// Every query word must match; short words count where they are, in the title: "Child R".
assert.deepStrictEqual(titles('child r'), ['Child R: neglect', 'Child M', 'Supervision matters']);
assert.deepStrictEqual(titles('hoarding neglect'), ['Child M']);
// A family: "curious" finds "curiosity"; "children" finds "child".
assert.deepStrictEqual(titles('curious'), ['Child M']);
assert.deepStrictEqual(titles('children'), titles('child'));
// A misspelling of five letters or more; not of fewer.
assert.deepStrictEqual(titles('neglet'), titles('neglect'));
assert.deepStrictEqual(titles('chld'), []);
// A word the site does not have that begins with a family's stem.
assert.deepStrictEqual(titles('supervising'), titles('supervision'));
// The last word as typed is a prefix; once a space follows it, it is a word.
assert.deepStrictEqual(titles('hoar'), ['Child M']);
assert.deepStrictEqual(titles('hoar '), []);
// Stop words alone: they must be in a title, summary or theme as they are.
assert.deepStrictEqual(titles('the'), []);

// The excerpt: the summary when it shows the words, else the part that does.
const excerpt = (q, title) => {
  const query = search.parseQuery(index, q);
  const entry = index.entries.find((e) => e.e.t === title);
  return search.excerptOf(index, entry, query).text;
};
assert.strictEqual(excerpt('curious', 'Child M'), 'Curiosity saves lives.');
assert.strictEqual(excerpt('hoarding', 'Child M'), 'Hoarding was missed.');
assert.strictEqual(excerpt('neglect', 'Child M'), 'Hoarding was missed.', 'the part whose words matched');

console.log('search_rank: matching, ranking and excerpts as expected');
