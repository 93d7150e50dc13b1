/* Dossier autosave safety net.
 *
 * htmx posts each field on its own (see casestudies/views/dossiers.py). This script makes sure
 * nothing typed is lost: every value is also kept in localStorage until the server confirms it;
 * when a save fails (no network, server error, expired session) the field shows
 * "Hors ligne — sera enregistré" and the value is sent again when the connection returns.
 * On page load, values still waiting on this device are put back into the form and sent.
 * A refusal that retrying cannot cure (a 4xx other than 401, 408, 409 or 429) stops the retries
 * for that field: the value stays on this device and the field says so, in French.
 *
 * Two tabs: each field carries the version the page last saw (hidden input _version_<name>,
 * sent with every save). When the server has a newer version with another text it answers 409
 * with both texts (X-Save-Outcome: conflict); the value stays here and on the device until the
 * person chooses "Garder le texte enregistré" or "Garder mon texte". A milestone submitted
 * meanwhile answers 409 (X-Save-Outcome: locked): the value is kept on the device and shown
 * under the field after a reload, to be copied.
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
    var pending;
    try { pending = JSON.parse(window.localStorage.getItem(storageKey) || "{}"); } catch (e) { return {}; }
    Object.keys(pending).forEach(function (name) {  // entries of an earlier version: the values alone
      if (Array.isArray(pending[name])) { pending[name] = { v: pending[name], version: null }; }
    });
    return pending;
  }
  function versionInput(name) { return form.querySelector("[data-version-of='" + name + "']"); }
  function currentVersion(name) {
    var input = versionInput(name);
    return input ? input.value : null;
  }
  function setVersion(name, version) {
    var input = versionInput(name);
    if (input && version !== null && version !== undefined && version !== "") { input.value = version; }
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
    pending[name] = { v: fieldValues(name), version: currentVersion(name) };
    writePending(pending);
  }
  function forget(name) {
    var pending = readPending();
    if (name in pending && sameValues(pending[name].v, fieldValues(name))) {
      delete pending[name];
      writePending(pending);
    }
    if (!Object.keys(readPending()).length) { showBanner(""); }
  }
  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("data-hx-headers") || "{}")["X-CSRFToken"] || ""; } catch (e) { return ""; }
  }
  function sendOne(name, entry) {
    var values = entry.v;
    var data = new FormData();
    data.append("_milestone", milestone);
    data.append("_field", name);
    values.forEach(function (value) { data.append(name, value); });
    if (entry.version !== null && entry.version !== undefined) { data.append("_version_" + name, entry.version); }
    var saved = false;
    return fetch(url, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" }
    }).then(function (response) {
      // 409: a conflict or a locked milestone; the value stays on the device (see above).
      if (response.ok) { saved = true; setVersion(name, response.headers.get("X-Field-Version")); }
      else if (isPermanent(response.status)) {
        markRefused(name, response.status);
        return null;
      } else if (response.status !== 409) { throw new Error(String(response.status)); }
      return response.text();
    }).then(function (html) {
      if (html === null) { return; }
      var target = slot(name);
      if (target) { target.innerHTML = html; }
      var pending = readPending();
      if (saved && name in pending && sameValues(pending[name].v, values)) { delete pending[name]; writePending(pending); }
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
    // A 409 is swapped like a success (beforeSwap below) but saved nothing: check the status.
    if (event.detail.successful && xhr && xhr.status >= 200 && xhr.status < 300) {
      setVersion(name, xhr.getResponseHeader("X-Field-Version"));
      forget(name);
    } else if (xhr && xhr.status === 409) {
      // Conflict or locked milestone: the typed value stays in the field and on the device.
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
    // htmx 2 fires this on the target (the status slot): the request's element is in requestConfig.
    var status = event.detail.xhr && event.detail.xhr.status;
    var config = event.detail.requestConfig;
    var elt = (config && config.elt) || event.detail.elt;
    if (elt && elt.dataset && (elt.dataset.autosave || "check" in elt.dataset) && status === 409) {
      // A conflict answered to a version the person has since chosen over is stale: keep the page.
      var stale = elt.dataset.autosave && elt.dataset.sentVersion !== currentVersion(elt.dataset.autosave);
      event.detail.shouldSwap = !stale;
      event.detail.isError = false;
    }
  });
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.dataset && elt.dataset.autosave) { elt.dataset.sentVersion = currentVersion(elt.dataset.autosave); }
  });
  window.addEventListener("online", flush);
  window.addEventListener("offline", function () {
    showBanner("Hors ligne : vos saisies sont gardées sur cet appareil et seront enregistrées dès le retour du réseau.");
  });

  // Values left on this device by an earlier visit are newer than the server's: restore, send.
  function setValues(name, values) {
    form.querySelectorAll("[name='" + name + "']").forEach(function (input) {
      if (input.disabled) { return; }
      if (input.type === "checkbox" || input.type === "radio") {
        input.checked = values.indexOf(input.value) !== -1;
      } else { input.value = values.length ? values[values.length - 1] : ""; }
    });
  }
  function showUnsaved(name, values) {  // the milestone was submitted before this value was saved
    var target = slot(name);
    if (!target) { return false; }
    target.innerHTML = "";
    var box = document.createElement("div");
    box.className = "unsaved-local";
    var title = document.createElement("p");
    title.className = "save-state save-locked";
    title.textContent = "Saisie gardée sur cet appareil, non enregistrée (le jalon a été soumis) : copiez-la si besoin.";
    var text = document.createElement("blockquote");
    text.textContent = values.join(", ");
    var clear = document.createElement("button");
    clear.type = "button"; clear.className = "button button-secondary"; clear.textContent = "Effacer de cet appareil";
    clear.addEventListener("click", function () {
      var left = readPending(); delete left[name]; writePending(left); target.innerHTML = "";
    });
    box.appendChild(title); box.appendChild(text); box.appendChild(clear);
    target.appendChild(box);
    return true;
  }

  // The person chooses after a conflict: the stored text, or theirs (sent over the stored version).
  form.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-keep]") : null;
    if (!button) { return; }
    var panel = button.closest(".conflict");
    var name = panel.dataset.conflictField;
    var version = panel.dataset.conflictVersion;
    setVersion(name, version);
    var pending = readPending();
    if (button.dataset.keep === "stored") {
      var script = document.getElementById("conflit-" + name);
      setValues(name, script ? JSON.parse(script.textContent) : []);
      delete pending[name]; writePending(pending);
      slot(name).textContent = "Texte enregistré repris.";
    } else {
      pending[name] = { v: fieldValues(name), version: version };
      writePending(pending);
      sendOne(name, pending[name]).catch(function () { markOffline(name); });
    }
  });

  // The whole form is posted (Enregistrer / Soumettre): the server has every value.
  form.addEventListener("submit", function () { writePending({}); });

  var pending = readPending();
  Object.keys(pending).forEach(function (name) {
    var values = pending[name].v;
    if (!form.querySelector("[name='" + name + "'][data-autosave]")) {
      var locked = form.querySelector("[name='" + name + "'][disabled]");
      if (locked && !sameValues(fieldValues(name), values) && showUnsaved(name, values)) { return; }
      delete pending[name]; return;
    }
    setValues(name, values);
    markOffline(name, "Saisie retrouvée sur cet appareil — envoi en cours");
  });
  writePending(pending);
  if (Object.keys(pending).length) { flush(); }
})();
