// Play counting: a preview counts once it has really played for 5 seconds (seeking does not count).
// The request is fire-and-forget so it never holds up playback; the server dedupes per listener and day.
const THRESHOLD = 5;

export class PlayCounter {
  constructor(endpoint) {
    this.endpoint = endpoint; // (item) => URL or null
    this.reset(null);
  }

  reset(item) {
    this.item = item;
    this.heard = 0;
    this.last = null;
    this.sent = false;
  }

  /** Call on every timeupdate with the audio's currentTime while it plays. */
  tick(time) {
    if (this.sent || !this.item) return;
    if (this.last !== null) {
      const step = time - this.last;
      if (step > 0 && step < 1.5) this.heard += step; // bigger jumps are seeks, not listening
    }
    this.last = time;
    if (this.heard >= THRESHOLD) this.send();
  }

  pause() {
    this.last = null;
  }

  send() {
    this.sent = true;
    const url = this.endpoint(this.item);
    if (!url) return;
    fetch(url, { method: "POST", keepalive: true, credentials: "same-origin", headers: { Accept: "application/json" } })
      .catch(() => {}); // offline or navigating away: a lost count is better than a broken player
  }
}

export function playUrl(id) {
  return id ? `/listen/tracks/${id}/play/` : null;
}
