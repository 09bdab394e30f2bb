// A socket error in a few words a person understands, for tcp and http checks.
export function networkProblem(err: NodeJS.ErrnoException, port: number | string): string {
  switch (err.code) {
    case "ECONNREFUSED":
      return `connection refused on port ${port}`;
    case "ECONNRESET":
      return "connection reset";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "host name not found";
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return "host unreachable";
    default:
      return err.code ? `connection failed (${err.code})` : `connection failed (${err.message.slice(0, 60)})`;
  }
}
