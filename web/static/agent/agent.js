// Agent workspace: the handoff queue, the agent's conversations, a transcript with the verified
// order and the assistant's suggested reply; sending, handing back and closing (web/workspace.py).
// Everything a customer wrote is rendered with textContent: never interpreted as HTML.
(function () {
  "use strict";
  // The queue is pushed by the server (server-sent events: /agent/api/queue/stream); only the
  // open conversation's transcript is refreshed every POLL_MS.
  var POLL_MS = 800;
  var state = { csrf: null, agent: null, open: null, latestCustomer: null, suggestion: "", edited: false, timer: null, stream: null, queue: null, queueAt: 0 };
  var $ = function (id) { return document.getElementById(id); };

  function api(path, body) {
    var options = { credentials: "same-origin", headers: {} };
    if (body !== undefined) {
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
      if (state.csrf) { options.headers["X-CSRF-Token"] = state.csrf; }
      options.body = JSON.stringify(body);
    }
    return fetch("/agent/api/" + path, options).then(function (response) {
      return response.json().then(function (payload) {
        if (!response.ok) {
          var error = new Error(payload.error || ("Erreur " + response.status));
          error.code = payload.code;
          throw error;
        }
        return payload;
      });
    });
  }

  function say(text) { $("status").textContent = text; }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function waiting(seconds) {
    if (seconds < 60) { return seconds + "\u00a0s"; }
    var minutes = Math.floor(seconds / 60);
    if (minutes < 60) { return minutes + "\u00a0min"; }
    return Math.floor(minutes / 60) + "\u00a0h\u00a0" + (minutes % 60) + "\u00a0min";
  }

  // --- Session --------------------------------------------------------------------------

  function signedIn(session) {
    state.csrf = session.csrf;
    state.agent = session.agent;
    $("agent-name").textContent = session.agent.name;
    $("stats-link").hidden = session.agent.role !== "lead";
    $("who").hidden = false;
    $("login").hidden = true;
    $("workspace").hidden = false;
    listen();
    poll();
  }

  function signedOut() {
    window.clearTimeout(state.timer);
    if (state.stream) { state.stream.close(); state.stream = null; }
    state.csrf = null; state.agent = null; state.open = null;
    $("who").hidden = true;
    $("workspace").hidden = true;
    $("conversation").hidden = true;
    $("login").hidden = false;
  }

  $("login-form").addEventListener("submit", function (event) {
    event.preventDefault();
    api("login", { username: $("username").value, password: $("password").value })
      .then(function (session) { $("password").value = ""; say(""); signedIn(session); })
      .catch(function (error) { $("password").value = ""; say(error.message); });
  });

  $("logout").addEventListener("click", function () {
    api("logout", {}).then(function () { signedOut(); say("Vous êtes déconnecté."); })
      .catch(function (error) { say(error.message); });
  });

  // --- Queue --------------------------------------------------------------------------------

  function card(item) {
    var li = el("li", "card");
    var button = el("button", "card-open");
    button.type = "button";
    button.dataset.conversation = item.conversation_id;
    button.appendChild(el("strong", null, item.reference));
    var waited = item.waiting_s + Math.floor((Date.now() - state.queueAt) / 1000);
    button.appendChild(el("span", "meta", item.channel + " · " + item.reason + " · attente\u00a0: " + waiting(waited)));
    button.appendChild(el("span", "excerpt", (item.summary || "").split("\n").slice(-1)[0]));
    button.addEventListener("click", function () { openConversation(item.conversation_id); });
    if (state.open === item.conversation_id) { li.classList.add("current"); }
    li.appendChild(button);
    return li;
  }

  function showQueue(body) {
    $("queue").replaceChildren.apply($("queue"), body.queue.map(card));
    $("mine").replaceChildren.apply($("mine"), body.mine.map(card));
    $("queue-empty").hidden = body.queue.length > 0;
    $("mine-empty").hidden = body.mine.length > 0;
  }

  function listen() {
    if (state.stream) { state.stream.close(); }
    state.stream = new EventSource("/agent/api/queue/stream");
    state.stream.onmessage = function (event) {
      state.queue = JSON.parse(event.data);
      state.queueAt = Date.now();
      showQueue(state.queue);
    };
    state.stream.onerror = function () {
      // EventSource reconnects by itself, unless the server refused the stream (signed out).
      if (state.stream && state.stream.readyState === EventSource.CLOSED) {
        api("session").then(listen).catch(function (error) { signedOut(); say(error.message); });
      }
    };
  }

  function poll() {
    window.clearTimeout(state.timer);
    var work = [];
    if (state.queue) { showQueue(state.queue); } // waiting times move on between pushes
    if (state.open) { work.push(refreshConversation()); }
    Promise.all(work).catch(function (error) {
      if (error.code === "unauthenticated") { signedOut(); say(error.message); return; }
      say(error.message);
    }).then(function () {
      if (state.agent) { state.timer = window.setTimeout(poll, POLL_MS); }
    });
  }

  // --- Conversation -----------------------------------------------------------------------

  function openConversation(id) {
    state.open = id;
    state.latestCustomer = null;
    state.suggestion = "";
    state.edited = false;
    $("reply-text").value = "";
    $("facts").replaceChildren();
    $("suggestion-for").textContent = "";
    $("conversation").hidden = false;
    refreshConversation().catch(function (error) { say(error.message); });
  }

  function showTranscript(lines) {
    $("transcript").replaceChildren.apply($("transcript"), lines.map(function (line) {
      var li = el("li", "line line--" + line.from);
      var who = line.from === "customer" ? "Client" : (line.from === "agent" ? (line.agent_name || "Agent") : "Assistant");
      var header = el("span", "who", who);
      var time = el("time", null, line.time);
      time.dateTime = line.at;
      li.appendChild(header);
      li.appendChild(time);
      li.appendChild(el("p", "text", line.text));
      return li;
    }));
  }

  function definition(list, term, value) {
    list.appendChild(el("dt", null, term));
    list.appendChild(el("dd", null, value));
  }

  function showOrder(order) {
    var box = $("order");
    if (!order) {
      box.replaceChildren(el("p", "muted", "Aucune commande vérifiée dans cette conversation."));
      return;
    }
    var list = el("dl");
    definition(list, "Commande", order.number + " (" + order.customer + ")");
    definition(list, "Statut", order.status);
    definition(list, "Passée le", order.placed_on);
    definition(list, "Total", order.total);
    definition(list, "Articles", order.lines.map(function (line) {
      return line.quantity + " × " + line.name + " (" + line.sku + ") " + line.price +
        (line.cancelled ? " — annulé" : "") + (line.personalised ? " — personnalisé" : "");
    }).join("\n"));
    if (order.shipment) {
      definition(list, "Expédition", order.shipment.carrier + " " + order.shipment.tracking_number +
        (order.shipment.last_event ? "\n" + order.shipment.last_event : ""));
    }
    definition(list, "Demandes", order.requests.map(function (r) {
      return r.reference + " — " + r.kind + " (" + r.status + ")";
    }).join("\n") || "aucune");
    box.replaceChildren(list);
  }

  function refreshConversation() {
    var id = state.open;
    return api("conversation?id=" + encodeURIComponent(id)).then(function (body) {
      if (state.open !== id) { return; }
      var handoff = body.handoff;
      var mine = handoff.agent_id !== null;
      $("conversation-title").textContent = "Conversation " + handoff.reference;
      $("handoff-info").textContent = "Canal\u00a0: " + handoff.channel + " · motif\u00a0: " + handoff.reason +
        " · attente\u00a0: " + waiting(handoff.waiting_s) + (mine ? " · prise en charge par vous" : " · en attente");
      $("summary").textContent = handoff.summary;
      $("take").hidden = mine;
      $("reply").hidden = !mine;
      showTranscript(body.transcript);
      showOrder(body.order);
      var customer = body.transcript.filter(function (l) { return l.from === "customer"; });
      var latest = customer.length ? customer[customer.length - 1].at + customer[customer.length - 1].text : null;
      if (mine && latest && latest !== state.latestCustomer) {
        state.latestCustomer = latest;
        fetchSuggestion(id);
      }
    }).catch(function (error) {
      if (error.code === "not_queued" || error.code === "not_yours") {
        if (state.open === id) { state.open = null; $("conversation").hidden = true; }
      }
      throw error;
    });
  }

  function fetchSuggestion(id) {
    $("suggestion-for").textContent = "Calcul de la suggestion…";
    api("suggestion?id=" + encodeURIComponent(id)).then(function (body) {
      if (state.open !== id) { return; }
      state.suggestion = body.text || "";
      if (!state.edited) { $("reply-text").value = state.suggestion; }
      $("suggestion-for").textContent = body.message ? "En réponse à\u00a0: «\u00a0" + body.message + "\u00a0»" : "";
      var facts = $("facts");
      facts.replaceChildren();
      if (body.intent) {
        definition(facts, "Intention", body.intent.name + " (" + Math.round(body.intent.confidence * 100) + "\u00a0%)");
      }
      definition(facts, "Entités", body.entities.map(function (e) { return e.entity + " = " + e.value; }).join(", ") || "aucune");
      body.facts.forEach(function (fact) {
        definition(facts, "Décision", Object.keys(fact).map(function (k) { return k + "\u00a0: " + fact[k]; }).join("\n"));
      });
    }).catch(function (error) { $("suggestion-for").textContent = error.message; });
  }

  $("reply-text").addEventListener("input", function () { state.edited = true; });

  function act(path, body, done) {
    return api(path, body).then(function (result) { say(done); return result; })
      .catch(function (error) { say(error.message); throw error; });
  }

  $("take").addEventListener("click", function () {
    act("take", { conversation_id: state.open }, "Conversation prise en charge\u00a0: l’assistant se tait.")
      .then(function () { state.latestCustomer = null; return refreshConversation(); }).catch(function () {});
  });

  $("send").addEventListener("click", function () {
    var text = $("reply-text").value;
    if (!text.trim()) { say("Écrivez une réponse avant de l’envoyer."); return; }
    act("send", { conversation_id: state.open, text: text, suggestion: state.suggestion }, "Réponse envoyée au client.")
      .then(function () {
        $("reply-text").value = ""; state.edited = false; state.suggestion = "";
        return refreshConversation();
      }).catch(function () {});
  });

  $("handback").addEventListener("click", function () {
    act("handback", { conversation_id: state.open }, "Conversation rendue à l’assistant.")
      .then(function () { state.open = null; $("conversation").hidden = true; }).catch(function () {});
  });

  $("close").addEventListener("click", function () {
    act("close", { conversation_id: state.open }, "Conversation close.")
      .then(function () { state.open = null; $("conversation").hidden = true; }).catch(function () {});
  });

  api("session").then(signedIn).catch(function () { signedOut(); });
}());
