// Agent console: previews the assistant's answer through POST /webhooks/agent/preview.
// Everything is rendered with textContent: a customer's message is never interpreted as HTML.
(function () {
  "use strict";
  var form = document.getElementById("preview-form");
  var tokenInput = document.getElementById("token");
  var statusLine = document.getElementById("status");
  var suggestion = document.getElementById("suggestion");
  var factsList = document.getElementById("facts");
  var TOKEN_KEY = "allyzure-agent-token";

  tokenInput.value = sessionStorage.getItem(TOKEN_KEY) || "";

  function rasaUrl() {
    return fetch("/config.json").then(function (r) { return r.json(); })
      .then(function (config) { return config.rasaUrl; });
  }

  function addFact(label, value) {
    var term = document.createElement("dt");
    term.textContent = label;
    var detail = document.createElement("dd");
    detail.textContent = value;
    factsList.appendChild(term);
    factsList.appendChild(detail);
  }

  function replyText(reply) {
    var text = reply.text || "";
    if (reply.buttons && reply.buttons.length) {
      text += "\n[" + reply.buttons.map(function (b) { return b.title; }).join("] [") + "]";
    }
    return text;
  }

  function show(body) {
    suggestion.value = body.suggested_replies.map(replyText).join("\n\n");
    factsList.replaceChildren();
    if (body.intent) {
      addFact("Intention", body.intent.name + " (" + Math.round(body.intent.confidence * 100) + " %)");
    }
    addFact("Entités", body.entities.map(function (e) { return e.entity + " = " + e.value; }).join(", ") || "aucune");
    addFact("Commande vérifiée", body.verified_order || "aucune");
    body.facts.forEach(function (fact) {
      addFact("Décision", Object.keys(fact).map(function (k) { return k + " : " + fact[k]; }).join("\n"));
    });
    if (body.awaiting_confirmation) { addFact("En attente de confirmation", body.awaiting_confirmation); }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, tokenInput.value);
    statusLine.textContent = "Calcul de l’aperçu…";
    var payload = {
      message: document.getElementById("message").value,
      conversation_id: document.getElementById("conversation").value.trim() || null
    };
    rasaUrl().then(function (url) {
      return fetch(url + "/webhooks/agent/preview", {
        method: "POST",
        headers: { "Content-Type": "application/json", "Authorization": "Bearer " + tokenInput.value },
        body: JSON.stringify(payload)
      });
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) { throw new Error(body.error || ("Erreur " + response.status)); }
        return body;
      });
    }).then(function (body) {
      show(body);
      statusLine.textContent = "Aperçu prêt : rien n’a été envoyé au client.";
    }).catch(function (error) {
      statusLine.textContent = "Aperçu impossible : " + error.message;
    });
  });

  document.getElementById("copy").addEventListener("click", function () {
    suggestion.select();
    if (navigator.clipboard) { navigator.clipboard.writeText(suggestion.value); }
    statusLine.textContent = "Réponse copiée.";
  });
}());
