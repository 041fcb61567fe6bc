/** JSON Schemas for editor completion, derived from the zod schema (the single definition). */
import { z } from 'zod';
import { AttestorSchema, ToolSchema } from './schema.js';

export function jsonSchemas(): Record<string, Record<string, unknown>> {
  const opts = { io: 'input', unrepresentable: 'any' } as const;
  return {
    'tool.schema.json': { title: 'cilock catalog tool entry (tool.yaml)', ...z.toJSONSchema(ToolSchema, opts) },
    'attestor.schema.json': { title: 'cilock catalog attestor entry (attestor.yaml)', ...z.toJSONSchema(AttestorSchema, opts) },
  };
}
