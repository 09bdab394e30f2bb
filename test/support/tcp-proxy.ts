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
  connections(): number;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const links = new Set<[Socket, Socket]>();
  const silent = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, "127.0.0.1");
    const pair: [Socket, Socket] = [client, upstream];
    links.add(pair);
    const forward = (from: Socket, to: Socket) => from.on("data", (chunk) => !silent.has(from) && to.write(chunk));
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
