// A self-signed certificate for the throwaway domain, made with the `openssl` command (Debian: package openssl).
import { execFile } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { findExecutable } from "../throwaway/install.js";

export interface Certificate {
  certificate: string; // PEM; also the CA a client must trust
  key: string;
}

/** Writes `<domain>.crt` and `<domain>.key` into `dir` (Prosody's naming), valid for two days. */
export async function selfSignedCertificate(dir: string, domain: string): Promise<Certificate> {
  const openssl = findExecutable("openssl");
  if (!openssl) throw new Error("tls: true needs the `openssl` command (Debian: apt-get install openssl)");
  await mkdir(dir, { recursive: true });
  const certificate = join(dir, `${domain}.crt`);
  const key = join(dir, `${domain}.key`);
  // P-256 keeps generation in milliseconds; the SAN is what Node checks the host name against.
  await promisify(execFile)(openssl, [
    "req", "-x509", "-nodes", "-days", "2",
    "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
    "-subj", `/CN=${domain}`, "-addext", `subjectAltName=DNS:${domain}`,
    "-keyout", key, "-out", certificate,
  ], { timeout: 10_000 });
  return { certificate, key };
}
