/**
 * DSSE v1 pre-authentication encoding (PAE). Signing and verification both run over these bytes,
 * never over the base64 text or a re-serialised payload:
 *   "DSSEv1" SP len(type) SP type SP len(body) SP body
 * Lengths are decimal byte counts of the UTF-8 type and of the raw (decoded) body.
 */
export function pae(payloadType: string, payload: Uint8Array): Buffer {
  return Buffer.concat([paeHeader(payloadType, payload.length), payload]);
}

/** Everything of the PAE before the body, for a body `bodyLength` bytes long. */
export function paeHeader(payloadType: string, bodyLength: number): Buffer {
  return Buffer.from(`DSSEv1 ${Buffer.byteLength(payloadType, 'utf8')} ${payloadType} ${bodyLength} `, 'utf8');
}
