/** Validators for the Open Inference Protocol's OpenAPI schemas (test/fixtures/oip, converted from the YAML). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';

const doc = JSON.parse(
  readFileSync(join(import.meta.dirname, '../fixtures/oip/open_inference_rest.schemas.json'), 'utf8'),
) as { components: { schemas: Record<string, Record<string, unknown>> } };

// OpenAPI 3.0 adds keywords JSON Schema does not know (x-examples): not strict.
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addSchema({ $id: 'oip', components: doc.components });

/** The named schema's validator (e.g. 'inference_response'). */
export function schema(name: string): ValidateFunction {
  return (
    ajv.getSchema(`oip#/components/schemas/${name}`) ??
    ajv.compile({ $ref: `oip#/components/schemas/${name}` })
  );
}

/** A component with its local $refs pointed at the registered document. */
const component = (name: string): Record<string, unknown> =>
  JSON.parse(
    JSON.stringify(doc.components.schemas[name]).replaceAll('"#/components', '"oip#/components'),
  ) as Record<string, unknown>;

/** The binary extension's JSON part: `data` may be absent where parameters.binary_data_size stands in. */
const relaxed = (name: string): Record<string, unknown> => ({
  ...component(name),
  required: ['name', 'shape', 'datatype'],
  if: { not: { required: ['data'] } },
  then: {
    required: ['parameters'],
    properties: { parameters: { type: 'object', required: ['binary_data_size'] } },
  },
});
const binaryOutput = relaxed('response_output');
const binaryInput = relaxed('request_input');
export const binaryResponseHeader = ajv.compile({
  type: 'object',
  required: ['model_name', 'outputs'],
  properties: { model_name: { type: 'string' }, outputs: { type: 'array', items: binaryOutput } },
});
export const binaryRequestHeader = ajv.compile({
  type: 'object',
  required: ['inputs'],
  properties: { inputs: { type: 'array', items: binaryInput } },
});

/** Validation errors as text, for the assertion message. */
export const errorsOf = (v: ValidateFunction): string => ajv.errorsText(v.errors);
