// Back office: warns two minutes before a session would end for lack of
// use, and keeps it alive on request (WCAG 2.2.1 Timing Adjustable). Pages
// work without it; without it the session simply ends after its idle time.
(function () {
  'use strict';
  var box = document.getElementById('idle-warning');
  if (!box || !window.fetch) return;
  var warnAfter = Number(box.getAttribute('data-warn-after')) * 1000;
  var endsAfter = Number(box.getAttribute('data-ends-after')) * 1000;
  var button = document.getElementById('idle-continue');
  var text = document.getElementById('idle-text');
  var timers = [];

  function schedule() {
    timers.forEach(clearTimeout);
    timers = [
      setTimeout(function () {
        box.hidden = false;
        button.focus();
      }, warnAfter),
      setTimeout(function () {
        text.textContent = box.getAttribute('data-ended');
        button.hidden = true;
      }, endsAfter),
    ];
  }

  button.addEventListener('click', function () {
    var body = new URLSearchParams();
    body.set('csrf', box.getAttribute('data-csrf'));
    fetch('/admin/sessionen', { method: 'POST', body: body, redirect: 'manual', credentials: 'same-origin' })
      .then(function (response) {
        if (response.status === 204) {
          box.hidden = true;
          schedule();
        } else {
          text.textContent = box.getAttribute('data-ended');
          button.hidden = true;
        }
      })
      .catch(function () {
        text.textContent = box.getAttribute('data-failed');
      });
  });

  schedule();
})();
