/* The editors' annotation workspace. Plain script, no framework; data comes from the json_script block
   "workspace-data" and every write goes through the REST API with the session's CSRF token.

   Offsets: each text segment in #article-text carries data-offset, its position in Article.text; a point in the
   page is (segment offset + characters before it inside that segment). layoutParagraph mirrors
   claims/web/editor.py `paragraphs`; keep the two in step. */
(function () {
  "use strict";

  // ------------------------------------------------------------------------------------------ guessing
  // Best guesses from the selected words; the editor corrects what is wrong before saving.

  var WORD_NUMBERS = {one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
    eleven: 11, twelve: 12, fifteen: 15, twenty: 20, thirty: 30, forty: 40, fifty: 50, hundred: 100,
    a: 1, an: 1, dozen: 12, couple: 2, few: 2, several: 3};
  var SCALES = {thousand: 1e3, k: 1e3, million: 1e6, m: 1e6, mn: 1e6, billion: 1e9, bn: 1e9, b: 1e9, trillion: 1e12};
  var MONTHS = {jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12};
  // Capitalised only: "may" and "march" are also ordinary words.
  var MONTH = "(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|" +
    "Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?";
  var NUM = "(\\d+(?:\\.\\d+)?|a few|a couple of|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|" +
    "fifteen|twenty|thirty|forty|fifty|a|an|several)";
  var DURATION_RE = new RegExp("\\b" + NUM + "(?:\\s*(?:-|–|to|or)\\s*" + NUM + ")?[\\s-]+(day|week|month|year)s?\\b", "i");
  var BARE_DURATION_RE = /\b(days|weeks|months|years|decades)\b/i;
  var NUMBER_RE = /([$€£])?\s?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s*(thousand|million|billion|trillion|bn|mn|k|m|b)\b)?(\s*(?:%|per\s?cent\b|percent\b))?/i;
  var RANGE_RE = /(?:between\s+)?([$€£]?\d[\d,.]*(?:\s*(?:thousand|million|billion))?)\s*(?:-|–|to|and)\s*([$€£]?\d[\d,.]*(?:\s*(?:thousand|million|billion))?)/i;
  var SPEECH_RE = /\b(said|says|told|tells|according to|stated|announced|claimed|added|insisted|denied|confirmed|warned)\b/i;
  // A hedge stands right before the number. Checked in this order, so that "no more than" is not read as
  // "more than".
  var HEDGES = [
    [/\b(no|not) (more|greater) than\s*$/i, "at_most"],
    [/\b(no|not) (fewer|less) than\s*$/i, "at_least"],
    [/\b(up to|at most|fewer than|less than|under|as many as|a maximum of|as much as)\s*$/i, "at_most"],
    [/\b(more than|at least|over|upwards of|in excess of|a minimum of|exceeding)\s*$/i, "at_least"],
    [/(\b(about|around|some|nearly|almost|approximately|roughly|an estimated|estimated|close to|circa)|~)\s*$/i,
      "approx"]
  ];
  var UNIT_SKIP = /^(of|the|a|an|and|or|in|to|at|for|by|on|per|more|than|additional|extra|new|other|some|about|own|many|such|its|their|his|her|our|its)$/i;
  var CURRENCY = {"$": "USD", "€": "EUR", "£": "GBP"};

  function wordNumber(raw) {
    raw = raw.toLowerCase().replace(/^a (few|couple of)$/, "$1").replace(/ of$/, "");
    if (/^\d/.test(raw)) { return parseFloat(raw); }
    return WORD_NUMBERS[raw] !== undefined ? WORD_NUMBERS[raw] : null;
  }

  function qualifierBefore(text) {
    for (var i = 0; i < HEDGES.length; i++) {
      if (HEDGES[i][0].test(text)) { return HEDGES[i][1]; }
    }
    return "exact";
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function findDate(text, published) {
    var year = published ? published.slice(0, 4) : null;
    var m, month;
    if ((m = text.match(/\b(\d{4})-(\d{2})-(\d{2})\b/))) {
      return {value: m[1] + "-" + m[2] + "-" + m[3], at: m.index, length: m[0].length};
    }
    var patterns = [
      [new RegExp("\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+" + MONTH + ",?\\s+(\\d{4})\\b"), function (g) { return [g[3], g[2], g[1]]; }],
      [new RegExp("\\b" + MONTH + "\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b"), function (g) { return [g[3], g[1], g[2]]; }],
      [new RegExp("\\b" + MONTH + ",?\\s+(\\d{4})\\b"), function (g) { return [g[2], g[1], null]; }],
      [new RegExp("\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+" + MONTH + "\\b"), function (g) { return [year, g[2], g[1]]; }],
      [new RegExp("\\b" + MONTH + "\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b"), function (g) { return [year, g[1], g[2]]; }],
      [new RegExp("\\b" + MONTH + "\\b"), function (g) { return [year, g[1], null]; }]
    ];
    for (var i = 0; i < patterns.length; i++) {
      m = text.match(patterns[i][0]);
      if (!m) { continue; }
      var parts = patterns[i][1](m);
      if (!parts[0]) { continue; }
      month = MONTHS[parts[1].slice(0, 3).toLowerCase()];
      var value = parts[0] + "-" + pad(month) + (parts[2] ? "-" + pad(parseInt(parts[2], 10)) : "");
      return {value: value, at: m.index, length: m[0].length};
    }
    if ((m = text.match(/(?:^|[^\d,.$€£])((?:1[89]|20)\d{2})(?!\d|[,.]\d|\s*(?:%|per))/))) {
      var at = m.index + m[0].length - 4;
      return {value: m[1], at: at, length: 4};
    }
    return null;
  }

  function parseNumber(match) {
    var value = parseFloat(match[2].replace(/,/g, "") + (match[3] || ""));
    if (match[4]) { value *= SCALES[match[4].toLowerCase()]; }
    return Math.round(value * 1e6) / 1e6;
  }

  function unitAfter(rest) {
    var words = rest.match(/[A-Za-z][A-Za-z'’-]*/g) || [];
    var firstWord = null;
    for (var i = 0; i < words.length && i < 6; i++) {
      if (UNIT_SKIP.test(words[i])) { continue; }
      firstWord = firstWord || words[i];
      // Capitalised words before the noun are usually modifiers ("US troops", "Iraqi police").
      if (/^[a-z]/.test(words[i])) { return words[i]; }
    }
    return firstWord || "";
  }

  function guess(text, context) {
    context = context || {};
    var result = {kind: "statement", qualifier: "exact", value: null, unit: "", speaker: "", polarity: null,
      as_of: null, attribute: "statement"};
    var m = text.match(DURATION_RE);
    if (m) {
      var low = wordNumber(m[1]), high = m[2] ? wordNumber(m[2]) : null;
      result.kind = "duration";
      result.attribute = "duration";
      result.value = {min: low, max: high, unit: m[3].toLowerCase()};
      result.qualifier = /^(several|a few|few|a couple of)$/i.test(m[1]) ? "approx" : qualifierBefore(text.slice(0, m.index));
      return result;
    }
    var date = findDate(text, context.published);
    var withoutDate = date ? text.slice(0, date.at) + " ".repeat(date.length) + text.slice(date.at + date.length) : text;
    var number = withoutDate.match(NUMBER_RE);
    if (date && !number) {
      result.kind = "date";
      result.attribute = "date";
      result.value = date.value;
      result.qualifier = qualifierBefore(text.slice(0, date.at));
      return result;
    }
    if (number) {
      result.kind = "quantity";
      var range = withoutDate.match(RANGE_RE);
      var rangeValues = range && [range[1], range[2]].map(function (part) {
        var inner = part.match(NUMBER_RE);
        return inner ? parseNumber(inner) : null;
      });
      if (rangeValues && rangeValues[0] !== null && rangeValues[1] !== null && rangeValues[0] < rangeValues[1]) {
        result.value = {min: rangeValues[0], max: rangeValues[1]};
      } else {
        result.value = parseNumber(number);
      }
      result.qualifier = qualifierBefore(withoutDate.slice(0, number.index));
      var after = withoutDate.slice(number.index + number[0].length);
      if (number[5]) {
        result.unit = "percent";
      } else if (number[1]) {
        result.unit = CURRENCY[number[1]];
      } else {
        result.unit = unitAfter(after) || unitAfter(context.after || "");
      }
      result.attribute = result.unit === "percent" ? "share" : number[1] ? "amount" : "count";
      // A date beside the number says when the count held.
      if (date && date.value.length > 4) { result.as_of = (date.value + "-01").slice(0, 10); }
      return result;
    }
    if (date) {
      result.kind = "date";
      result.attribute = "date";
      result.value = date.value;
      return result;
    }
    var bare = text.match(BARE_DURATION_RE);
    if (bare) {
      // "for months": more than one of the unit, how many more unknown.
      var decades = bare[1].toLowerCase() === "decades";
      result.kind = "duration";
      result.attribute = "duration";
      result.value = {min: decades ? 20 : 2, max: null, unit: decades ? "year" : bare[1].toLowerCase().slice(0, -1)};
      result.qualifier = "at_least";
      return result;
    }
    var speech = text.match(SPEECH_RE);
    if (speech) {
      result.kind = "attribution";
      result.attribute = "statement";
      var name = text.slice(0, speech.index).match(/((?:[A-Z][\w'’.-]+\s+){0,3}[A-Z][\w'’.-]+)\s*,?\s*$/) ||
        text.slice(speech.index + speech[0].length).match(/^\s+((?:[A-Z][\w'’.-]+\s*){1,4})/);
      result.speaker = name ? name[1].trim() : "";
      return result;
    }
    result.polarity = /\b(not|never|no longer|denied|denies|refused)\b/i.test(text) ? "denies" : "affirms";
    return result;
  }

  window.ClaimTracker = {guess: guess};

  // ------------------------------------------------------------------------------------------ page state

  var dataNode = document.getElementById("workspace-data");
  var textRoot = document.getElementById("article-text");
  if (!dataNode || !textRoot) { return; }
  var data = JSON.parse(dataNode.textContent);
  var claims = new Map(data.claims.map(function (c) { return [c.id, c]; }));
  var form = document.getElementById("claim-form");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var announceNode = document.getElementById("announce");
  var tagButton = document.getElementById("tag-selection");
  var problemNode = document.getElementById("selection-problem");
  var editing = null;   // {claim} for an existing claim, {start, end, quote, touched} for a new one
  var currentId = null; // the suggestion j/k/a/r/e act on; its card holds the focus
  var gap = null;       // {start, id} of the suggestion just accepted or rejected: j/k walk on from there
  var inFlight = new Set(); // claims with a status change on its way, so that a double key press sends one
  var subjectNear = null;   // the "did you mean …?" warning under the Subject box (nearNames)
  var $ = function (id) { return document.getElementById(id); };

  function announce(message) { announceNode.textContent = message; }

  // A suggestion points at no Subject or Speaker: the suggester's guesses are proposals ("" when it has none),
  // which become data only when an editor confirms the claim.
  function nameOf(c, field) { return c[field] || c["proposed_" + field] || ""; }

  function subjectLabel(c) {
    if (c.subject) { return c.subject; }
    return c.proposed_subject ? c.proposed_subject + " (proposed)" : "";
  }

  // A proposed subject is accepted as it stands only when it names something of its own story: a place, a party,
  // a person (a capitalised name). "start of the strike" or "water level" would put every strike or flood the
  // newsroom covers under one subject, and the detector would weigh their figures against each other.
  function genericProposal(c) {
    var proposed = (c.proposed_subject || "").trim();
    return !c.subject && proposed !== "" && !/\p{Lu}/u.test(proposed);
  }

  function needsSubject(c) { return !nameOf(c, "subject").trim() || genericProposal(c); }

  function suggestions() {
    return Array.from(claims.values()).filter(function (c) { return c.status === "suggested"; })
      .sort(function (a, b) { return a.start - b.start || a.id - b.id; });
  }

  // ------------------------------------------------------------------------------------------ layout

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  // Offsets count code points, as Python does; JS strings count UTF-16 units, which differ on emoji and other
  // characters outside the BMP. Every length and slice of article text below goes through these two.
  function chars(text) { return Array.from(text); }
  function size(text) { return text.length - (text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g) || []).length; }

  function layoutParagraph(p) {
    var begin = Number(p.dataset.offset), text = chars(p.textContent), finish = begin + text.length;
    var spans = Array.from(claims.values()).filter(function (c) {
      return c.status !== "rejected" && c.start < finish && c.end > begin;
    });
    var pending = editing && !editing.claim && editing.start < finish && editing.end > begin ? editing : null;
    var cuts = new Set([begin, finish]);
    spans.concat(pending ? [pending] : []).forEach(function (c) {
      cuts.add(Math.max(begin, Math.min(finish, c.start)));
      cuts.add(Math.max(begin, Math.min(finish, c.end)));
    });
    var sorted = Array.from(cuts).sort(function (a, b) { return a - b; });
    var children = [];
    for (var i = 0; i + 1 < sorted.length; i++) {
      var left = sorted[i], right = sorted[i + 1], piece = text.slice(left - begin, right - begin).join("");
      var over = spans.filter(function (c) { return c.start < right && c.end > left; });
      var inPending = pending && pending.start < right && pending.end > left;
      if (!over.length && !inPending) {
        children.push(el("span", {"data-offset": left}, piece));
        continue;
      }
      var css = "hl pending";
      if (over.length) {
        var top = over.reduce(function (a, b) { return b.end - b.start < a.end - a.start ? b : a; });
        css = "hl kind-" + top.kind;
        if (over.every(function (c) { return c.status === "suggested"; })) { css += " suggested"; }
        if (over.some(function (c) { return c.id === currentId; })) { css += " current"; }
        if (inPending) { css += " pending"; }
      }
      var mark = el("mark", {"class": css, "data-offset": left,
        "data-claims": over.map(function (c) { return c.id; }).join(" ")}, piece);
      if (over.length) { mark.title = over.map(describe).join("\n"); }
      children.push(mark);
    }
    p.replaceChildren.apply(p, children);
  }

  function describe(c) {
    var value = c.value === null || c.value === undefined ? "" : " " + (typeof c.value === "object"
      ? JSON.stringify(c.value) : c.value) + (c.unit ? " " + c.unit : "");
    return c.kind + " (" + c.status + "): " + (subjectLabel(c) || "no subject yet") + " · " + c.attribute + value;
  }

  function relayout(spans) {
    var saved = savedSelection(), changed = false;
    textRoot.querySelectorAll(".para").forEach(function (p) {
      var begin = Number(p.dataset.offset), finish = begin + size(p.textContent);
      if (!spans || spans.some(function (s) { return s && s.start < finish && s.end > begin; })) {
        layoutParagraph(p);
        changed = true;
      }
    });
    if (saved && changed) { restoreSelection(saved); }
  }

  function claimItem(c, buttons) {
    var li = el("li", {"data-claim": c.id, tabindex: "-1"});
    if (c.id === currentId) { li.setAttribute("aria-current", "true"); }
    li.appendChild(el("span", {"class": "badge kind-" + c.kind}, c.kind));
    li.appendChild(document.createTextNode(" "));
    var label = subjectLabel(c);
    li.appendChild(label ? el("span", {"class": c.subject ? "subject" : "subject proposed"}, label)
      : el("span", {"class": "subject missing"}, "subject needed"));
    var quote = c.quote.length > 90 ? c.quote.slice(0, 89) + "…" : c.quote;
    li.appendChild(el("span", {"class": "quote-text"}, "“" + quote + "”"));
    var row = el("span", {"class": "buttons"});
    buttons.forEach(function (b) {
      row.appendChild(el("button", {type: "button", "data-action": b[0], "data-claim": c.id,
        "aria-label": b[1] + ": " + quote}, b[1]));
    });
    li.appendChild(row);
    return li;
  }

  function renderLists() {
    var waiting = suggestions();
    $("suggestion-count").textContent = waiting.length;
    var list = $("suggestions");
    // The cards are made anew: focus inside the list goes back to the current card, or to the list itself.
    var hadFocus = list.contains(document.activeElement);
    list.replaceChildren.apply(list, waiting.length ? waiting.map(function (c) {
      return claimItem(c, [["accept", "Accept"], ["edit", "Edit"], ["reject", "Reject"]]);
    }) : [el("li", {"class": "empty"}, "No suggestions waiting.")]);
    if (hadFocus) { (cardFor(currentId) || list).focus({preventScroll: true}); }
    var done = Array.from(claims.values()).filter(function (c) { return c.status === "confirmed"; })
      .sort(function (a, b) { return a.start - b.start; });
    var confirmed = $("confirmed");
    confirmed.replaceChildren.apply(confirmed, done.length ? done.map(function (c) {
      return claimItem(c, [["edit", "Edit"]]);
    }) : [el("li", {"class": "empty"}, "None yet.")]);
  }

  // ------------------------------------------------------------------------------------------ offsets

  function segmentOf(node) {
    var element = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    return element && element.closest("[data-offset]:not(.para)");
  }

  // A Range boundary as an offset into Article.text. A boundary inside a text node is exact; one between
  // elements (a triple-click, a selection ending at a paragraph) snaps to the nearest segment edge.
  function pointOffset(container, offset, isEnd) {
    if (container.nodeType === Node.TEXT_NODE && segmentOf(container)) {
      return Number(segmentOf(container).dataset.offset) + size(container.data.slice(0, offset));
    }
    var probe = document.createRange();
    probe.setStart(container, offset);
    var segments = Array.from(textRoot.querySelectorAll("[data-offset]:not(.para)")).filter(function (seg) {
      return seg.firstChild;
    });
    if (isEnd) {
      var before = segments.filter(function (seg) {
        return probe.comparePoint(seg.firstChild, seg.firstChild.length) <= 0;
      }).pop();
      return before ? Number(before.dataset.offset) + size(before.textContent) : null;
    }
    var after = segments.find(function (seg) { return probe.comparePoint(seg.firstChild, 0) >= 0; });
    return after ? Number(after.dataset.offset) : null;
  }

  function textAt(start, end) {
    var out = "";
    textRoot.querySelectorAll("[data-offset]:not(.para)").forEach(function (seg) {
      var at = Number(seg.dataset.offset), text = chars(seg.textContent);
      var left = Math.max(start, at), right = Math.min(end, at + text.length);
      if (left < right) { out += text.slice(left - at, right - at).join(""); }
    });
    return out;
  }

  var WORD = /[\p{L}\p{N}]/u;
  var CROSSES_PARAGRAPHS = "A claim must lie within one paragraph: this selection covers several. " +
    "Select words inside one paragraph.";

  // The selected words inside one paragraph: spaces at either edge dropped, a word cut by an edge taken whole
  // (claims are made of words; shift-click and shift+arrow may land inside one).
  function paragraphPiece(p, start, end) {
    var at = Number(p.dataset.offset), text = chars(p.textContent);
    var left = Math.max(start, at) - at, right = Math.min(end, at + text.length) - at;
    while (left < right && /\s/.test(text[left])) { left++; }
    while (right > left && /\s/.test(text[right - 1])) { right--; }
    if (left >= right) { return null; }
    while (left > 0 && WORD.test(text[left - 1]) && WORD.test(text[left])) { left--; }
    while (right < text.length && WORD.test(text[right - 1]) && WORD.test(text[right])) { right++; }
    return {start: at + left, end: at + right, quote: text.slice(left, right).join("")};
  }

  // The text selection as a claim span: null when nothing in the text is selected, {problem} when the words
  // selected lie in more than one paragraph. Such a selection is refused, not cut to one of its paragraphs.
  function selectedSpan() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) { return null; }
    var range = selection.getRangeAt(0);
    if (!textRoot.contains(range.startContainer) || !textRoot.contains(range.endContainer)) { return null; }
    var start = pointOffset(range.startContainer, range.startOffset, false);
    var end = pointOffset(range.endContainer, range.endOffset, true);
    if (start === null || end === null || end <= start) { return null; }
    var pieces = [];
    textRoot.querySelectorAll(".para").forEach(function (p) {
      var piece = paragraphPiece(p, start, end);
      if (piece) { pieces.push(piece); }
    });
    if (pieces.length > 1) { return {problem: CROSSES_PARAGRAPHS}; }
    if (!pieces.length) { return null; }
    var span = pieces[0];
    span.after = textAt(span.end, span.end + 60);
    return span;
  }

  // Relaying a paragraph out replaces its text nodes, which would drop a selection inside it; the selection is
  // kept as offsets and put back, anchor and focus in place, so that shift-click and shift+arrow still extend it.
  function savedSelection() {
    var selection = window.getSelection();
    if (!selection || !selection.rangeCount || !textRoot.contains(selection.anchorNode) ||
        !textRoot.contains(selection.focusNode)) { return null; }
    var range = selection.getRangeAt(0);
    var forward = range.startContainer === selection.anchorNode && range.startOffset === selection.anchorOffset;
    var start = pointOffset(range.startContainer, range.startOffset, false);
    var end = pointOffset(range.endContainer, range.endOffset, true);
    if (start === null || end === null) { return null; }
    return forward ? {anchor: start, focus: end, collapsed: range.collapsed}
      : {anchor: end, focus: start, collapsed: range.collapsed};
  }

  function pointAt(offset, atEnd) {
    var segments = textRoot.querySelectorAll("[data-offset]:not(.para)");
    for (var i = 0; i < segments.length; i++) {
      var seg = segments[i], at = Number(seg.dataset.offset), text = chars(seg.textContent);
      var inside = offset > at && offset < at + text.length;
      if (seg.firstChild && (inside || offset === (atEnd ? at + text.length : at))) {
        return {node: seg.firstChild, index: text.slice(0, offset - at).join("").length};
      }
    }
    return null;
  }

  function restoreSelection(saved) {
    var forward = saved.anchor <= saved.focus;
    var anchor = pointAt(saved.anchor, !forward && !saved.collapsed) || pointAt(saved.anchor, forward);
    var focus = pointAt(saved.focus, forward && !saved.collapsed) || pointAt(saved.focus, !forward);
    if (anchor && focus) { window.getSelection().setBaseAndExtent(anchor.node, anchor.index, focus.node, focus.index); }
  }

  // ------------------------------------------------------------------------------------------ the form

  var F = {
    kind: $("f-kind"), subject: $("f-subject"), attribute: $("f-attribute"), qtyMin: $("f-qty-min"),
    qtyMax: $("f-qty-max"), unit: $("f-unit"), date: $("f-date"), durMin: $("f-dur-min"), durMax: $("f-dur-max"),
    durUnit: $("f-dur-unit"), qualifier: $("f-qualifier"), polarity: $("f-polarity"), speaker: $("f-speaker"),
    after: $("f-after"), asOf: $("f-as-of")
  };
  var ERROR_FIELDS = {kind: "kind", subject: "subject", attribute: "attribute", value: "value", unit: "unit",
    qualifier: "qualifier", polarity: "polarity", speaker: "speaker", after: "after", as_of: "as_of", quote: "quote",
    start: "quote", end: "quote"};
  var INPUT_FOR_ERROR = {kind: F.kind, subject: F.subject, attribute: F.attribute, unit: F.unit, qualifier: F.qualifier,
    polarity: F.polarity, speaker: F.speaker, after: F.after, as_of: F.asOf};
  var SUBJECT_NEEDED = "A subject is needed to accept this suggestion: say what the claim is about.";
  var GENERIC_SUBJECT = "“%s” names nothing of this story: add its place, party or name (“%s at …”) so that " +
    "other stories' figures are not weighed against this one, or save it as it is.";

  function showKindFields() {
    var kind = F.kind.value;
    form.querySelectorAll("[data-kinds]").forEach(function (node) {
      node.hidden = node.dataset.kinds.split(" ").indexOf(kind) < 0;
    });
  }

  function clearErrors() {
    form.querySelectorAll(".field-error").forEach(function (node) { node.hidden = true; node.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (node) { node.removeAttribute("aria-invalid"); });
  }

  function clearFieldError(input) {
    if (input.getAttribute("aria-invalid") !== "true") { return; }
    input.removeAttribute("aria-invalid");
    var described = input.getAttribute("aria-describedby");
    var message = described && $(described);
    if (message) { message.hidden = true; message.textContent = ""; }
  }

  function showErrors(errors) {
    var general = [];
    Object.keys(errors || {}).forEach(function (field) {
      var messages = [].concat(errors[field]).map(function (m) { return typeof m === "string" ? m : JSON.stringify(m); });
      var target = ERROR_FIELDS[field] && $("err-" + ERROR_FIELDS[field]);
      if (!target) { general.push((field === "detail" || field === "non_field_errors" ? "" : field + ": ") + messages.join(" ")); return; }
      target.textContent = (target.textContent ? target.textContent + " " : "") + messages.join(" ");
      target.hidden = false;
      var input = INPUT_FOR_ERROR[field] || (field === "value" ? valueInput() : null);
      if (input) { input.setAttribute("aria-invalid", "true"); }
    });
    if (general.length) { $("err-form").textContent = general.join(" "); $("err-form").hidden = false; }
    var first = form.querySelector("[aria-invalid=true]");
    if (first) { first.focus(); }
  }

  function valueInput() {
    return {quantity: F.qtyMin, date: F.date, duration: F.durMin}[F.kind.value] || null;
  }

  function fill(values) {
    F.kind.value = values.kind;
    F.subject.value = values.subject || "";
    F.attribute.value = values.attribute || "";
    var v = values.value;
    F.qtyMin.value = F.qtyMax.value = F.date.value = F.durMin.value = F.durMax.value = "";
    if (values.kind === "quantity" && v !== null && v !== undefined) {
      if (typeof v === "object") { F.qtyMin.value = v.min; F.qtyMax.value = v.max; } else { F.qtyMin.value = v; }
    } else if (values.kind === "date" && v) {
      F.date.value = v;
    } else if (values.kind === "duration" && v) {
      F.durMin.value = v.min === null ? "" : v.min;
      F.durMax.value = v.max === null || v.max === undefined ? "" : v.max;
      F.durUnit.value = v.unit;
    }
    F.unit.value = values.unit || "";
    F.qualifier.value = values.qualifier || "exact";
    F.polarity.value = values.polarity || "affirms";
    F.speaker.value = values.speaker || "";
    F.after.value = values.after || "";
    F.asOf.value = values.as_of || "";
    showKindFields();
  }

  function number(raw) {
    var text = raw.trim();
    if (!text) { return null; }
    var value = Number(text.replace(/,/g, ""));
    return isNaN(value) ? text : value;   // the API explains what is wrong with text that is no number
  }

  function collect() {
    var kind = F.kind.value, body = {kind: kind, subject: F.subject.value.trim(), attribute: F.attribute.value.trim(),
      speaker: F.speaker.value.trim() || null, as_of: F.asOf.value || null, polarity: null, unit: null,
      qualifier: "exact", value: null};
    if (kind === "quantity") {
      var low = number(F.qtyMin.value), high = number(F.qtyMax.value);
      body.value = high === null ? low : {min: low, max: high};
      body.unit = F.unit.value.trim();
    } else if (kind === "date") {
      body.value = F.date.value.trim() || null;
    } else if (kind === "duration") {
      body.value = {min: number(F.durMin.value), max: number(F.durMax.value), unit: F.durUnit.value};
    } else if (kind === "statement") {
      body.polarity = F.polarity.value;
    }
    if (kind === "quantity" || kind === "date" || kind === "duration") { body.qualifier = F.qualifier.value; }
    // Sent only when there is one or the editor cleared one, so that a page without it cannot erase it.
    var after = F.after.value.trim();
    if (after || (editing && after !== editing.after)) { body.after = after || null; }
    return body;
  }

  // A new claim on the selected span. While its form is open it follows the selection (shift-click, shift+arrow):
  // the guesses are made again for the new words, and what the editor typed in a field stays.
  function openNew(span, focusForm) {
    var previous = editing;
    var touched = previous && !previous.claim ? previous.touched : {};
    var guessed = guess(span.quote, {published: data.article.published, after: span.after});
    editing = {start: span.start, end: span.end, quote: span.quote, touched: touched, after: ""};
    clearErrors();
    $("form-title").textContent = "New claim";
    $("f-quote").textContent = "“" + span.quote + "”";
    $("f-save").textContent = "Save";
    $("f-reject").hidden = true;
    $("f-proposed").hidden = true;
    $("f-speaker-role").hidden = true;
    var kept = {};
    Object.keys(touched).forEach(function (key) { kept[key] = F[key].value; });
    fill({kind: guessed.kind, subject: "", attribute: guessed.attribute, value: guessed.value, unit: guessed.unit,
      qualifier: guessed.qualifier, polarity: guessed.polarity, speaker: guessed.speaker, as_of: guessed.as_of});
    Object.keys(kept).forEach(function (key) { F[key].value = kept[key]; });
    showKindFields();
    subjectNear.refresh();
    form.hidden = false;
    tagButton.hidden = true;
    relayout([previous && !previous.claim ? previous : null, editing]);
    // Focus moves to the form only when asked (t, Enter): moving it on every selection would end the selection
    // before a shift-click or shift+arrow could extend it.
    if (focusForm) { F.subject.focus(); }
  }

  function openExisting(id) {
    var claim = claims.get(id);
    if (!claim) { return; }
    var before = editing;
    var names = {subject: nameOf(claim, "subject"), speaker: nameOf(claim, "speaker"), after: nameOf(claim, "after")};
    editing = {claim: claim, after: names.after};
    if (before && !before.claim) { relayout([before]); }
    clearErrors();
    $("form-title").textContent = claim.status === "suggested" ? "Review suggestion" : "Edit claim";
    $("f-quote").textContent = "“" + claim.quote + "”";
    $("f-save").textContent = claim.status === "suggested" ? "Save and accept" : "Save";
    $("f-reject").hidden = false;
    $("f-proposed").hidden = !(!claim.subject && claim.proposed_subject);
    // The role the article gives the proposed speaker becomes that speaker's description when it is new.
    var role = !claim.speaker && claim.proposed_speaker_role ? claim.proposed_speaker_role : "";
    $("f-speaker-role").textContent = role ? "Role in the article: " + role + " (kept as the speaker's description)" : "";
    $("f-speaker-role").hidden = !role;
    fill(Object.assign({}, claim, names));
    // A suggester's proposed subject may be a near copy of an existing one too.
    subjectNear.refresh();
    form.hidden = false;
    F.kind.focus();
  }

  // The form on a suggestion that cannot be accepted as it is, with the API's (or our own) word on why.
  function openToFix(id, errors) {
    openExisting(id);
    showErrors(errors);
    announce("Not accepted: " + Object.keys(errors).map(function (field) {
      return [].concat(errors[field]).join(" ");
    }).join(" "));
  }

  function closeForm() {
    var pending = editing && !editing.claim ? editing : null;
    var hadFocus = form.contains(document.activeElement);
    editing = null;
    form.hidden = true;
    closeOptions();
    subjectNear.reset();
    if (pending) {
      relayout([pending]);
      // The selection made that claim; left in place it would open the form again.
      var selection = window.getSelection();
      if (selection && selection.rangeCount && textRoot.contains(selection.anchorNode)) { selection.removeAllRanges(); }
    }
    if (hadFocus) { (cardFor(currentId) || $("suggestions")).focus({preventScroll: true}); }
  }

  // ------------------------------------------------------------------------------------------ API

  function api(method, url, body) {
    return fetch(url, {
      method: method, credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf},
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (json) {
        return {ok: response.ok, status: response.status, data: json};
      });
    }, function () {
      return {ok: false, status: 0, data: {detail: "The server could not be reached; nothing was saved."}};
    });
  }

  function store(claim, previous) {
    claims.set(claim.id, claim);
    relayout([previous, claim]);
    renderLists();
  }

  function patch(claim, changes) {
    return api("PATCH", data.api.claims + claim.id + "/", Object.assign({version: claim.version}, changes))
      .then(function (answer) {
        if (answer.ok) {
          store(answer.data, claim);
          return answer;
        }
        if (answer.status === 412 && answer.data && answer.data.current) {
          store(answer.data.current, claim);
          answer.data = {detail: "Someone else changed this claim in the meantime; the form now shows their " +
            "version. Apply your change again."};
        }
        return answer;
      });
  }

  function submit(event) {
    event.preventDefault();
    if (!editing) { return; }
    clearErrors();
    var body = collect(), request;
    if (editing.claim) {
      if (editing.claim.status === "suggested") { body.status = "confirmed"; }
      request = patch(editing.claim, body);
    } else {
      Object.assign(body, {article: data.article.id, start: editing.start, end: editing.end, status: "confirmed"});
      if (editing.quote) { body.quote = editing.quote; }
      request = api("POST", data.api.claims, body);
    }
    var pending = editing;
    $("f-save").disabled = true;
    request.then(function (answer) {
      $("f-save").disabled = false;
      if (!answer.ok) {
        if (answer.status === 412 && editing && editing.claim) { openExisting(editing.claim.id); }
        showErrors(answer.data || {detail: "Saving failed (HTTP " + answer.status + ")."});
        return;
      }
      if (!pending.claim) { store(answer.data, pending); }
      if (pending.claim && pending.claim.id === currentId && answer.data.status !== "suggested") {
        leave(pending.claim);
      }
      editing = null;
      closeForm();
      relayout([pending, answer.data]);
      announce("Saved: " + describe(answer.data));
    });
  }

  function setStatus(id, status) {
    var claim = claims.get(id);
    if (!claim || inFlight.has(id)) { return; }
    inFlight.add(id);
    patch(claim, {status: status}).then(function (answer) {
      inFlight.delete(id);
      if (!answer.ok) {
        var errors = answer.data || {};
        if (status === "confirmed" && answer.status === 400 && (errors.subject || errors.attribute)) {
          openToFix(id, errors);
          return;
        }
        announce("Not saved: " + (errors.detail || "HTTP " + answer.status));
        // Someone else settled it meanwhile (the page now holds their version): it is no longer the one to act on.
        var now = claims.get(id);
        if (currentId === id && now && now.status !== "suggested") { leave(now); }
        return;
      }
      if (editing && editing.claim && editing.claim.id === id) { closeForm(); }
      if (currentId === id) { leave(claim); }
      if (status === "rejected") { claims.delete(id); relayout([claim]); renderLists(); }
      announce((status === "confirmed" ? "Accepted: " : "Rejected: ") + claim.quote + ". Press j for the next one.");
    });
  }

  // Accepting confirms the suggestion with the names it proposes; with no subject to confirm, nothing is sent and
  // the form opens on the Subject field instead.
  function accept(id) {
    var claim = claims.get(id);
    if (!claim || claim.status !== "suggested") { return; }
    if (claim.status === "suggested" && needsSubject(claim)) {
      var why = genericProposal(claim) ? GENERIC_SUBJECT.split("%s").join(claim.proposed_subject) : SUBJECT_NEEDED;
      openToFix(id, {subject: [why]});
      return;
    }
    setStatus(id, "confirmed");
  }

  // ------------------------------------------------------------------------------------------ suggestions

  function cardFor(id) {
    return id === null ? null : $("suggestions").querySelector("li[data-claim='" + id + "']");
  }

  // j/k walk the suggestions in text order and wrap around at either end. After an accept or reject the walk
  // goes on from where the finished suggestion was.
  function step(direction) {
    var list = suggestions();
    if (!list.length) { setCurrent(null); announce("No suggestions waiting."); return; }
    var here = claims.get(currentId) || gap, next = null;
    if (here) {
      var later = function (c) { return c.start > here.start || (c.start === here.start && c.id > here.id); };
      next = direction > 0 ? list.find(later)
        : list.slice().reverse().find(function (c) { return c.id !== here.id && !later(c); });
    }
    next = next || (direction > 0 ? list[0] : list[list.length - 1]);
    select(next.id);
  }

  function setCurrent(id) {
    var before = claims.get(currentId);
    currentId = id;
    if (id !== null) { gap = null; }
    relayout([before, claims.get(id)]);
    $("suggestions").querySelectorAll("li[data-claim]").forEach(function (li) {
      if (Number(li.dataset.claim) === id) { li.setAttribute("aria-current", "true"); } else { li.removeAttribute("aria-current"); }
    });
  }

  // The current suggestion's card takes the focus (so e/a/r act on what the editor sees) and both it and the
  // highlight in the text are scrolled into view.
  function select(id) {
    setCurrent(id);
    var now = claims.get(id);
    if (!now) { return; }
    var mark = textRoot.querySelector("mark.current");
    if (mark) { mark.scrollIntoView({block: "nearest"}); }
    var card = cardFor(id);
    if (card) {
      card.focus({preventScroll: true});
      card.scrollIntoView({block: "nearest"});
    }
    announce("Suggestion: " + describe(now) + " — “" + now.quote + "”");
  }

  function leave(claim) {
    setCurrent(null);
    gap = {start: claim.start, id: claim.id};
  }

  // ------------------------------------------------------------------------------------------ autocomplete

  var openCombos = [];

  function closeOptions() { openCombos.slice().forEach(function (close) { close(); }); }

  function combobox(input, listbox, url, onPick) {
    var timer = null, names = [], active = -1;
    function render() {
      listbox.replaceChildren.apply(listbox, names.map(function (name, i) {
        var option = el("li", {role: "option", id: listbox.id + "-" + i, "aria-selected": String(i === active)}, name);
        option.addEventListener("mousedown", function (e) { e.preventDefault(); });
        option.addEventListener("click", function () { pick(name); });
        return option;
      }));
      var open = names.length > 0;
      listbox.hidden = !open;
      input.setAttribute("aria-expanded", String(open));
      if (active >= 0) { input.setAttribute("aria-activedescendant", listbox.id + "-" + active); } else { input.removeAttribute("aria-activedescendant"); }
      var index = openCombos.indexOf(close);
      if (open && index < 0) { openCombos.push(close); } else if (!open && index >= 0) { openCombos.splice(index, 1); }
    }
    function close() { names = []; active = -1; render(); }
    function pick(name) { input.value = name; clearFieldError(input); close(); input.focus(); if (onPick) { onPick(); } }
    function lookup() {
      var query = input.value.trim();
      if (!query) { close(); return; }
      fetch(url + "?q=" + encodeURIComponent(query), {credentials: "same-origin", headers: {Accept: "application/json"}})
        .then(function (r) { return r.ok ? r.json() : {results: []}; })
        .then(function (json) {
          if (input.value.trim() !== query || document.activeElement !== input) { return; }
          names = (json.results || json).map(function (row) { return row.name; })
            .filter(function (name) { return name !== query; }).slice(0, 10);
          active = -1;
          render();
        }, close);
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(lookup, 120); });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    input.addEventListener("keydown", function (e) {
      if (!names.length) { return; }
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        active = (active + (e.key === "ArrowDown" ? 1 : names.length - 1) + (active < 0 && e.key === "ArrowUp" ? 1 : 0)) % names.length;
        render();
        e.preventDefault();
      } else if (e.key === "Enter" && active >= 0) {
        pick(names[active]);
        e.preventDefault();
      } else if (e.key === "Escape") {
        close();
        e.preventDefault();
        e.stopPropagation();
      }
    });
  }

  // ------------------------------------------------------------------------------------------ near names

  // "Did you mean …?" under the Subject box: the existing subjects whose name is near a new name typed in
  // (GET subjects/near/, editors only), each a button that puts its name in the box. Advisory only: saving is
  // never held up by it. Nothing is said for a blank box or for a name that already is an existing subject's.
  var NEAR_DELAY_MS = 250;

  function foldName(name) { return name.replace(/\s+/g, " ").trim().toLowerCase(); }

  function nearNames(input, region, url) {
    var timer = null, asked = 0;   // asked: the latest request; an answer to an earlier one is stale
    function clear() { region.replaceChildren(); }
    function use(name) {
      input.value = name;
      if (editing && !editing.claim) { editing.touched.subject = true; }
      clearFieldError(input);
      clear();
      input.focus();
      announce("Subject: " + name + ", an existing subject.");
    }
    function show(name, near) {
      // The endpoint lists a subject already called `name` first: then the name is no new one.
      if (!near.length || foldName(near[0].name) === foldName(name)) { clear(); return; }
      var list = el("ul", {"aria-label": "Existing subjects with a near name"});
      near.forEach(function (subject) {
        var button = el("button", {type: "button", title: "Use the existing subject “" + subject.name + "”"}, subject.name);
        button.addEventListener("click", function () { use(subject.name); });
        var item = el("li");
        item.appendChild(button);
        list.appendChild(item);
      });
      region.replaceChildren(el("p", {}, "Did you mean an existing subject? “" + name + "” would be a new one."), list);
    }
    function check() {
      var name = input.value.trim(), ticket = ++asked;
      if (!name) { clear(); return; }
      fetch(url + "?" + new URLSearchParams({name: name, limit: "5"}),
        {credentials: "same-origin", headers: {Accept: "application/json"}})
        .then(function (r) { return r.ok ? r.json() : {near: []}; })
        .then(function (json) {
          if (ticket !== asked || input.value.trim() !== name) { return; }
          show(name, (json && json.near) || []);
        }, function () { if (ticket === asked) { clear(); } });
    }
    // Each change cancels what is pending; the warning shown stays until the new answer (no flicker while typing),
    // except that an emptied box clears it at once.
    function refresh() {
      clearTimeout(timer);
      asked++;
      if (!input.value.trim()) { clear(); return; }
      timer = setTimeout(check, NEAR_DELAY_MS);
    }
    function reset() { clearTimeout(timer); asked++; clear(); }
    input.addEventListener("input", refresh);
    return {refresh: refresh, reset: reset};
  }

  // ------------------------------------------------------------------------------------------ events

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName));
  }

  // ---- the selection: a settled selection in the text opens the new-claim form, which then follows it

  var pointerDown = false, byPointer = false, followTimer = null, followed = null;

  function showProblem(message) {
    problemNode.textContent = message;
    problemNode.hidden = !message;
  }

  function followSelection() {
    followTimer = null;
    if (pointerDown) { return; }   // a drag or a click in progress: its mouseup comes back here
    var span = selectedSpan();
    if (!span) {
      followed = null;
      if (window.getSelection().isCollapsed) { showProblem(""); }
      return;
    }
    if (span.problem) { followed = null; showProblem(span.problem); announce(span.problem); return; }
    showProblem("");
    var key = span.start + ":" + span.end;
    // Putting the selection back after a relayout fires selectionchange again with the same span.
    if (key === followed) { return; }
    followed = key;
    openNew(span, false);
    // After a mouse selection the selection shows what the claim will be: spaces dropped, a cut word made whole,
    // its direction kept. Not after arrow keys: Shift+Left could then never shrink a selection inside a word.
    var now = byPointer && savedSelection();
    if (now && (Math.min(now.anchor, now.focus) !== span.start || Math.max(now.anchor, now.focus) !== span.end)) {
      restoreSelection(now.anchor <= now.focus ? {anchor: span.start, focus: span.end}
        : {anchor: span.end, focus: span.start});
    }
  }

  function scheduleFollow() {
    if (followTimer === null) { followTimer = setTimeout(followSelection, 0); }
  }

  textRoot.addEventListener("mousedown", function (event) {
    if (event.button !== 0) { return; }
    pointerDown = true;
    // Typing in the form took the selection out of the text; a shift-click still extends the span in the form,
    // from its far side, as it would have extended the selection.
    if (event.shiftKey && editing && !editing.claim && !savedSelection()) {
      var at = document.caretRangeFromPoint && document.caretRangeFromPoint(event.clientX, event.clientY);
      var offset = at && textRoot.contains(at.startContainer) ? pointOffset(at.startContainer, at.startOffset, false) : null;
      restoreSelection(offset !== null && offset < editing.start ? {anchor: editing.end, focus: editing.start}
        : {anchor: editing.start, focus: editing.end});
    }
  });
  document.addEventListener("keydown", function () { byPointer = false; }, true);
  document.addEventListener("mouseup", function () {
    pointerDown = false;
    byPointer = true;
    // Let the browser finish the selection (a double-click extends it after mouseup).
    scheduleFollow();
  });
  // Keyboard selection (shift+arrows), touch handles and programmatic selections arrive here.
  document.addEventListener("selectionchange", function () {
    tagButton.hidden = !!editing || !selectedSpan();
    scheduleFollow();
  });

  textRoot.addEventListener("click", function (event) {
    var mark = event.target.closest && event.target.closest("mark[data-claims]");
    if (!mark || !mark.dataset.claims || !window.getSelection().isCollapsed) { return; }
    var ids = mark.dataset.claims.split(" ").map(Number).filter(function (id) { return claims.has(id); });
    if (!ids.length) { return; }
    // The shortest claim under the click is the one the editor is most likely aiming at.
    ids.sort(function (a, b) { var x = claims.get(a), y = claims.get(b); return (x.end - x.start) - (y.end - y.start); });
    openExisting(ids[0]);
  });

  function tagSelection() {
    if (editing && !editing.claim) { F.subject.focus(); return true; }
    var span = selectedSpan();
    if (!span) { return false; }
    if (span.problem) { showProblem(span.problem); return true; }
    followed = span.start + ":" + span.end;
    openNew(span, true);
    return true;
  }

  tagButton.addEventListener("click", tagSelection);

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-action]");
    if (!button) { return; }
    var id = Number(button.dataset.claim);
    var action = button.dataset.action;
    if (action === "close") { closeForm(); }
    else if (action === "accept") { accept(id); }
    else if (action === "reject") { setStatus(id, "rejected"); }
    else if (action === "edit") { openExisting(id); }
    else if (action === "reject-open" && editing && editing.claim) { setStatus(editing.claim.id, "rejected"); }
  });

  // A card that takes the focus (Tab, a click on its buttons) becomes the current suggestion.
  $("suggestions").addEventListener("focusin", function (event) {
    var card = event.target.closest("li[data-claim]");
    if (card && Number(card.dataset.claim) !== currentId) { setCurrent(Number(card.dataset.claim)); }
  });

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (event.key === "Escape") {
      if (!form.hidden) { closeForm(); event.preventDefault(); }
      return;
    }
    if (typing(event.target)) { return; }
    var key = event.key;
    var inText = event.target === document.body || textRoot.contains(event.target);
    if (key === "j" || key === "k") { step(key === "j" ? 1 : -1); }
    else if (key === "a" && currentId !== null) { accept(currentId); }
    else if (key === "r" && (claims.get(currentId) || {}).status === "suggested") { setStatus(currentId, "rejected"); }
    else if (key === "e" && currentId !== null) { openExisting(currentId); }
    else if (key === "t" || (key === "Enter" && inText && editing && !editing.claim)) { if (!tagSelection()) { return; } }
    else { return; }
    event.preventDefault();
  });

  // What the editor types in the new-claim form survives the form following the selection.
  form.addEventListener("input", function (event) {
    if (!editing || editing.claim) { return; }
    Object.keys(F).forEach(function (key) { if (F[key] === event.target) { editing.touched[key] = true; } });
  });

  form.addEventListener("submit", submit);
  // An error stays beside its field only until the editor changes that field.
  form.addEventListener("input", function (event) { clearFieldError(event.target); });
  F.kind.addEventListener("change", showKindFields);
  subjectNear = nearNames(F.subject, $("subject-near"), $("subject-near").dataset.url);
  combobox(F.subject, $("subject-options"), data.api.subjects, subjectNear.reset);
  combobox(F.speaker, $("speaker-options"), data.api.speakers);
  combobox(F.after, $("after-options"), data.api.subjects);

  relayout();
  renderLists();
  textRoot.dataset.ready = "true";
})();
