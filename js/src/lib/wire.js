// Binary codecs for what crosses the wire: typed arrays from anywidget buffers (DataView,
// ArrayBuffer or typed array).

const VIEWS = {
  float32: Float32Array,
  uint8: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
  int32: Int32Array,
};

/**
 * Turn a buffer received from the kernel into a typed array of `dtype`, without copying when
 * the alignment allows it.
 * @param {DataView|ArrayBuffer|ArrayBufferView|null|undefined} buffer
 * @param {keyof typeof VIEWS} dtype
 */
export function decode(buffer, dtype) {
  const View = VIEWS[dtype];
  if (!View) throw new Error(`unknown dtype ${dtype}`);
  if (buffer === null || buffer === undefined) return new View(0);
  if (buffer instanceof ArrayBuffer) return new View(buffer);
  const { buffer: raw, byteOffset, byteLength } = buffer;
  if (byteLength % View.BYTES_PER_ELEMENT !== 0) {
    throw new Error(`buffer of ${byteLength} bytes is not a whole number of ${dtype}`);
  }
  if (byteOffset % View.BYTES_PER_ELEMENT === 0) {
    return new View(raw, byteOffset, byteLength / View.BYTES_PER_ELEMENT);
  }
  return new View(raw.slice(byteOffset, byteOffset + byteLength));
}
