// The search page: finds briefings by the words of their title, summary, themes and text, as
// you type, and shows each with an excerpt with the words it matched marked.
//
// The index (assets/search-index.js, made at build time) is a script, not JSON, so that it
// loads from disk (file://) too. It holds the site's vocabulary in families of words that one
// search finds together (the build stems every word with an English stemmer and groups the
// stems), so this script needs no stemmer: a query word is looked up in the vocabulary; a word
// the site does not have is matched with one typing mistake (words of five letters or more)
// and to the families whose stem it begins with; and the last word, while it is being typed,
// also matches the words it begins.
//
// Progressive enhancement: the form is hidden until this script shows it; without
// JavaScript the page says that search needs it and links to the theme index and listings.
(function () {
  'use strict';

  var MAX_RESULTS = 20;
  // A field's weight: a word in the title counts most, then the summary, themes, the text.
  var WEIGHT = { title: 8, summary: 4, themes: 2, text: 1 };
  // How good a match is: the word or one of its family; a word the site does not have that
  // begins with a family's stem ("neglected": neglect); a word it begins; one typing mistake.
  var QUALITY = { word: 1, stem: 0.9, prefix: 0.8, typo: 0.6 };
  // A stem that short says too little; an ending that long is another word (care, careless).
  var MIN_STEM = 4;
  var MAX_ENDING = 3;
  // Added when every word of the query is in the title ("Child R").
  var ALL_IN_TITLE = 10;
  // Shorter words ("R") and stop words are not in the index: they only add to a match in a
  // title, summary or theme that has them as they are.
  var MIN_WORD = 3;
  var MIN_TYPO = 5;

  function tokens(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  // The index made ready to search: word to family, and each entry's fields as families.
  function prepare(raw) {
    var familyOf = new Map();
    var words = [];
    var stems = [];
    raw.v.forEach(function (family, n) {
      var halves = family.split('|');
      halves[0].split(' ').forEach(function (s) { if (s.length >= MIN_STEM) stems.push([s, n]); });
      halves[1].split(' ').forEach(function (w) { familyOf.set(w, n); words.push(w); });
    });
    function families(list) {
      var set = new Set();
      list.forEach(function (t) { if (familyOf.has(t)) set.add(familyOf.get(t)); });
      return set;
    }
    function field(text) {
      var list = tokens(text);
      return { words: new Set(list), families: families(list) };
    }
    var entries = raw.e.map(function (e) {
      var parts = e.p.map(function (p) {
        var n = 0;
        var set = new Set();
        p[3].forEach(function (step) { n += step; set.add(n); });
        return { anchor: p[0], heading: p[1], text: p[2], families: set };
      });
      return { e: e, title: field(e.t), summary: field(e.s), themes: field(e.h.join(' ')), parts: parts };
    });
    return { familyOf: familyOf, words: words, stems: stems, stop: new Set(raw.stop.split(' ')), entries: entries };
  }

  // Whether a and b are one edit apart: a letter added, dropped, changed or two swapped.
  function oneEdit(a, b) {
    if (a === b || Math.abs(a.length - b.length) > 1) return false;
    var i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    if (a.length === b.length) {
      if (a.slice(i + 1) === b.slice(i + 1)) return true;
      return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
    }
    return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  // The words of a query, each with the families it matches and how well.
  function parseQuery(index, text) {
    var list = tokens(text);
    var typing = !/\s$/.test(text);
    var query = list.map(function (word, i) {
      var stop = index.stop.has(word);
      var q = { word: word, stop: stop, optional: stop || word.length < MIN_WORD, families: new Map() };
      if (q.optional) return q;
      var addFamily = function (f, quality) { if (!(q.families.get(f) >= quality)) q.families.set(f, quality); };
      var add = function (w, quality) { addFamily(index.familyOf.get(w), quality); };
      if (index.familyOf.has(word)) {
        add(word, QUALITY.word);
      } else {
        if (word.length >= MIN_TYPO) index.words.forEach(function (w) { if (oneEdit(word, w)) add(w, QUALITY.typo); });
        index.stems.forEach(function (s) {
          if (word.length - s[0].length <= MAX_ENDING && word.lastIndexOf(s[0], 0) === 0) addFamily(s[1], QUALITY.stem);
        });
      }
      if (typing && i === list.length - 1) {
        index.words.forEach(function (w) { if (w.length > word.length && w.lastIndexOf(word, 0) === 0) add(w, QUALITY.prefix); });
      }
      return q;
    });
    // A query of short or common words only ("R"): those must match, as they are.
    var required = query.some(function (q) { return !q.optional; });
    query.forEach(function (q) { q.required = !q.optional || !required; });
    return query;
  }

  function best(families, q) {
    var found = 0;
    q.families.forEach(function (quality, f) { if (quality > found && families.has(f)) found = quality; });
    return found;
  }

  // How well an entry matches: each word scores by where it is found; 0 if one is missing.
  function score(entry, query) {
    var total = 0;
    var inTitle = 0;
    for (var i = 0; i < query.length; i++) {
      var q = query[i];
      var title, hit;
      if (q.optional) {
        title = entry.title.words.has(q.word) ? 1 : 0;
        hit = WEIGHT.title * title + (entry.summary.words.has(q.word) ? WEIGHT.summary : 0) + (entry.themes.words.has(q.word) ? WEIGHT.themes : 0);
        // "was" and "not" are in most titles: they count only towards a query all in the title.
        if (q.stop && !q.required) hit = 0;
      } else {
        var text = 0;
        entry.parts.forEach(function (p) { text = Math.max(text, best(p.families, q)); });
        title = best(entry.title.families, q);
        hit = WEIGHT.title * title + WEIGHT.summary * best(entry.summary.families, q) + WEIGHT.themes * best(entry.themes.families, q) + WEIGHT.text * text;
      }
      if (!hit && q.required) return 0;
      total += hit;
      if (title) inTitle++;
    }
    return inTitle === query.length ? total + ALL_IN_TITLE : total;
  }

  // Every matching entry, best first (ties keep the index's order: newest first).
  function rank(index, query) {
    return index.entries
      .map(function (entry) { return { entry: entry, score: score(entry, query) }; })
      .filter(function (r) { return r.score > 0; })
      .sort(function (a, b) { return b.score - a.score; });
  }

  // Whether a word of the text (lowercase) is one the query matched.
  function matches(index, query, word) {
    var family = index.familyOf.get(word);
    return query.some(function (q) { return q.word === word || (family !== undefined && q.families.has(family)); });
  }

  // Where the excerpt comes from: the summary or the part that shows most of the query's
  // words, else the part whose words (beyond its first sentences) matched, else the summary.
  function excerptOf(index, entry, query) {
    var shown = function (text) {
      var words = tokens(text);
      return query.filter(function (q) {
        return words.some(function (w) { return q.word === w || q.families.has(index.familyOf.get(w)); });
      }).length;
    };
    var chosen = { heading: '', text: entry.e.s };
    var value = shown(entry.e.s) * 2;
    entry.parts.forEach(function (p) {
      var v = shown(p.heading + ' ' + p.text) * 2 + query.filter(function (q) { return best(p.families, q) > 0; }).length;
      if (v > value || (!chosen.text && p.text)) { chosen = p; value = v; }
    });
    return chosen;
  }

  // Appends text to an element with the matched words in <mark>.
  function appendMarked(element, text, isMatch) {
    text.split(/([\p{L}\p{N}]+)/u).forEach(function (piece, i) {
      if (!piece) return;
      if (i % 2 === 1 && isMatch(piece.toLowerCase())) {
        var mark = document.createElement('mark');
        mark.textContent = piece;
        element.appendChild(mark);
      } else {
        element.appendChild(document.createTextNode(piece));
      }
    });
  }

  var api = { tokens: tokens, prepare: prepare, oneEdit: oneEdit, parseQuery: parseQuery, score: score, rank: rank, excerptOf: excerptOf };
  if (typeof module === 'object' && module.exports) module.exports = api;
  if (typeof document === 'undefined') return;

  var form = document.getElementById('search-form');
  if (!form) return;
  var input = document.getElementById('search-input');
  var results = document.getElementById('search-results');
  var status = document.getElementById('search-status');
  var root = '../';
  var index = null;

  form.hidden = false;
  form.addEventListener('submit', function (event) { event.preventDefault(); search(); });
  input.addEventListener('input', search);
  try {
    input.value = new URLSearchParams(window.location.search).get('q') || '';
  } catch (e) { /* no query */ }

  var script = document.createElement('script');
  script.src = root + 'assets/search-index.js';
  script.onload = function () { index = prepare(window.BRIEFING_SEARCH_INDEX); search(); };
  script.onerror = function () { status.textContent = 'Search is not available: its index did not load.'; };
  document.head.appendChild(script);

  function search() {
    var text = input.value;
    remember(text);
    results.textContent = '';
    if (!index) return;
    var query = parseQuery(index, text);
    if (!query.length) { status.textContent = ''; return; }
    var found = rank(index, query);
    var isMatch = function (word) { return matches(index, query, word); };
    found.slice(0, MAX_RESULTS).forEach(function (r) { results.appendChild(item(r.entry, query, isMatch)); });
    var n = found.length;
    status.textContent = n === 0 ? 'No briefings found. Try other words, or browse the themes A to Z.' :
      n === 1 ? '1 briefing found' :
      n > MAX_RESULTS ? n + ' briefings found, showing the best ' + MAX_RESULTS : n + ' briefings found';
  }

  function item(entry, query, isMatch) {
    var li = document.createElement('li');
    var a = document.createElement('a');
    a.href = root + entry.e.u;
    appendMarked(a, entry.e.t, isMatch);
    var meta = document.createElement('span');
    meta.className = 'search-meta';
    meta.textContent = entry.e.f + ', ' + entry.e.d;
    var p = document.createElement('p');
    var part = excerptOf(index, entry, query);
    if (part.heading) {
      var where = document.createElement('span');
      where.className = 'search-section';
      appendMarked(where, part.heading + ': ', isMatch);
      p.appendChild(where);
    }
    appendMarked(p, part.text, isMatch);
    li.appendChild(a);
    li.appendChild(meta);
    li.appendChild(p);
    return li;
  }

  // Keeps the query in the address, so that reloading or going back shows the same results.
  function remember(text) {
    try {
      window.history.replaceState(null, '', text ? '?q=' + encodeURIComponent(text) : window.location.pathname);
    } catch (e) { /* some browsers refuse this on file:// */ }
  }
})();
