/* The API documentation's chrome in French (templates/ninja/swagger.html).

Swagger UI has no translations and no setting for its own words ("Try it out", "Parameters"…):
this script replaces those words, and only those, wherever Swagger UI writes them — text nodes
whose whole text is one of them, and the title / aria-label / placeholder attributes. It
watches the documentation's container, so words drawn later (an operation opened, a response
received) are translated too; the icon-only copy buttons get a French name. The API's own texts (summaries, descriptions, parameter names)
are in French already and are never exactly one of these words. A static file: the strict CSP
allows no inline script. */
(function () {
  "use strict";

  var WORDS = {
    "Try it out": "Essayer",
    "Execute": "Exécuter",
    "Cancel": "Annuler",
    "Clear": "Effacer",
    "Parameters": "Paramètres",
    "No parameters": "Aucun paramètre",
    "Responses": "Réponses",
    "Response": "Réponse",
    "Request URL": "URL de la requête",
    "Request duration": "Durée de la requête",
    "Server response": "Réponse du serveur",
    "Response body": "Corps de la réponse",
    "Response headers": "En-têtes de la réponse",
    "Example Value": "Exemple",
    "Schema": "Schéma",
    "Schemas": "Schémas",
    "Media type": "Type de contenu",
    "Download": "Télécharger",
    "Links": "Liens",
    "No links": "Aucun lien",
    "Name": "Nom",
    "Details": "Détails",
    "Undocumented": "Non documenté",
    "Servers": "Serveurs",
    "Filter by tag": "Filtrer par étiquette",
    "Copy to clipboard": "Copier dans le presse-papiers",
    "Loading...": "Chargement…",
    "Failed to fetch.": "Échec de la requête.",
    "required": "obligatoire",
    "Expand all": "Tout déplier",
    "Collapse all": "Tout replier",
  };
  var ATTRIBUTES = ["title", "aria-label", "placeholder"];

  function translateText(node) {
    var text = node.nodeValue;
    var key = text.trim();
    if (key && Object.prototype.hasOwnProperty.call(WORDS, key)) {
      node.nodeValue = text.replace(key, WORDS[key]);
    }
  }

  function translateAttribute(element, name) {
    var value = element.getAttribute(name);
    if (value && Object.prototype.hasOwnProperty.call(WORDS, value.trim())) {
      element.setAttribute(name, WORDS[value.trim()]);
    }
  }

  // Swagger UI's copy buttons hold only an icon: they get a name (axe: button-name).
  var COPY_BUTTONS = ".copy-to-clipboard button";

  function name(element) {
    if (element.matches(COPY_BUTTONS) && !element.getAttribute("aria-label")) {
      element.setAttribute("aria-label", WORDS["Copy to clipboard"]);
    }
  }

  function translate(root) {
    if (root.nodeType === Node.TEXT_NODE) {
      translateText(root);
      return;
    }
    if (root.nodeType !== Node.ELEMENT_NODE) {
      return;
    }
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      translateText(walker.currentNode);
    }
    var elements = [root].concat(Array.prototype.slice.call(root.querySelectorAll("*")));
    elements.forEach(function (element) {
      ATTRIBUTES.forEach(function (attribute) {
        translateAttribute(element, attribute);
      });
      name(element);
    });
  }

  var container = document.getElementById("swagger-ui");
  if (!container) {
    return;
  }
  new MutationObserver(function (mutations) {
    mutations.forEach(function (mutation) {
      if (mutation.type === "characterData") {
        translateText(mutation.target);
      } else if (mutation.type === "attributes") {
        translateAttribute(mutation.target, mutation.attributeName);
      } else {
        mutation.addedNodes.forEach(translate);
      }
    });
  }).observe(container, {
    childList: true,
    subtree: true,
    characterData: true,
    attributes: true,
    attributeFilter: ATTRIBUTES,
  });
  translate(container);
})();
