// A TCP proxy between the agent and the server that breaks the link on cue. What test/support/tcp-proxy.ts does
// (cut: both ends told; blackhole: bytes stop, nobody told), plus: a cut in the middle of a stanza, refusing new
// links, waiting for a chunk (to strike at a chosen moment of a login or an exchange), and how many links were
// open at once (one agent, one session: never two).
import { connect, createServer, type Socket } from "node:net";

export type Direction = "to-agent" | "to-server";

/** One forwarded chunk: its text, which link (numbered from 1 as accepted) and its ordinal in that direction. */
export interface Chunk {
  direction: Direction;
  text: string;
  link: number;
  nth: number;
}

interface Link {
  id: number;
  agent: Socket;
  server: Socket;
  silent: boolean;
  sent: Record<Direction, number>;
}

interface Trap {
  direction: Direction;
  match(chunk: Chunk): boolean;
  /** Forward this many bytes of the matching chunk, then cut the link; null: forward it all, cut nothing. */
  cutAfter: ((chunk: Chunk, bytes: Buffer) => number) | null;
  fire(result: { forwarded: number; of: number; chunk: Chunk }): void;
}

export interface FaultProxy {
  port: number;
  service: string;
  /** Closes every open link at once, as a router reboot would. */
  cut(): void;
  /** The links open now stop forwarding both ways and nothing is closed; new links work. */
  blackhole(): void;
  /** While on, each new link is closed as soon as it is accepted. */
  refuse(on: boolean): void;
  /** The next chunk in `direction` that matches is forwarded only in part, then the link is cut: `at` says how
   * many of its bytes go through (default: half). */
  cutMidStanza(direction: Direction, match?: (chunk: Chunk) => boolean, at?: (chunk: Chunk, bytes: Buffer) => number): Promise<{ forwarded: number; of: number; chunk: Chunk }>;
  /** Resolves once a matching chunk has been forwarded whole. */
  when(direction: Direction, match: (chunk: Chunk) => boolean): Promise<Chunk>;
  /** The last chunks forwarded (or held back), oldest first: what a failing test's message shows. */
  recent(): string[];
  /** Links accepted so far (the last one's number). */
  accepted(): number;
  /** Links open now, and the most ever open at once. */
  open(): number;
  maxOpen(): number;
  close(): Promise<void>;
}

export async function startFaultProxy(targetPort: number): Promise<FaultProxy> {
  const links = new Set<Link>();
  const traps = new Set<Trap>();
  let accepted = 0;
  let maxOpen = 0;
  let refusing = false;
  const recent: string[] = [];
  const note = (chunk: Chunk, what: string) => {
    recent.push(`${new Date().toISOString().slice(11, 23)} link ${chunk.link} ${chunk.direction} #${chunk.nth}${what}: ${chunk.text.slice(0, 300)}`);
    if (recent.length > 30) recent.shift();
  };

  const end = (link: Link) => {
    links.delete(link);
    link.agent.destroy();
    link.server.destroy();
  };

  const forward = (link: Link, direction: Direction, from: Socket, to: Socket) =>
    from.on("data", (data: Buffer) => {
      if (!links.has(link)) return;
      const chunk: Chunk = { direction, text: data.toString("utf8"), link: link.id, nth: ++link.sent[direction] };
      note(chunk, link.silent ? " (blackholed)" : "");
      if (link.silent) return;
      const trap = [...traps].find((t) => t.direction === direction && t.match(chunk));
      if (trap) traps.delete(trap);
      if (!trap?.cutAfter) {
        to.write(data);
        trap?.fire({ forwarded: data.length, of: data.length, chunk });
        return;
      }
      const forwarded = trap.cutAfter(chunk, data);
      // Cut once the part is on its way: the peer reads half a stanza, then the end of the stream
      to.write(data.subarray(0, forwarded), () => end(link));
      trap.fire({ forwarded, of: data.length, chunk });
    });

  const server = createServer((agent) => {
    const id = ++accepted;
    if (refusing) {
      agent.destroy();
      return;
    }
    const link: Link = { id, agent, server: connect(targetPort, "127.0.0.1"), silent: false, sent: { "to-agent": 0, "to-server": 0 } };
    links.add(link);
    maxOpen = Math.max(maxOpen, links.size);
    forward(link, "to-server", link.agent, link.server);
    forward(link, "to-agent", link.server, link.agent);
    for (const socket of [link.agent, link.server]) socket.on("close", () => end(link)).on("error", () => end(link));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;

  const arm = <T>(direction: Direction, match: (chunk: Chunk) => boolean, cutAfter: Trap["cutAfter"], pick: (r: Parameters<Trap["fire"]>[0]) => T) =>
    new Promise<T>((resolve) => traps.add({ direction, match, cutAfter, fire: (r) => resolve(pick(r)) }));

  return {
    port,
    service: `xmpp://127.0.0.1:${port}`,
    cut() {
      for (const link of [...links]) end(link);
    },
    blackhole() {
      for (const link of links) link.silent = true;
    },
    refuse(on) {
      refusing = on;
    },
    cutMidStanza: (direction, match = () => true, at = (_, bytes) => Math.max(1, Math.floor(bytes.length / 2))) => arm(direction, match, at, (r) => r),
    when: (direction, match) => arm(direction, match, null, (r) => r.chunk),
    recent: () => [...recent],
    accepted: () => accepted,
    open: () => links.size,
    maxOpen: () => maxOpen,
    close() {
      traps.clear();
      for (const link of [...links]) end(link);
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
