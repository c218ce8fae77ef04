// The play queue: an ordered list of tracks and the index playing, kept in localStorage so it
// survives page swaps, reloads and new tabs.
const KEY = "aimusicstore.player";
const FIELDS = ["src", "title", "artist", "url", "cover"];

/** A queue item from any element carrying data-src, data-title, data-artist, data-url, data-cover. */
export function itemFrom(element) {
  const item = {};
  for (const field of FIELDS) item[field] = element.dataset[field] || "";
  item.src = item.src ? new URL(item.src, location.href).href : "";
  return item;
}

/** The track id in a track page URL such as /tracks/12/neon-orbit/, or null. */
export function trackId(item) {
  const match = /\/tracks\/(\d+)(\/|$)/.exec(item?.url || "");
  return match ? Number(match[1]) : null;
}

export class Queue extends EventTarget {
  constructor() {
    super();
    this.items = [];
    this.index = -1;
    this.time = 0;
    this.volume = 1;
    this.muted = false;
    this.load();
  }

  get current() {
    return this.items[this.index] || null;
  }

  load() {
    try {
      const saved = JSON.parse(localStorage.getItem(KEY) || "{}");
      if (Array.isArray(saved.items)) this.items = saved.items.filter((item) => item && item.src);
      this.index = Number.isInteger(saved.index) ? Math.min(saved.index, this.items.length - 1) : -1;
      this.time = Number(saved.time) || 0;
      this.volume = Number.isFinite(saved.volume) ? Math.min(Math.max(saved.volume, 0), 1) : 1;
      this.muted = Boolean(saved.muted);
    } catch {
      this.items = [];
      this.index = -1;
    }
  }

  save() {
    const state = { items: this.items, index: this.index, time: this.time, volume: this.volume, muted: this.muted };
    try {
      localStorage.setItem(KEY, JSON.stringify(state));
    } catch {
      // Storage full or disabled (private mode): the queue still works for this page.
    }
  }

  changed(kind) {
    this.save();
    this.dispatchEvent(new CustomEvent("change", { detail: { kind } }));
  }

  /** Replace the queue with a list and start at one of its items. */
  playList(items, start) {
    this.items = items;
    this.index = start;
    this.time = 0;
    this.changed("track");
  }

  /** Play one track next to what is playing, keeping the rest of the queue. */
  playOne(item) {
    const found = this.items.findIndex((queued) => queued.src === item.src);
    if (found >= 0) {
      this.index = found;
    } else {
      this.items.splice(this.index + 1, 0, item);
      this.index += 1;
    }
    this.time = 0;
    this.changed("track");
  }

  add(item) {
    this.items.push(item);
    if (this.index < 0) {
      this.index = 0;
      this.time = 0;
      this.changed("track");
    } else {
      this.changed("list");
    }
  }

  jump(index) {
    if (index < 0 || index >= this.items.length) return false;
    this.index = index;
    this.time = 0;
    this.changed("track");
    return true;
  }

  next() {
    return this.jump(this.index + 1);
  }

  previous() {
    return this.jump(this.index - 1);
  }

  move(from, to) {
    if (from === to || to < 0 || to >= this.items.length) return;
    const [item] = this.items.splice(from, 1);
    this.items.splice(to, 0, item);
    if (this.index === from) this.index = to;
    else if (from < this.index && to >= this.index) this.index -= 1;
    else if (from > this.index && to <= this.index) this.index += 1;
    this.changed("list");
  }

  remove(index) {
    this.items.splice(index, 1);
    if (index < this.index) {
      this.index -= 1;
      this.changed("list");
    } else if (index === this.index) {
      this.index = Math.min(this.index, this.items.length - 1);
      this.time = 0;
      this.changed("track");
    } else {
      this.changed("list");
    }
  }

  clear() {
    this.items = [];
    this.index = -1;
    this.time = 0;
    this.changed("track");
  }
}
