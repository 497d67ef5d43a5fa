// Types of the generated standalone validator (see scripts/gen-project-validator.mjs).
export interface ValidationError {
  readonly instancePath: string;
  readonly schemaPath: string;
  readonly keyword: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly message?: string;
}

export interface ValidateFunction {
  (data: unknown): boolean;
  errors: ValidationError[] | null;
}

export declare const validate: ValidateFunction;
export default validate;
