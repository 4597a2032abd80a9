// Site search: finds briefings by words in their title, summary, themes and text, as you type.
// Progressive enhancement: the search form is hidden until this script shows it, so without
// JavaScript nothing is broken and the theme index remains the way in. The index is a script
// file (it loads from disk too) fetched on first use only.
(function () {
  'use strict';
  var form = document.getElementById('site-search');
  if (!form) return;
  var input = document.getElementById('site-search-input');
  var results = document.getElementById('site-search-results');
  var status = document.getElementById('site-search-status');
  var root = form.getAttribute('data-root') || '';
  var loading = false;
  var MAX_RESULTS = 10;

  form.hidden = false;
  form.addEventListener('submit', function (event) { event.preventDefault(); search(); });
  input.addEventListener('input', search);
  input.addEventListener('focus', load);

  function load(then) {
    if (window.BRIEFING_SEARCH_INDEX) { if (typeof then === 'function') then(); return; }
    if (loading) return;
    loading = true;
    var script = document.createElement('script');
    script.src = root + 'assets/search-index.js';
    script.onload = function () { loading = false; search(); };
    script.onerror = function () { loading = false; status.textContent = 'Search is not available.'; };
    document.head.appendChild(script);
  }

  function terms(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(function (t) { return t.length > 1; });
  }

  // Every query word must start some word of the entry; title and theme matches rank first.
  function score(entry, words) {
    var total = 0;
    var title = entry.t.toLowerCase(), themes = entry.h.join(' ').toLowerCase(), summary = entry.s.toLowerCase();
    for (var i = 0; i < words.length; i++) {
      var w = words[i], hit = 0;
      if (title.indexOf(w) >= 0) hit += 10;
      if (themes.indexOf(w) >= 0) hit += 5;
      if (summary.indexOf(w) >= 0) hit += 3;
      if ((' ' + entry.w).indexOf(' ' + w) >= 0) hit += 1;
      if (!hit) return 0;
      total += hit;
    }
    return total;
  }

  function search() {
    var words = terms(input.value);
    results.textContent = '';
    if (!words.length) { status.textContent = ''; return; }
    if (!window.BRIEFING_SEARCH_INDEX) { load(); return; }
    var found = window.BRIEFING_SEARCH_INDEX
      .map(function (entry) { return { entry: entry, score: score(entry, words) }; })
      .filter(function (r) { return r.score > 0; })
      .sort(function (a, b) { return b.score - a.score; });
    found.slice(0, MAX_RESULTS).forEach(function (r) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = root + r.entry.u;
      a.textContent = r.entry.t;
      var meta = document.createElement('span');
      meta.className = 'search-meta';
      meta.textContent = r.entry.f + ', ' + r.entry.d;
      li.appendChild(a);
      li.appendChild(document.createTextNode(' '));
      li.appendChild(meta);
      results.appendChild(li);
    });
    var n = found.length;
    status.textContent = n === 0 ? 'No briefings found' :
      n === 1 ? '1 briefing found' :
      n > MAX_RESULTS ? n + ' briefings found, showing the best ' + MAX_RESULTS : n + ' briefings found';
  }
})();
