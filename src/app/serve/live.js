// Live reload for `briefing serve`. The server adds this script to the pages it serves; it is
// never part of the built site. After a good rebuild that changed the site the page reloads;
// after a failed one the errors are shown over the page until the next good build.
(function () {
  "use strict";
  var me = document.currentScript;
  var good = Number(me && me.getAttribute("data-good"));
  var overlay = null;
  var shownBuild = null;

  function text(tag, content, style) {
    var el = document.createElement(tag);
    el.textContent = content;
    if (style) el.style.cssText = style;
    return el;
  }

  function hide() {
    if (overlay) overlay.remove();
    overlay = null;
    shownBuild = null;
  }

  function show(status) {
    if (shownBuild === status.build) return;
    hide();
    shownBuild = status.build;
    overlay = document.createElement("div");
    overlay.id = "briefing-live-error";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText =
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(0,0,0,.55);padding:1rem;";
    var box = document.createElement("div");
    box.style.cssText =
      "max-width:48rem;margin:2rem auto;padding:1.25rem 1.5rem;background:#fff;color:#0b0c0c;" +
      "border-left:8px solid #d4351c;font:16px/1.5 system-ui,sans-serif;";
    box.appendChild(text("h2", "The site was not rebuilt: fix this and save again", "margin:0 0 .5rem;font-size:1.4rem;"));
    box.appendChild(text("p", "You are seeing the last good build. The next good save updates this page."));
    var list = document.createElement("ul");
    list.style.cssText = "padding-left:1.2rem;";
    (status.errors || []).forEach(function (e) {
      var item = document.createElement("li");
      var where = e.file || "";
      if (e.line) where += ", line " + e.line + (e.column ? ", column " + e.column : "");
      if (where) item.appendChild(text("strong", where + ": "));
      item.appendChild(document.createTextNode(e.message));
      if (e.source_line) {
        item.appendChild(text("pre", e.source_line, "margin:.25rem 0;padding:.25rem .5rem;background:#f3f2f1;white-space:pre-wrap;"));
      }
      if (e.help) item.appendChild(text("p", e.help, "margin:.25rem 0 1rem;"));
      list.appendChild(item);
    });
    box.appendChild(list);
    var close = text("button", "Hide this message", "font:inherit;padding:.3rem .8rem;");
    close.type = "button";
    close.addEventListener("click", function () {
      overlay.remove();
      overlay = null;
    });
    box.appendChild(close);
    overlay.appendChild(box);
    document.body.appendChild(overlay);
  }

  function apply(status) {
    if (!status.ok) return show(status);
    if (status.good !== good) return location.reload();
    hide();
  }

  fetch("/__briefing/status", { cache: "no-store" })
    .then(function (r) { return r.json(); })
    .then(apply)
    .catch(function () {});
  if (window.EventSource) {
    var events = new EventSource("/__briefing/events");
    events.addEventListener("status", function (e) { apply(JSON.parse(e.data)); });
  }
})();
