/* Dossier autosave safety net.
 *
 * htmx posts each field on its own (see casestudies/views/dossiers.py). This script makes sure
 * nothing typed is lost: every value is also kept in localStorage until the server confirms it;
 * when a save fails (no network, server error, expired session) the field shows
 * "Hors ligne — sera enregistré" and the value is sent again when the connection returns.
 * On page load, values still waiting on this device are put back into the form and sent.
 * A refusal that retrying cannot cure (a 4xx other than 401, 408, 409 or 429) stops the retries
 * for that field: the value stays on this device and the field says so, in French.
 */
(function () {
  "use strict";
  var form = document.getElementById("form-jalon");
  if (!form || !form.dataset.autosaveUrl) { return; }
  var url = form.dataset.autosaveUrl;
  var milestone = form.dataset.milestone;
  var storageKey = "ensemblier-dossier-" + form.dataset.dossier + "-" + milestone;
  var banner = document.getElementById("etat-connexion");
  var retryTimer = null;
  var refused = {};  // fields the server refused for good (4xx): no retry until typed again

  function isPermanent(status) {
    return status >= 400 && status < 500 && [401, 408, 409, 429].indexOf(status) === -1;
  }
  function markRefused(name, status) {
    refused[name] = true;
    var target = slot(name);
    if (target) {
      target.innerHTML = "";
      var span = document.createElement("span");
      span.className = "save-state save-warning";
      span.textContent = "Non enregistré : le serveur refuse cette saisie (erreur " + status +
        "). Elle reste sur cet appareil ; modifiez-la ou rechargez la page.";
      target.appendChild(span);
    }
  }

  function readPending() {
    try { return JSON.parse(window.localStorage.getItem(storageKey) || "{}"); } catch (e) { return {}; }
  }
  function writePending(pending) {
    try {
      if (Object.keys(pending).length) { window.localStorage.setItem(storageKey, JSON.stringify(pending)); }
      else { window.localStorage.removeItem(storageKey); }
    } catch (e) { /* storage full or disabled: the server copy is all we have */ }
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
  function sameValues(a, b) { return JSON.stringify(a) === JSON.stringify(b); }
  function slot(name) { return document.getElementById("etat-" + name); }
  function showBanner(text) {
    if (!banner) { return; }
    banner.textContent = text;
    banner.hidden = !text;
  }
  function markOffline(name, text) {
    var target = slot(name);
    if (target) {
      target.innerHTML = "";
      var span = document.createElement("span");
      span.className = "save-state save-offline";
      span.textContent = text || "Hors ligne — sera enregistré";
      target.appendChild(span);
    }
    showBanner("Connexion perdue : vos saisies sont gardées sur cet appareil et seront enregistrées dès le retour du réseau.");
    scheduleRetry();
  }
  function remember(name) {
    delete refused[name];
    var pending = readPending();
    pending[name] = fieldValues(name);
    writePending(pending);
  }
  function forget(name) {
    var pending = readPending();
    if (name in pending && sameValues(pending[name], fieldValues(name))) {
      delete pending[name];
      writePending(pending);
    }
    if (!Object.keys(readPending()).length) { showBanner(""); }
  }
  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; } catch (e) { return ""; }
  }
  function sendOne(name, values) {
    var data = new FormData();
    data.append("_milestone", milestone);
    data.append("_field", name);
    values.forEach(function (value) { data.append(name, value); });
    return fetch(url, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" }
    }).then(function (response) {
      if (response.status === 409) {  // submitted meanwhile: the server copy is the frozen one
        var locked = readPending(); delete locked[name]; writePending(locked);
      } else if (isPermanent(response.status)) {
        markRefused(name, response.status);
        return null;
      } else if (!response.ok) { throw new Error(String(response.status)); }
      return response.text();
    }).then(function (html) {
      if (html === null) { return; }
      var target = slot(name);
      if (target) { target.innerHTML = html; }
      var pending = readPending();
      if (name in pending && sameValues(pending[name], values)) { delete pending[name]; writePending(pending); }
    });
  }
  function flush() {
    retryTimer = null;
    var pending = readPending();
    var names = Object.keys(pending).filter(function (name) { return !refused[name]; });
    if (!names.length) { showBanner(""); return; }
    if (navigator.onLine === false) { scheduleRetry(); return; }
    Promise.all(names.map(function (name) { return sendOne(name, pending[name]); }))
      .then(function () { if (!Object.keys(readPending()).length) { showBanner(""); } })
      .catch(function () {
        names.forEach(function (name) { if (name in readPending()) { markOffline(name); } });
      });
  }
  function scheduleRetry() {
    if (!retryTimer) { retryTimer = window.setTimeout(flush, 5000); }
  }

  // Keep every keystroke on the device until the server has it.
  form.addEventListener("input", function (event) {
    var name = event.target && event.target.name;
    if (name && event.target.dataset.autosave) { remember(name); }
  });
  form.addEventListener("change", function (event) {
    var name = event.target && event.target.name;
    if (name && event.target.dataset.autosave) { remember(name); }
  });

  document.body.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    var name = elt && elt.dataset ? elt.dataset.autosave : null;
    if (!name) { return; }
    var xhr = event.detail.xhr;
    if (event.detail.successful) { forget(name); }
    else if (xhr && xhr.status === 409) {
      var pending = readPending(); delete pending[name]; writePending(pending);
    } else if (xhr && isPermanent(xhr.status)) {
      markRefused(name, xhr.status);
    } else if (xhr && xhr.status === 401) {
      markOffline(name, "Session expirée — reconnectez-vous : votre saisie est gardée sur cet appareil");
    } else { markOffline(name); }
  });
  document.body.addEventListener("htmx:sendError", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.dataset && elt.dataset.autosave) { markOffline(elt.dataset.autosave); }
  });
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr && event.detail.xhr.status;
    var elt = event.detail.elt;
    if (elt && elt.dataset && elt.dataset.autosave && status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  window.addEventListener("online", flush);
  window.addEventListener("offline", function () {
    showBanner("Hors ligne : vos saisies sont gardées sur cet appareil et seront enregistrées dès le retour du réseau.");
  });

  // Values left on this device by an earlier visit are newer than the server's: restore, send.
  var pending = readPending();
  Object.keys(pending).forEach(function (name) {
    var values = pending[name];
    if (!form.querySelector("[name='" + name + "'][data-autosave]")) { delete pending[name]; return; }
    form.querySelectorAll("[name='" + name + "']").forEach(function (input) {
      if (input.disabled) { return; }
      if (input.type === "checkbox" || input.type === "radio") {
        input.checked = values.indexOf(input.value) !== -1;
      } else { input.value = values.length ? values[values.length - 1] : ""; }
    });
    markOffline(name, "Saisie retrouvée sur cet appareil — envoi en cours");
  });
  writePending(pending);
  if (Object.keys(pending).length) { flush(); }
})();
