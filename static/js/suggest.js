// Autocomplete for the header search box: an ARIA combobox fed by /search/suggest/.
const form = document.querySelector("form[data-suggest]");
const input = form?.querySelector('input[name="q"]');
const list = form?.querySelector('[role="listbox"]');
let active = -1;
let timer = null;
let controller = null;

function options() {
  return [...list.querySelectorAll('[role="option"]')];
}

function close() {
  list.hidden = true;
  list.replaceChildren();
  input.setAttribute("aria-expanded", "false");
  input.removeAttribute("aria-activedescendant");
  active = -1;
}

function highlight(index) {
  const items = options();
  if (!items.length) return;
  active = (index + items.length) % items.length;
  items.forEach((item, i) => item.setAttribute("aria-selected", String(i === active)));
  input.setAttribute("aria-activedescendant", items[active].id);
}

function render(results) {
  list.replaceChildren();
  results.forEach((hit, i) => {
    const item = document.createElement("li");
    item.id = `suggestion-${i}`;
    item.setAttribute("role", "option");
    item.setAttribute("aria-selected", "false");
    item.dataset.url = hit.url;
    const link = document.createElement("a");
    link.href = hit.url;
    link.tabIndex = -1;
    const title = document.createElement("span");
    title.className = "suggest__title";
    title.textContent = hit.title;
    const artist = document.createElement("span");
    artist.className = "suggest__artist";
    artist.textContent = hit.artist;
    link.append(title, artist);
    item.append(link);
    list.append(item);
  });
  const open = results.length > 0;
  list.hidden = !open;
  input.setAttribute("aria-expanded", String(open));
  active = -1;
}

async function fetchSuggestions() {
  const q = input.value.trim();
  if (q.length < 2) return close();
  controller?.abort();
  controller = new AbortController();
  try {
    const url = `${form.dataset.suggest}?q=${encodeURIComponent(q)}`;
    const response = await fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } });
    if (!response.ok) return close();
    const data = await response.json();
    if (input.value.trim() === q) render(data.results);
  } catch (error) {
    if (error.name !== "AbortError") close();
  }
}

if (form && input && list) {
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 150);
  });
  input.addEventListener("keydown", (event) => {
    if (list.hidden) return;
    if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
    else if (event.key === "Escape") { close(); }
    else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.assign(options()[active].dataset.url);
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
  list.addEventListener("mousedown", (event) => event.preventDefault());
}
