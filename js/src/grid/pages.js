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
   * Store a page message from the kernel; returns false (and keeps nothing) when it was
   * made for another revision.
   */
  accept(msg, buffers) {
    if (!msg || msg.revision !== this.revision || !Array.isArray(msg.rows)) return false;
    this.pending.delete(msg.start);
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
    const stale = this.old.get(msg.start);
    if (stale) {
      this._revoke(stale);
      this.old.delete(msg.start);
    }
    const previous = this.pages.get(msg.start);
    if (previous) this._revoke(previous);
    this.pages.set(msg.start, { rows, urls });
    return true;
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
  }

  _revoke(page) {
    for (const url of page?.urls ?? []) this.revokeUrl(url);
  }
}
