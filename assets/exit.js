// Progressive enhancements. Quick exit, enhanced. Without this file the [data-quick-exit] links still
// work: they lead to /lamna, which clears site data and redirects.
(function () {
  "use strict";
  // Move focus to a form's error summary, so it is read out first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
})();

(function () {
  "use strict";
  var links = document.querySelectorAll("[data-quick-exit]");
  if (!links.length) return;
  var target = links[0].getAttribute("href");
  var status = document.getElementById("quick-exit-status");
  var neutralTitle = links[links.length - 1].getAttribute("data-neutral-title") || "";
  var leaving = false;

  function leave(event) {
    if (event) event.preventDefault();
    if (leaving) return;
    leaving = true;
    // Blank the page at once: on a slow connection the next page may take
    // seconds, and someone may be looking at the screen.
    var overlay = document.createElement("div");
    overlay.className = "quick-exit-overlay";
    document.body.appendChild(overlay);
    document.title = neutralTitle;
    // replace(), not assign(): the page being left must not stay in history.
    window.location.replace(target);
  }

  for (var i = 0; i < links.length; i++) links[i].addEventListener("click", leave);

  // Shift pressed on its own three times within five seconds also leaves.
  var presses = 0, firstAt = 0, shiftClean = false, timer = 0;
  var coarse = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;

  function say(text) { if (status) status.textContent = text; }
  function reset() {
    presses = 0;
    clearTimeout(timer);
    say("");
  }
  function typing() {
    var el = document.activeElement;
    if (!el) return false;
    var tag = el.tagName;
    return el.isContentEditable || tag === "TEXTAREA" || tag === "SELECT" ||
      (tag === "INPUT" && !/^(button|checkbox|radio|submit|reset|range|color|file|image)$/.test(el.type));
  }

  document.addEventListener("keydown", function (e) {
    if (e.key === "Shift") {
      // Auto-repeat while held down is one press, not many.
      if (!e.repeat) shiftClean = true;
      return;
    }
    // Any other key (Shift used as a modifier too) breaks the sequence.
    shiftClean = false;
    if (presses) reset();
  }, true);

  document.addEventListener("keyup", function (e) {
    if (e.key !== "Shift") return;
    if (!shiftClean) return;
    shiftClean = false;
    // On touch devices on-screen keyboards send stray Shift events.
    if (coarse && typing()) return;
    var now = Date.now();
    if (!presses || now - firstAt > 5000) { presses = 0; firstAt = now; }
    presses += 1;
    if (presses >= 3) { reset(); leave(); return; }
    if (status) say(status.getAttribute("data-msg-" + (3 - presses)) || "");
    clearTimeout(timer);
    timer = setTimeout(reset, 5000 - (now - firstAt));
  }, true);
})();
