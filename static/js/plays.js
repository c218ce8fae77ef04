// Play counting: a preview counts once it has really played for 5 seconds (seeking does not count);
// a second report at 10 seconds is the listening proof a signed-in listener's vote needs to carry weight.
// The requests are fire-and-forget so they never hold up playback; the server dedupes per listener and day.
const THRESHOLD = 5;
const PROOF = 10;

export class PlayCounter {
  constructor(endpoint) {
    this.endpoint = endpoint; // (item) => URL or null
    this.reset(null);
  }

  reset(item) {
    this.item = item;
    this.heard = 0;
    this.last = null;
    this.sent = 0; // the seconds last reported
  }

  /** Call on every timeupdate with the audio's currentTime while it plays. */
  tick(time) {
    if (this.sent >= PROOF || !this.item) return;
    if (this.last !== null) {
      const step = time - this.last;
      if (step > 0 && step < 1.5) this.heard += step; // bigger jumps are seeks, not listening
    }
    this.last = time;
    if (this.heard >= PROOF) this.send(PROOF);
    else if (this.heard >= THRESHOLD && !this.sent) this.send(THRESHOLD);
  }

  pause() {
    this.last = null;
  }

  send(seconds = THRESHOLD) {
    this.sent = seconds;
    const url = this.endpoint(this.item);
    if (!url) return;
    const body = new URLSearchParams({ seconds: String(seconds) });
    fetch(url, { method: "POST", keepalive: true, credentials: "same-origin", headers: { Accept: "application/json" }, body })
      .catch(() => {}); // offline or navigating away: a lost count is better than a broken player
  }
}

export function playUrl(id) {
  return id ? `/listen/tracks/${id}/play/` : null;
}
