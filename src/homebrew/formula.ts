// The Homebrew formula API in one import: parse a formula's release stanzas, verify them against a
// release's sha256sums.txt, and update them in place. The pieces live in lexer/parse/verify/update.
export type {
  Arch,
  FormulaProblem,
  FormulaString,
  Nesting,
  Os,
  ParsedFormula,
  UrlStanza,
} from "./parse.js";
export { evaluateString, parseFormula } from "./parse.js";
export type { FormulaChange, FormulaUpdate } from "./update.js";
export { FormulaUpdateError, updateFormula } from "./update.js";
export type { FormulaInspection, FormulaTarget, LocatedStanza } from "./verify.js";
export { inspectFormula, platformTraits, releaseUrlParts, verifyFormula } from "./verify.js";
