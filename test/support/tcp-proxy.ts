// A TCP proxy of the test's own between the agent and Prosody, to break the link the ways networks do:
// cut it (both sides see a close) or blackhole it (bytes stop flowing, nobody is told).
import { createServer, connect, type Socket } from "node:net";

export interface TcpProxy {
  port: number;
  service: string;
  /** Closes every open link at once, as a router reboot would. */
  cut(): void;
  /** The links open now stop forwarding in both directions, and nothing is closed; new links work. */
  blackhole(): void;
  /** The links open now hold what they get (a network blip: nothing lost, nothing closed) until release(). */
  stall(): void;
  release(): void;
  connections(): number;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const links = new Set<[Socket, Socket]>();
  const silent = new Set<Socket>();
  const held = new Map<Socket, Buffer[]>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, "127.0.0.1");
    const pair: [Socket, Socket] = [client, upstream];
    links.add(pair);
    const forward = (from: Socket, to: Socket) =>
      from.on("data", (chunk: Buffer) => {
        if (silent.has(from)) return;
        const holding = held.get(from);
        if (holding) holding.push(chunk);
        else to.write(chunk);
      });
    forward(client, upstream);
    forward(upstream, client);
    const end = () => {
      links.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("close", end).on("error", end);
    upstream.on("close", end).on("error", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    service: `xmpp://127.0.0.1:${port}`,
    cut() {
      for (const [a, b] of links) {
        a.destroy();
        b.destroy();
      }
      links.clear();
    },
    blackhole() {
      for (const [a, b] of links) {
        silent.add(a);
        silent.add(b);
      }
    },
    stall() {
      for (const [a, b] of links) for (const side of [a, b]) held.set(side, []);
    },
    release() {
      for (const [a, b] of links) {
        for (const [from, to] of [[a, b], [b, a]] as const) {
          for (const chunk of held.get(from) ?? []) to.write(chunk);
          held.delete(from);
        }
      }
    },
    connections: () => links.size,
    close() {
      for (const [a, b] of links) {
        a.destroy();
        b.destroy();
      }
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
