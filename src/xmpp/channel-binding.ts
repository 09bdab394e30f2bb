// Channel binding for SCRAM-*-PLUS: the proof is tied to this TLS link, so a man in the middle with a certificate
// the device trusts still cannot log in with it. Types, best first:
//   tls-exporter          RFC 9266, TLS 1.3 only: 32 bytes of keying material, label "EXPORTER-Channel-Binding"
//   tls-server-end-point  RFC 5929 4.1: the hash of the server's certificate (its signature's hash; SHA-256 for
//                         MD5 and SHA-1), the same on every link to that server
//   tls-unique            RFC 5929 3.1: the first Finished message (ours, in a full handshake). Undefined for
//                         TLS 1.3 by RFC 9266, yet what servers without XEP-0440 check: ejabberd 23.01 (Debian 12)
//                         offers -PLUS over TLS 1.3 and accepts tls-unique only (tls-exporter and
//                         tls-server-end-point: "Invalid channel binding"); Prosody 0.12 offers it over TLS 1.2 only.
// XEP-0440 lets the server say which it supports; without it, tls-unique is what the server means.
import type { Element } from "@xmpp/client";
import { createHash } from "node:crypto";
import type { TLSSocket } from "node:tls";

export const NS_SASL_CB = "urn:xmpp:sasl-cb:0";
const PREFERENCE = ["tls-exporter", "tls-server-end-point", "tls-unique"] as const;
export type ChannelBindingType = (typeof PREFERENCE)[number];

/** XEP-0440: the types the server named in its stream features, or null when it named none. */
export function advertisedBindings(features: Element | null): string[] | null {
  const offer = features?.getChild("sasl-channel-binding", NS_SASL_CB);
  return offer ? offer.getChildren("channel-binding").map((c) => String(c.attrs.type)) : null;
}

/** The type to bind with, or null when there is none both sides can use. */
export function bindingType(tls: TLSSocket, advertised: string[] | null): ChannelBindingType | null {
  if (!advertised) return "tls-unique";
  const v13 = tls.getProtocol() === "TLSv1.3";
  const usable = PREFERENCE.filter((type) => (type === "tls-exporter" ? v13 : type === "tls-server-end-point" ? certificateHash(tls) !== null : true));
  return usable.find((type) => advertised.includes(type)) ?? null;
}

export function bindingData(tls: TLSSocket, type: ChannelBindingType): Buffer {
  // RFC 8446 7.5: in TLS 1.3 an empty context is the same as none, which RFC 9266 asks for
  if (type === "tls-exporter") return tls.exportKeyingMaterial(32, "EXPORTER-Channel-Binding", Buffer.alloc(0));
  if (type === "tls-unique") return (tls.isSessionReused() ? tls.getPeerFinished() : tls.getFinished()) ?? Buffer.alloc(0);
  const { raw } = tls.getPeerCertificate();
  return createHash(certificateHash(tls)!).update(raw).digest();
}

function certificateHash(tls: TLSSocket): string | null {
  const raw = tls.getPeerCertificate()?.raw;
  return raw ? signatureHash(raw) : null;
}

// The signature algorithm's OID (DER, hex) -> the hash RFC 5929 4.1 names for it
const SIGNATURE_HASH: Record<string, string> = {
  "2a864886f70d010104": "sha256", // md5WithRSAEncryption
  "2a864886f70d010105": "sha256", // sha1WithRSAEncryption
  "2a864886f70d01010b": "sha256",
  "2a864886f70d01010c": "sha384",
  "2a864886f70d01010d": "sha512",
  "2a8648ce3d0401": "sha256", // ecdsa-with-SHA1
  "2a8648ce3d040302": "sha256",
  "2a8648ce3d040303": "sha384",
  "2a8648ce3d040304": "sha512",
};

/** Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm SEQUENCE { OID, ... }, signature } (RFC 5280 4.1).
 * Null for an algorithm RFC 5929 gives no hash for (Ed25519, RSASSA-PSS) or a certificate it cannot read. */
export function signatureHash(der: Buffer): string | null {
  try {
    const outer = tlv(der, 0);
    const tbs = tlv(der, outer.start);
    const algorithm = tlv(der, tbs.start + tbs.length);
    const oid = tlv(der, algorithm.start);
    if (oid.tag !== 0x06) return null;
    return SIGNATURE_HASH[der.subarray(oid.start, oid.start + oid.length).toString("hex")] ?? null;
  } catch {
    return null;
  }
}

function tlv(der: Buffer, at: number): { tag: number; start: number; length: number } {
  const tag = der[at]!;
  let length = der[at + 1]!;
  let start = at + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes > 4) throw new RangeError("DER length too long");
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + der[start++]!;
  }
  if (start + length > der.length || tag === undefined) throw new RangeError("DER runs past the end");
  return { tag, start, length };
}
