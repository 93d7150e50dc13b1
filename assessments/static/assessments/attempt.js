/* Quiz screens: autosave with an offline path, and the countdown.
 *
 * Every answer is kept on this device (localStorage) until the server confirms it, and is sent
 * as the trainee types. When a save fails (no network, server error) the question shows
 * "Hors ligne" and a banner says the answers are kept; they are sent again with a growing delay
 * (2 s, 4 s … 60 s) and at once when the connection returns. At time-up the submit is queued
 * the same way: it is sent, after the answers, as soon as the server can be reached (the server
 * accepts answers for a grace period after the deadline and keeps later ones as late answers).
 * Server answers: 200 stored; 404 not part of the attempt; 409 attempt closed (the value is kept
 * as a late answer); those three are final. Anything else is retried.
 */
(function () {
  "use strict";
  var root = document.querySelector("[data-attempt]");
  if (!root) { return; }
  var form = document.getElementById("attempt-form");
  var confirmForm = document.getElementById("confirm-form");
  var storageKey = "ensemblier-quiz-" + root.dataset.attempt;
  var banner = document.getElementById("etat-connexion");
  var retryTimer = null;
  var retryDelay = 2000;
  var flushing = false;
  var again = false;
  var debounce = {};
  var closedUrl = null;  // set when the server says the attempt is closed
  var OFFLINE = "Hors ligne : vos réponses sont gardées sur cet appareil et seront envoyées dès le retour de la connexion.";
  var OFFLINE_TIME_UP = "Hors ligne, temps écoulé : vos réponses sont gardées sur cet appareil et seront envoyées dès le retour de la connexion. Ne fermez pas cette page.";
  var EXPIRED = "Session expirée : reconnectez-vous dans un autre onglet ; vos réponses sont gardées sur cet appareil.";

  // ------------------------------------------------------------------ device copy
  function read() {
    try {
      var state = JSON.parse(window.localStorage.getItem(storageKey) || "{}");
      state.answers = state.answers || {};
      return state;
    } catch (e) { return { answers: {} }; }
  }
  function write(state) {
    try {
      if (Object.keys(state.answers).length || state.submit) {
        window.localStorage.setItem(storageKey, JSON.stringify(state));
      } else { window.localStorage.removeItem(storageKey); }
    } catch (e) { /* storage full or disabled: the server copy is all we have */ }
  }
  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  // ------------------------------------------------------------------ display
  function fieldset(name) { return form ? form.querySelector("fieldset[data-field='" + name + "']") : null; }
  function setStatus(name, className, text) {
    var box = fieldset(name);
    var slot = box && box.querySelector(".save-status");
    if (!slot) { return; }
    slot.textContent = "";
    var span = document.createElement("span");
    span.className = className;
    span.textContent = text;
    slot.appendChild(span);
  }
  function setStatusHtml(name, html) {
    var box = fieldset(name);
    var slot = box && box.querySelector(".save-status");
    if (slot) { slot.innerHTML = html; }
  }
  function showBanner(text) {
    if (!banner) { return; }
    banner.textContent = text || "";
    banner.hidden = !text;
  }
  function fieldValues(name) {
    var values = [];
    form.querySelectorAll("[name='" + name + "']").forEach(function (input) {
      if (input.type === "checkbox" || input.type === "radio") {
        if (input.checked) { values.push(input.value); }
      } else { values.push(input.value); }
    });
    return values;
  }
  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // ------------------------------------------------------------------ sending
  function Offline(expired) { this.expired = expired; }

  function post(url, data) {
    return fetch(url, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() }
    }).catch(function () { throw new Offline(false); }).then(function (response) {
      var loginPage = response.redirected && response.url.indexOf("/connexion") !== -1;
      if (loginPage || response.status === 401 || response.status === 403) { throw new Offline(true); }
      return response;
    });
  }

  function sendAnswer(name, entry) {
    var data = new FormData();
    entry.values.forEach(function (value) { data.append(name, value); });
    return post(entry.url, data).then(function (response) {
      var final = response.ok || response.status === 404 || response.status === 409;
      if (!final) { throw new Offline(false); }
      var closed = response.headers.get("X-Attempt-Closed");
      return response.text().then(function (html) {
        setStatusHtml(name, html);
        var state = read();
        if (state.answers[name] && same(state.answers[name].values, entry.values)) {
          delete state.answers[name];
        }
        if (closed) { closedUrl = closed; }
        write(state);
      });
    });
  }

  function sendSubmit(entry) {
    var data = new FormData();
    entry.fields.forEach(function (pair) { data.append(pair[0], pair[1]); });
    return post(entry.url, data).then(function (response) {
      if (!response.ok) { throw new Offline(false); }
      window.localStorage.removeItem(storageKey);
      window.location.assign(response.url);
    });
  }

  function scheduleRetry() {
    if (retryTimer) { return; }
    retryTimer = window.setTimeout(function () { retryTimer = null; flush(); }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 60000);
  }

  function flush() {
    if (flushing) { again = true; return; }
    var state = read();
    var names = Object.keys(state.answers);
    if (!names.length && !state.submit) { showBanner(""); return; }
    if (navigator.onLine === false) { goneOffline(false); return; }
    flushing = true;
    var chain = Promise.resolve();
    names.forEach(function (name) {
      chain = chain.then(function () {
        var entry = read().answers[name];
        return entry ? sendAnswer(name, entry) : null;
      });
    });
    chain.then(function () {
      var current = read();
      if (current.submit) { return sendSubmit(current.submit); }
      if (closedUrl && !Object.keys(current.answers).length) {
        // Closed meanwhile: the result page lists what arrived late.
        window.location.assign(closedUrl);
      }
    }).then(function () {
      retryDelay = 2000;
      if (!Object.keys(read().answers).length) { showBanner(""); }
    }).catch(function (error) {
      goneOffline(error instanceof Offline && error.expired);
    }).then(function () {
      flushing = false;
      if (again) { again = false; flush(); }
    });
  }

  function goneOffline(expired) {
    var state = read();
    Object.keys(state.answers).forEach(function (name) {
      setStatus(name, "save-warning save-offline", expired
        ? "Session expirée — réponse gardée sur cet appareil"
        : "Hors ligne — réponse gardée sur cet appareil, elle sera envoyée");
    });
    showBanner(expired ? EXPIRED : (state.submit ? OFFLINE_TIME_UP : OFFLINE));
    scheduleRetry();
  }

  // ------------------------------------------------------------------ typing
  function remember(name) {
    var box = fieldset(name);
    if (!box || !box.dataset.autosaveUrl) { return; }
    var state = read();
    state.answers[name] = { url: box.dataset.autosaveUrl, values: fieldValues(name) };
    write(state);
  }
  function onEdit(event, delay) {
    var box = event.target && event.target.closest && event.target.closest("fieldset[data-field]");
    if (!box || timeIsUp) { return; }
    var name = box.dataset.field;
    remember(name);
    window.clearTimeout(debounce[name]);
    debounce[name] = window.setTimeout(flush, delay);
  }
  if (form) {
    form.addEventListener("input", function (event) { onEdit(event, 800); });
    form.addEventListener("change", function (event) { onEdit(event, 0); });
    form.addEventListener("submit", function (event) {
      if (navigator.onLine === false) {
        // Changing screen needs the network: stay here, the answers are kept on the device.
        event.preventDefault();
        goneOffline(false);
      } else {
        // The form posts every answer it shows itself.
        var state = read();
        Object.keys(state.answers).forEach(function (name) {
          if (fieldset(name)) { delete state.answers[name]; }
        });
        write(state);
      }
    });
  }
  window.addEventListener("online", function () { retryDelay = 2000; flush(); });
  window.addEventListener("offline", function () { goneOffline(false); });

  // ------------------------------------------------------------------ time-up
  var timeIsUp = false;
  function timeUp() {
    if (timeIsUp) { return; }
    timeIsUp = true;
    var state = read();
    var source = form || confirmForm;
    if (source && !state.submit) {
      var fields = [];
      new FormData(source).forEach(function (value, key) { fields.push([key, value]); });
      if (form) { fields.push(["action", "timeout"]); }
      // getAttribute: the buttons named "action" shadow the form.action property.
      state.submit = { url: source.getAttribute("action"), fields: fields };
      write(state);
    }
    if (form) {
      form.querySelectorAll("input, textarea, button").forEach(function (input) { input.disabled = true; });
    }
    showBanner("Temps écoulé : envoi de vos réponses…");
    flush();
  }

  var timer = document.querySelector(".timer[data-deadline]");
  if (timer) {
    var deadline = Date.parse(timer.dataset.deadline);
    var skew = Date.parse(timer.dataset.now) - Date.now();
    var value = timer.querySelector(".timer-value");
    var alertBox = timer.querySelector(".timer-alert");
    var warned = {};
    var label = function (ms) {
      var total = Math.max(0, Math.round(ms / 1000));
      var hours = Math.floor(total / 3600);
      var minutes = Math.floor((total % 3600) / 60);
      var seconds = total % 60;
      return (hours ? hours + " h " : "") + minutes + " min " + (seconds < 10 ? "0" : "") + seconds + " s";
    };
    var tick = function () {
      var left = deadline - (Date.now() + skew);
      value.textContent = label(left);
      [5, 1].forEach(function (minutes) {
        if (left <= minutes * 60000 && left > 0 && !warned[minutes]) {
          warned[minutes] = true;
          timer.classList.add("is-low");
          alertBox.textContent = "Il reste " + minutes + " minute" + (minutes > 1 ? "s" : "") + ".";
        }
      });
      if (left <= 0) {
        value.textContent = "temps écoulé";
        timeUp();
        return;
      }
      window.setTimeout(tick, 1000);
    };
    tick();
  }

  // ------------------------------------------------------------------ answer counter
  // The header's "N réponses sur M" follows what is typed: the questions answered on other
  // screens (the server's count minus this screen's at load) plus this screen's now.
  var counter = document.querySelector("[data-answered-count]");
  function answeredHere() {
    if (!form) { return 0; }
    var count = 0;
    form.querySelectorAll("fieldset[data-field]").forEach(function (box) {
      var filled = fieldValues(box.dataset.field).some(function (value) { return String(value).trim() !== ""; });
      if (filled) { count += 1; }
    });
    return count;
  }
  var answeredElsewhere = counter ? Math.max(0, parseInt(counter.dataset.answeredCount, 10) - answeredHere()) : 0;
  function showCount() {
    if (!counter) { return; }
    var count = answeredElsewhere + answeredHere();
    // French: 0 and 1 take the singular.
    counter.textContent = count + (count >= 2 ? " réponses" : " réponse");
  }
  if (counter && form) {
    form.addEventListener("input", showCount);
    form.addEventListener("change", showCount);
  }

  // ------------------------------------------------------------------ back on the page
  // Answers left on this device by an earlier visit are newer than the server's: restore, send.
  var saved = read();
  if (form) {
    Object.keys(saved.answers).forEach(function (name) {
      var inputs = form.querySelectorAll("[name='" + name + "']");
      if (!inputs.length) { return; }  // another screen of the attempt: sent as is
      var values = saved.answers[name].values;
      inputs.forEach(function (input) {
        if (input.type === "checkbox" || input.type === "radio") {
          input.checked = values.indexOf(input.value) !== -1;
        } else { input.value = values.length ? values[values.length - 1] : ""; }
      });
      setStatus(name, "save-warning", "Réponse retrouvée sur cet appareil — envoi en cours");
    });
  }
  showCount();
  if (Object.keys(saved.answers).length || saved.submit) { flush(); }
})();
