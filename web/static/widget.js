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
 * back to the REST channel when the socket cannot connect. The socket keeps reconnecting, so the
 * widget goes back to socket.io as soon as the server is back. The server acknowledges each
 * message once it is handled (its replies are sent before): a message with no acknowledgement —
 * server gone, connection lost, no answer in time — is marked as unanswered, with a retry button.
 *
 * The conversation (session id and messages, each with an id and a status) is kept in
 * localStorage, so it survives page reloads; tabs of the same shop share it and stay in step
 * through the `storage` event: every write merges the stored messages with the tab's own, by id.
 * Whether the panel is open and the unread count belong to one tab (sessionStorage). The session
 * id is the one the server confirms (signed by it, unguessable); the REST fallback reuses it, and
 * uses a random id of its own only when the socket never connected.
 *
 * On a phone (480 px or less) the open panel fills the visible viewport (above the on-screen
 * keyboard) and is modal: the focus stays inside, the page behind does not scroll.
 *
 * Every incoming message, whoever sent it, is shown by `renderIncoming`; a new kind of sender
 * needs only its name in `speakers`. The root element's data-connection attribute says how
 * messages go now: "socket", "rest" (no socket yet) or "lost" (the socket worked, it is down).
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
        "Bonjour ! Posez votre question : suivi de commande, retour, échange, annulation, " +
        "garantie, taxes, promotions ou programme de fidélité.",
      inputLabel: "Votre message",
      placeholder: "Écrivez votre message…",
      send: "Envoyer le message",
      // What a screen reader hears before each message, by sender (`role` of a message).
      speakers: { user: "Vous :", bot: "Assistant :" },
      suggestions: "Réponses suggérées",
      typing: "L’assistant écrit…",
      newTab: "(s’ouvre dans un nouvel onglet)",
      unanswered:
        "Message sans réponse\u00a0: le service est momentanément indisponible. Réessayez " +
        "dans un instant ou écrivez-nous à support@allyzure.com.",
      retry: "Réessayer",
      retryLabel: (text) => `Réessayer d’envoyer «\u00a0${text}\u00a0»`,
      connectionLost: "Connexion interrompue. Nouvelle tentative en cours…",
      unread: (count) => (count > 1 ? `${count} nouveaux messages` : "1 nouveau message"),
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
      speakers: { user: "You:", bot: "Assistant:" },
      suggestions: "Suggested replies",
      typing: "The assistant is typing…",
      newTab: "(opens in a new tab)",
      unanswered:
        "No answer: the service is temporarily unavailable. Please try again or write to " +
        "support@allyzure.com.",
      retry: "Try again",
      retryLabel: (text) => `Try again to send “${text}”`,
      connectionLost: "Connection lost. Trying again…",
      unread: (count) => (count > 1 ? `${count} new messages` : "1 new message"),
    },
  };

  const STORAGE_KEY = "allyzure-chat:v1"; // localStorage: the conversation, shared by tabs
  const TAB_KEY = "allyzure-chat:tab"; // sessionStorage: this tab's panel (open, unread)
  const MAX_STORED_MESSAGES = 200;
  const MAX_MESSAGE_LENGTH = 1000;
  const SOCKET_READY_TIMEOUT_MS = 4000;
  // The server acknowledges a message once handled; past this, it counts as unanswered.
  const ANSWER_TIMEOUT_MS = 30000;
  // Another tab's (or a closed page's) message still pending this long never got its answer.
  const STALE_PENDING_MS = ANSWER_TIMEOUT_MS + 5000;
  const REST_TIMEOUT_MS = ANSWER_TIMEOUT_MS;
  const RECONNECT_DELAY_MAX_MS = 5000;
  // The typing dots appear only for an answer that takes a while, and then stay long enough
  // to be seen: no 30 ms flash.
  const TYPING_DELAY_MS = 400;
  const TYPING_MIN_VISIBLE_MS = 700;
  const SCROLL_MARGIN_PX = 8;
  const AT_END_TOLERANCE_PX = 24;
  const RETRY_LABEL_CHARS = 40;
  const LINK_PATTERN = /\bhttps?:\/\/[^\s<>"'«»]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/gi;
  const TRAILING_PUNCTUATION = /[.,;:!?)\]}]+$/;
  const PENDING = "pending";
  const SENT = "sent";
  const FAILED = "failed";

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

  function randomHex(bytesCount) {
    const bytes = new Uint8Array(bytesCount);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function newSessionId() {
    return randomHex(16);
  }

  function newMessageId(prefix) {
    return `${prefix}-${randomHex(8)}`;
  }

  function isValidMessage(message) {
    return (
      message &&
      typeof message.role === "string" &&
      Object.hasOwn(t.speakers, message.role) &&
      typeof message.text === "string"
    );
  }

  /** Stored messages with an id and a time each; those a former version of the widget stored
   * get ids from their position, the same in every tab, and times before any new message. */
  function normalized(messages) {
    return messages.filter(isValidMessage).map((message, index) => ({
      ...message,
      id: typeof message.id === "string" ? message.id : `legacy-${index}`,
      at: Number.isFinite(message.at) ? message.at : index,
      updated: Number.isFinite(message.updated) ? message.updated : 0,
    }));
  }

  /** The conversation as stored (shared by the shop's tabs), or null. */
  function readStored() {
    try {
      const saved = JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "null");
      if (saved && typeof saved.sessionId === "string" && Array.isArray(saved.messages)) {
        return { sessionId: saved.sessionId, messages: normalized(saved.messages) };
      }
    } catch (error) {
      // Storage disabled or corrupted: start a new conversation.
    }
    return null;
  }

  function writeStored(sessionId, messages) {
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify({ sessionId, messages }));
    } catch (error) {
      // Private browsing or full storage: the conversation simply won't survive a reload.
    }
  }

  function readTabState() {
    try {
      const saved = JSON.parse(window.sessionStorage.getItem(TAB_KEY) || "null");
      if (saved) return { open: saved.open === true, unread: Math.max(0, saved.unread | 0) };
    } catch (error) {
      // Storage disabled: a closed panel with nothing unread.
    }
    return { open: false, unread: 0 };
  }

  function saveTabState() {
    try {
      window.sessionStorage.setItem(
        TAB_KEY,
        JSON.stringify({ open: state.open, unread: state.unread }),
      );
    } catch (error) {
      // The panel will simply start closed after a reload.
    }
  }

  /** The latest version of one message: its status changes (pending → sent or failed, failed
   * → pending on a retry) carry a time. Two tabs receiving the same reply keep the earlier
   * arrival's time, which keeps a multi-bubble reply in order whichever tab wrote which bubble. */
  function later(a, b) {
    if (a.updated !== b.updated) return a.updated > b.updated ? a : b;
    const chosen = JSON.stringify(a) >= JSON.stringify(b) ? a : b;
    return { ...chosen, at: Math.min(a.at, b.at) };
  }

  /** Both lists' messages, each once (by id, in its latest version), in time order. */
  function merged(mine, theirs) {
    const byId = new Map();
    for (const message of [...theirs, ...mine]) {
      const known = byId.get(message.id);
      byId.set(message.id, known ? later(known, message) : message);
    }
    const all = Array.from(byId.values());
    all.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return all.slice(-MAX_STORED_MESSAGES);
  }

  function sameMessages(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function loadState() {
    const stored = readStored();
    return {
      sessionId: stored ? stored.sessionId : newSessionId(),
      messages: stored ? merged(stored.messages, []) : [],
      ...readTabState(),
    };
  }

  /** Writes this tab's messages merged with the stored ones (another tab may have written
   * since), then shows the result. The stored session id is kept: only a server's
   * confirmation changes it (`confirmSession`). */
  function saveState() {
    const stored = readStored();
    if (stored) {
      state.messages = merged(state.messages, stored.messages);
      if (stored.sessionId !== state.sessionId) adoptSession(stored.sessionId);
    }
    writeStored(state.sessionId, state.messages);
    render();
  }

  /** Another tab changed the conversation: take its messages, give back any it lacks. */
  function onStorage(event) {
    if (event.key !== STORAGE_KEY && event.key !== null) return;
    const stored = readStored();
    if (!stored) return;
    if (stored.sessionId !== state.sessionId) adoptSession(stored.sessionId);
    state.messages = merged(state.messages, stored.messages);
    if (!sameMessages(state.messages, stored.messages)) {
      writeStored(state.sessionId, state.messages);
    }
    render();
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

  const unreadBadge = el("span", { className: "azw-badge", "aria-hidden": "true", hidden: true });
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
    unreadBadge,
  );
  // Announces a reply that arrives while the panel is closed (the log is hidden then).
  const unreadStatus = el("p", { className: "azw-sr-only", role: "status" });

  const closeButton = el(
    "button",
    { type: "button", className: "azw-close", "aria-label": t.close, title: t.close },
    icon(CLOSE_ICON),
  );

  const connectionStatus = el("p", {
    className: "azw-connection",
    role: "status",
    text: t.connectionLost,
    hidden: true,
  });

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
      tabindex: "-1",
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
    connectionStatus,
    log,
    typing,
    form,
  );

  root.append(panel, launcher, unreadStatus);

  // ---------------------------------------------------------------- rendering

  const messageNodes = new Map(); // message id → its <li>
  let initialRender = true;
  let quickRepliesFor = null; // id of the message whose quick replies are shown

  /** One message as a list item: the customer's, or an incoming one whatever its sender (the
   * speaker's name comes from `t.speakers`). Status decorations are added by `showStatus`. */
  function renderMessage(message) {
    return message.role === "user" ? renderOwnMessage(message) : renderIncoming(message);
  }

  function renderOwnMessage(message) {
    const item = el("li", { className: "azw-msg azw-msg--user" });
    item.append(
      el("span", { className: "azw-sr-only", text: t.speakers.user }),
      // The customer's text stays exactly as typed: never a link.
      el("p", { className: "azw-bubble" }, document.createTextNode(message.text)),
    );
    return item;
  }

  function renderIncoming(message) {
    const item = el("li", { className: `azw-msg azw-msg--incoming azw-msg--${message.role}` });
    item.append(
      el("span", { className: "azw-sr-only", text: t.speakers[message.role] }),
      el("p", { className: "azw-bubble" }, richText(message.text)),
    );
    return item;
  }

  /** A message that got no answer says so, with a button to send it again. */
  function showStatus(item, message) {
    const failed = message.role === "user" && message.status === FAILED;
    if (item.classList.contains("azw-msg--failed") === failed) return;
    item.classList.toggle("azw-msg--failed", failed);
    const previous = item.querySelector(".azw-failure");
    if (previous) previous.remove();
    if (!failed) return;
    const shortText =
      message.text.length > RETRY_LABEL_CHARS
        ? `${message.text.slice(0, RETRY_LABEL_CHARS - 1)}…`
        : message.text;
    const retryButton = el("button", {
      type: "button",
      className: "azw-retry",
      text: t.retry,
      "aria-label": t.retryLabel(shortText),
    });
    retryButton.addEventListener("click", () => retry(message.id));
    // An alert when it happens before the customer's eyes, not for the history of a reload.
    const note = el("p", { className: "azw-failure-text", role: initialRender ? null : "alert" });
    note.append(richText(t.unanswered));
    item.append(el("div", { className: "azw-failure" }, note, retryButton));
  }

  /** Quick replies belong to the latest message only, and only if it came to the customer. */
  function renderQuickReplies() {
    const latest = state.messages[state.messages.length - 1];
    const withButtons =
      latest && latest.role !== "user" && Array.isArray(latest.buttons) && latest.buttons.length;
    const owner = withButtons ? latest.id : null;
    if (owner === quickRepliesFor) return; // unchanged: keep the focus where it is
    quickRepliesFor = owner;
    for (const old of root.querySelectorAll(".azw-quick-replies")) old.remove();
    if (!owner) return;
    const group = el("div", {
      className: "azw-quick-replies",
      role: "group",
      "aria-label": t.suggestions,
    });
    for (const button of latest.buttons) {
      const choice = el("button", {
        type: "button",
        className: "azw-quick-reply",
        text: button.title,
      });
      choice.addEventListener("click", () => {
        sendMessage(button.payload || button.title, button.title);
        focusComposer(); // the suggestions are gone with the question they answered
      });
      group.append(choice);
    }
    messageNodes.get(owner).append(group);
  }

  /** The message list as `state.messages` says: new items inserted in place (announced by the
   * log), existing ones only moved or updated, so other tabs' changes arrive without a flash. */
  function render() {
    const added = [];
    let previous = null;
    for (const message of state.messages) {
      let item = messageNodes.get(message.id);
      if (!item) {
        item = renderMessage(message);
        messageNodes.set(message.id, item);
        added.push(message);
      }
      showStatus(item, message);
      const expected = previous ? previous.nextSibling : messageList.firstChild;
      if (item !== expected) messageList.insertBefore(item, expected);
      previous = item;
    }
    const kept = new Set(state.messages.map((message) => message.id));
    for (const [id, item] of messageNodes) {
      if (!kept.has(id)) {
        item.remove();
        messageNodes.delete(id);
      }
    }
    renderQuickReplies();
    updateTyping();
    if (!initialRender) noteUnread(added.filter((message) => message.role !== "user").length);
    scrollAfter(added);
    expireStalePending();
    initialRender = false;
  }

  /** New messages: the customer's own scroll to the end; a reply scrolls so that the first
   * bubble of the assistant's answer starts at the top when the whole answer does not fit. */
  function scrollAfter(added) {
    if (!added.length || panel.hidden) return;
    if (added.some((message) => message.role === "user")) {
      scrollToEnd();
      return;
    }
    scrollToStartOf(firstOfLatestAnswer());
  }

  /** The first incoming message after the customer's latest one. */
  function firstOfLatestAnswer() {
    let first = null;
    for (let i = state.messages.length - 1; i >= 0 && state.messages[i].role !== "user"; i--) {
      first = state.messages[i];
    }
    return first ? messageNodes.get(first.id) : null;
  }

  function scrollToStartOf(item) {
    if (!item) {
      scrollToEnd();
      return;
    }
    const offset = item.getBoundingClientRect().top - log.getBoundingClientRect().top;
    const end = log.scrollHeight - log.clientHeight;
    log.scrollTop = Math.min(end, log.scrollTop + offset - SCROLL_MARGIN_PX);
    atEnd = isAtEnd();
  }

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
    atEnd = true;
  }

  let atEnd = true;

  function isAtEnd() {
    return log.scrollHeight - log.scrollTop - log.clientHeight <= AT_END_TOLERANCE_PX;
  }

  // ---------------------------------------------------------------- typing indicator

  let typingShownAt = null; // performance.now() when the dots appeared
  let typingShowTimer = null;
  let typingHideTimer = null;

  /** A message of the conversation (this tab's or another's) is waiting for its answer. */
  function awaitingAnswer() {
    return state.messages.some((message) => message.status === PENDING);
  }

  function typingRemainingMs() {
    return Math.max(0, typingShownAt + TYPING_MIN_VISIBLE_MS - performance.now());
  }

  function updateTyping() {
    if (awaitingAnswer()) {
      window.clearTimeout(typingHideTimer);
      typingHideTimer = null;
      if (typingShownAt === null && typingShowTimer === null) {
        typingShowTimer = window.setTimeout(showTyping, TYPING_DELAY_MS);
      }
      return;
    }
    window.clearTimeout(typingShowTimer);
    typingShowTimer = null;
    if (typingShownAt !== null && typingHideTimer === null) {
      typingHideTimer = window.setTimeout(hideTyping, typingRemainingMs());
    }
  }

  function showTyping() {
    typingShowTimer = null;
    typingShownAt = performance.now();
    typing.hidden = false;
    root.classList.add("azw--waiting");
    if (atEnd) scrollToEnd();
  }

  function hideTyping() {
    typingHideTimer = null;
    typingShownAt = null;
    typing.hidden = true;
    root.classList.remove("azw--waiting");
  }

  // ---------------------------------------------------------------- unread badge

  function noteUnread(count) {
    if (!count || state.open) return;
    state.unread += count;
    saveTabState();
    showUnread(true);
  }

  function showUnread(announce) {
    const count = state.unread;
    unreadBadge.hidden = count === 0;
    unreadBadge.textContent = String(count);
    // The badge's number is in the name too (axe: label-content-name-mismatch).
    launcher.setAttribute("aria-label", count ? `${t.open}, ${t.unread(count)}` : t.open);
    if (announce) unreadStatus.textContent = count ? t.unread(count) : "";
  }

  function clearUnread() {
    state.unread = 0;
    saveTabState();
    showUnread(false);
    unreadStatus.textContent = "";
  }

  // ---------------------------------------------------------------- receiving

  let lastTime = 0;

  /** Milliseconds since the epoch, never twice the same in this tab (messages sort by it). */
  function now() {
    lastTime = Math.max(Date.now(), lastTime + 0.001);
    return lastTime;
  }

  /** Rasa's socket.io and REST channels shape replies differently: one format for both. The
   * socket's replies carry the server's id (bot/channels/widget.py), the same in every tab. */
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
    const id = typeof reply.id === "string" && reply.id ? `s-${reply.id}` : newMessageId("r");
    return { id, role: "bot", text: parts.join("\n"), buttons, at: now(), updated: 0 };
  }

  /** Adds an incoming message, whatever its sender; one this tab already has (the same
   * server message, received by another tab too) is kept once. */
  function receive(reply) {
    const message = fromRasa(reply);
    if (!message || state.messages.some((known) => known.id === message.id)) return;
    settleOrphans(message.at);
    state.messages.push(message);
    saveState();
  }

  /** A question sent by a page since reloaded waits for an acknowledgement that went to the old
   * page; the answer that reaches this one settles it (another tab's own acknowledgement, or its
   * failure, comes later and wins). */
  function settleOrphans(before) {
    for (const message of state.messages) {
      if (message.status === PENDING && !inFlight.has(message.id) && message.at < before) {
        message.status = SENT;
        message.updated = now();
      }
    }
  }

  // ---------------------------------------------------------------- transport

  let serverUrl = null;
  let socket = null;
  let socketReady = false; // connected, with a session the server confirmed
  let socketSettled = false; // the first connection attempt succeeded or failed
  let socketEverReady = false;
  const readyWaiters = [];

  const configured = resolveServerUrl().then((url) => {
    serverUrl = url.replace(/\/+$/, "");
    return loadSocketIo().then((available) => {
      if (available) connectSocket();
      else socketSettled = true;
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
    socket = window.io(serverUrl, {
      path: options.socketPath,
      // Long-polling only: Rasa 3.6 serves socket.io through Sanic 21.12, whose WebSocket
      // support does not work with python-engineio 4 (the browser reports "Invalid frame
      // header"); polling still pushes each reply as soon as it is sent.
      transports: ["polling"],
      upgrade: false,
      // Never give up: when the server comes back, the conversation goes back to socket.io.
      reconnectionAttempts: Infinity,
      reconnectionDelayMax: RECONNECT_DELAY_MAX_MS,
      timeout: SOCKET_READY_TIMEOUT_MS,
    });
    socket.on("connect", () => adoptSession(state.sessionId));
    socket.on("session_confirm", confirmSession);
    socket.on("bot_uttered", receive);
    socket.on("disconnect", () => {
      socketReady = false;
      showConnection();
    });
    socket.on("connect_error", () => {
      socketReady = false;
      socketSettled = true; // meanwhile the REST channel carries the conversation
      notifyWaiters();
    });
  }

  /** The server issues (or confirms) the conversation id; a stored id it did not sign is
   * replaced, for every tab, and the REST fallback then uses the signed one too. When another
   * tab stored a conversation meanwhile (two tabs opened at once, each given a new id), this
   * tab joins that one instead of overwriting it: one conversation, never two halves. */
  function confirmSession(sessionId) {
    if (typeof sessionId !== "string" || !sessionId) return;
    const stored = readStored();
    if (stored && stored.sessionId !== sessionId && stored.sessionId !== requestedSession) {
      adoptSession(stored.sessionId);
      return;
    }
    if (!stored || stored.sessionId !== sessionId || state.sessionId !== sessionId) {
      state.sessionId = sessionId;
      state.messages = merged(state.messages, stored ? stored.messages : []);
      writeStored(state.sessionId, state.messages);
    }
    socketReady = true;
    socketSettled = true;
    socketEverReady = true;
    showConnection();
    notifyWaiters();
  }

  let requestedSession = null; // the id of the latest session_request

  /** Asks the server for this conversation (the stored one, or the one another tab uses);
   * until it confirms, messages go by REST. */
  function adoptSession(sessionId) {
    state.sessionId = sessionId;
    if (!socket || !socket.connected) return;
    requestedSession = sessionId;
    socketReady = false;
    socket.emit("session_request", { session_id: sessionId });
  }

  /** "Connection lost" shows while a socket that worked is down. */
  function showConnection() {
    const lost = socketEverReady && !socketReady;
    connectionStatus.hidden = !lost;
    root.dataset.connection = socketReady ? "socket" : lost ? "lost" : "rest";
  }

  function notifyWaiters() {
    while (readyWaiters.length) readyWaiters.shift()();
  }

  /** Resolves true when the socket can carry a message, false when REST must. Only the very
   * first connection is waited for; afterwards a socket that is down means REST at once. */
  function socketAvailable() {
    if (socketReady) return Promise.resolve(true);
    if (socketSettled) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = window.setTimeout(() => resolve(socketReady), SOCKET_READY_TIMEOUT_MS);
      readyWaiters.push(() => {
        window.clearTimeout(timer);
        resolve(socketReady);
      });
    });
  }

  /** Resolves once the server has handled the message (its replies came first), rejects when
   * it is unreachable or silent. */
  async function deliver(message) {
    await configured;
    const text = message.payload || message.text;
    const metadata = { language: lang };
    if (await socketAvailable()) {
      await emitAcknowledged({ message: text, session_id: state.sessionId, metadata });
      return;
    }
    await postRest({ sender: state.sessionId, message: text, metadata });
    // The server answers again: a socket that is waiting for its next attempt tries now.
    if (socket && !socket.connected) socket.connect();
  }

  function emitAcknowledged(payload) {
    return new Promise((resolve, reject) => {
      // socket.io calls back with an error when the socket disconnects or time runs out.
      socket.timeout(ANSWER_TIMEOUT_MS).emit("user_uttered", payload, (error) => {
        if (error) reject(error);
        else resolve();
      });
    });
  }

  async function postRest(body) {
    const controller = new AbortController();
    const timer = window.setTimeout(() => controller.abort(), REST_TIMEOUT_MS);
    try {
      const response = await fetch(`${serverUrl}/webhooks/rest/webhook`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
        signal: controller.signal,
        credentials: "omit",
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const replies = await response.json();
      for (const reply of Array.isArray(replies) ? replies : []) receive(reply);
    } finally {
      window.clearTimeout(timer);
    }
  }

  // ---------------------------------------------------------------- sending

  const inFlight = new Set(); // ids of this tab's messages waiting for their answer

  function sendMessage(payload, shownText) {
    const text = String(payload).trim().slice(0, MAX_MESSAGE_LENGTH);
    if (!text) return;
    const shown = String(shownText || text).slice(0, MAX_MESSAGE_LENGTH);
    const time = now();
    const message = {
      id: newMessageId("u"),
      role: "user",
      text: shown,
      at: time,
      updated: time,
      status: PENDING,
    };
    if (text !== shown) message.payload = text;
    state.messages.push(message);
    saveState();
    track(message);
  }

  function track(message) {
    inFlight.add(message.id);
    deliver(message).then(
      () => setStatus(message.id, SENT),
      () => setStatus(message.id, FAILED),
    );
  }

  function setStatus(id, status) {
    inFlight.delete(id);
    const message = state.messages.find((known) => known.id === id);
    if (!message) return;
    message.status = status;
    message.updated = now();
    saveState();
  }

  /** Sends an unanswered message again; it moves to the end of the conversation. */
  function retry(id) {
    const message = state.messages.find((known) => known.id === id);
    if (!message || message.status !== FAILED || inFlight.has(id)) return;
    const time = now();
    message.status = PENDING;
    message.at = time;
    message.updated = time;
    saveState();
    scrollToEnd();
    track(message);
    focusComposer(); // the retry button is gone with the failure
  }

  let expiryTimer = null;

  /** A message pending in no tab that is still open — the page was closed or reloaded while
   * it waited — never gets its answer here: it is marked unanswered once its time is up. */
  function expireStalePending() {
    window.clearTimeout(expiryTimer);
    const waiting = state.messages.filter(
      (message) => message.status === PENDING && !inFlight.has(message.id),
    );
    if (!waiting.length) return;
    const time = Date.now();
    const stale = waiting.filter((message) => time - message.at >= STALE_PENDING_MS);
    if (stale.length) {
      for (const message of stale) {
        message.status = FAILED;
        message.updated = now();
      }
      saveState();
      return;
    }
    const next = Math.min(...waiting.map((message) => message.at + STALE_PENDING_MS - time));
    expiryTimer = window.setTimeout(expireStalePending, next);
  }

  // ---------------------------------------------------------------- behaviour

  const narrowScreen = window.matchMedia("(max-width: 480px)");
  const coarsePointer = window.matchMedia("(pointer: coarse)");
  let opener = null; // the control that opened the panel: the focus goes back to it

  /** On a touch screen, focusing the input would pop the on-screen keyboard up at once. */
  function isTouch() {
    return coarsePointer.matches;
  }

  function isModal() {
    return state.open && narrowScreen.matches;
  }

  /** Where the customer goes on writing: the input, or on a touch screen the panel itself. */
  function focusComposer() {
    if (isTouch()) panel.focus({ preventScroll: true });
    else input.focus();
  }

  function openPanel({ focus = true, from = null } = {}) {
    if (from && from !== document.body) opener = from;
    panel.hidden = false;
    root.classList.add("azw--open");
    launcher.setAttribute("aria-expanded", "true");
    state.open = true;
    saveTabState();
    updateModal();
    const firstUnread = state.unread ? firstUnreadItem() : null;
    clearUnread();
    if (firstUnread) scrollToStartOf(firstUnread);
    else scrollToEnd();
    if (focus) focusComposer();
  }

  function closePanel() {
    panel.hidden = true;
    root.classList.remove("azw--open");
    launcher.setAttribute("aria-expanded", "false");
    state.open = false;
    saveTabState();
    updateModal();
    const back = opener && opener.isConnected && !opener.closest("[hidden]") ? opener : launcher;
    opener = null;
    back.focus();
  }

  function firstUnreadItem() {
    const incoming = state.messages.filter((message) => message.role !== "user");
    const first = incoming[incoming.length - state.unread];
    return first ? messageNodes.get(first.id) : null;
  }

  /** Under 480 px the open panel covers the page: a modal dialog, the page behind still. */
  function updateModal() {
    const modal = isModal();
    panel.setAttribute("aria-modal", String(modal));
    document.documentElement.classList.toggle("azw-modal-open", modal);
    fitVisualViewport();
  }

  /** The full-screen panel follows the visible viewport, which the on-screen keyboard shrinks
   * (`dvh` in widget.css where visualViewport is missing). Pinch-zoom is left alone. */
  function fitVisualViewport() {
    const viewport = window.visualViewport;
    if (!viewport || !isModal() || Math.abs(viewport.scale - 1) > 0.01) {
      root.style.removeProperty("--azw-viewport-height");
      root.style.removeProperty("--azw-viewport-top");
      return;
    }
    root.style.setProperty("--azw-viewport-height", `${viewport.height}px`);
    root.style.setProperty("--azw-viewport-top", `${viewport.offsetTop}px`);
  }

  function focusableInPanel() {
    return Array.from(
      panel.querySelectorAll("button, input, a[href], [tabindex='0']"),
    ).filter((node) => !node.disabled && node.getClientRects().length > 0);
  }

  /** Tab and Shift+Tab cycle inside the modal panel. */
  function trapFocus(event) {
    if (event.key !== "Tab" || !isModal()) return;
    const focusable = focusableInPanel();
    if (!focusable.length) return;
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    const active = document.activeElement;
    if (event.shiftKey && (active === first || active === panel)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first.focus();
    }
  }

  launcher.addEventListener("click", () =>
    panel.hidden ? openPanel({ from: launcher }) : closePanel(),
  );
  closeButton.addEventListener("click", closePanel);
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      closePanel();
    }
    trapFocus(event);
  });
  // Focus that reaches the page behind a modal panel (a click, a screen reader) comes back.
  document.addEventListener("focusin", (event) => {
    if (isModal() && !root.contains(event.target)) panel.focus({ preventScroll: true });
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value;
    input.value = "";
    sendMessage(text);
  });
  log.addEventListener("scroll", () => {
    atEnd = isAtEnd();
  });
  // The log shrinks when the on-screen keyboard opens: a conversation read to its end stays
  // at its end.
  if (window.ResizeObserver) {
    new ResizeObserver(() => {
      if (atEnd && !panel.hidden) scrollToEnd();
    }).observe(log);
  }
  if (window.visualViewport) {
    window.visualViewport.addEventListener("resize", fitVisualViewport);
    window.visualViewport.addEventListener("scroll", fitVisualViewport);
  }
  narrowScreen.addEventListener("change", updateModal);
  window.addEventListener("storage", onStorage);
  window.addEventListener("online", () => {
    if (socket && !socket.connected) socket.connect();
  });

  // Any element of the page with a data-allyzure-open attribute opens the conversation.
  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const trigger = target && target.closest("[data-allyzure-open]");
    if (trigger) openPanel({ from: trigger });
  });

  render();
  showUnread(false);
  showConnection();

  function mount() {
    const stylesheet = el("link", { rel: "stylesheet", href: assetUrl("widget.css") });
    const show = () => {
      document.body.append(root);
      // Reopen after a reload without stealing the focus from the page.
      if (state.open) openPanel({ focus: false });
    };
    stylesheet.addEventListener("load", show, { once: true });
    stylesheet.addEventListener("error", show, { once: true });
    document.head.append(stylesheet);
  }

  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount, { once: true });

  window.AllyzureChat = {
    open: () => openPanel({ from: document.activeElement }),
    close: closePanel,
  };
})();
