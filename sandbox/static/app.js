// The local chat page: one person's chat with the bot, kept live by the sandbox's event stream.
//
// Everything goes through the sandbox's people API (/sandbox/...), exactly as a test's
// simulated person does; /demo/... adds the demo's buttons when the page runs inside
// `stretchbot demo`. Text is only ever put on the page as text nodes (see format.js).

import { formatted, safeLink } from "./format.js";

const CITIES = [
  ["Berlin", 52.52, 13.405],
  ["London", 51.507, -0.128],
  ["New York", 40.713, -74.006],
  ["Tokyo", 35.68, 139.69],
  ["Sydney", -33.869, 151.209],
  ["São Paulo", -23.55, -46.633],
  ["Mumbai", 19.076, 72.878],
  ["Los Angeles", 34.052, -118.244],
  ["Cape Town", -33.925, 18.424],
];
const NAMES = ["Sam", "Robin", "Kim", "Noor", "Jo", "Ana", "Lee", "Max", "Ola", "Ravi"];
const TAP_TIMEOUT_MS = 15000;
const TYPING_MS = 5000;
const TOAST_MS = 3000;

const $ = (id) => document.getElementById(id);
const el = {
  people: $("people"),
  newPerson: $("new-person"),
  controls: $("demo-controls"),
  sendReminder: $("send-reminder"),
  nextReminder: $("next-reminder"),
  demoStatus: $("demo-status"),
  botClock: $("bot-clock"),
  botName: $("bot-name"),
  chatStatus: $("chat-status"),
  viewer: $("viewer"),
  messages: $("messages"),
  toast: $("toast"),
  toastText: $("toast-text"),
  toastOk: $("toast-ok"),
  menu: $("menu"),
  cities: $("cities"),
  replyKeyboard: $("reply-keyboard"),
  startBar: $("start-bar"),
  start: $("start"),
  composer: $("composer"),
  menuButton: $("menu-button"),
  text: $("text"),
  locationButton: $("location-button"),
};

const state = {
  people: [],
  current: null,
  messages: new Map(), // message_id -> {data, node}
  unread: new Map(), // chat id -> count
  pendingTaps: new Map(), // query_id -> {button, timer}
  earlyAnswers: new Map(), // query_id -> answer that arrived before our POST returned
  demo: false,
  typingTimer: null,
  toastTimer: null,
  events: null,
  stuck: true, // the chat is scrolled to its end: keep it there as things grow
  demoTimer: null,
};

// --- HTTP -----------------------------------------------------------------------------------

async function api(method, path, body) {
  const options = { method, headers: {} };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const reason = data && typeof data.error === "string" ? data.error : response.statusText;
    throw new Error(`${method} ${path}: ${reason}`);
  }
  return data;
}

function report(error) {
  console.error(error);
  showToast(error instanceof Error ? error.message : String(error), false);
}

// --- Small helpers --------------------------------------------------------------------------

function node(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined && text !== null) element.textContent = text;
  return element;
}

// A message's time: its `date`, which the local Telegram takes from the bot's clock (in the demo
// that clock jumps ahead with "Send the next reminder now"), never the browser's own time.
function timeNode(seconds) {
  const when = new Date(seconds * 1000);
  const shown = node("time", "", when.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }));
  shown.dateTime = when.toISOString();
  shown.title = when.toLocaleString();
  return shown;
}

function cityAt(latitude, longitude) {
  const found = CITIES.find(
    ([, lat, lon]) => Math.abs(lat - latitude) < 0.05 && Math.abs(lon - longitude) < 0.05,
  );
  return found ? found[0] : null;
}

function person(id) {
  return state.people.find((p) => p.id === id) || null;
}

function nearBottom() {
  const box = el.messages;
  return box.scrollHeight - box.scrollTop - box.clientHeight < 80;
}

function scrollToBottom() {
  el.messages.scrollTop = el.messages.scrollHeight;
  state.stuck = true;
}

// Which controls a popup holds, and the button that opens it.
function popupItems(popup) {
  return [...popup.querySelectorAll("[role='menuitem']")];
}

function focusPopup(popup, index) {
  const items = popupItems(popup);
  if (items.length) items[(index + items.length) % items.length].focus();
}

function onPopupKey(event, popup, opener) {
  const items = popupItems(popup);
  const at = items.indexOf(document.activeElement);
  if (event.key === "ArrowDown") focusPopup(popup, at + 1);
  else if (event.key === "ArrowUp") focusPopup(popup, at < 0 ? -1 : at - 1);
  else if (event.key === "Home") focusPopup(popup, 0);
  else if (event.key === "End") focusPopup(popup, -1);
  else if (event.key === "Escape") {
    closePopups();
    opener.focus();
  } else return;
  event.preventDefault();
  event.stopPropagation();
}

function closePopups() {
  for (const [popup, opener] of [
    [el.menu, el.menuButton],
    [el.cities, el.locationButton],
  ]) {
    popup.hidden = true;
    opener.setAttribute("aria-expanded", "false");
  }
}

function showToast(text, alert) {
  clearTimeout(state.toastTimer);
  el.toastText.textContent = text;
  el.toast.classList.toggle("alert", alert);
  el.toastOk.hidden = !alert;
  el.toast.hidden = false;
  if (!alert) state.toastTimer = setTimeout(() => (el.toast.hidden = true), TOAST_MS);
}

// --- People (the chats in the sidebar) ------------------------------------------------------

function renderPeople() {
  el.people.replaceChildren();
  for (const p of state.people) {
    const item = node("li");
    const button = node("button", "person");
    button.type = "button";
    button.dataset.userId = String(p.id);
    if (p.id === state.current) button.setAttribute("aria-current", "true");
    button.append(node("span", "person-avatar", p.first_name.slice(0, 1).toUpperCase()));
    button.append(node("span", "person-name", p.first_name));
    const unread = state.unread.get(p.id) || 0;
    if (unread > 0) button.append(node("span", "badge", String(unread)));
    button.addEventListener("click", () => openChat(p.id).catch(report));
    item.append(button);
    el.people.append(item);
  }
}

async function refreshPeople() {
  const overview = await api("GET", "/sandbox/");
  state.people = overview.users;
  el.botName.textContent = overview.bot.first_name;
  renderPeople();
}

async function newPerson() {
  const taken = new Set(state.people.map((p) => p.first_name));
  const name =
    NAMES.find((candidate) => !taken.has(candidate)) || `Guest ${state.people.length + 1}`;
  const created = await api("POST", "/sandbox/users", { first_name: name });
  state.people.push(created);
  await openChat(created.id);
}

// --- Messages -------------------------------------------------------------------------------

function fileUrl(message) {
  return `/sandbox/chats/${message.chat_id}/messages/${message.message_id}/file?v=${message.version}`;
}

function inlineKeyboard(message) {
  const keyboard = node("div", "inline-keyboard");
  for (const row of message.buttons) {
    const line = node("div", "inline-row");
    for (const spec of row) {
      const button = node("button", "inline-button", spec.text);
      button.type = "button";
      const link = safeLink(spec.url);
      if (spec.callback_data) {
        button.addEventListener("click", () => tap(message, spec, button).catch(report));
      } else if (link) {
        button.classList.add("link");
        button.title = link;
        button.addEventListener("click", () => window.open(link, "_blank", "noopener"));
      } else {
        button.disabled = true; // a kind of button the sandbox cannot press
      }
      line.append(button);
    }
    keyboard.append(line);
  }
  return keyboard;
}

function messageNode(message) {
  const article = node("article", `msg ${message.from_bot ? "bot" : "me"} kind-${message.kind}`);
  article.dataset.messageId = String(message.message_id);
  article.dataset.version = String(message.version);
  const bubble = node("div", "bubble");
  if (message.kind === "photo") {
    const image = node("img", "photo");
    image.src = fileUrl(message);
    image.alt = message.text ? `Photo: ${message.text}` : "Photo";
    image.loading = "lazy";
    // The picture grows the chat once it has loaded: follow it if the chat was at its end.
    image.addEventListener("load", () => state.stuck && scrollToBottom());
    const link = node("a", "photo-link");
    link.href = fileUrl(message);
    link.target = "_blank";
    link.rel = "noopener";
    link.append(image);
    bubble.append(link);
  } else if (message.kind === "document") {
    const link = node("a", "document", `📄 ${message.document_name || "document"}`);
    link.href = fileUrl(message);
    link.download = message.document_name || "document";
    bubble.append(link);
  } else if (message.kind === "location" && message.location) {
    const [latitude, longitude] = message.location;
    const city = cityAt(latitude, longitude);
    const where = `${latitude.toFixed(3)}, ${longitude.toFixed(3)}`;
    bubble.append(node("div", "location", city ? `📍 ${city} (${where})` : `📍 ${where}`));
  }
  if (message.html || message.text) {
    const text = node("div", "text");
    if (message.html) text.append(formatted(message.html));
    else text.textContent = message.text;
    bubble.append(text);
  }
  const meta = node("footer", "meta");
  if (message.edited) meta.append(node("span", "edited", "edited"));
  meta.append(timeNode(message.date));
  bubble.append(meta);
  article.append(bubble);
  if (message.buttons && message.buttons.length) article.append(inlineKeyboard(message));
  return article;
}

function upsert(message) {
  const known = state.messages.get(message.message_id);
  if (known && known.data.version > message.version) return; // an older snapshot: keep ours
  const fresh = messageNode(message);
  const stick = state.stuck || nearBottom();
  if (known) {
    known.node.replaceWith(fresh);
  } else {
    let after = null;
    for (const [id, entry] of state.messages) {
      if (id > message.message_id && (after === null || id < after.id)) after = { id, entry };
    }
    el.messages.insertBefore(fresh, after ? after.entry.node : null);
  }
  state.messages.set(message.message_id, { data: message, node: fresh });
  if (stick || !known) scrollToBottom();
}

function remove(messageId) {
  const known = state.messages.get(messageId);
  if (!known) return;
  known.node.remove();
  state.messages.delete(messageId);
}

function updateStartBar() {
  const empty = state.messages.size === 0;
  el.startBar.hidden = !empty;
  el.composer.hidden = empty;
}

// --- Acting as the person -------------------------------------------------------------------

async function sendText(text) {
  const trimmed = text.trim();
  if (!trimmed || state.current === null) return;
  closePopups();
  await api("POST", `/sandbox/users/${state.current}/messages`, { text: trimmed });
}

async function shareLocation(latitude, longitude) {
  closePopups();
  await api("POST", `/sandbox/users/${state.current}/location`, { latitude, longitude });
  await refreshKeyboard();
}

function settleTap(queryId, answer) {
  const pending = state.pendingTaps.get(queryId);
  if (!pending) {
    state.earlyAnswers.set(queryId, answer);
    return;
  }
  clearTimeout(pending.timer);
  pending.button.classList.remove("pending");
  state.pendingTaps.delete(queryId);
  if (answer.text) showToast(answer.text, Boolean(answer.show_alert));
}

async function tap(message, spec, button) {
  button.classList.add("pending");
  let result;
  try {
    result = await api("POST", `/sandbox/users/${state.current}/taps`, {
      callback_data: spec.callback_data,
      message_id: message.message_id,
    });
  } catch (error) {
    button.classList.remove("pending");
    throw error;
  }
  const timer = setTimeout(() => {
    button.classList.remove("pending");
    state.pendingTaps.delete(result.query_id);
    showToast("The bot did not answer this button.", false);
  }, TAP_TIMEOUT_MS);
  state.pendingTaps.set(result.query_id, { button, timer });
  const early = state.earlyAnswers.get(result.query_id);
  if (early) {
    state.earlyAnswers.delete(result.query_id);
    settleTap(result.query_id, early);
  }
}

// --- Keyboard, command menu, cities ---------------------------------------------------------

async function refreshKeyboard() {
  if (state.current === null) return;
  const keyboard = await api("GET", `/sandbox/chats/${state.current}/keyboard`);
  el.replyKeyboard.replaceChildren();
  el.text.placeholder = (keyboard && keyboard.placeholder) || "Message";
  if (!keyboard || keyboard.hidden) {
    el.replyKeyboard.hidden = true;
    return;
  }
  for (const row of keyboard.rows) {
    const line = node("div", "reply-row");
    for (const spec of row) {
      const button = node("button", "reply-button", spec.text);
      button.type = "button";
      button.addEventListener("click", () => {
        if (spec.request_location) {
          openCities();
        } else {
          sendText(spec.text)
            .then(refreshKeyboard)
            .catch(report);
        }
      });
      line.append(button);
    }
    el.replyKeyboard.append(line);
  }
  el.replyKeyboard.hidden = false;
}

async function refreshCommands() {
  if (state.current === null) return [];
  const commands = await api("GET", `/sandbox/chats/${state.current}/commands`);
  el.menuButton.hidden = commands.length === 0;
  el.menu.replaceChildren();
  for (const command of commands) {
    const item = node("button", "menu-item");
    item.type = "button";
    item.setAttribute("role", "menuitem");
    item.append(node("span", "command", `/${command.command}`));
    item.append(node("span", "description", command.description));
    item.addEventListener("click", () => sendText(`/${command.command}`).catch(report));
    el.menu.append(item);
  }
  return commands;
}

async function toggleMenu() {
  if (!el.menu.hidden) {
    closePopups();
    return;
  }
  closePopups();
  await refreshCommands();
  el.menu.hidden = false;
  el.menuButton.setAttribute("aria-expanded", "true");
  focusPopup(el.menu, 0);
}

function openCities() {
  closePopups();
  el.cities.replaceChildren(node("p", "popup-title", "Share a location: pick a city"));
  for (const [name, latitude, longitude] of CITIES) {
    const item = node("button", "menu-item city", `📍 ${name}`);
    item.type = "button";
    item.setAttribute("role", "menuitem");
    item.addEventListener("click", () => shareLocation(latitude, longitude).catch(report));
    el.cities.append(item);
  }
  el.cities.hidden = false;
  el.locationButton.setAttribute("aria-expanded", "true");
  focusPopup(el.cities, 0);
}

// --- Demo controls --------------------------------------------------------------------------

function showClock(iso, aheadSeconds) {
  const when = new Date(iso);
  const text = when.toLocaleString([], {
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: "UTC",
  });
  const hours = Math.round(aheadSeconds / 360) / 10;
  el.botClock.textContent = aheadSeconds > 60 ? `${text} UTC (${hours} h ahead)` : `${text} UTC`;
  el.botClock.dateTime = iso;
}

async function refreshDemo() {
  const who = state.current === null ? "" : `?user=${state.current}`;
  const response = await fetch(`/demo/state${who}`);
  state.demo = response.ok;
  el.controls.hidden = !state.demo;
  if (state.demo) {
    const demo = await response.json();
    showClock(demo.clock, demo.ahead_seconds);
    el.nextReminder.textContent = demo.next_reminder
      ? `Next reminder: ${demo.next_reminder}`
      : "No reminder is due yet: sign up in the chat first.";
    el.sendReminder.dataset.due = demo.next_reminder || "";
  }
}

// The bot's answers change when the next reminder is due (sign-up, /settings, a pause).
function refreshDemoSoon() {
  if (!state.demo) return;
  clearTimeout(state.demoTimer);
  state.demoTimer = setTimeout(() => refreshDemo().catch(() => {}), 300);
}

async function sendReminderNow() {
  if (state.current === null) return;
  el.sendReminder.disabled = true;
  el.demoStatus.textContent = "Sending…";
  el.demoStatus.className = "demo-status";
  try {
    const result = await api("POST", `/demo/people/${state.current}/reminder`);
    el.demoStatus.textContent = result.message;
    el.demoStatus.classList.add(result.sent ? "ok" : "refused");
    await refreshDemo();
  } finally {
    el.sendReminder.disabled = false;
  }
}

// --- The chat and its live updates ----------------------------------------------------------

async function openChat(userId) {
  state.current = userId;
  state.unread.delete(userId);
  state.messages.clear();
  el.messages.replaceChildren();
  closePopups();
  el.demoStatus.textContent = "";
  history.replaceState(null, "", `#chat=${userId}`);
  const who = person(userId);
  el.viewer.textContent = who ? `You are ${who.first_name}` : "";
  renderPeople();
  const chat = await api("GET", `/sandbox/chats/${userId}`);
  if (state.current !== userId) return; // another chat was opened meanwhile
  for (const message of chat.messages) upsert(message);
  scrollToBottom();
  updateStartBar();
  await Promise.all([refreshKeyboard(), refreshCommands(), state.demo ? refreshDemo() : null]);
  el.text.focus();
}

function showTyping(action) {
  clearTimeout(state.typingTimer);
  el.chatStatus.textContent = action === "typing" ? "typing…" : `${action.replace(/_/g, " ")}…`;
  el.chatStatus.classList.add("busy");
  state.typingTimer = setTimeout(stopTyping, TYPING_MS);
}

function stopTyping() {
  clearTimeout(state.typingTimer);
  el.chatStatus.textContent = "bot";
  el.chatStatus.classList.remove("busy");
}

function onEvent(kind, data) {
  if (data.chat_id !== state.current) {
    if (kind === "message" && data.message && data.message.from_bot) {
      state.unread.set(data.chat_id, (state.unread.get(data.chat_id) || 0) + 1);
    }
    if (!person(data.chat_id) && data.chat_id > 0) refreshPeople().catch(report);
    else renderPeople();
    return;
  }
  if ((kind === "message" || kind === "edit") && data.message) {
    upsert(data.message);
    if (data.message.from_bot) {
      stopTyping();
      refreshDemoSoon();
    }
    if (data.message.reply_keyboard !== null || data.message.removes_keyboard) {
      refreshKeyboard().catch(report);
    }
    updateStartBar();
  } else if (kind === "delete" && data.message_id !== null) {
    remove(data.message_id);
    updateStartBar();
  } else if (kind === "action" && data.action) {
    showTyping(data.action);
  } else if (kind === "callback_answer") {
    settleTap(data.query_id, data);
  }
}

function listen() {
  const source = new EventSource("/sandbox/events");
  let broken = false;
  for (const kind of ["message", "edit", "delete", "action", "callback_answer", "member"]) {
    source.addEventListener(kind, (event) => {
      try {
        onEvent(kind, JSON.parse(event.data));
      } catch (error) {
        report(error);
      }
    });
  }
  source.addEventListener("error", () => {
    broken = true;
    el.chatStatus.textContent = "connecting…";
  });
  source.addEventListener("open", () => {
    document.body.dataset.live = "true";
    if (broken) {
      broken = false; // back after a break: we may have missed changes, so read again
      stopTyping();
      refreshPeople()
        .then(() => {
          const still = person(state.current);
          return openChat(still ? still.id : state.people[0].id);
        })
        .catch(report);
    }
  });
  state.events = source;
}

// --- Start ----------------------------------------------------------------------------------

function wire() {
  el.composer.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = el.text.value;
    el.text.value = "";
    sendText(text).catch(report);
  });
  el.start.addEventListener("click", () => sendText("/start").catch(report));
  el.menuButton.addEventListener("click", () => toggleMenu().catch(report));
  el.locationButton.addEventListener("click", () =>
    el.cities.hidden ? openCities() : closePopups(),
  );
  el.newPerson.addEventListener("click", () => newPerson().catch(report));
  el.sendReminder.addEventListener("click", () => sendReminderNow().catch(report));
  el.toastOk.addEventListener("click", () => (el.toast.hidden = true));
  el.messages.addEventListener("scroll", () => (state.stuck = nearBottom()), { passive: true });
  el.menu.addEventListener("keydown", (event) => onPopupKey(event, el.menu, el.menuButton));
  el.cities.addEventListener("keydown", (event) =>
    onPopupKey(event, el.cities, el.locationButton),
  );
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    if (!el.toast.hidden) el.toast.hidden = true;
    closePopups();
  });
}

async function main() {
  wire();
  listen();
  await Promise.all([refreshPeople(), refreshDemo()]);
  const wanted = Number(new URLSearchParams(location.hash.slice(1)).get("chat"));
  if (state.people.length === 0) {
    await newPerson();
  } else {
    await openChat(person(wanted) ? wanted : state.people[0].id);
  }
  document.body.dataset.ready = "true";
  if (state.demo) setInterval(() => refreshDemo().catch(() => {}), 30000);
}

main().catch(report);
