// WBS sandbox page: plays the reporter's phone and the officers' group against the real bot.
// Texts arrive as plain text plus Telegram entities and are drawn with text nodes only:
// nothing typed by anyone is ever parsed as HTML here.
"use strict";

// How often the page asks for news; `?poll=250` in the address changes it (tests do).
const POLL_MS = Math.max(100, Number(new URLSearchParams(location.search).get("poll")) || 700);
const CSRF = { "X-WBS-Sandbox": "1" };

const state = {
  setup: null,
  phone: 0, // the phone shown (a reporter, or the admin's private chat)
  actor: 0, // who acts in the group
  chats: { phone: null, group: null },
  drawn: { phone: "", group: "" },
  reply: { phone: null, group: null },
  forceApplied: new Set(),
  counts: { phone: 0, group: 0 },
  polling: false,
};

const $ = (id) => document.getElementById(id);

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

async function api(path, body) {
  const options =
    body === undefined
      ? {}
      : body instanceof FormData
        ? { method: "POST", headers: CSRF, body }
        : {
            method: "POST",
            headers: { ...CSRF, "Content-Type": "application/json" },
            body: JSON.stringify(body),
          };
  const response = await fetch(path, options);
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error || response.statusText);
  return data;
}

let toastTimer = 0;
function toast(text, kind) {
  const box = $("toast");
  box.textContent = text;
  box.className = "toast" + (kind ? " " + kind : "");
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (box.hidden = true), kind === "alert" ? 5000 : 3000);
}

// ---------------------------------------------------------------- text with entities

const TAGS = {
  bold: "b",
  italic: "i",
  underline: "u",
  strikethrough: "s",
  code: "code",
  pre: "pre",
  blockquote: "blockquote",
  expandable_blockquote: "blockquote",
  spoiler: "span",
};

function safeUrl(href) {
  if (/^https?:\/\//i.test(href)) return href;
  if (/^www\./i.test(href)) return "https://" + href;
  return null;
}

function wrap(node, entity, text) {
  let outer;
  if (entity.type === "url" || entity.type === "text_link") {
    const href = safeUrl(
      entity.type === "url" ? text.slice(entity.offset, entity.offset + entity.length) : entity.url || "",
    );
    if (!href) return node;
    outer = el("a", { href, target: "_blank", rel: "noopener noreferrer" });
  } else if (["bot_command", "mention", "email", "hashtag"].includes(entity.type)) {
    outer = el("span", { class: "ent-link" });
  } else if (TAGS[entity.type]) {
    outer = el(TAGS[entity.type], entity.type === "spoiler" ? { class: "spoiler" } : {});
  } else {
    return node;
  }
  outer.append(node);
  return outer;
}

// Offsets are in UTF-16 code units, which is what JavaScript strings index.
function renderText(text, entities) {
  const fragment = document.createDocumentFragment();
  const cuts = new Set([0, text.length]);
  for (const e of entities) {
    cuts.add(Math.max(0, Math.min(e.offset, text.length)));
    cuts.add(Math.max(0, Math.min(e.offset + e.length, text.length)));
  }
  const points = [...cuts].sort((a, b) => a - b);
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i];
    const end = points[i + 1];
    let node = document.createTextNode(text.slice(start, end));
    const active = entities
      .filter((e) => e.offset <= start && e.offset + e.length >= end)
      .sort((a, b) => a.length - b.length); // innermost first
    for (const entity of active) node = wrap(node, entity, text);
    fragment.append(node);
  }
  return fragment;
}

// ---------------------------------------------------------------- drawing a chat

function hhmm(seconds) {
  const d = new Date(seconds * 1000);
  return String(d.getHours()).padStart(2, "0") + ":" + String(d.getMinutes()).padStart(2, "0");
}

function sizeText(bytes) {
  if (bytes >= 1024 * 1024) return (bytes / 1024 / 1024).toFixed(1) + " MB";
  if (bytes >= 1024) return Math.round(bytes / 1024) + " KB";
  return bytes + " B";
}

function selfId(pane) {
  return pane === "phone" ? state.phone : state.actor;
}

function fileView(file) {
  const src = "/api/file/" + encodeURIComponent(file.id);
  if (file.kind === "photo") {
    return el("a", { href: src, target: "_blank", rel: "noopener" }, el("img", { class: "photo", src, alt: "foto" }));
  }
  return el(
    "a",
    { class: "file", href: src, target: "_blank", rel: "noopener" },
    el("span", { class: "icon-doc" }, file.kind === "video" ? "▶" : "📄"),
    el("span", {}, file.name || (file.kind === "video" ? "video" : "dokumen"), el("small", {}, sizeText(file.size))),
  );
}

function bubble(pane, m) {
  const out = !m.from.bot && m.from.id === selfId(pane);
  const box = el("div", { class: "bubble" });
  if (pane === "group" && !out) {
    const role = m.from.bot ? "" : m.from.role || "";
    box.append(el("div", { class: "sender " + role }, m.from.name));
  }
  if (m.reply_to) {
    box.append(
      el(
        "div",
        { class: "quote", onclick: () => jumpTo(pane, m.reply_to.id) },
        el("b", {}, m.reply_to.name),
        el("span", {}, m.reply_to.text || "…"),
      ),
    );
  }
  if (m.file) box.append(fileView(m.file));
  if (m.contact) box.append(el("div", { class: "contact" }, "📱 ", el("b", {}, "+" + m.contact.phone.replace(/^\+/, ""))));
  if (m.text) {
    const text = el("div", { class: "text" });
    text.append(renderText(m.text, m.entities || []));
    box.append(text);
  }
  box.append(
    el(
      "div",
      { class: "meta" },
      el("button", { type: "button", class: "reply-btn", title: "Balas (reply) pesan ini", "aria-label": "Balas", onclick: () => setReply(pane, m) }, "↩"),
      m.edited ? el("span", {}, "diedit") : null,
      el("span", {}, hhmm(m.date)),
    ),
  );
  const wrapper = el("div", { class: "msg " + (out ? "out" : "in"), dataset: { id: m.id, from: m.from.bot ? "bot" : "person" } }, box);
  if (m.buttons && m.buttons.length) {
    const keyboard = el("div", { class: "inline-keyboard" });
    for (const row of m.buttons) {
      const line = el("div", { class: "inline-row" });
      for (const button of row) {
        if (button.url) {
          const href = safeUrl(button.url);
          line.append(el("a", { class: "inline-btn", href: href || "#", target: "_blank", rel: "noopener noreferrer" }, button.text + " ↗"));
        } else {
          line.append(el("button", { type: "button", class: "inline-btn", onclick: (ev) => press(pane, m.id, button.text, ev.target) }, button.text));
        }
      }
      keyboard.append(line);
    }
    wrapper.append(keyboard);
  }
  return wrapper;
}

function jumpTo(pane, id) {
  const target = $(pane + "-messages").querySelector(`.msg[data-id="${Number(id)}"]`);
  if (target) target.scrollIntoView({ behavior: "smooth", block: "center" });
}

function emptyText(pane) {
  if (pane === "phone") {
    return "Belum ada pesan. Ketik /start atau tekan / untuk daftar perintah, seperti pelapor yang baru membuka bot.";
  }
  return "Belum ada pesan di grup. Laporan baru yang dikirim pelapor muncul di sini; petugas mengetik perintah seperti /kasus.";
}

function draw(pane, force) {
  const chat = state.chats[pane];
  if (!chat) return;
  const key = JSON.stringify(chat.messages) + "|" + selfId(pane);
  if (!force && key === state.drawn[pane]) return;
  const box = $(pane + "-messages");
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
  const firstDraw = state.drawn[pane] === "";
  state.drawn[pane] = key;
  box.replaceChildren(...chat.messages.map((m) => bubble(pane, m)));
  if (!chat.messages.length) box.append(el("p", { class: "empty" }, emptyText(pane)));
  if (pane === "phone") drawKeyboard(chat.messages);
  if (pane === "group") applyForceReply(chat.messages);
  drawCommands(pane);
  if (atBottom || firstDraw || force) box.scrollTop = box.scrollHeight;
  if (chat.messages.length !== state.counts[pane]) {
    const hidden = !document.body.classList.contains("show-" + pane);
    if (hidden && state.counts[pane] && window.matchMedia("(max-width: 820px)").matches) {
      $("tab-" + pane).classList.add("unread");
    }
    state.counts[pane] = chat.messages.length;
  }
}

// Telegram's reply keyboard (the "share my number" button) under the phone's composer.
function drawKeyboard(messages) {
  let keyboard = null;
  for (const m of messages) {
    if (m.from.bot && m.keyboard) keyboard = { ...m.keyboard, after: m.id };
    else if (m.from.bot && m.remove_keyboard) keyboard = null;
    else if (!m.from.bot && keyboard && keyboard.one_time && m.id > keyboard.after) keyboard = null;
  }
  const box = $("phone-keyboard");
  box.replaceChildren();
  box.hidden = !keyboard;
  if (!keyboard) return;
  for (const row of keyboard.rows) {
    const line = el("div", { class: "kb-row" });
    for (const button of row) {
      line.append(
        el(
          "button",
          {
            type: "button",
            class: "kb-btn",
            onclick: () => (button.contact ? shareContact() : sendText("phone", button.text)),
          },
          button.text,
        ),
      );
    }
    box.append(line);
  }
}

// A ForceReply prompt in the group ("reply to this message with the question") is answered
// by replying to it, as Telegram opens the reply for the officer who pressed the button.
function applyForceReply(messages) {
  const prompt = [...messages].reverse().find((m) => m.from.bot && m.force_reply);
  if (!prompt || state.forceApplied.has(prompt.id)) return;
  state.forceApplied.add(prompt.id);
  const answered = messages.some((m) => !m.from.bot && m.reply_to && m.reply_to.id === prompt.id);
  if (!answered) {
    setReply("group", prompt);
    if (prompt.placeholder) $("group-input").placeholder = "Balasan untuk " + prompt.placeholder;
  }
}

function drawCommands(pane) {
  const box = $(pane + "-commands");
  const commands = (state.chats[pane] && state.chats[pane].commands) || [];
  box.replaceChildren(
    ...commands.map((c) =>
      el(
        "button",
        {
          type: "button",
          onclick: () => {
            const input = $(pane + "-input");
            input.value = "/" + c.command + " ";
            box.hidden = true;
            input.focus();
          },
        },
        el("b", {}, "/" + c.command),
        el("span", {}, c.description),
      ),
    ),
  );
}

function setReply(pane, m) {
  state.reply[pane] = m.id;
  const bar = $(pane + "-replybar");
  const who = m.from.bot ? state.setup.bot.name : m.from.name;
  bar.querySelector(".replytext").textContent = "Membalas " + who + ": " + (m.text || (m.file ? m.file.name || "file" : "")).slice(0, 90);
  bar.hidden = false;
  $(pane + "-input").focus();
}

function clearReply(pane) {
  state.reply[pane] = null;
  $(pane + "-replybar").hidden = true;
  if (pane === "group") $("group-input").placeholder = "Perintah atau pesan, mis. /kasus";
}

// ---------------------------------------------------------------- acting

function chatOf(pane) {
  return pane === "group" ? "group" : "private";
}

async function sendText(pane, text) {
  text = text.trim();
  if (!text) return;
  try {
    await api("/api/send", { user_id: selfId(pane), chat: chatOf(pane), text, reply_to: state.reply[pane] });
    clearReply(pane);
    await poll();
  } catch (error) {
    toast("Tidak terkirim: " + error.message, "error");
  }
}

async function press(pane, messageId, label, button) {
  if (button) button.disabled = true;
  try {
    const result = await api("/api/press", { user_id: selfId(pane), chat: chatOf(pane), message_id: messageId, label });
    if (result.answer && result.answer.text) toast(result.answer.text, result.answer.show_alert ? "alert" : "");
    await poll();
  } catch (error) {
    toast("Tombol tidak dapat ditekan: " + error.message, "error");
  } finally {
    if (button) button.disabled = false;
  }
}

async function shareContact() {
  try {
    await api("/api/contact", { user_id: state.phone });
    await poll();
  } catch (error) {
    toast("Kontak tidak terkirim: " + error.message, "error");
  }
}

async function sendSample(kind) {
  $("phone-attach-menu").hidden = true;
  try {
    await api("/api/sample", { user_id: state.phone, kind });
    await poll();
  } catch (error) {
    toast("File tidak terkirim: " + error.message, "error");
  }
}

async function sendFile(input) {
  const file = input.files && input.files[0];
  if (!file) return;
  $("phone-attach-menu").hidden = true;
  const form = new FormData();
  form.append("user_id", String(state.phone));
  form.append("file", file, file.name);
  try {
    await api("/api/upload", form);
    await poll();
  } catch (error) {
    toast("File tidak terkirim: " + error.message, "error");
  } finally {
    input.value = "";
  }
}

// ---------------------------------------------------------------- polling and start-up

async function poll() {
  try {
    const data = await api("/api/state?phone=" + encodeURIComponent(state.phone));
    state.chats.phone = data.phone;
    state.chats.group = data.group;
    draw("phone", false);
    draw("group", false);
    document.body.classList.remove("offline");
  } catch (error) {
    document.body.classList.add("offline");
  }
}

async function loop() {
  if (!state.polling) {
    state.polling = true;
    await poll();
    state.polling = false;
  }
  setTimeout(loop, POLL_MS);
}

function option(person) {
  return el("option", { value: String(person.id) }, person.label);
}

function showPane(pane) {
  document.body.classList.remove("show-phone", "show-group");
  document.body.classList.add("show-" + pane);
  $("tab-" + pane).classList.remove("unread");
}

async function start() {
  state.setup = await api("/api/setup");
  const setup = state.setup;
  state.phone = setup.phones[0].id;
  state.actor = setup.members[0].id;
  $("phone-select").replaceChildren(...setup.phones.map(option));
  $("actor-select").replaceChildren(...setup.members.map(option));
  $("phone-title").textContent = setup.bot.name;
  $("group-title").textContent = setup.group.title;
  $("group-sub").textContent = "grup petugas · " + setup.members.length + " anggota + bot";
  const notes = ["Latihan dan demo di komputer ini: tidak ada yang dikirim ke Telegram."];
  if (setup.temporary_data) notes.push("Data sementara, dihapus saat sandbox berhenti.");
  if (setup.fast_clock) notes.push("Jam cepat: 1 hari tenggat = 1 detik.");
  $("note").textContent = notes.join(" ");

  $("phone-select").addEventListener("change", (ev) => {
    state.phone = Number(ev.target.value);
    state.drawn.phone = "";
    state.counts.phone = 0;
    clearReply("phone");
    poll();
  });
  $("actor-select").addEventListener("change", (ev) => {
    state.actor = Number(ev.target.value);
    draw("group", true);
  });
  for (const pane of ["phone", "group"]) {
    $(pane + "-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const input = $(pane + "-input");
      const text = input.value;
      input.value = "";
      $(pane + "-commands").hidden = true;
      sendText(pane, text);
    });
    $(pane + "-menu").addEventListener("click", () => {
      const box = $(pane + "-commands");
      box.hidden = !box.hidden;
      if (pane === "phone") $("phone-attach-menu").hidden = true;
    });
    $(pane + "-replybar").querySelector("[data-cancel-reply]").addEventListener("click", () => clearReply(pane));
  }
  $("phone-attach").addEventListener("click", () => {
    $("phone-attach-menu").hidden = !$("phone-attach-menu").hidden;
    $("phone-commands").hidden = true;
  });
  for (const button of document.querySelectorAll("[data-sample]")) {
    button.addEventListener("click", () => sendSample(button.dataset.sample));
  }
  $("phone-file").addEventListener("change", (ev) => sendFile(ev.target));
  for (const tab of document.querySelectorAll(".tab")) {
    tab.addEventListener("click", () => showPane(tab.dataset.pane));
  }
  document.body.dataset.ready = "1";
  loop();
}

document.addEventListener("DOMContentLoaded", () => {
  start().catch((error) => toast("Sandbox tidak terjangkau: " + error.message, "error"));
});
