// Progressive enhancement for the session pages. Everything works without it: each item's form
// saves the answer with whatever button is pressed, and every drag has a keyboard-usable
// <select> that it only sets. With it: answers save as soon as they change, limits apply at the
// moment of choosing, build lists and drag and drop behave as on the exam, options can be struck
// out, and keyboard shortcuts work.
(function () {
  "use strict";
  var form = document.getElementById("item-form");
  var status = document.querySelector("[data-save-status]");
  var say = function (text) { if (status) { status.textContent = text; } };

  // ----- Saving on change -------------------------------------------------------------------
  var pending = null;
  function save() {
    if (!form) { return; }
    var data = new URLSearchParams(new FormData(form));
    data.set("op", "save");
    say("Saving…");
    fetch(form.action, {
      method: "POST",
      headers: { "X-Requested-With": "fetch", "Content-Type": "application/x-www-form-urlencoded" },
      body: data.toString(),
      credentials: "same-origin",
    }).then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, body: body }; });
    }).then(function (res) {
      if (res.ok) {
        say("Saved.");
        var answered = document.querySelector("[data-answered]");
        if (answered && res.body.answered !== null) { answered.textContent = res.body.answered; }
      } else {
        say(res.body.message || "Not saved.");
      }
    }).catch(function () { say("Not saved yet: it will be saved when you move on."); });
  }
  if (form) {
    form.addEventListener("change", function (e) {
      var t = e.target;
      if (!t || t.disabled || !t.name || t.name === "confidence") { return; }
      clearTimeout(pending);
      pending = setTimeout(save, 150);
    });
  }

  // ----- A drop-down used twice in the text: its choice echoed at the second place -----------
  document.querySelectorAll("[data-echo]").forEach(function (echo) {
    var select = document.getElementById(echo.getAttribute("data-echo"));
    if (!select) { return; }
    var show = function () {
      var option = select.options[select.selectedIndex];
      echo.textContent = select.value ? option.text.replace(/^[A-Z]\. /, "") : "[drop-down " + select.id.slice(4) + "]";
    };
    select.addEventListener("change", show);
    show();
  });

  // ----- Multiple response: never more than "choose N" -------------------------------------
  document.querySelectorAll("fieldset.choices[data-choose]").forEach(function (set) {
    var n = parseInt(set.getAttribute("data-choose"), 10);
    var boxes = set.querySelectorAll("input[type=checkbox]");
    var count = set.querySelector("[data-choose-count]");
    var apply = function () {
      var chosen = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
      boxes.forEach(function (b) {
        if (!b.hasAttribute("data-locked")) { b.disabled = !b.checked && chosen >= n; }
      });
      if (count) { count.textContent = chosen + " of " + n + " chosen" + (chosen >= n ? ": clear one to choose another" : ""); }
    };
    boxes.forEach(function (b) {
      if (b.disabled) { b.setAttribute("data-locked", ""); }
      b.addEventListener("change", apply);
    });
    if (!Array.prototype.some.call(boxes, function (b) { return b.hasAttribute("data-locked"); })) { apply(); }
  });

  // ----- Striking out options the candidate has ruled out -------------------------------------
  var strikeKey = form ? "struck:" + form.action : "";
  var struck = {};
  try { struck = JSON.parse(sessionStorage.getItem(strikeKey) || "{}"); } catch (e) { struck = {}; }
  function toggleStrike(option) {
    var label = option.getAttribute("data-option");
    option.classList.toggle("struck");
    var on = option.classList.contains("struck");
    struck[label] = on;
    var button = option.querySelector("button.strike");
    if (button) { button.setAttribute("aria-pressed", on ? "true" : "false"); }
    try { sessionStorage.setItem(strikeKey, JSON.stringify(struck)); } catch (e) { /* private mode */ }
  }
  document.querySelectorAll(".choices .option").forEach(function (option) {
    var input = option.querySelector("input");
    if (!input || input.disabled) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary strike";
    button.textContent = "strike out";
    button.setAttribute("aria-pressed", "false");
    button.setAttribute("aria-label", "Strike out option " + option.getAttribute("data-option"));
    button.addEventListener("click", function () { toggleStrike(option); });
    option.querySelector("label").after(button);
    if (struck[option.getAttribute("data-option")]) { toggleStrike(option); }
  });

  // ----- Drag and drop (matching): sources onto targets; each once unless reuse ---------------
  document.querySelectorAll("fieldset.dnd").forEach(function (set) {
    var reuse = set.getAttribute("data-reuse") === "yes";
    var selects = set.querySelectorAll(".target select");
    var sources = set.querySelectorAll("[data-source]");
    var refresh = function () {
      var used = {};
      selects.forEach(function (s) { if (s.value) { used[s.value] = true; } });
      selects.forEach(function (s) {
        Array.prototype.forEach.call(s.options, function (o) {
          if (o.value) { o.disabled = !reuse && used[o.value] && s.value !== o.value; }
        });
      });
      sources.forEach(function (li) {
        li.classList.toggle("used", !reuse && !!used[li.getAttribute("data-source")]);
      });
    };
    sources.forEach(function (li) {
      if (selects.length && selects[0].disabled) { return; }
      li.setAttribute("draggable", "true");
      li.addEventListener("dragstart", function (e) {
        e.dataTransfer.setData("text/plain", li.getAttribute("data-source"));
        li.classList.add("dragging");
      });
      li.addEventListener("dragend", function () { li.classList.remove("dragging"); });
    });
    set.querySelectorAll("[data-drop]").forEach(function (zone) {
      zone.addEventListener("dragover", function (e) { e.preventDefault(); zone.classList.add("drop-over"); });
      zone.addEventListener("dragleave", function () { zone.classList.remove("drop-over"); });
      zone.addEventListener("drop", function (e) {
        e.preventDefault();
        zone.classList.remove("drop-over");
        var label = e.dataTransfer.getData("text/plain");
        var select = document.getElementById(zone.getAttribute("data-drop"));
        if (!select || select.disabled) { return; }
        if (!reuse) {
          selects.forEach(function (s) { if (s !== select && s.value === label) { s.value = ""; } });
        }
        select.value = label;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      });
    });
    selects.forEach(function (s) { s.addEventListener("change", refresh); });
    refresh();
  });

  // ----- Build list: pick the actions, order them; chosen actions leave the source list -------
  document.querySelectorAll("fieldset.buildlist").forEach(function (set) {
    var places = parseInt(set.getAttribute("data-places"), 10);
    var selects = Array.prototype.slice.call(set.querySelectorAll(".bl-steps select"));
    if (!selects.length || selects[0].disabled) { return; }
    var source = set.querySelector(".bl-actions");
    var answerPane = set.querySelector(".answer-pane");
    var texts = {};
    set.querySelectorAll("[data-action]").forEach(function (li) {
      texts[li.getAttribute("data-action")] = li.querySelector(".text").innerHTML;
    });
    var chosen = selects.map(function (s) { return s.value; }).filter(function (v) { return v; });
    var list = document.createElement("ol");
    list.className = "bl-chosen";
    list.setAttribute("aria-label", "Your sequence");
    var hint = document.createElement("p");
    hint.className = "muted";
    hint.setAttribute("aria-live", "polite");
    answerPane.appendChild(list);
    answerPane.appendChild(hint);
    set.querySelector(".bl-steps").hidden = true;
    var sync = function (focusLabel) {
      selects.forEach(function (s, i) { s.value = chosen[i] || ""; });
      list.innerHTML = "";
      chosen.forEach(function (label, i) {
        var li = document.createElement("li");
        li.setAttribute("data-chosen", label);
        li.setAttribute("draggable", "true");
        li.innerHTML = '<span class="letter">' + label + '.</span> <span class="text">' + texts[label] + "</span>";
        var tools = document.createElement("span");
        tools.className = "bl-tools";
        [["up", "↑", "Move up"], ["down", "↓", "Move down"], ["remove", "Remove", "Remove from the sequence"]].forEach(function (b) {
          var btn = document.createElement("button");
          btn.type = "button";
          btn.className = "secondary";
          btn.textContent = b[1];
          btn.setAttribute("data-op", b[0]);
          btn.setAttribute("aria-label", b[2] + ": action " + label);
          if ((b[0] === "up" && i === 0) || (b[0] === "down" && i === chosen.length - 1)) { btn.disabled = true; }
          tools.appendChild(btn);
        });
        li.appendChild(tools);
        list.appendChild(li);
      });
      source.querySelectorAll("[data-action]").forEach(function (li) {
        var label = li.getAttribute("data-action");
        li.hidden = chosen.indexOf(label) >= 0;
        var add = li.querySelector(".bl-add");
        if (add) { add.disabled = chosen.length >= places; }
      });
      hint.textContent = chosen.length + " of " + places + " actions in your sequence" + (chosen.length >= places ? ": remove one to add another." : ".");
      if (focusLabel) {
        var target = list.querySelector('[data-chosen="' + focusLabel + '"] button:not([disabled])') || source.querySelector(".bl-add:not([disabled])");
        if (target) { target.focus(); }
      }
      var first = selects[0];
      if (first) { first.dispatchEvent(new Event("change", { bubbles: true })); }
    };
    var add = function (label) {
      if (chosen.indexOf(label) < 0 && chosen.length < places) { chosen.push(label); sync(label); }
    };
    source.querySelectorAll("[data-action]").forEach(function (li) {
      var label = li.getAttribute("data-action");
      var btn = document.createElement("button");
      btn.type = "button";
      btn.className = "secondary bl-add";
      btn.textContent = "Add →";
      btn.setAttribute("aria-label", "Add action " + label + " to the sequence");
      btn.addEventListener("click", function () { add(label); });
      li.appendChild(document.createTextNode(" "));
      li.appendChild(btn);
      li.setAttribute("draggable", "true");
      li.addEventListener("dragstart", function (e) { e.dataTransfer.setData("text/plain", "add:" + label); });
    });
    list.addEventListener("click", function (e) {
      var btn = e.target.closest("button[data-op]");
      if (!btn) { return; }
      var label = btn.closest("[data-chosen]").getAttribute("data-chosen");
      var i = chosen.indexOf(label);
      var op = btn.getAttribute("data-op");
      if (op === "up" && i > 0) { chosen.splice(i - 1, 0, chosen.splice(i, 1)[0]); }
      if (op === "down" && i < chosen.length - 1) { chosen.splice(i + 1, 0, chosen.splice(i, 1)[0]); }
      if (op === "remove") { chosen.splice(i, 1); }
      sync(op === "remove" ? null : label);
    });
    list.addEventListener("dragstart", function (e) {
      var li = e.target.closest("[data-chosen]");
      if (li) { e.dataTransfer.setData("text/plain", "move:" + li.getAttribute("data-chosen")); }
    });
    answerPane.addEventListener("dragover", function (e) { e.preventDefault(); });
    answerPane.addEventListener("drop", function (e) {
      e.preventDefault();
      var data = e.dataTransfer.getData("text/plain");
      var before = e.target.closest && e.target.closest("[data-chosen]");
      var label = data.slice(data.indexOf(":") + 1);
      if (!texts[label]) { return; }
      if (data.indexOf("add:") === 0) {
        if (chosen.indexOf(label) >= 0 || chosen.length >= places) { return; }
      } else if (data.indexOf("move:") === 0) {
        chosen.splice(chosen.indexOf(label), 1);
      } else { return; }
      var at = before ? chosen.indexOf(before.getAttribute("data-chosen")) : -1;
      if (at < 0) { chosen.push(label); } else { chosen.splice(at, 0, label); }
      sync(label);
    });
    sync(null);
  });

  // ----- Keyboard shortcuts -------------------------------------------------------------------
  var click = function (selector) {
    var el = document.querySelector(selector);
    if (el && !el.disabled) { el.click(); return true; }
    return false;
  };
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || !form) { return; }
    var t = e.target;
    var typing = t && (t.tagName === "TEXTAREA" || t.tagName === "SELECT" ||
      (t.tagName === "INPUT" && ["text", "email", "password", "number", "date"].indexOf(t.type) >= 0));
    if (typing) { return; }
    var key = e.key.toLowerCase();
    var done = false;
    if (key.length === 1 && key >= "a" && key <= "h" && !e.shiftKey) {
      var input = form.querySelector('.choices input[value="' + key.toUpperCase() + '"]');
      if (input && !input.disabled) { input.click(); input.focus(); done = true; }
    } else if (key === "n") { done = click('#item-form button[value="next"]') || click('#item-form button[value="review"]');
    } else if (key === "p") { done = click('#item-form button[value="prev"]');
    } else if (key === "r") { done = click('#item-form .nav button[value="review"]');
    } else if (key === "m") {
      var mark = form.querySelector('input[name="review_later"]');
      if (mark) { mark.click(); mark.focus(); done = true; }
    } else if (key === "g") {
      var grid = form.querySelector("details.grid");
      if (grid) { grid.open = true; var cell = grid.querySelector(".cell.current") || grid.querySelector(".cell"); if (cell) { cell.focus(); } done = true; }
    } else if (key === "x") {
      var option = t && t.closest ? t.closest(".option") : null;
      if (option) { toggleStrike(option); done = true; }
    } else if (key === "?") {
      var help = form.querySelector("details.shortcuts");
      if (help) { help.open = true; help.querySelector("summary").focus(); done = true; }
    }
    if (done) { e.preventDefault(); }
  });

  // ----- Focus: on the result after checking, else on the question ---------------------------
  if (location.hash === "#result") {
    var result = document.getElementById("result");
    if (result) { result.focus(); }
  } else {
    var heading = document.getElementById("question");
    if (heading && !document.querySelector("[role=status]:not(:empty)")) { heading.focus({ preventScroll: true }); }
  }

  // ----- The exam clock -----------------------------------------------------------------------
  // Counts down to the deadline the server gave; at zero, reloading lets the server submit the
  // exam (the deadline is enforced there, not here).
  var clock = document.querySelector("[data-deadline]");
  if (clock && clock.getAttribute("data-deadline")) {
    var deadline = Date.parse(clock.getAttribute("data-deadline"));
    var pad = function (n) { return String(n).padStart(2, "0"); };
    var tick = function () {
      var left = Math.max(0, Math.floor((deadline - Date.now()) / 1000));
      clock.textContent = Math.floor(left / 3600) + ":" + pad(Math.floor(left / 60) % 60) + ":" + pad(left % 60);
      if (left === 0) { window.location.reload(); } else { setTimeout(tick, 1000); }
    };
    tick();
  }
})();
