// ltx 3.1, the XML parser under @xmpp/client, searches for the next '<' again at every character of a text
// that has none after it in the chunk: a chunk ending inside a long text costs O(n²). A 256 KB message body
// (anyone may send one, up to the server's stanza limit) took ~100 ms of CPU on an x86 server, blocking the
// event loop; a Pi is several times slower. Fed only up to the last '>', it never meets such a text: the rest
// waits for the next chunk. Cutting after a '>' byte also never splits a UTF-8 character (0x3E is never part
// of a multi-byte sequence), which converting each chunk to a string on its own would garble.

export function wholeTags() {
  // Chunks since the last '>', joined only once one arrives: a long text in many chunks is copied once
  let held: Buffer[] = [];
  return {
    /** The bytes that end at the last '>' so far, or null; what follows it is held for the next call. */
    take(data: Buffer): Buffer | null {
      const end = data.lastIndexOf(0x3e) + 1;
      if (end === 0) {
        held.push(Buffer.from(data)); // a copy: socket chunks share a pool that a slice would keep alive
        return null;
      }
      const ready = held.length > 0 ? Buffer.concat([...held, data.subarray(0, end)]) : data.subarray(0, end);
      held = end < data.length ? [Buffer.from(data.subarray(end))] : [];
      return ready;
    },
    /** A new stream (a new parser): nothing of the old one belongs to it. */
    reset() {
      held = [];
    },
  };
}
