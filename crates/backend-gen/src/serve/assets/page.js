// The page of `backend-gen serve`: built from /metadata, checked by /preview (the same core as the
// CLI), never parsing text as HTML (every value goes in through textContent or attributes).
"use strict";

const $ = (id) => document.getElementById(id);
const state = { meta: null, stack: null, checked: new Set(), options: new Map(), preview: null, problem: null };
let pending = 0;
let typing = 0;

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== false && value !== undefined) node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) node.append(child);
  return node;
}

function stackInfo() {
  return state.meta.stacks.find((s) => s.id === state.stack);
}

// What the current choice makes of every feature: on (chosen or required), and why it cannot change.
function resolveFeatures() {
  const stack = stackInfo();
  const byId = new Map(stack.features.map((f) => [f.id, f]));
  const requiredBy = new Map();
  const queue = [...state.checked];
  while (queue.length) {
    const feature = byId.get(queue.pop());
    for (const needed of feature ? feature.requires : []) {
      if (!requiredBy.has(needed) && !state.checked.has(needed)) {
        requiredBy.set(needed, feature.id);
        queue.push(needed);
      }
    }
  }
  const on = new Set([...state.checked, ...requiredBy.keys()]);
  const blockedBy = new Map();
  for (const feature of stack.features) {
    if (on.has(feature.id)) continue;
    for (const other of on) {
      const o = byId.get(other);
      if (feature.conflicts.includes(other) || (o && o.conflicts.includes(feature.id))) {
        blockedBy.set(feature.id, `conflicts with ${other}`);
      } else if (feature.group && o && o.group === feature.group) {
        blockedBy.set(feature.id, `one ${feature.group} only: ${other} is chosen`);
      }
    }
  }
  for (const [id, by] of requiredBy) blockedBy.set(id, `required by ${by}`);
  for (const id of state.checked) {
    for (const other of state.checked) {
      const f = byId.get(other);
      if (f && f.requires.includes(id)) blockedBy.set(id, `required by ${other}`);
    }
  }
  return { on, blockedBy };
}

// The query string of the choice, as short as the CLI's flags would be.
function params() {
  const stack = stackInfo();
  const { on } = resolveFeatures();
  const query = new URLSearchParams();
  query.set("name", $("name").value.trim());
  query.set("stack", stack.id);
  const defaults = stack.features.filter((f) => f.default).map((f) => f.id);
  const keepsDefaults = defaults.every((id) => on.has(id));
  const chosen = stack.features.map((f) => f.id).filter((id) => state.checked.has(id) && !(keepsDefaults && defaults.includes(id)));
  if (!keepsDefaults) query.set("no-default-features", "true");
  if (chosen.length) query.set("feature", chosen.join(","));
  for (const option of stack.options) {
    const value = state.options.get(option.key) ?? option.default;
    if (value !== option.default) query.append("option", `${option.key}=${value}`);
  }
  return query;
}

function shellWord(word) {
  return /^[A-Za-z0-9_.,:=\/@+-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

function commands() {
  const query = params();
  const words = ["backend-gen", "new", query.get("name") || "NAME", "--stack", query.get("stack")];
  if (query.get("no-default-features")) words.push("--no-default-features");
  if (query.get("feature")) words.push("--feature", query.get("feature"));
  for (const option of query.getAll("option")) words.push("--option", option);
  const origin = window.location.origin;
  $("share").textContent = `${origin}/?${query}`;
  $("cli").textContent = words.map(shellWord).join(" ");
  $("curl").textContent = `curl -fsSLOJ ${shellWord(`${origin}/starter.zip?${query}`)}`;
  return query;
}

function renderStacks() {
  const box = $("stacks");
  box.replaceChildren(box.querySelector("legend"));
  for (const stack of state.meta.stacks) {
    const id = `stack-${stack.id}`;
    const input = element("input", { type: "radio", name: "stack", id, value: stack.id, checked: stack.id === state.stack });
    input.addEventListener("change", () => chooseStack(stack.id, true));
    box.append(element("div", { class: "choice" }, input, element("label", { for: id }, stack.id), element("span", { class: "summary" }, stack.summary)));
  }
}

function renderFeatures() {
  const { on, blockedBy } = resolveFeatures();
  const search = $("feature-search").value.trim().toLowerCase();
  const list = $("feature-list");
  list.replaceChildren();
  for (const feature of stackInfo().features) {
    const matches = !search || feature.id.includes(search) || feature.summary.toLowerCase().includes(search);
    const reason = blockedBy.get(feature.id);
    const id = `feature-${feature.id}`;
    const input = element("input", { type: "checkbox", id, value: feature.id, checked: on.has(feature.id), disabled: Boolean(reason), "aria-describedby": `${id}-about` });
    input.addEventListener("change", () => {
      if (input.checked) state.checked.add(feature.id);
      else state.checked.delete(feature.id);
      changed();
    });
    const notes = [feature.summary];
    if (feature.default) notes.push("default");
    const about = element("span", { id: `${id}-about`, class: "summary" }, notes.join(" · "));
    if (reason) about.append(element("span", { class: "reason", "data-reason": feature.id }, ` (${reason})`));
    list.append(element("li", { class: `choice feature${reason ? " disabled" : ""}`, hidden: !matches }, input, element("label", { for: id }, feature.id), about));
  }
}

function renderOptions() {
  const box = $("options");
  box.replaceChildren(box.querySelector("legend"));
  for (const option of stackInfo().options) {
    const id = `option-${option.key}`;
    const value = state.options.get(option.key) ?? option.default;
    let control;
    if (option.values.kind === "one-of") {
      control = element("select", { id, "data-option": option.key });
      for (const v of option.values.values) control.append(element("option", { value: v, selected: v === value }, v));
    } else {
      control = element("input", { id, "data-option": option.key, value, placeholder: option.values.rule, spellcheck: "false" });
    }
    control.setAttribute("aria-describedby", `${id}-about`);
    if (option.values.kind === "one-of" && !option.values.values.includes(value)) {
      // A share link's refused value stays visible (and refused) until another is picked.
      control.prepend(element("option", { value, selected: true }, `${value} (not allowed)`));
    }
    control.addEventListener(option.values.kind === "one-of" ? "change" : "input", () => {
      state.options.set(option.key, control.value);
      if (option.values.kind === "one-of") changed();
      else changedSoon();
    });
    const help = option.values.kind === "one-of" ? option.summary : `${option.summary} (${option.values.rule})`;
    box.append(element("div", { class: "option" }, element("label", { for: id }, option.key), control, element("small", { id: `${id}-about` }, help)));
  }
}

// Typing asks the server once it pauses, not at every key.
function changedSoon() {
  clearTimeout(typing);
  setDownloads(params(), "Checking the current choice…");
  typing = setTimeout(changed, 250);
}

function chooseStack(id, reset) {
  state.stack = id;
  if (reset) {
    state.checked = new Set(stackInfo().features.filter((f) => f.default).map((f) => f.id));
    state.options = new Map();
  }
  renderFeatures();
  renderOptions();
  changed();
}

function setDownloads(query, problem) {
  for (const [id, path] of [["download-zip", "starter.zip"], ["download-tgz", "starter.tgz"]]) {
    const link = $(id);
    if (problem) {
      link.removeAttribute("href");
      link.setAttribute("aria-disabled", "true");
      link.setAttribute("title", problem);
    } else {
      link.setAttribute("href", `/${path}?${query}`);
      link.removeAttribute("aria-disabled");
      link.removeAttribute("title");
    }
    link.setAttribute("tabindex", "0");
  }
}

// Every change asks the server: the page refuses exactly what the CLI refuses, in its words.
function changed() {
  renderFeatures();
  const query = commands();
  history.replaceState(null, "", `/?${query}`);
  const ticket = ++pending;
  const status = $("status");
  status.textContent = "Checking…";
  status.classList.remove("bad");
  // Until the server has checked this choice, no download may hand out the previous one.
  setDownloads(query, "Checking the current choice…");
  fetch(`/preview?${query}`, { headers: { Accept: "application/json" } })
    .then(async (response) => {
      const body = await response.json();
      if (ticket !== pending) return;
      for (const field of document.querySelectorAll("[aria-invalid]")) field.removeAttribute("aria-invalid");
      if (response.ok) {
        state.preview = body;
        state.problem = null;
        const lock = body.lockfile ? `, and ${body.lockfile.path} (${body.lockfile.tool} makes it for the download)` : "";
        status.textContent = `Ready: ${body.files.length} files${lock}; features: ${body.features.join(", ") || "none"}.`;
        $("init-env").textContent = body.init_env;
        setDownloads(query, null);
        if (!$("explorer").hidden) renderTree();
      } else {
        state.preview = null;
        state.problem = body.detail || `the server answered ${response.status}`;
        status.textContent = state.problem;
        status.classList.add("bad");
        setDownloads(query, state.problem);
        markInvalid(state.problem);
      }
    })
    .catch((error) => {
      if (ticket !== pending) return;
      state.problem = `the server could not be reached (${error.message})`;
      status.textContent = state.problem;
      status.classList.add("bad");
      setDownloads(query, state.problem);
    });
}

// Points at the field a refusal names: the CLI's messages name options and the project in backticks.
function markInvalid(detail) {
  const option = detail.match(/option `([^`]+)`/);
  const field = option ? document.querySelector(`[data-option="${CSS.escape(option[1])}"]`) : /name|project/.test(detail) ? $("name") : null;
  if (field) field.setAttribute("aria-invalid", "true");
}

function renderTree() {
  const tree = $("tree");
  tree.replaceChildren();
  if (!state.preview) {
    tree.append(element("li", {}, state.problem || "Nothing to show yet."));
    return;
  }
  const files = state.preview.files;
  for (const file of files) {
    const button = element("button", { type: "button", "data-path": file.path }, file.path + (file.executable ? " *" : ""));
    button.addEventListener("click", () => show(file.path));
    tree.append(element("li", {}, button));
  }
  if (state.preview.lockfile) {
    tree.append(element("li", { class: "reason" }, `${state.preview.lockfile.path} (made when the archive is)`));
  }
  const current = $("viewer-path").dataset.path;
  show(files.some((f) => f.path === current) ? current : files.some((f) => f.path === "README.md") ? "README.md" : files[0].path);
}

function show(path) {
  const file = state.preview && state.preview.files.find((f) => f.path === path);
  if (!file) return;
  for (const button of $("tree").querySelectorAll("button")) button.setAttribute("aria-current", String(button.dataset.path === path));
  $("viewer-path").textContent = path;
  $("viewer-path").dataset.path = path;
  $("viewer").textContent = file.contents;
}

function toggleExplorer(open) {
  const explorer = $("explorer");
  explorer.hidden = !open;
  if (open) {
    renderTree();
    const current = $("tree").querySelector('button[aria-current="true"]');
    (current || $("close-explorer")).focus();
  } else {
    $("explore").focus();
  }
}

function restore(meta) {
  const query = new URLSearchParams(window.location.search);
  const stack = meta.stacks.find((s) => s.id === query.get("stack")) || meta.stacks[0];
  state.stack = stack.id;
  if (query.get("name")) $("name").value = query.get("name");
  const explicit = (query.getAll("feature").join(",")).split(",").filter(Boolean);
  const noDefaults = ["", "1", "true", "on", "yes"].includes(query.get("no-default-features") ?? "no");
  state.checked = new Set([...(noDefaults ? [] : stack.features.filter((f) => f.default).map((f) => f.id)), ...explicit]);
  state.options = new Map();
  for (const option of query.getAll("option")) {
    const at = option.indexOf("=");
    if (at > 0) state.options.set(option.slice(0, at), option.slice(at + 1));
  }
}

async function start() {
  const response = await fetch("/metadata", { headers: { Accept: "application/json" } });
  state.meta = await response.json();
  $("version").textContent = state.meta.generator_version;
  restore(state.meta);
  $("loading").remove();
  renderStacks();
  chooseStack(state.stack, false);
  $("name").addEventListener("input", changedSoon);
  $("feature-search").addEventListener("input", renderFeatures);
  $("explore").addEventListener("click", () => toggleExplorer($("explorer").hidden));
  $("close-explorer").addEventListener("click", () => toggleExplorer(false));
  $("project").addEventListener("submit", (event) => event.preventDefault());
  for (const button of document.querySelectorAll("button.copy")) {
    button.addEventListener("click", async () => {
      const source = $(button.dataset.copy);
      try {
        await navigator.clipboard.writeText(source.textContent);
        button.textContent = "Copied";
      } catch {
        // No clipboard API outside a secure context (plain http to another host): select the text instead.
        window.getSelection().selectAllChildren(source);
        button.textContent = "Selected: press Ctrl+C";
      }
      setTimeout(() => { button.textContent = "Copy"; }, 2500);
    });
  }
  for (const link of [$("download-zip"), $("download-tgz")]) {
    // A link without href is not activated by Enter: refuse visibly instead of silently.
    link.addEventListener("keydown", (event) => { if (event.key === "Enter" || event.key === " ") { event.preventDefault(); link.click(); } });
    link.addEventListener("click", (event) => {
      if (link.getAttribute("aria-disabled") === "true") {
        event.preventDefault();
        $("status").focus();
      }
    });
  }
  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      event.preventDefault();
      $("download-zip").click();
    } else if ((event.ctrlKey || event.metaKey) && event.key === " ") {
      event.preventDefault();
      toggleExplorer($("explorer").hidden);
    } else if (event.key === "Escape" && !$("explorer").hidden) {
      toggleExplorer(false);
    }
  });
  document.body.dataset.ready = "true";
}

start().catch((error) => {
  $("loading").textContent = `The stacks could not be loaded: ${error.message}`;
});
