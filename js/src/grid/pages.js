// The browser's cache of grid pages for one revision: which pages to request, and rows by
// index. Thumbnails arrive as PNG buffers and live as Blob URLs, revoked when a page goes.

/** @typedef {{rows: any[], urls: string[]}} Page */

export class PageCache {
  /**
   * @param {number} pageSize
   * @param {(buffer: any) => string} makeUrl  turns a PNG buffer into an object URL
   * @param {(url: string) => void} revokeUrl
   * @param {number} [keep] most pages kept
   */
  constructor(pageSize, makeUrl, revokeUrl, keep = 12) {
    this.pageSize = pageSize;
    this.makeUrl = makeUrl;
    this.revokeUrl = revokeUrl;
    this.keep = keep;
    this.revision = -1;
    /** @type {Map<number, Page>} */
    this.pages = new Map();
    /** @type {Map<number, Page>} pages of the previous revision, shown until replaced */
    this.old = new Map();
    this.pending = new Set();
    /** Pages the kernel sent ahead of its next revision (it sends them before the bump). */
    this.ahead = { revision: -1, pages: new Map() };
  }

  /**
   * Start a new revision: current pages become the fallback until fresh ones arrive (a page
   * that never got refreshed stays the fallback through several quick revisions).
   */
  reset(revision) {
    if (revision === this.revision) return;
    for (const [start, page] of this.old) {
      if (this.pages.has(start)) this._revoke(page);
      else this.pages.set(start, page);
    }
    this.old = this.pages;
    this.pages = new Map();
    this.pending.clear();
    this.revision = revision;
    const { ahead } = this;
    if (ahead.revision === revision) {
      for (const [start, page] of ahead.pages) this._store(start, page);
    } else {
      for (const page of ahead.pages.values()) this._revoke(page);
    }
    this.ahead = { revision: -1, pages: new Map() };
  }

  /**
   * Page starts to request so rows first..last are loaded, plus the next page (prefetch).
   * @param {number} first
   * @param {number} last inclusive
   * @param {number} total
   */
  missing(first, last, total) {
    const size = this.pageSize;
    const out = [];
    if (total <= 0) return out;
    const lastNeeded = Math.min(total - 1, last + Math.ceil(size / 2));
    for (let start = Math.floor(first / size) * size; start <= lastNeeded; start += size) {
      if (!this.pages.has(start) && !this.pending.has(start)) out.push(start);
    }
    return out;
  }

  /** @param {number} start */
  markPending(start) {
    this.pending.add(start);
  }

  /**
   * Store a page message from the kernel; returns false when it is not for the revision
   * shown: one for an older revision is dropped, one for a newer revision is kept until
   * `reset` moves to it.
   */
  accept(msg, buffers) {
    if (!msg || !Array.isArray(msg.rows) || !Number.isInteger(msg.revision)) return false;
    if (msg.revision < this.revision) return false;
    const page = this._page(msg, buffers);
    if (msg.revision === this.revision) {
      this.pending.delete(msg.start);
      this._store(msg.start, page);
      return true;
    }
    const { ahead } = this;
    if (ahead.revision !== msg.revision) {
      for (const old of ahead.pages.values()) this._revoke(old);
      this.ahead = { revision: msg.revision, pages: new Map() };
    }
    this._revoke(this.ahead.pages.get(msg.start));
    this.ahead.pages.set(msg.start, page);
    return false;
  }

  _page(msg, buffers) {
    const urls = [];
    const rows = msg.rows.map((row) => {
      let thumbUrl = null;
      const k = row.thumb;
      if (Number.isInteger(k) && k >= 0 && buffers && k < buffers.length) {
        thumbUrl = this.makeUrl(buffers[k]);
        urls.push(thumbUrl);
      }
      return { ...row, thumbUrl };
    });
    return { rows, urls };
  }

  _store(start, page) {
    const stale = this.old.get(start);
    if (stale) {
      this._revoke(stale);
      this.old.delete(start);
    }
    const previous = this.pages.get(start);
    if (previous) this._revoke(previous);
    this.pages.set(start, page);
  }

  /** The row at grid index `index` (fresh, else from the previous revision), or undefined. */
  row(index) {
    const start = Math.floor(index / this.pageSize) * this.pageSize;
    const page = this.pages.get(start) ?? this.old.get(start);
    return page?.rows[index - start];
  }

  /** Drop pages far from `index` so memory stays bounded while scrolling. */
  trim(index) {
    if (this.pages.size <= this.keep) return;
    const starts = [...this.pages.keys()].sort(
      (a, b) => Math.abs(b - index) - Math.abs(a - index),
    );
    while (this.pages.size > this.keep) {
      const start = starts.shift();
      this._revoke(this.pages.get(start));
      this.pages.delete(start);
    }
  }

  /** Revoke every URL (on cleanup). */
  clear() {
    for (const page of this.pages.values()) this._revoke(page);
    for (const page of this.old.values()) this._revoke(page);
    this.pages.clear();
    this.old.clear();
    this.pending.clear();
    for (const page of this.ahead.pages.values()) this._revoke(page);
    this.ahead = { revision: -1, pages: new Map() };
  }

  _revoke(page) {
    for (const url of page?.urls ?? []) this.revokeUrl(url);
  }
}
