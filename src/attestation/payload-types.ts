/**
 * DSSE payload types, declared once. This module imports nothing, so command registration and help
 * text can quote them without loading the crypto code.
 */

/** Every attestation envelope. */
export const INTOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** The payload type `cilock sign` gives a policy by default, as upstream's sign does. */
export const WITNESS_POLICY_PAYLOAD_TYPE = 'https://witness.testifysec.com/policy/v0.1';

/** The newer policy payload type; verify does not check a policy's payload type, as upstream does not. */
export const AFLOCK_POLICY_PAYLOAD_TYPE = 'https://aflock.ai/policy/v0.1';

export const POLICY_PAYLOAD_TYPES: readonly string[] = [WITNESS_POLICY_PAYLOAD_TYPE, AFLOCK_POLICY_PAYLOAD_TYPE];
