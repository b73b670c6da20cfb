// Reads a Homebrew formula's release stanzas from its tokens: the `version`, each `url` with the `sha256`
// that follows it, and the on_macos/on_linux/on_arm/on_intel blocks and Hardware::CPU / OS branches around
// them, keeping the byte range of every value so the formula can be edited in place.
import { type Token, tokenize } from "./lexer.js";

export type Os = "macos" | "linux";
export type Arch = "arm" | "intel";

/** A string literal's value and where its text sits in the formula. */
export interface FormulaString {
  /** Decoded value (UTF-8); `#{…}` interpolations are kept as written. */
  value: string;
  /** Byte offsets of the text between the quotes. */
  start: number;
  end: number;
  line: number;
  quote: '"' | "'";
  /** The code of each `#{…}` in the literal, in order (empty when there is none). */
  interpolations: string[];
}

/** What the blocks and branches around a statement say about the machine it applies to. */
export interface Nesting {
  os?: Os;
  arch?: Arch;
  /** Two enclosing conditions exclude each other (on_macos around `if OS.linux?`): the branch never runs. */
  contradictory: boolean;
  /** The enclosing blocks and branches, outermost first, e.g. ["on_macos", "if Hardware::CPU.arm?"]. */
  path: string[];
}

export interface UrlStanza {
  url: FormulaString;
  /** The `sha256 "…"` following the url in the same block or branch, if any. */
  sha256?: FormulaString;
  nesting: Nesting;
}

export interface FormulaProblem {
  /** Human-readable, prefixed with `line N:` when the problem has a line. */
  message: string;
  line?: number;
  platform?: string;
  /** True when `update` can repair it (a value to rewrite); false when the formula's shape is at fault. */
  fixable: boolean;
}

export interface ParsedFormula {
  /** The formula's exact bytes; every offset points into them. */
  bytes: Buffer;
  /** Every `version "…"` statement in a release block (a well-formed formula has one). */
  versions: FormulaString[];
  stanzas: UrlStanza[];
  /** Syntax the scanner could not follow, and url/sha256 statements it cannot pair or read. */
  problems: FormulaProblem[];
  lineOf(offset: number): number;
}

export function problem(
  line: number | undefined,
  text: string,
  fixable: boolean,
  platform?: string,
): FormulaProblem {
  return {
    message: line === undefined ? text : `line ${line}: ${text}`,
    ...(line === undefined ? {} : { line }),
    ...(platform === undefined ? {} : { platform }),
    fixable,
  };
}

interface Constraint {
  os?: Os;
  arch?: Arch;
  contradictory?: boolean;
}

type Atom = { dim: "os"; value: Os } | { dim: "arch"; value: Arch };

interface Frame {
  kind: "root" | "class" | "module" | "def" | "block" | "brace" | "if" | "case" | "begin" | "loop";
  /** Whether url/sha256/version statements directly in this frame are release stanzas. */
  collects: boolean;
  label: string;
  constraint: Constraint;
  line: number;
  /** if/unless: the conditions of the branches so far, for else/elsif. */
  conditions?: Condition[];
  /** The first branch's keyword, to name an else branch. */
  head?: string;
  /** The url still waiting for its sha256 in the current branch. */
  pending?: UrlStanza;
  /** Bracket depth outside this block, restored when it ends. */
  outerDepth: number;
}

const BLOCK_CONSTRAINTS: Record<string, Constraint> = {
  on_macos: { os: "macos" },
  on_linux: { os: "linux" },
  on_arm: { arch: "arm" },
  on_intel: { arch: "intel" },
};
const EXPRESSION_KEYWORDS = new Set([
  "and",
  "or",
  "not",
  "return",
  "then",
  "else",
  "do",
  "in",
  "when",
  "if",
  "unless",
]);
// A line ending in one of these ends its statement; any other operator continues it on the next line.
const NON_CONTINUING = new Set([")", "]", "}", "|", ";"]);
const CLOSERS = new Set([")", "]", "}"]);
const STATEMENTS = new Set(["url", "sha256", "version"]);
// Words that may follow a statement's argument on its line: a modifier, or the end of a one-line branch.
const STATEMENT_ENDERS = new Set(["if", "unless", "while", "until", "rescue", "else", "elsif", "end"]);

function lineStarts(src: string): number[] {
  const starts = [0];
  for (let i = src.indexOf("\n"); i >= 0; i = src.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

function parseAtom(text: string): Atom | null {
  let t = text.trim();
  let negated = false;
  for (;;) {
    const inner = /^\((.*)\)$/.exec(t);
    if (inner) t = inner[1]!.trim();
    else if (t.startsWith("!")) {
      negated = !negated;
      t = t.slice(1).trim();
    } else if (/^not\s/.test(t)) {
      negated = !negated;
      t = t.slice(4).trim();
    } else break;
  }
  const match = /^(?:::)?(?:Hardware::CPU\.(arm|intel)|OS\.(mac|linux))\?$/.exec(t);
  if (!match) return null;
  const atom: Atom = match[1]
    ? { dim: "arch", value: match[1] as Arch }
    : { dim: "os", value: match[2] === "mac" ? "macos" : "linux" };
  return negated ? negate(atom) : atom;
}

function negate(atom: Atom): Atom {
  if (atom.dim === "os") return { dim: "os", value: atom.value === "macos" ? "linux" : "macos" };
  return { dim: "arch", value: atom.value === "arm" ? "intel" : "arm" };
}

/** A branch condition as far as it is understood: `negated` for `unless` and for the branches after it. */
interface Condition {
  /** The recognised Hardware::CPU / OS atoms of a conjunction. */
  atoms: Atom[];
  /** Every part of the conjunction was recognised (so its negation is known too, for one atom). */
  exact: boolean;
  negated: boolean;
}

/**
 * A condition of parts joined by `&&`/`and`. Unrecognised parts (`Hardware::CPU.is_64_bit?`) only narrow
 * the branch further, so the recognised atoms still hold in it; a disjunction says nothing.
 */
function parseCondition(text: string): Condition {
  if (/\|\||\bor\b/.test(text)) return { atoms: [], exact: false, negated: false };
  const texts = text.split(/\s*&&\s*|\s+and\s+/);
  // `!(a && b)` splits into halves with stray parentheses: a negated group is not a conjunction.
  const balanced = (part: string) => part.split("(").length === part.split(")").length;
  if (!texts.every(balanced)) return { atoms: [], exact: false, negated: false };
  const parts = texts.map(parseAtom);
  const atoms = parts.filter((atom): atom is Atom => atom !== null);
  return { atoms, exact: atoms.length === parts.length, negated: false };
}

const not = (condition: Condition): Condition => ({ ...condition, negated: !condition.negated });

/** What holds wherever the condition is true: the atoms, or for a negation, the one negated atom. */
function implied(condition: Condition): Atom[] {
  if (!condition.negated) return condition.atoms;
  return condition.exact && condition.atoms.length === 1 ? [negate(condition.atoms[0]!)] : [];
}

function constrain(into: Constraint, atoms: Atom[]): Constraint {
  const out = { ...into };
  for (const atom of atoms) {
    const prior = out[atom.dim];
    if (prior !== undefined && prior !== atom.value) out.contradictory = true;
    else if (atom.dim === "os") out.os = atom.value;
    else out.arch = atom.value;
  }
  return out;
}

/** The constraint of a branch: its own condition holds, and no earlier branch's did. */
function branchConstraint(own: Condition | null, earlier: Condition[]): Constraint {
  return constrain({}, [...(own ? implied(own) : []), ...earlier.flatMap((prior) => implied(not(prior)))]);
}

function decodeString(src: string, token: Token, line: number): FormulaString {
  const start = token.contentStart!;
  const end = token.contentEnd!;
  const raw = src.slice(start, end);
  const quote = token.quote as '"' | "'";
  let value = "";
  const interpolations: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === "\\") {
      const next = raw[++i] ?? "";
      if (quote === "'") value += next === "\\" || next === "'" ? next : `\\${next}`;
      else
        value +=
          ({ n: "\n", t: "\t", r: "\r", s: " ", "0": "\0", e: "\x1b" } as Record<string, string>)[next] ??
          next;
    } else if (quote === '"' && c === "#" && raw[i + 1] === "{") {
      let depth = 0;
      let j = i + 2;
      for (; j < raw.length; j++) {
        if (raw[j] === "{") depth++;
        else if (raw[j] === "}" && depth-- === 0) break;
      }
      interpolations.push(
        Buffer.from(raw.slice(i + 2, j), "latin1")
          .toString("utf8")
          .trim(),
      );
      value += raw.slice(i, j + 1);
      i = j;
    } else value += c;
  }
  return { value: Buffer.from(value, "latin1").toString("utf8"), start, end, line, quote, interpolations };
}

export function parseFormula(source: string | Uint8Array): ParsedFormula {
  const bytes = typeof source === "string" ? Buffer.from(source, "utf8") : Buffer.from(source);
  const src = bytes.toString("latin1");
  const starts = lineStarts(src);
  const lineOf = (offset: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const { tokens, errors } = tokenize(src);
  const problems: FormulaProblem[] = errors.map((e) => problem(lineOf(e.offset), e.message, false));
  const versions: FormulaString[] = [];
  const stanzas: UrlStanza[] = [];
  const stack: Frame[] = [
    { kind: "root", collects: true, label: "", constraint: {}, line: 1, outerDepth: 0 },
  ];
  let depth = 0; // ( and [ nesting: newlines inside them do not end a statement
  let stmtStart = true;
  let stmtHead = 0;
  let loopDoPending = false;
  let last: Token | undefined;

  const top = () => stack.at(-1)!;
  const collecting = () => stack.every((frame) => frame.collects);
  const push = (frame: Omit<Frame, "outerDepth" | "line">, at: Token) => {
    stack.push({ ...frame, line: lineOf(at.start), outerDepth: depth });
    depth = 0;
  };
  const nesting = (): Nesting => {
    let constraint: Constraint = {};
    const path: string[] = [];
    for (const frame of stack) {
      const { os, arch, contradictory } = frame.constraint;
      constraint = constrain(constraint, [
        ...(os ? [{ dim: "os", value: os } as Atom] : []),
        ...(arch ? [{ dim: "arch", value: arch } as Atom] : []),
      ]);
      if (contradictory) constraint.contradictory = true;
      if (frame.label) path.push(frame.label);
    }
    return {
      os: constraint.os,
      arch: constraint.arch,
      contradictory: constraint.contradictory === true,
      path,
    };
  };
  /** The source text from token `from` up to the end of the statement line (or `then`/`;`). */
  const conditionText = (from: number) => {
    let end = from;
    let parens = 0;
    while (end < tokens.length) {
      const t = tokens[end]!;
      if (t.kind === "punct" && (t.text === "(" || t.text === "[")) parens++;
      if (t.kind === "punct" && (t.text === ")" || t.text === "]")) parens--;
      if (parens <= 0 && (t.kind === "newline" || t.text === ";" || (t.kind === "word" && t.text === "then")))
        break;
      end++;
    }
    if (end === from) return "";
    return src.slice(tokens[from]!.start, tokens[end - 1]!.end).replace(/\s+/g, " ");
  };
  const skipBlockParams = (i: number) => {
    const next = tokens[i + 1];
    if (next?.kind !== "punct" || (next.text !== "|" && next.text !== "||")) return i;
    if (next.text === "||") return i + 1;
    let j = i + 2;
    while (j < tokens.length && !(tokens[j]!.kind === "punct" && tokens[j]!.text === "|")) j++;
    return Math.min(j, tokens.length - 1);
  };
  const isModifier = (atStart: boolean) => {
    if (atStart || !last) return false;
    if (last.kind === "word") return !EXPRESSION_KEYWORDS.has(last.text);
    if (last.kind === "punct") return CLOSERS.has(last.text);
    return last.kind !== "label";
  };

  function statement(i: number): void {
    const head = tokens[i]!;
    let j = i + 1;
    if (tokens[j]?.kind === "punct" && tokens[j]!.text === "(") j++;
    const arg = tokens[j];
    if (!arg || arg.kind === "newline" || arg.kind === "label" || arg.kind === "punct") return; // not a DSL call
    const line = lineOf(head.start);
    const after = tokens[j + 1];
    const plain =
      arg.kind === "string" &&
      (arg.quote === '"' || arg.quote === "'") &&
      (!after ||
        after.kind === "newline" ||
        (after.kind === "punct" && [",", ")", ";"].includes(after.text)) ||
        (after.kind === "punct" && after.text === "}") ||
        (after.kind === "word" && STATEMENT_ENDERS.has(after.text)));
    if (!plain) {
      problems.push(
        problem(
          line,
          `${head.text} is not given a plain string literal; shipgate cannot read or edit it`,
          false,
        ),
      );
      if (head.text !== "version") top().pending = undefined;
      return;
    }
    const value = decodeString(src, arg, lineOf(arg.start));
    if (head.text === "version") versions.push(value);
    else if (head.text === "url") {
      const stanza: UrlStanza = { url: value, nesting: nesting() };
      stanzas.push(stanza);
      top().pending = stanza;
    } else {
      const frame = top();
      if (frame.pending) {
        frame.pending.sha256 = value;
        frame.pending = undefined;
      } else problems.push(problem(line, "sha256 follows no url in its block", false));
    }
  }

  function closeFrame(at: Token): void {
    if (stack.length === 1) {
      problems.push(problem(lineOf(at.start), `unexpected ${at.text}`, false));
      return;
    }
    const frame = stack.pop()!;
    depth = frame.outerDepth;
  }

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === "newline") {
      if (depth > 0) continue;
      const continues =
        last !== undefined &&
        ((last.kind === "punct" && !NON_CONTINUING.has(last.text)) ||
          (last.kind === "word" && (last.text === "and" || last.text === "or" || last.text === "not")));
      if (!continues) {
        stmtStart = true;
        loopDoPending = false;
      }
      continue;
    }
    let atStart = stmtStart;
    if (atStart && t.kind === "punct" && (t.text === "." || t.text === "&.")) atStart = false; // leading-dot chain
    if (atStart) stmtHead = i;
    stmtStart = false;
    const isMethodName =
      last?.kind === "punct" && (last.text === "." || last.text === "&." || last.text === "::") && !atStart;

    if (t.kind === "punct") {
      if (t.text === "(" || t.text === "[") depth++;
      else if ((t.text === ")" || t.text === "]") && depth > 0) depth--;
      else if (t.text === "{") {
        push({ kind: "brace", collects: false, label: "{…}", constraint: {} }, t);
        i = skipBlockParams(i);
        stmtStart = true;
      } else if (t.text === "}") {
        if (top().kind === "brace") closeFrame(t);
        else problems.push(problem(lineOf(t.start), "unmatched }", false));
      } else if (t.text === ";") {
        stmtStart = true;
        loopDoPending = false;
      }
    } else if (t.kind === "word" && !isMethodName) {
      const word = t.text;
      if (atStart && STATEMENTS.has(word) && collecting()) statement(i);
      else if (word === "class") {
        const next = tokens[i + 1];
        if (next?.kind === "punct" && next.text === "<<")
          push({ kind: "class", collects: false, label: "class << self", constraint: {} }, t);
        else push({ kind: "class", collects: true, label: "", constraint: {} }, t);
      } else if (word === "module")
        push({ kind: "module", collects: false, label: "module", constraint: {} }, t);
      else if (word === "def") {
        if (!isEndlessDef(tokens, i)) push({ kind: "def", collects: false, label: "def", constraint: {} }, t);
      } else if (word === "if" || word === "unless") {
        if (!isModifier(atStart)) {
          const text = conditionText(i + 1);
          const parsedCondition = parseCondition(text);
          const condition = word === "unless" ? not(parsedCondition) : parsedCondition;
          push(
            {
              kind: "if",
              collects: true,
              label: `${word} ${text}`,
              head: `${word} ${text}`,
              constraint: branchConstraint(condition, []),
              conditions: [condition],
            },
            t,
          );
        }
      } else if (word === "while" || word === "until" || word === "for") {
        if (word === "for" || !isModifier(atStart)) {
          push({ kind: "loop", collects: true, label: word, constraint: {} }, t);
          loopDoPending = true;
        }
      } else if (word === "case") push({ kind: "case", collects: true, label: "case", constraint: {} }, t);
      else if (word === "begin") push({ kind: "begin", collects: true, label: "", constraint: {} }, t);
      else if (word === "do") {
        if (loopDoPending) loopDoPending = false;
        else {
          const head = tokens[stmtHead]!;
          const name = head.kind === "word" ? head.text : "";
          const known = BLOCK_CONSTRAINTS[name];
          // Release stanzas live in the class body, in on_* blocks and in `stable do`; urls in
          // resource/patch/head/livecheck/test blocks or inside methods are not release assets.
          const collects = known !== undefined || name === "stable" || name.startsWith("on_");
          push({ kind: "block", collects, label: name || "do", constraint: known ?? {} }, t);
          i = skipBlockParams(i);
        }
        stmtStart = true;
      } else if (word === "end") closeFrame(t);
      else if (word === "else" || word === "elsif") {
        const frame = top();
        frame.pending = undefined;
        if (frame.kind === "if") {
          const own = word === "elsif" ? parseCondition(conditionText(i + 1)) : null;
          frame.constraint = branchConstraint(own, frame.conditions!);
          frame.label = word === "elsif" ? `elsif ${conditionText(i + 1)}` : `else (of ${frame.head})`;
          if (own) frame.conditions!.push(own);
        } else if (frame.kind === "case") frame.label = "case else";
        stmtStart = word === "else";
      } else if (word === "when" || ((word === "rescue" || word === "ensure") && atStart)) {
        top().pending = undefined;
      } else if (word === "then") stmtStart = true;
    }
    last = tokens[i]!;
  }
  for (const frame of stack.slice(1).reverse())
    problems.push(problem(frame.line, `${frame.label || frame.kind} block has no end`, false));

  return { bytes, versions, stanzas, problems, lineOf };
}

/** `def name(args) = expr` has no `end`. */
function isEndlessDef(tokens: Token[], at: number): boolean {
  let j = at + 1;
  // the method name, possibly `self.name` or an operator
  while (j < tokens.length && tokens[j]!.kind !== "newline") {
    const t = tokens[j]!;
    if (t.kind === "punct" && t.text === "(") {
      let parens = 0;
      for (; j < tokens.length; j++) {
        const p = tokens[j]!;
        if (p.kind === "punct" && p.text === "(") parens++;
        if (p.kind === "punct" && p.text === ")" && --parens === 0) break;
      }
      j++;
      break;
    }
    if (j > at + 1 && t.spaceBefore) break;
    j++;
  }
  const next = tokens[j];
  return next?.kind === "punct" && next.text === "=";
}

/** The value with `#{version}` replaced; null when it interpolates anything else. */
export function evaluateString(str: FormulaString, version: string | undefined): string | null {
  if (str.interpolations.length === 0) return str.value;
  if (version === undefined || str.interpolations.some((code) => code !== "version")) return null;
  return str.value.replace(/#\{\s*version\s*\}/g, version);
}
