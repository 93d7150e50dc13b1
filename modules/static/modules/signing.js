/* Signing on "Aujourd'hui" with poor Wi-Fi.
 *
 * A tap on "Signer ma présence" is first kept on the device (localStorage) with the device's
 * time, then sent with fetch. When the network fails the half-day says
 * "Hors ligne — signature en attente" and the signature is sent again with growing delays
 * (1 s, 2 s, 4 s … up to 1 min) and at once when the browser comes back online, also after a
 * reload. The server checks the tap's time against the half-day's window (see
 * modules/services/attendance.py, attendance_sign_queued); its answer, accepted or refused, is
 * final and shown. Without JavaScript the form posts as usual.
 */
(function () {
  "use strict";
  var KEY = "ensemblier-signatures";
  var MAX_DELAY = 60000;
  var timer = null;
  var attempt = 0;
  var sending = false;

  function read() {
    try { return JSON.parse(window.localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  function write(list) {
    try {
      if (list.length) { window.localStorage.setItem(KEY, JSON.stringify(list)); }
      else { window.localStorage.removeItem(KEY); }
    } catch (e) { /* storage disabled: the signature is only kept while the page is open */ }
  }
  function without(url) { return read().filter(function (entry) { return entry.url !== url; }); }
  function formFor(url) {
    var forms = document.querySelectorAll("form[data-queued-sign]");
    for (var i = 0; i < forms.length; i++) {
      if (forms[i].getAttribute("action") === url) { return forms[i]; }
    }
    return null;
  }
  function timeLabel(iso) {
    var moment = new Date(iso);
    return moment.getHours() + " h " + String(moment.getMinutes()).padStart(2, "0");
  }
  function show(url, text, state) {
    var form = formFor(url);
    if (!form) { return; }
    var status = document.getElementById(form.dataset.statusId);
    if (status) {
      status.textContent = text;
      status.dataset.state = state;
      status.setAttribute("role", state === "refused" ? "alert" : "status");
    }
    var button = form.querySelector("button");
    if (state === "done") { form.hidden = true; }
    else if (button) { button.disabled = state === "pending" || state === "sending"; }
  }
  function showPending(entry, why) {
    show(entry.url, (why || "Hors ligne — signature en attente") + " (donnée à " +
      timeLabel(entry.claimedAt) + ", elle sera envoyée dès le retour du réseau).", "pending");
  }
  function schedule() {
    window.clearTimeout(timer);
    var delay = Math.min(MAX_DELAY, 1000 * Math.pow(2, attempt));
    attempt += 1;
    timer = window.setTimeout(flush, delay);
  }
  function finish(entry, data) {
    write(without(entry.url));
    show(entry.url, data.message, data.ok ? "done" : "refused");
    attempt = 0;
    sending = false;
    flush();
  }
  function flush() {
    var list = read();
    if (sending || !list.length) { return; }
    sending = true;
    var entry = list[0];
    var body = new FormData();
    body.append("csrfmiddlewaretoken", entry.csrf);
    body.append("claimed_at", entry.claimedAt);
    body.append("sent_at", new Date().toISOString());
    window.fetch(entry.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": entry.csrf }
    }).then(function (response) {
      var isJson = (response.headers.get("Content-Type") || "").indexOf("application/json") !== -1;
      if (isJson && response.status < 500) {
        return response.json().then(function (data) { finish(entry, data); });
      }
      if (response.redirected) {
        // The session expired (login page): keep the signature until the person signs in.
        sending = false;
        showPending(entry, "Session expirée — reconnectez-vous, signature en attente");
        schedule();
        return null;
      }
      if (response.status >= 400 && response.status < 500) {
        finish(entry, { ok: false, message: "Signature impossible pour cette demi-journée (erreur " + response.status + ")." });
        return null;
      }
      throw new Error("server unavailable");
    }).catch(function () {
      sending = false;
      read().forEach(function (pending) { showPending(pending); });
      schedule();
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target.closest ? event.target.closest("form[data-queued-sign]") : null;
    if (!form) { return; }
    event.preventDefault();
    var url = form.getAttribute("action");
    var list = without(url);
    var entry = {
      url: url,
      csrf: form.querySelector("[name=csrfmiddlewaretoken]").value,
      claimedAt: new Date().toISOString()
    };
    list.push(entry);
    write(list);
    show(url, "Envoi de la signature…", "sending");
    attempt = 0;
    window.clearTimeout(timer);
    flush();
  });
  window.addEventListener("online", function () {
    attempt = 0;
    window.clearTimeout(timer);
    flush();
  });
  read().forEach(function (entry) { showPending(entry, "Signature en attente"); });
  flush();
})();
