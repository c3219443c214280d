// docs/openapi.yaml, parsed, and its schemas compiled by Ajv (JSON Schema 2020-12, as OpenAPI 3.1
// uses): a schema is asked for by its JSON pointer in the document ("#/components/schemas/Message").
import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { parse as parseYaml } from "yaml";

export const openapi = parseYaml(readFileSync(path.join(import.meta.dirname, "../../docs/openapi.yaml"), "utf8")) as Record<
  string,
  unknown
>;

export const documented = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(documented);
documented.addSchema(openapi, "openapi");

/** The validator of the schema at `pointer` in the document (undefined when there is none). */
export const schemaAt = (pointer: string) => documented.getSchema(`openapi#${pointer}`);
