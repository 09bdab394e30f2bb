// Ports on 127.0.0.1: pick a free one, wait until something accepts on it.
import { createConnection, createServer } from "node:net";

export const LOOPBACK = "127.0.0.1";

/** A port the kernel just handed out on loopback (`preferred` when that one is free); free again once this resolves. */
export function freePort(preferred = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", (err: NodeJS.ErrnoException) => (preferred && err.code === "EADDRINUSE" ? resolve(freePort()) : reject(err)));
    server.listen(preferred, LOOPBACK, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error("no port from the kernel"))));
    });
  });
}

export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: LOOPBACK, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
