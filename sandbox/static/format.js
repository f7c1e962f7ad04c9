// The bot's formatting, rebuilt from a whitelist: never innerHTML of anything the bot or a
// person wrote.
//
// The sandbox gives each message as HTML it rendered itself from the message's parsed entities
// (text escaped, tags only for entities). We still treat that string as untrusted: DOMParser
// builds an inert document (no scripts run, nothing loads), and we copy out only text and the
// tags Telegram's HTML dialect knows, as fresh elements with no attributes but a checked link.

const TAGS = new Map([
  ["B", "b"], ["STRONG", "b"],
  ["I", "i"], ["EM", "i"],
  ["U", "u"], ["INS", "u"],
  ["S", "s"], ["STRIKE", "s"], ["DEL", "s"],
  ["CODE", "code"], ["PRE", "pre"], ["BLOCKQUOTE", "blockquote"],
]);
const LINK_SCHEMES = new Set(["http:", "https:"]);
const DROPPED = new Set(["SCRIPT", "STYLE", "TEMPLATE", "IFRAME", "OBJECT", "EMBED", "NOSCRIPT"]);

/** A checked absolute http(s) link, or null. */
export function safeLink(raw) {
  if (typeof raw !== "string") return null;
  try {
    const url = new URL(raw);
    return LINK_SCHEMES.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

function spoiler() {
  const span = document.createElement("span");
  span.className = "spoiler";
  span.title = "Spoiler: click to show";
  // A control like any other: Tab reaches it, Enter or Space shows it.
  span.tabIndex = 0;
  span.setAttribute("role", "button");
  const reveal = () => {
    span.classList.add("revealed");
    span.removeAttribute("role");
    span.removeAttribute("tabindex");
  };
  span.addEventListener("click", reveal, { once: true });
  span.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      reveal();
    }
  });
  return span;
}

function copyNode(node, into) {
  if (node.nodeType === Node.TEXT_NODE) {
    into.append(document.createTextNode(node.data));
    return;
  }
  if (node.nodeType !== Node.ELEMENT_NODE) return;
  const name = node.tagName.toUpperCase();
  if (DROPPED.has(name)) return; // not even as text
  if (name === "BR") {
    into.append(document.createTextNode("\n"));
    return;
  }
  let target;
  if (TAGS.has(name)) {
    target = document.createElement(TAGS.get(name));
  } else if (name === "TG-SPOILER" || (name === "SPAN" && node.classList.contains("tg-spoiler"))) {
    target = spoiler();
  } else if (name === "A" && safeLink(node.getAttribute("href"))) {
    target = document.createElement("a");
    target.href = safeLink(node.getAttribute("href"));
    target.target = "_blank";
    target.rel = "noopener noreferrer";
  } else {
    target = document.createDocumentFragment(); // any other tag: keep its text, drop the tag
  }
  for (const child of node.childNodes) copyNode(child, target);
  into.append(target);
}

/** A DocumentFragment with the formatted message: text nodes and whitelisted tags only. */
export function formatted(html) {
  const fragment = document.createDocumentFragment();
  if (typeof html !== "string" || html === "") return fragment;
  const parsed = new DOMParser().parseFromString(`<!doctype html><body>${html}`, "text/html");
  for (const child of parsed.body.childNodes) copyNode(child, fragment);
  return fragment;
}
