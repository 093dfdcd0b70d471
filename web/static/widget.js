/*
 * Allyzure chat widget — one script tag adds a launcher bubble and a chat panel to any page:
 *
 *   <script src="https://boutique.example/widget.js" defer
 *           data-server-url="https://assistant.example"   (Rasa server; default: /config.json)
 *           data-lang="fr"                                  (interface language: fr or en)
 *           data-title="Assistant Allyzure"                 (panel title)
 *           data-primary-color="#2b2118"                    (launcher, header, your messages)
 *           data-position="right"></script>                 (right or left corner)
 *
 * Any element with a data-allyzure-open attribute opens the panel; window.AllyzureChat.open()
 * and .close() do the same from the page's own scripts.
 *
 * It talks to Rasa's socket.io channel (client vendored in vendor/socket.io.min.js) and falls
 * back to the REST channel when the socket cannot connect. The conversation (session id and
 * messages) is kept in localStorage, so it survives page reloads. The session id is the one the
 * server confirms (signed by it, unguessable); the REST fallback reuses it, and uses a random
 * id of its own only when the socket never connected.
 *
 * Security: every message — the customer's and the assistant's — is rendered with DOM APIs and
 * textContent, never innerHTML; only https URLs and e-mail addresses in the assistant's text
 * become links, and never one the customer typed. No inline script or style is needed, so a strict Content-Security-Policy holds.
 */
(function () {
  "use strict";

  const script = document.currentScript;
  if (!script || window.AllyzureChat) {
    return; // not loaded by a classic <script> tag, or already on the page
  }

  const TEXTS = {
    fr: {
      title: "Assistant Allyzure",
      subtitle: "Réponse immédiate, jour et nuit",
      open: "Ouvrir la conversation avec l’assistant Allyzure",
      close: "Fermer la conversation",
      dialog: "Conversation avec l’assistant Allyzure",
      log: "Messages de la conversation",
      intro:
        "Bonjour ! Posez votre question : suivi de commande, retour, échange, annulation, " +
        "garantie, taxes, promotions ou programme de fidélité.",
      inputLabel: "Votre message",
      placeholder: "Écrivez votre message…",
      send: "Envoyer le message",
      you: "Vous :",
      bot: "Assistant :",
      suggestions: "Réponses suggérées",
      typing: "L’assistant écrit…",
      newTab: "(s’ouvre dans un nouvel onglet)",
      unavailable:
        "Le service est momentanément indisponible. Réessayez dans un instant ou écrivez-nous " +
        "à support@allyzure.com.",
    },
    en: {
      title: "Allyzure assistant",
      subtitle: "Instant answers, day and night",
      open: "Open the conversation with the Allyzure assistant",
      close: "Close the conversation",
      dialog: "Conversation with the Allyzure assistant",
      log: "Conversation messages",
      intro: "Hello! Ask about an order, a return, an exchange, warranty or promotions.",
      inputLabel: "Your message",
      placeholder: "Type your message…",
      send: "Send the message",
      you: "You:",
      bot: "Assistant:",
      suggestions: "Suggested replies",
      typing: "The assistant is typing…",
      newTab: "(opens in a new tab)",
      unavailable:
        "The service is temporarily unavailable. Please try again or write to " +
        "support@allyzure.com.",
    },
  };

  const STORAGE_KEY = "allyzure-chat:v1";
  const MAX_STORED_MESSAGES = 200;
  const MAX_MESSAGE_LENGTH = 1000;
  const SOCKET_READY_TIMEOUT_MS = 4000;
  const TYPING_TIMEOUT_MS = 20000;
  const REST_TIMEOUT_MS = 60000;
  const LINK_PATTERN = /\bhttps?:\/\/[^\s<>"'«»]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/gi;
  const TRAILING_PUNCTUATION = /[.,;:!?)\]}]+$/;

  // ---------------------------------------------------------------- options

  const data = script.dataset;
  const lang = TEXTS[data.lang] ? data.lang : "fr";
  const t = TEXTS[lang];
  const scriptBase = new URL(".", script.src);
  const assetUrl = (path) => new URL(path, scriptBase).href;
  const options = {
    serverUrl: data.serverUrl || null,
    title: data.title || t.title,
    primaryColor: parseHexColor(data.primaryColor) || [0x2b, 0x21, 0x18],
    position: data.position === "left" ? "left" : "right",
    socketPath: data.socketPath || "/socket.io",
  };

  function parseHexColor(value) {
    const match = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec((value || "").trim());
    if (!match) {
      if (value) console.warn("Allyzure chat: data-primary-color must be #rgb or #rrggbb.");
      return null;
    }
    let hex = match[1];
    if (hex.length === 3) hex = hex.replace(/./g, "$&$&");
    return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
  }

  /** WCAG relative luminance of an sRGB colour. */
  function luminance(rgb) {
    const [r, g, b] = rgb.map((channel) => {
      const c = channel / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }

  /** Text colour on the primary colour: whichever of white or near-black contrasts more. */
  function onColor(rgb) {
    const l = luminance(rgb);
    const dark = [0x1a, 0x14, 0x0f];
    const onWhite = 1.05 / (l + 0.05);
    const onDark = (l + 0.05) / (luminance(dark) + 0.05);
    return onWhite >= onDark ? "#ffffff" : "#1a140f";
  }

  // ---------------------------------------------------------------- storage

  function newSessionId() {
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function loadState() {
    try {
      const saved = JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "null");
      if (saved && typeof saved.sessionId === "string" && Array.isArray(saved.messages)) {
        return {
          sessionId: saved.sessionId,
          messages: saved.messages.filter(isValidMessage),
          open: saved.open === true,
        };
      }
    } catch (error) {
      // Storage disabled or corrupted: start a new conversation.
    }
    return { sessionId: newSessionId(), messages: [], open: false };
  }

  function isValidMessage(message) {
    return (
      message &&
      (message.role === "user" || message.role === "bot") &&
      typeof message.text === "string"
    );
  }

  function saveState() {
    try {
      window.localStorage.setItem(
        STORAGE_KEY,
        JSON.stringify({
          sessionId: state.sessionId,
          messages: state.messages.slice(-MAX_STORED_MESSAGES),
          open: state.open,
        }),
      );
    } catch (error) {
      // Private browsing or full storage: the conversation simply won't survive a reload.
    }
  }

  const state = loadState();

  // ---------------------------------------------------------------- DOM helpers

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = value;
      else if (name === "className") node.className = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child) node.append(child);
    }
    return node;
  }

  const SVG_NS = "http://www.w3.org/2000/svg";

  function icon(paths) {
    const svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    for (const d of paths) {
      const path = document.createElementNS(SVG_NS, "path");
      path.setAttribute("d", d);
      svg.append(path);
    }
    return svg;
  }

  const CHAT_ICON = [
    "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z",
  ];
  const CLOSE_ICON = ["M6 6l12 12M18 6L6 18"];
  const SEND_ICON = ["M3 20l18-8L3 4l2 8-2 8z", "M5 12h8"];

  /** Text with https URLs and e-mail addresses turned into links — as DOM nodes only. An
   * address the customer typed stays text even when the assistant repeats it (a "new
   * delivery address" that is a URL must not come back as a link to click). */
  function richText(text) {
    const fragment = document.createDocumentFragment();
    const typed = state.messages.filter((m) => m.role === "user").map((m) => m.text.toLowerCase());
    let last = 0;
    for (const match of text.matchAll(LINK_PATTERN)) {
      let raw = match[0];
      const trailing = TRAILING_PUNCTUATION.exec(raw);
      if (trailing) raw = raw.slice(0, -trailing[0].length);
      const lowered = raw.toLowerCase();
      if (typed.some((userText) => userText.includes(lowered))) continue;
      const link = safeLink(raw);
      if (!link) continue;
      fragment.append(document.createTextNode(text.slice(last, match.index)), link);
      last = match.index + raw.length;
    }
    fragment.append(document.createTextNode(text.slice(last)));
    return fragment;
  }

  function safeLink(raw) {
    let url;
    try {
      url = raw.includes("://") ? new URL(raw) : new URL(`mailto:${raw}`);
    } catch (error) {
      return null;
    }
    if (!["https:", "mailto:"].includes(url.protocol)) return null;
    const link = el("a", { href: url.href, text: raw });
    if (url.protocol !== "mailto:") {
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      link.append(el("span", { className: "azw-sr-only", text: ` ${t.newTab}` }));
    }
    return link;
  }

  // ---------------------------------------------------------------- the widget's DOM

  const root = el("div", { className: `azw azw--${options.position}`, lang });
  root.style.setProperty("--azw-primary", `rgb(${options.primaryColor.join(",")})`);
  root.style.setProperty("--azw-on-primary", onColor(options.primaryColor));

  const launcher = el(
    "button",
    {
      type: "button",
      className: "azw-launcher",
      "aria-label": t.open,
      "aria-expanded": "false",
      "aria-controls": "azw-panel",
    },
    icon(CHAT_ICON),
  );

  const closeButton = el(
    "button",
    { type: "button", className: "azw-close", "aria-label": t.close, title: t.close },
    icon(CLOSE_ICON),
  );

  const messageList = el("ol", { className: "azw-messages" });
  const log = el(
    "div",
    {
      className: "azw-log",
      role: "log",
      "aria-live": "polite",
      "aria-relevant": "additions",
      "aria-label": t.log,
      tabindex: "0",
    },
    el("p", { className: "azw-intro", text: t.intro }),
    messageList,
  );

  const typing = el(
    "div",
    { className: "azw-typing", role: "status", hidden: true },
    el(
      "span",
      { className: "azw-dots", "aria-hidden": "true" },
      el("span"),
      el("span"),
      el("span"),
    ),
    el("span", { className: "azw-sr-only", text: t.typing }),
  );

  const input = el("input", {
    id: "azw-input",
    className: "azw-input",
    type: "text",
    autocomplete: "off",
    maxlength: String(MAX_MESSAGE_LENGTH),
    placeholder: t.placeholder,
    enterkeyhint: "send",
  });
  const form = el(
    "form",
    { className: "azw-form", novalidate: true },
    el("label", { className: "azw-sr-only", for: "azw-input", text: t.inputLabel }),
    input,
    el(
      "button",
      { type: "submit", className: "azw-send", "aria-label": t.send, title: t.send },
      icon(SEND_ICON),
    ),
  );

  const panel = el(
    "section",
    {
      id: "azw-panel",
      className: "azw-panel",
      role: "dialog",
      "aria-modal": "false",
      "aria-labelledby": "azw-title",
      "aria-describedby": "azw-subtitle",
      hidden: true,
    },
    el(
      "header",
      { className: "azw-header" },
      el(
        "div",
        { className: "azw-heading" },
        el("h2", { id: "azw-title", className: "azw-title", text: options.title }),
        el("p", { id: "azw-subtitle", className: "azw-subtitle", text: t.subtitle }),
      ),
      closeButton,
    ),
    log,
    typing,
    form,
  );

  root.append(panel, launcher);

  // ---------------------------------------------------------------- rendering

  function renderMessage(message) {
    const item = el("li", { className: `azw-msg azw-msg--${message.role}` });
    const speaker = message.role === "user" ? t.you : t.bot;
    item.append(el("span", { className: "azw-sr-only", text: speaker }));
    const bubble = el("p", { className: "azw-bubble" });
    // The assistant's addresses become links; the customer's text stays exactly as typed.
    bubble.append(
      message.role === "bot" ? richText(message.text) : document.createTextNode(message.text),
    );
    item.append(bubble);
    messageList.append(item);
  }

  function renderNotice(text) {
    messageList.append(
      el(
        "li",
        { className: "azw-msg azw-msg--notice", role: "alert" },
        el("p", { className: "azw-bubble" }, richText(text)),
      ),
    );
    scrollToEnd();
  }

  /** Quick replies belong to the latest message only, and only if the assistant sent it. */
  function renderQuickReplies() {
    for (const old of root.querySelectorAll(".azw-quick-replies")) old.remove();
    const latest = state.messages[state.messages.length - 1];
    const fromBot = latest && latest.role === "bot" && Array.isArray(latest.buttons);
    const buttons = fromBot ? latest.buttons : [];
    if (!buttons.length) return;
    const group = el("div", {
      className: "azw-quick-replies",
      role: "group",
      "aria-label": t.suggestions,
    });
    for (const button of buttons) {
      const choice = el("button", {
        type: "button",
        className: "azw-quick-reply",
        text: button.title,
      });
      choice.addEventListener("click", () => {
        sendMessage(button.payload || button.title, button.title);
        input.focus();
      });
      group.append(choice);
    }
    messageList.lastElementChild.append(group);
  }

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  function addMessage(message) {
    state.messages.push(message);
    saveState();
    renderMessage(message);
    renderQuickReplies();
    scrollToEnd();
  }

  let typingTimer = null;

  function setTyping(visible) {
    window.clearTimeout(typingTimer);
    typing.hidden = !visible;
    root.classList.toggle("azw--waiting", visible);
    if (visible) {
      typingTimer = window.setTimeout(() => setTyping(false), TYPING_TIMEOUT_MS);
      scrollToEnd();
    }
  }

  /** Rasa's socket.io and REST channels shape replies differently: one format for both. */
  function fromRasa(reply) {
    if (!reply || typeof reply !== "object") return null;
    const text = typeof reply.text === "string" ? reply.text : "";
    const rawButtons = reply.quick_replies || reply.buttons || [];
    const buttons = (Array.isArray(rawButtons) ? rawButtons : [])
      .filter((b) => b && typeof b.title === "string")
      .map((b) => ({
        title: b.title,
        payload: typeof b.payload === "string" ? b.payload : b.title,
      }));
    let imageUrl = typeof reply.image === "string" ? reply.image : null;
    const attachment = reply.attachment;
    if (!imageUrl && attachment && attachment.type === "image" && attachment.payload) {
      imageUrl = typeof attachment.payload.src === "string" ? attachment.payload.src : null;
    }
    const parts = [text, imageUrl].filter(Boolean);
    if (!parts.length && !buttons.length) return null;
    return { role: "bot", text: parts.join("\n"), buttons };
  }

  function receive(reply) {
    const message = fromRasa(reply);
    if (!message) return;
    setTyping(false);
    addMessage(message);
  }

  // ---------------------------------------------------------------- transport

  let serverUrl = null;
  let socket = null;
  let socketReady = false;
  let socketFailed = false;
  const readyWaiters = [];

  const configured = resolveServerUrl().then((url) => {
    serverUrl = url.replace(/\/+$/, "");
    return loadSocketIo().then((available) => {
      if (available) connectSocket();
      else socketFailed = true;
      notifyWaiters();
    });
  });

  async function resolveServerUrl() {
    if (options.serverUrl) return options.serverUrl;
    try {
      const response = await fetch(assetUrl("config.json"), { credentials: "omit" });
      const config = await response.json();
      if (config && typeof config.rasaUrl === "string") return config.rasaUrl;
    } catch (error) {
      console.warn("Allyzure chat: /config.json unavailable, using the script's origin.");
    }
    return scriptBase.origin;
  }

  function loadSocketIo() {
    if (typeof window.io === "function") return Promise.resolve(true);
    return new Promise((resolve) => {
      const tag = el("script", { src: assetUrl("vendor/socket.io.min.js"), async: true });
      tag.addEventListener("load", () => resolve(typeof window.io === "function"));
      tag.addEventListener("error", () => resolve(false));
      document.head.append(tag);
    });
  }

  function connectSocket() {
    let everConnected = false;
    socket = window.io(serverUrl, {
      path: options.socketPath,
      // Long-polling only: Rasa 3.6 serves socket.io through Sanic 21.12, whose WebSocket
      // support does not work with python-engineio 4 (the browser reports "Invalid frame
      // header"); polling still pushes each reply as soon as it is sent.
      transports: ["polling"],
      upgrade: false,
      reconnectionAttempts: 5,
      timeout: SOCKET_READY_TIMEOUT_MS,
    });
    socket.on("connect", () => {
      everConnected = true;
      socket.emit("session_request", { session_id: state.sessionId });
    });
    socket.on("session_confirm", (sessionId) => {
      // The server issues (or confirms) the conversation id; a stored id it did not sign is
      // replaced, and the REST fallback then uses the signed one too.
      if (typeof sessionId === "string" && sessionId && sessionId !== state.sessionId) {
        state.sessionId = sessionId;
        saveState();
      }
      socketReady = true;
      notifyWaiters();
    });
    socket.on("bot_uttered", receive);
    socket.on("disconnect", () => {
      socketReady = false;
    });
    socket.on("connect_error", () => {
      socketReady = false;
      if (!everConnected) {
        // Never reached the socket: the REST channel carries the conversation instead.
        socketFailed = true;
        socket.close();
        notifyWaiters();
      }
    });
  }

  function notifyWaiters() {
    while (readyWaiters.length) readyWaiters.shift()();
  }

  /** Resolves true when the socket can carry a message, false when REST must. */
  function socketAvailable() {
    if (socketReady) return Promise.resolve(true);
    if (socketFailed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = window.setTimeout(() => resolve(socketReady), SOCKET_READY_TIMEOUT_MS);
      readyWaiters.push(() => {
        window.clearTimeout(timer);
        resolve(socketReady);
      });
    });
  }

  async function deliver(text) {
    await configured;
    const metadata = { language: lang };
    if (await socketAvailable()) {
      socket.emit("user_uttered", { message: text, session_id: state.sessionId, metadata });
      return;
    }
    const controller = new AbortController();
    const timer = window.setTimeout(() => controller.abort(), REST_TIMEOUT_MS);
    try {
      const response = await fetch(`${serverUrl}/webhooks/rest/webhook`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: state.sessionId, message: text, metadata }),
        signal: controller.signal,
        credentials: "omit",
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const replies = await response.json();
      setTyping(false);
      for (const reply of Array.isArray(replies) ? replies : []) receive(reply);
    } finally {
      window.clearTimeout(timer);
    }
  }

  function sendMessage(payload, shownText) {
    const text = String(payload).trim().slice(0, MAX_MESSAGE_LENGTH);
    if (!text) return;
    addMessage({ role: "user", text: String(shownText || text).slice(0, MAX_MESSAGE_LENGTH) });
    setTyping(true);
    deliver(text).catch(() => {
      setTyping(false);
      renderNotice(t.unavailable);
    });
  }

  // ---------------------------------------------------------------- behaviour

  function openPanel(focusInput = true) {
    panel.hidden = false;
    root.classList.add("azw--open");
    launcher.setAttribute("aria-expanded", "true");
    state.open = true;
    saveState();
    scrollToEnd();
    if (focusInput) input.focus();
  }

  function closePanel() {
    panel.hidden = true;
    root.classList.remove("azw--open");
    launcher.setAttribute("aria-expanded", "false");
    state.open = false;
    saveState();
    launcher.focus();
  }

  launcher.addEventListener("click", () => (panel.hidden ? openPanel() : closePanel()));
  closeButton.addEventListener("click", closePanel);
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      closePanel();
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value;
    input.value = "";
    sendMessage(text);
  });

  // Any element of the page with a data-allyzure-open attribute opens the conversation.
  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (target && target.closest("[data-allyzure-open]")) openPanel();
  });

  for (const message of state.messages) renderMessage(message);
  renderQuickReplies();

  function mount() {
    const stylesheet = el("link", { rel: "stylesheet", href: assetUrl("widget.css") });
    const show = () => {
      document.body.append(root);
      // Reopen after a reload without stealing the focus from the page.
      if (state.open) openPanel(false);
    };
    stylesheet.addEventListener("load", show, { once: true });
    stylesheet.addEventListener("error", show, { once: true });
    document.head.append(stylesheet);
  }

  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount, { once: true });

  window.AllyzureChat = { open: () => openPanel(), close: closePanel };
})();
