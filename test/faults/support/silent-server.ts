// A "server" that accepts TCP and never says a word (a hung process, a wrong service behind the port): the
// agent's stream header goes unanswered. It counts the connections the agent leaves open, over time.
import { createServer, type Socket } from "node:net";

export interface SilentServer {
  service: string;
  /** When each connection was accepted and (once it was) closed, in Date.now() milliseconds. */
  connections(): { openedAt: number; closedAt: number | null }[];
  open(): number;
  maxOpen(): number;
  close(): Promise<void>;
}

export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  const history: { openedAt: number; closedAt: number | null }[] = [];
  let maxOpen = 0;
  const server = createServer((socket) => {
    const entry = { openedAt: Date.now(), closedAt: null as number | null };
    history.push(entry);
    sockets.add(socket);
    maxOpen = Math.max(maxOpen, sockets.size);
    socket.on("data", () => undefined); // read and ignore: a full receive buffer must not be what stalls the agent
    socket.on("error", () => undefined);
    socket.on("close", () => {
      entry.closedAt = Date.now();
      sockets.delete(socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    service: `xmpp://127.0.0.1:${port}`,
    connections: () => history.map((entry) => ({ ...entry })),
    open: () => sockets.size,
    maxOpen: () => maxOpen,
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
