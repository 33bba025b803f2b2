// SPDX-License-Identifier: Apache-2.0
// Types for binary-parser's ESM entry: its package exports name no types for `import`, so point
// the module at the declarations it ships for its CommonJS build.
declare module "binary-parser" {
  export { Parser } from "binary-parser/dist/binary_parser.js";
}
