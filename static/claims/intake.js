/* The article status page: while the article is pending, ask the REST API for it about once a second and show
   the outcome in place (ready: a link to annotate it; failed: the readable reason). Without script the page
   reloads itself (<noscript> refresh), so nothing here is needed to get the result.
   Data comes from the json_script block "intake-watch". */
(function () {
  "use strict";

  var source = document.getElementById("intake-watch");
  if (!source) return;
  var watch = JSON.parse(source.textContent);
  var region = document.getElementById("intake-status");
  var badge = document.getElementById("status-badge");
  var failures = 0;
  var MAX_FAILURES = 30;
  document.documentElement.classList.add("js");

  function show(id, visible) {
    var node = document.getElementById(id);
    if (node) node.hidden = !visible;
  }

  function render(article) {
    var status = article.status;
    region.setAttribute("data-status", status);
    badge.textContent = status;
    badge.className = "badge status-" + status;
    if (article.title) {
      document.getElementById("article-title").textContent = article.title;
      document.title = article.title + " — status — Claim tracker";
    }
    show("pending-note", status === "pending");
    show("ready-note", status === "ready");
    show("failed-note", status === "failed");
    if (status === "ready") {
      var length = (article.text || "").length;
      document.querySelector("#ready-note p").textContent =
        "The article is ready (" + length + " characters of clean text).";
    }
    if (status === "failed") {
      document.getElementById("error-text").textContent = article.error || "no reason was given";
    }
    if (article.duplicate_of) {
      var link = document.getElementById("duplicate-link");
      link.href = watch.annotate_pattern.replace("{id}", String(article.duplicate_of));
      link.textContent = "article " + article.duplicate_of;
      show("duplicate-note", true);
    }
  }

  function poll() {
    fetch(watch.api, {credentials: "same-origin", headers: {Accept: "application/json"}, cache: "no-store"})
      .then(function (response) {
        if (!response.ok) throw new Error("the server answered " + response.status);
        return response.json();
      })
      .then(function (article) {
        failures = 0;
        show("poll-error", false);
        render(article);
        if (article.status === "pending") window.setTimeout(poll, watch.interval_ms);
      })
      .catch(function (error) {
        failures += 1;
        var note = document.getElementById("poll-error");
        if (failures >= MAX_FAILURES) {
          note.textContent = "Could not get the article's status (" + error.message + "). Reload the page to try again.";
          note.hidden = false;
          return;
        }
        note.textContent = "Could not get the article's status (" + error.message + "); trying again…";
        note.hidden = false;
        // Back off a little while the server is unreachable.
        window.setTimeout(poll, watch.interval_ms * Math.min(5, 1 + failures));
      });
  }

  if (watch.status === "pending") window.setTimeout(poll, watch.interval_ms);
})();
