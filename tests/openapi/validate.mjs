// Validates an OpenAPI description (the file named on the command line)
// against the OpenAPI 3.1 schema, with every reference resolved.
import { readFile } from "node:fs/promises";
import { Validator } from "@seriousme/openapi-schema-validator";

const file = process.argv[2];
const spec = JSON.parse(await readFile(file, "utf8"));
const validator = new Validator();
const result = await validator.validate(spec);
if (!result.valid) {
  console.error(JSON.stringify(result.errors, null, 2));
  console.error(`not valid: ${file}`);
  process.exit(1);
}
if (validator.version !== "3.1") {
  console.error(`expected an OpenAPI 3.1 description, found ${validator.version}`);
  process.exit(1);
}
console.log(`valid OpenAPI ${validator.version}: ${Object.keys(spec.paths).length} paths`);
