// Instant filtering of the home page's list of briefings by theme, format, year and the
// site's facets. Without JavaScript the filter bar stays hidden and the links below the list
// lead to static pages for each of them; this script only adds a quicker way.
(function () {
  'use strict';
  var form = document.getElementById('filter');
  // The form folds into a one-line bar (a <details>), so that it never pushes the list down.
  var bar = document.getElementById('filter-bar');
  var status = document.getElementById('filter-status');
  var list = document.querySelector('ol.cards');
  if (!form || !status || !list) return;
  var selects = Array.prototype.slice.call(form.querySelectorAll('select[data-filter]'));
  var cards = Array.prototype.slice.call(list.children);

  // Whether a card has `value` for the data attribute `key`; themes are a space-separated list.
  function has(card, key, value) {
    var own = card.getAttribute('data-' + key) || '';
    return key === 'themes' ? own.split(' ').indexOf(value) !== -1 : own === value;
  }

  function apply() {
    var shown = 0;
    cards.forEach(function (card) {
      var keep = selects.every(function (s) {
        return s.value === '' || has(card, s.getAttribute('data-filter'), s.value);
      });
      card.hidden = !keep;
      if (keep) shown += 1;
    });
    status.textContent = shown + (shown === 1 ? ' briefing' : ' briefings') + ' shown';
    remember();
  }

  // Keeps the choice in the address (?theme=neglect), so it can be bookmarked or shared.
  function remember() {
    var query = selects
      .filter(function (s) { return s.value !== ''; })
      .map(function (s) { return encodeURIComponent(s.name) + '=' + encodeURIComponent(s.value); })
      .join('&');
    try {
      history.replaceState(null, '', query ? '?' + query : location.pathname);
    } catch (e) {
      // Some browsers refuse to change the address of a page opened from disk.
    }
  }

  function restore() {
    var params = {};
    location.search.replace(/^\?/, '').split('&').forEach(function (pair) {
      var kv = pair.split('=');
      if (kv[0]) params[decodeURIComponent(kv[0])] = decodeURIComponent(kv[1] || '');
    });
    var any = false;
    selects.forEach(function (s) {
      var wanted = params[s.name];
      if (wanted && Array.prototype.some.call(s.options, function (o) { return o.value === wanted; })) {
        s.value = wanted;
        any = true;
      }
    });
    if (any) {
      // A filter chosen in the address is shown open, so the reader sees why cards are missing.
      if (bar) bar.open = true;
      apply();
    }
  }

  form.addEventListener('change', apply);
  form.addEventListener('submit', function (event) { event.preventDefault(); });
  form.addEventListener('reset', function (event) {
    event.preventDefault();
    selects.forEach(function (s) { s.value = ''; });
    apply();
  });
  form.hidden = false;
  if (bar) bar.hidden = false;
  restore();
})();
