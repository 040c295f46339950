// TIFF LZW decoding (MSB-first codes, 9–12 bits, "early change") with the output capped at the block's
// size: a corrupt stream ends in a clear error instead of growing without bound.

const CLEAR = 256;
const EOI = 257;

export function lzwDecode(input: Uint8Array, maxBytes: number): Uint8Array {
  const out = new Uint8Array(maxBytes);
  let n = 0;
  // Each dictionary entry: its prefix entry, last byte, length and first byte.
  const prefix = new Int32Array(4096);
  const last = new Uint8Array(4096);
  const length = new Uint16Array(4096);
  const first = new Uint8Array(4096);
  for (let i = 0; i < 256; i++) {
    prefix[i] = -1;
    last[i] = i;
    length[i] = 1;
    first[i] = i;
  }
  let next = 258;
  let width = 9;
  let old = -1;
  let bitPos = 0;
  const totalBits = input.length * 8;
  const write = (code: number) => {
    const len = length[code]!;
    if (n + len > maxBytes) throw new Error(`LZW data decodes to more than the block's ${maxBytes} bytes`);
    for (let c = code, i = n + len - 1; i >= n; i--, c = prefix[c]!) out[i] = last[c]!;
    n += len;
  };
  while (bitPos + width <= totalBits) {
    let code = 0;
    for (let b = 0; b < width; b++, bitPos++) code = (code << 1) | ((input[bitPos >> 3]! >> (7 - (bitPos & 7))) & 1);
    if (code === EOI) break;
    if (code === CLEAR) {
      next = 258;
      width = 9;
      old = -1;
      continue;
    }
    if (old === -1) {
      if (code > 255) throw new Error(`LZW stream starts with code ${code}`);
      write(code);
      old = code;
      continue;
    }
    if (next >= 4096) throw new Error('LZW dictionary overflow (missing clear code)');
    if (code < next) {
      write(code);
      prefix[next] = old;
      last[next] = first[code]!;
    } else if (code === next) {
      prefix[next] = old;
      last[next] = first[old]!;
      length[next] = length[old]! + 1;
      first[next] = first[old]!;
      write(next);
    } else {
      throw new Error(`LZW code ${code} is not in the dictionary`);
    }
    length[next] = length[old]! + 1;
    first[next] = first[old]!;
    next++;
    old = code;
    if (next + 1 >= 1 << width && width < 12) width++;
  }
  return n === maxBytes ? out : out.subarray(0, n);
}
