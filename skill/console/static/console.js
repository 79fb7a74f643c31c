// Leg Day Coach local console: talks to /console/api/*, keeps the Alexa session (the "caller") and
// the transcript in this page, and builds every element with textContent (never innerHTML), so
// nothing the skill says can inject markup.
"use strict";

(() => {
  const state = { caller: null, turns: [], busy: false };
  const byId = (id) => document.getElementById(id);

  function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("data-") || key === "title" || key === "role" || key.startsWith("aria-")) {
        node.setAttribute(key, value);
      } else node[key] = value;
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  async function api(path, body) {
    const options = body === undefined ? {} : {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    };
    const answer = await fetch(path, options);
    let data;
    try {
      data = await answer.json();
    } catch {
      data = {};
    }
    if (!answer.ok) throw new Error(data.error || `HTTP ${answer.status}`);
    return data;
  }

  // --- JSON, collapsible and highlighted ---------------------------------------------------------
  const JSON_TOKEN = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;

  function highlighted(value) {
    const text = JSON.stringify(value, null, 2);
    const pre = el("pre", { class: "json" });
    let last = 0;
    for (const match of text.matchAll(JSON_TOKEN)) {
      pre.append(text.slice(last, match.index));
      if (match[1] !== undefined) {
        pre.append(el("span", { class: match[2] ? "json-key" : "json-string", text: match[1] }));
        if (match[2]) pre.append(match[2]);
      } else if (match[3] !== undefined) {
        pre.append(el("span", { class: "json-literal", text: match[3] }));
      } else {
        pre.append(el("span", { class: "json-number", text: match[4] }));
      }
      last = match.index + match[0].length;
    }
    pre.append(text.slice(last));
    return pre;
  }

  function jsonSection(title, value, className) {
    const details = el("details", { class: className }, el("summary", { text: title }));
    // Render on first open: a countdown response is long and most stay closed.
    details.addEventListener("toggle", () => {
      if (details.open && details.children.length === 1) details.append(highlighted(value));
    });
    return details;
  }

  // --- One turn ----------------------------------------------------------------------------------
  function seconds(ms) {
    const s = ms / 1000;
    return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
  }

  function said(turn) {
    if (turn.action === "launch") return el("span", { class: "action", text: "Launch" });
    if (turn.action === "end") return el("span", { class: "action", text: "End session" });
    return el("q", { class: "utterance", text: turn.utterance });
  }

  function heardLine(turn) {
    const heard = turn.heard;
    const line = el("div", { class: "heard" });
    line.append(el("code", { class: "request-type", text: heard.request }));
    if (heard.intent) line.append(el("code", { class: "intent", text: heard.intent }));
    for (const [name, slot] of Object.entries(heard.slots)) {
      const resolved = slot.id ? ` → ${slot.id}` : " (no match)";
      line.append(el("span", { class: "slot", text: `${name} = ${slot.value}${resolved}` }));
    }
    if (heard.one_shot) line.append(el("span", { class: "flag", text: "one-shot" }));
    if (heard.new_session) line.append(el("span", { class: "flag", text: "new session" }));
    return line;
  }

  function speechLine(view) {
    const speech = el("p", { class: "speech" });
    if (!view.speech_parts.length) speech.append(el("span", { class: "silent", text: "(no speech)" }));
    for (const part of view.speech_parts) {
      if (part.kind === "say") speech.append(el("span", { class: "say", text: part.text }));
      else if (part.kind === "pause") {
        speech.append(el("span", { class: "pause", title: `<break> ${part.ms} ms`, text: `pause ${seconds(part.ms)}` }));
      } else {
        const name = part.src.split("/").pop();
        speech.append(el("span", { class: "sound", title: part.src, text: `sound ${name}` }));
      }
      speech.append(" ");
    }
    return speech;
  }

  function screenPreview(screen) {
    const box = el("div", { class: "screen", "aria-label": "Echo Show screen preview" });
    if (!screen.documents.length) {
      box.classList.add("blank");
      box.append(el("span", { text: "No screen directive in this response" }));
      return box;
    }
    for (const shown of screen.documents) {
      const texts = shown.texts.length ? shown.texts : ["(no text in the datasources)"];
      box.append(el("div", { class: "screen-headline", text: texts[0] }));
      const progress = shown.datasources.progress;
      if (progress && Array.isArray(progress.lifts)) box.append(progressCharts(progress));
      else for (const text of texts.slice(1)) box.append(el("div", { class: "screen-text", text }));
      box.append(jsonSection(`APL datasources${shown.token ? ` (${shown.token})` : ""}`, shown.datasources,
        "datasources"));
    }
    return box;
  }

  // The progress screen's charts, drawn from the same path data the Echo Show's AVG draws (AVG
  // pathData is SVG path syntax), in the same width x height box.
  function progressCharts(progress) {
    const charts = el("div", { class: "charts", "aria-label": "Progress charts" });
    for (const fact of progress.facts || []) charts.append(el("div", { class: "screen-text chart-fact", text: fact }));
    const { width, height } = progress.chart;
    for (const lift of progress.lifts) {
      const svg = svgNode("svg", { viewBox: `0 0 ${width} ${height}`, class: "lift-chart", role: "img",
        "aria-label": lift.latest, "data-lift": lift.name });
      svg.append(svgNode("path", { d: `M0,${height - 1} L${width},${height - 1}`, class: "chart-base" }));
      if (lift.line) svg.append(svgNode("path", { d: lift.line, class: "chart-line" }));
      if (lift.dots) svg.append(svgNode("path", { d: lift.dots, class: "chart-dots" }));
      charts.append(el("div", { class: "lift" },
        el("div", { class: "lift-labels" }, el("span", { class: "lift-latest", text: lift.latest }),
          el("span", { class: "lift-range", text: lift.range })),
        svg));
    }
    return charts;
  }

  function svgNode(tag, attributes) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
    return node;
  }

  function renderTurn(turn, view) {
    const number = state.turns.length;
    const expected = turn.expected;
    const item = el("li", { class: "turn", "data-number": String(number), "data-intent": turn.heard.intent || turn.heard.request });
    item.append(el("div", { class: "you" },
      el("span", { class: "who", text: "You" }), said(turn),
      el("span", { class: "device-badge", text: turn.device === "screen" ? "Echo Show" : "Speaker" }),
      turn.person
        ? el("span", { class: "person-badge", title: turn.person, text: `as ${personName(turn.person)}` })
        : null,
      el("span", { class: "number", text: `#${number}` })));
    item.append(heardLine(turn));
    const alexa = el("div", { class: "alexa" }, el("span", { class: "who", text: "Alexa" }), speechLine(view));
    if (turn.action === "end") alexa.append(el("p", { class: "ended", text: "Session ended by the user." }));
    else if (expected.end_session) alexa.append(el("p", { class: "ended", text: "Session ended by the skill." }));
    else {
      const reprompt = expected.reprompt ? `Reprompt: ${expected.reprompt}` : "No reprompt.";
      alexa.append(el("p", { class: "listening", text: `Listening. ${reprompt}` }));
    }
    const player = el("div", { class: "player" });
    if (view.speech_parts.length) {
      player.append(el("audio", { controls: true, preload: "auto" }), el("span", { class: "audio-info", text: "rendering speech…" }));
    } else {
      player.append(el("span", { class: "audio-info", text: "nothing to play" }));
    }
    alexa.append(player);
    if (view.screen) alexa.append(screenPreview(view.screen));
    item.append(alexa);
    item.append(jsonSection("Request envelope", turn.request, "envelope request"));
    item.append(jsonSection("Response JSON", turn.response, "envelope response"));
    byId("turns").append(item);
    byId("empty").hidden = true;
    item.scrollIntoView({ block: "end" });
    return item;
  }

  async function renderAudio(item, view) {
    const audio = item.querySelector("audio");
    if (!audio) return;
    const info = item.querySelector(".audio-info");
    try {
      const clip = await api("/console/api/audio", { ssml: view.ssml, locale: locale() });
      audio.src = clip.src;
      const notes = clip.notes.length ? ` · ${clip.notes.join("; ")}` : "";
      info.textContent = `${clip.seconds.toFixed(1)} s · ${clip.engines.join(", ") || "silence"}${notes}`;
      item.dataset.audio = "ready";
      const latest = byId("turns").lastElementChild === item;
      if (latest && byId("autoplay").checked) audio.play().catch(() => { /* the browser wants a click first */ });
    } catch (error) {
      info.textContent = `no audio: ${error.message}`;
      item.dataset.audio = "failed";
    }
  }

  // --- Actions -----------------------------------------------------------------------------------
  function device() {
    return document.querySelector("input[name=device]:checked").value;
  }

  // The device's locale: the language the skill answers in and the model typed words resolve against.
  function locale() {
    return byId("locale").value;
  }

  // The person Alexa recognised by voice, or null for a voice it does not recognise.
  function person() {
    return document.querySelector("input[name=person]:checked").value || null;
  }

  function personName(id) {
    return id.split(".").pop();
  }

  function setBusy(busy) {
    state.busy = busy;
    document.body.setAttribute("aria-busy", String(busy));
    for (const control of document.querySelectorAll("button, input[type=text], .suggestion")) control.disabled = busy;
  }

  function say(message, kind = "note") {
    const line = byId("message");
    line.textContent = message;
    line.className = `message ${kind}`;
  }

  function updateStatus() {
    const caller = state.caller;
    const status = byId("status");
    status.replaceChildren();
    if (!caller || !caller.session_id) status.append(el("span", { class: "session closed", text: "No session open." }));
    else {
      status.append(el("span", { class: "session open", text: "Session open" }),
        el("code", { title: caller.session_id, text: caller.session_id.slice(-12) }),
        el("span", { text: `attributes ${JSON.stringify(caller.attributes)}` }));
    }
    if (caller) status.append(el("span", { class: "user", title: caller.user_id, text: `user …${caller.user_id.slice(-12)}` }));
  }

  async function act(action, utterance) {
    if (state.busy) return false;
    setBusy(true);
    say("");
    try {
      const data = await api("/console/api/turn",
        { caller: state.caller, action, utterance, device: device(), person: person(), locale: locale() });
      state.caller = data.caller;
      if (data.turn) {
        state.turns.push(data.turn);
        const item = renderTurn(data.turn, data.view);
        renderAudio(item, data.view);
      } else if (data.note) {
        say(data.note);
      }
      return true;
    } catch (error) {
      say(error.message, "error");
      return false;
    } finally {
      setBusy(false);
      updateStatus();
    }
  }

  async function saveTranscript() {
    if (!state.turns.length) {
      say("Nothing to save yet: say something first.", "error");
      return;
    }
    try {
      const transcript = await api("/console/api/transcript", { turns: state.turns });
      const blob = new Blob([JSON.stringify(transcript, null, 2) + "\n"], { type: "application/json" });
      const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "");
      const link = el("a", { href: URL.createObjectURL(blob), download: `legday-transcript-${stamp}.json` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10000);
      say(`Saved ${state.turns.length} turns. Replay them with: legday replay ${link.download}`);
    } catch (error) {
      say(error.message, "error");
    }
  }

  function showReport(report, name) {
    const panel = byId("replay-report");
    panel.replaceChildren(el("h2", { text: `Replay of ${name}` }),
      el("p", { class: report.ok ? "summary ok" : "summary differs", text: report.summary }));
    const list = el("ol", { class: "replay-turns" });
    for (const turn of report.turns) {
      const what = turn.action === "say" ? `“${turn.utterance}”` : turn.action === "launch" ? "Launch" : "End session";
      const line = el("li", { class: turn.ok ? "ok" : "differs" },
        el("span", { class: "mark", text: turn.ok ? "✓" : "✗" }), ` ${what}`);
      for (const difference of turn.differences) line.append(el("div", { class: "difference", text: difference }));
      if (turn.error) line.append(el("div", { class: "difference", text: turn.error }));
      list.append(line);
    }
    panel.append(list);
    panel.hidden = false;
    panel.scrollIntoView({ block: "end" });
  }

  async function replayFile(file) {
    setBusy(true);
    say(`Replaying ${file.name}…`);
    try {
      let transcript;
      try {
        transcript = JSON.parse(await file.text());
      } catch {
        throw new Error(`${file.name} is not JSON`);
      }
      showReport(await api("/console/api/replay", { transcript }), file.name);
      say("");
    } catch (error) {
      say(error.message, "error");
    } finally {
      setBusy(false);
    }
  }

  function newUser() {
    state.caller = null;
    state.turns = [];
    byId("turns").replaceChildren();
    byId("replay-report").hidden = true;
    byId("empty").hidden = false;
    say("New user: the next turn starts with no saved progress.");
    updateStatus();
  }

  async function loadSuggestions() {
    const model = await api(`/console/api/model?locale=${encodeURIComponent(locale())}`);
    byId("utterance").placeholder = `Say something, e.g. open ${model.invocation}`;
    byId("quick").replaceChildren();
    byId("groups").replaceChildren();
    byId("quick").append(...model.quick.map((utterance) => el("button", { type: "button", class: "suggestion", text: utterance })));
    const groups = byId("groups");
    model.groups.forEach((group, index) => {
      const details = el("details", { class: "group", "data-intent": group.intent || "", open: index < 5 },
        el("summary", {}, el("span", { text: group.title }), el("code", { text: group.intent || "" })));
      const chips = el("div", { class: "chips" });
      for (const utterance of group.utterances) {
        chips.append(el("button", { type: "button", class: "suggestion", text: utterance }));
      }
      details.append(chips);
      groups.append(details);
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    byId("say-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const input = byId("utterance");
      const text = input.value.trim();
      if (!text) return;
      act("say", text).then((sent) => {
        if (sent) input.value = "";
        input.focus();
      });
    });
    byId("launch").addEventListener("click", () => act("launch"));
    byId("end").addEventListener("click", () => act("end"));
    byId("save").addEventListener("click", saveTranscript);
    byId("new-user").addEventListener("click", newUser);
    byId("locale").addEventListener("change", () => {
      loadSuggestions().catch((error) => say(`Could not load suggestions: ${error.message}`, "error"));
    });
    byId("replay-file").addEventListener("change", (event) => {
      const [file] = event.target.files;
      if (file) replayFile(file);
      event.target.value = "";
    });
    for (const holder of [byId("groups"), byId("quick")]) {
      holder.addEventListener("click", (event) => {
        const chip = event.target.closest(".suggestion");
        if (chip) act("say", chip.textContent);
      });
    }
    // One reply at a time: starting one pauses the others.
    document.addEventListener("play", (event) => {
      for (const audio of document.querySelectorAll("audio")) if (audio !== event.target) audio.pause();
    }, true);
    loadSuggestions().catch((error) => say(`Could not load suggestions: ${error.message}`, "error"));
    updateStatus();
  });
})();
