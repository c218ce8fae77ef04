// Autocomplete for the header search box: an ARIA combobox fed by /search/suggest/, grouped
// (Tracks, Creators, Tools, Genres & moods). htmx's boosted navigation and history restore swap
// the whole <body>, header included, so nothing is bound to the elements themselves: listeners
// sit on the document and find the box from the event, and a swap leaves no stale state behind.
const FORM = "form[data-suggest]";
let active = -1;
let timer = null;
let controller = null;

function partsOf(element) {
  const form = element?.closest?.(FORM);
  if (!form) return null;
  const input = form.querySelector('input[name="q"]');
  const list = form.querySelector('[role="listbox"]');
  return input && list ? { form, input, list } : null;
}

function options(list) {
  return [...list.querySelectorAll('[role="option"]')];
}

function close(parts) {
  if (!parts) return;
  parts.list.hidden = true;
  parts.list.replaceChildren();
  parts.input.setAttribute("aria-expanded", "false");
  parts.input.removeAttribute("aria-activedescendant");
  active = -1;
}

function highlight({ input, list }, index) {
  const items = options(list);
  if (!items.length) return;
  active = (index + items.length) % items.length;
  items.forEach((item, i) => item.setAttribute("aria-selected", String(i === active)));
  input.setAttribute("aria-activedescendant", items[active].id);
  items[active].scrollIntoView({ block: "nearest" });
}

function option(hit, id) {
  const item = document.createElement("li");
  item.id = id;
  item.setAttribute("role", "option");
  item.setAttribute("aria-selected", "false");
  item.dataset.url = hit.url;
  const link = document.createElement("a");
  link.href = hit.url;
  link.tabIndex = -1;
  const title = document.createElement("span");
  title.className = "suggest__title";
  title.textContent = hit.label;
  link.append(title);
  if (hit.detail) {
    const detail = document.createElement("span");
    detail.className = "suggest__artist";
    detail.textContent = hit.detail;
    link.append(detail);
  }
  item.append(link);
  return item;
}

function groupsOf(data) {
  if (Array.isArray(data.groups)) return data.groups;
  // An older answer (only "results"): one group of tracks.
  const tracks = (data.results || []).map((hit) => ({ label: hit.title, detail: hit.artist, url: hit.url }));
  return tracks.length ? [{ kind: "tracks", label: "Tracks", items: tracks }] : [];
}

function render({ input, list }, data) {
  list.replaceChildren();
  let n = 0;
  groupsOf(data).forEach((group) => {
    const headingId = `suggest-group-${group.kind}`;
    const wrapper = document.createElement("li");
    wrapper.setAttribute("role", "group");
    wrapper.setAttribute("aria-labelledby", headingId);
    wrapper.className = "suggest__group";
    const heading = document.createElement("span");
    heading.id = headingId;
    heading.className = "suggest__heading";
    heading.textContent = group.label;
    const items = document.createElement("ul");
    items.setAttribute("role", "none");
    items.className = "suggest__items";
    group.items.forEach((hit) => items.append(option(hit, `suggestion-${n++}`)));
    wrapper.append(heading, items);
    list.append(wrapper);
  });
  const open = n > 0;
  list.hidden = !open;
  input.setAttribute("aria-expanded", String(open));
  input.removeAttribute("aria-activedescendant");
  active = -1;
}

async function fetchSuggestions(parts) {
  const q = parts.input.value.trim();
  if (q.length < 2) return close(parts);
  controller?.abort();
  controller = new AbortController();
  try {
    const url = `${parts.form.dataset.suggest}?q=${encodeURIComponent(q)}`;
    const response = await fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } });
    if (!response.ok) return close(parts);
    const data = await response.json();
    // The box may have been swapped away (boosted navigation) or edited meanwhile.
    if (parts.input.isConnected && parts.input.value.trim() === q) render(parts, data);
  } catch (error) {
    if (error.name !== "AbortError") close(parts);
  }
}

document.addEventListener("input", (event) => {
  const parts = partsOf(event.target);
  if (!parts || event.target !== parts.input) return;
  clearTimeout(timer);
  timer = setTimeout(() => fetchSuggestions(parts), 150);
});

document.addEventListener("keydown", (event) => {
  const parts = partsOf(event.target);
  if (!parts || event.target !== parts.input || parts.list.hidden) return;
  if (event.key === "ArrowDown") { event.preventDefault(); highlight(parts, active + 1); }
  else if (event.key === "ArrowUp") { event.preventDefault(); highlight(parts, active - 1); }
  else if (event.key === "Escape") { close(parts); }
  else if (event.key === "Enter" && active >= 0) {
    event.preventDefault();
    window.location.assign(options(parts.list)[active].dataset.url);
  }
});

document.addEventListener("focusout", (event) => {
  const parts = partsOf(event.target);
  if (parts && event.target === parts.input) setTimeout(() => close(parts), 150);
});

document.addEventListener("mousedown", (event) => {
  // Keep focus in the box while a suggestion is clicked, so the click lands before the list closes.
  if (event.target.closest?.(`${FORM} [role="listbox"]`)) event.preventDefault();
});

// A page swap (boosted link, history restore) brings a fresh, closed box: forget the old one's state.
function forget() {
  clearTimeout(timer);
  controller?.abort();
  active = -1;
}
document.addEventListener("htmx:beforeSwap", (event) => { if (event.detail?.target === document.body) forget(); });
document.addEventListener("htmx:historyRestore", forget);
