/** The project schema compiled to standalone ESM source by Ajv. */
export function generateValidatorSource(): string;
