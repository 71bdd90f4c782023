/* sagwa's page behaviours, in one file so that the pages run no inline script (the
   Content-Security-Policy allows scripts from this site only: web/security_headers.py).
   Every behaviour here is an improvement: without script the pages work, and the server's
   answers say what to do. */
(function () {
  "use strict";

  /* A refused form's answer is served at the form's POST address: put the page's own address
     in the address bar (from <meta name="sagwa-address">), so a reload posts nothing. */
  function replaceAddress() {
    var meta = document.querySelector('meta[name="sagwa-address"]');
    if (meta && meta.content) {
      history.replaceState(null, "", meta.content + location.search);
    }
  }

  /* The log-a-call form's call-back time goes with "asked us to call back" only: the field is
     disabled (not sent) for any other outcome, so a time typed and then left behind is not
     refused (the server refuses it anyway: call_attempts.check_callback_at). */
  function syncCallback(select) {
    var field = select.form && select.form.elements.callback_at;
    if (field) { field.disabled = select.value !== "callback_requested"; }
  }
  function syncAllCallbacks() {
    document.querySelectorAll('select[name="outcome"]').forEach(syncCallback);
  }

  /* After a review decision through htmx the page is swapped and focus would fall to the page
     itself: a keyboard or screen-reader user goes on at the next card's heading (the answer
     above it is a status, read out anyway), or at the answer when no card is left. A refusal
     focuses its own field (autofocus), which is left alone. The next card is the one the page
     named (the form's "next"), or, when another reviewer decided that one meanwhile and the
     queue came back without it, the nearest card of the same list still there: after the
     decided one first, then before it (cardsAround, read when the decision was sent). */
  function cardsAround(form) {
    var card = form.closest && form.closest("article.card[id]");
    if (!card) return [];
    var kind = card.id.replace(/[0-9]+$/, "");
    var all = Array.prototype.filter.call(document.querySelectorAll("article.card[id]"),
      function (other) { return other.id.replace(/[0-9]+$/, "") === kind; });
    var at = all.indexOf(card);
    return all.slice(at + 1).concat(all.slice(0, at).reverse())
      .map(function (other) { return other.id; });
  }
  function focusAfterDecision(event) {
    var form = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!form || !form.matches || !form.matches("form.decide")) return;
    if (document.activeElement && document.activeElement !== document.body) return;
    var next = form.querySelector("input[name=next]");
    var ids = (next ? [next.value] : []).concat(form.sagwaCardsAround || []);
    var card = null;
    for (var i = 0; i < ids.length && !card; i++) card = document.getElementById(ids[i]);
    var target = card ? card.querySelector("h2, h3") : document.querySelector("main .flash");
    if (!target) return;
    target.setAttribute("tabindex", "-1");
    target.focus({preventScroll: true});
  }

  /* A page drawn after a full-page action (a form posted, then this page) says what was done
     in its flash (data-focus): focus goes there, so a screen reader reads it and the keyboard
     goes on from it. Not where the page put focus itself (a refused field's autofocus), nor
     where it opens at an anchor (the review queue's next card). */
  function focusFlash() {
    var flash = document.querySelector("main .flash[data-focus]");
    if (!flash || location.hash || document.querySelector("[autofocus]")) return;
    if (document.activeElement && document.activeElement !== document.body) return;
    flash.focus({preventScroll: true});
  }

  /* "Go back" links (data-back) go back in the history when there is one; their href (the
     home page) is where they go otherwise. */
  function goBack(event) {
    var link = event.target.closest && event.target.closest("a[data-back]");
    if (link && history.length > 1) {
      event.preventDefault();
      history.back();
    }
  }

  /* A review decision at work says so until its answer comes (one took 1.5–5 s): aria-busy on
     its form here, its buttons disabled by htmx (hx-disabled-elt). */
  function setBusy(form, busy) {
    if (!form || !form.matches || !form.matches("form")) return;
    if (busy) { form.setAttribute("aria-busy", "true"); } else { form.removeAttribute("aria-busy"); }
  }

  /* A form posted as a whole page (data-busy-on-submit: the seller's price and sale forms;
     a save that goes to the guard and the review queue took a second or more) says so until
     the next page comes: aria-busy on the form, its own submit buttons disabled against a
     second click (a second post would be answered as the first anyway: its form_key). Back to
     the page from the browser's cache undoes it. */
  function busyOnSubmit(event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-busy-on-submit]") || event.defaultPrevented) return;
    setBusy(form, true);
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.type === "submit" && !field.disabled) {
        field.disabled = true;
        field.setAttribute("data-busy-disabled", "");
      }
    });
  }
  function notBusy() {
    document.querySelectorAll("form[data-busy-on-submit]").forEach(function (form) {
      setBusy(form, false);
      form.querySelectorAll("[data-busy-disabled]").forEach(function (field) {
        field.disabled = false;
        field.removeAttribute("data-busy-disabled");
      });
    });
  }

  /* A live check's answer (the seller's price verdict, the notice editor's findings) lands
     above the buttons. Landing between the press on a button and its click, it moved the
     button (or replaced it: the notice's Publish comes with the findings) from under the
     pointer, and the browser sent the click to nothing: the save never left. While a button is
     held down (the main mouse button, or the first finger), live answers (aria-live regions)
     wait; once the press is over — after its click (a mouse's comes with the release, a tap's
     after the finger lifts), or half a second on when none comes — they land, unless a form
     was sent meanwhile (the next page brings its own answer). A press whose release never
     comes (the window lost it) holds them three seconds at most. */
  var buttonHeld = false;
  var waitingAnswers = [];
  var sentMeanwhile = false;
  var landTimer = null;
  function landAnswers() {
    clearTimeout(landTimer);
    landTimer = null;
    buttonHeld = false;
    var answers = waitingAnswers;
    waitingAnswers = [];
    if (sentMeanwhile) return;
    answers.forEach(function (answer) {
      if (answer.target.isConnected) {
        htmx.swap(answer.target, answer.html, { swapStyle: "innerHTML" });
      }
    });
  }
  function pressed(event) {
    if (event.button !== 0 || !event.isPrimary) return;  // a context menu, a second finger
    if (buttonHeld || waitingAnswers.length) landAnswers();  // an earlier press never ended
    var target = event.target;
    buttonHeld = Boolean(target.closest && target.closest("button, input[type=submit]"));
    sentMeanwhile = false;
    if (buttonHeld) landTimer = setTimeout(landAnswers, 3000);
  }
  function pressOver(event) {
    if (!buttonHeld || (event && event.isPrimary === false)) return;
    clearTimeout(landTimer);
    landTimer = setTimeout(landAnswers, 500);  // no click came (released off the button)
  }
  function clicked() {
    if (!buttonHeld) return;
    clearTimeout(landTimer);
    landTimer = setTimeout(landAnswers, 0);  // after the submit this click starts, if any
  }
  function holdAnswerWhilePressed(event) {
    var target = event.detail.target;
    if (!buttonHeld || !target || !event.detail.shouldSwap) return;
    if (!target.hasAttribute || !target.hasAttribute("aria-live")) return;
    event.preventDefault();
    // the last answer for a region is the one that counts (the checks are hx-sync'd)
    waitingAnswers = waitingAnswers.filter(function (answer) { return answer.target !== target; });
    waitingAnswers.push({ target: target, html: event.detail.serverResponse });
  }
  function sent(event) {
    if (!event.defaultPrevented) sentMeanwhile = true;  // not one htmx sends itself
  }

  replaceAddress();
  syncAllCallbacks();
  focusFlash();
  // the browser restores a form's values after this runs (Back, reload): read them again
  window.addEventListener("pageshow", syncAllCallbacks);
  window.addEventListener("pageshow", notBusy);
  document.addEventListener("submit", busyOnSubmit);
  document.addEventListener("pointerdown", pressed, true);
  document.addEventListener("pointerup", pressOver, true);
  document.addEventListener("pointercancel", pressOver, true);
  document.addEventListener("click", clicked, true);
  window.addEventListener("blur", function () { pressOver(); });
  document.addEventListener("submit", sent);
  document.body.addEventListener("htmx:beforeSwap", holdAnswerWhilePressed);
  window.addEventListener("load", syncAllCallbacks);
  document.addEventListener("change", function (event) {
    if (event.target.name === "outcome") { syncCallback(event.target); }
  });
  document.addEventListener("click", goBack);
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (event.target.matches && event.target.matches("form.decide")) {
      setBusy(event.target, true);
      event.target.sagwaCardsAround = cardsAround(event.target);
    }
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    setBusy(event.target, false);
  });
  document.body.addEventListener("htmx:afterSettle", function (event) {
    syncAllCallbacks();
    focusAfterDecision(event);
  });
})();
