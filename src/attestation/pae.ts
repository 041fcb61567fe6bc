/**
 * DSSE v1 pre-authentication encoding (PAE). Signing and verification both run over these bytes,
 * never over the base64 text or a re-serialised payload:
 *   "DSSEv1" SP len(type) SP type SP len(body) SP body
 * Lengths are decimal byte counts of the UTF-8 type and of the raw (decoded) body.
 */
export function pae(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  const header = Buffer.from(`DSSEv1 ${type.length} ${payloadType} ${payload.length} `, 'utf8');
  return Buffer.concat([header, payload]);
}
