/**
 * RFC 3339 timestamps with sub-second precision and trailing zeros trimmed, in UTC
 * (e.g. `2026-05-29T18:44:04.878476Z`), matching Go's `time.RFC3339Nano` output shape.
 * JavaScript clocks give microseconds at best, so the last three digits are never set.
 */
export function rfc3339Nano(epochMicros: bigint): string {
  const millis = Number(epochMicros / 1000n);
  const micros = Number(epochMicros % 1000000n);
  const base = new Date(millis).toISOString().slice(0, 19);
  const fraction = micros === 0 ? '' : `.${micros.toString().padStart(6, '0').replace(/0+$/, '')}`;
  return `${base}${fraction}Z`;
}

const originMicros = BigInt(Math.round(performance.timeOrigin * 1000));

/** Microseconds since the Unix epoch, from the monotonic high-resolution clock anchored at process start. */
export function nowMicros(): bigint {
  return originMicros + BigInt(Math.round(performance.now() * 1000));
}

/** The current time as an RFC 3339 timestamp with microseconds. */
export function nowRfc3339(): string {
  return rfc3339Nano(nowMicros());
}
