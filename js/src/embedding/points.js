// What the kernel has sent the embedding view: the layout, the colour channels' codes, and
// which legend codes of the active channel are hidden. Data only, no DOM.
import { decode } from "../lib/wire.js";
import { applyPatch, decodeCodes, decodeLayout, visibleIndices } from "./codec.js";
import { drawnCode, drawnCodes, poolCode, poolMask } from "./pool.js";

/** @typedef {{header: {name: string, kind: string, dtype: string, legend: string[]},
 *              codes: Uint8Array|Uint16Array}} Channel */

export class PointData {
  constructor() {
    /** Revision of the layout shown (-1: none yet); messages of other revisions are stale. */
    this.revision = -1;
    this.n = 0;
    /** @type {{x: Float32Array, y: Float32Array} | null} */
    this.layout = null;
    /** Bumped with every new layout (1 is the first). */
    this.version = 0;
    /** @type {Map<string, Channel>} */
    this.channels = new Map();
    /** @type {Set<number>} codes of the active channel toggled off in the legend */
    this.hidden = new Set();
    /** @type {Uint8Array|null} 1 for a pool row (no label); null when there is none */
    this.pool = null;
    /** True when the pool rows are toggled off (in every channel, until toggled back) */
    this.poolHidden = false;
  }

  /** @returns {Channel | undefined} */
  channel(name) {
    return this.channels.get(name);
  }

  /**
   * Take a "layout" message (uint16 positions within msg.box in buffers[0], the active channel's codes in buffers[1]).
   * Replies to any view's "init" reach every view: one for the layout shown already is stale.
   * @returns {{kind: "stale" | "empty" | "layout", resized: boolean}} resized: the point
   *   count differs from the previous layout's (the points cannot move to their new places)
   */
  acceptLayout(msg, buffers) {
    const stale = msg.revision < this.revision ||
      (msg.nonce !== null && msg.revision === this.revision && this.layout !== null);
    if (stale) return { kind: "stale", resized: false };
    const empty = !msg.n || !msg.channel;
    const layout = empty ? null : decodeLayout(buffers[0], msg.n, msg.box);
    const codes = empty ? null : decodeCodes(buffers[1], msg.channel, msg.n);
    const pool = empty || !msg.n_pool ? null : poolMask(decode(buffers[2], "uint32"), msg.n);
    const resized = layout !== null && this.layout !== null && this.layout.x.length !== msg.n;
    this.revision = msg.revision;
    this.n = msg.n;
    this.channels = new Map();
    this.hidden = new Set();
    this.layout = layout;
    this.pool = pool;
    if (empty) return { kind: "empty", resized: false };
    this.channels.set(msg.channel.name, { header: msg.channel, codes });
    this.version += 1;
    return { kind: "layout", resized };
  }

  /** Take a "channel" message; false when it is for another revision. */
  acceptChannel(msg, buffers) {
    if (msg.revision !== this.revision || !this.layout) return false;
    this.channels.set(msg.name, { header: msg, codes: decodeCodes(buffers[0], msg, this.n) });
    return true;
  }

  /**
   * Apply a "patch" message (an edit's new codes: positions in buffers[0], then one buffer per
   * channel in msg.channels, then with msg.pool the rows' pool flags as uint8) to the
   * channels held.
   * @returns {{changed: string[], dropped: string[], pool: boolean}} dropped: channels whose
   *   code width changed, to be fetched afresh; pool: some row joined or left the pool
   */
  acceptPatch(msg, buffers) {
    const out = { changed: [], dropped: [], pool: false };
    if (msg.revision !== this.revision || !this.layout) return out;
    const positions = decode(buffers[0], "uint32");
    if (msg.pool) out.pool = this.patchPool(positions, decode(buffers[msg.channels.length + 1], "uint8"));
    msg.channels.forEach((header, i) => {
      const ch = this.channels.get(header.name);
      if (!ch) return;
      if (header.dtype !== ch.header.dtype) {
        this.channels.delete(header.name);
        out.dropped.push(header.name);
        return;
      }
      applyPatch(ch.codes, positions, decode(buffers[i + 1], header.dtype));
      ch.header = header;
      out.changed.push(header.name);
    });
    return out;
  }

  /** Set the pool flags of `positions`; true when any changed. */
  patchPool(positions, flags) {
    if (flags.length !== positions.length) throw new Error("patch pool flags do not match its positions");
    let changed = false;
    for (let i = 0; i < positions.length; i += 1) {
      if (!flags[i] && !this.pool) continue;
      this.pool ??= new Uint8Array(this.n);
      if (this.pool[positions[i]] !== flags[i]) changed = true;
      this.pool[positions[i]] = flags[i];
    }
    return changed;
  }

  /** The codes channel `name` is drawn with (pool rows get the pool's code), or undefined. */
  drawn(name) {
    const ch = this.channels.get(name);
    return ch ? drawnCodes(ch, this.pool) : undefined;
  }

  /** The code point `i` is drawn with in channel `name` (as `drawn(name)[i]`). */
  drawnAt(name, i) {
    return drawnCode(this.channels.get(name), this.pool, i);
  }

  /** Show or hide the pool rows. */
  togglePool() {
    this.poolHidden = !this.poolHidden;
  }

  /** Show or hide the points of legend code `code`. */
  toggleHidden(code) {
    if (this.hidden.has(code)) this.hidden.delete(code);
    else this.hidden.add(code);
  }

  /** Positions of the points channel `name` shows, or null when it shows them all. */
  visible(name) {
    const ch = this.channels.get(name);
    if (!ch) return null;
    const hidden = new Set(ch.header.kind === "categorical" ? this.hidden : []);
    if (this.pool && this.poolHidden) hidden.add(poolCode(ch.header));
    return visibleIndices(drawnCodes(ch, this.pool), hidden);
  }
}
