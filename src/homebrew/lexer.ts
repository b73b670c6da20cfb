// Tokenizer for the Ruby a Homebrew formula is written in: enough to tell code from strings, comments,
// heredocs, regexps and percent literals, so `url "…"` inside a comment or a heredoc is never a statement.
// Hand-written on purpose: no maintained Ruby parser runs on plain Node without native code or a WASM
// grammar, and editing by byte position needs token boundaries only, not a full syntax tree.
//
// Input is the formula's bytes viewed as latin1 (one char per byte), so every offset is a byte offset and
// non-ASCII bytes (only ever inside strings, comments and identifiers) pass through unread.

export type TokenKind = "word" | "label" | "symbol" | "string" | "number" | "punct" | "newline";

export interface Token {
  kind: TokenKind;
  /** Source text of the token (for a heredoc: its `<<~ID` opener). */
  text: string;
  start: number;
  end: number;
  /** Whitespace (or a line continuation) right before the token. */
  spaceBefore: boolean;
  /** Strings: `"` and `'` for plain literals; `other` for heredocs, %-literals, regexps, backticks, ?c. */
  quote?: '"' | "'" | "other";
  /** Strings: byte range of the text between the delimiters (a heredoc's body). */
  contentStart?: number;
  contentEnd?: number;
}

export interface LexError {
  offset: number;
  message: string;
}

export interface LexResult {
  tokens: Token[];
  errors: LexError[];
}

const isIdentStart = (c: string | undefined) => c !== undefined && /[A-Za-z_\x80-\xff]/.test(c);
const isIdentChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_\x80-\xff]/.test(c);
const isSpace = (c: string | undefined) => c === " " || c === "\t" || c === "\r" || c === "\f" || c === "\v";

// After these words an operand follows, so `/`, `%`, `?` and `<<` start a literal rather than an operator.
const OPERAND_KEYWORDS = new Set([
  "if",
  "unless",
  "while",
  "until",
  "and",
  "or",
  "not",
  "return",
  "when",
  "then",
  "else",
  "elsif",
  "do",
  "begin",
  "case",
  "in",
  "yield",
  "break",
  "next",
]);
const VALUE_WORDS = new Set(["end", "self", "true", "false", "nil", "__FILE__", "__LINE__", "__dir__"]);
const CLOSERS = new Set([")", "]", "}"]);
const OPERATORS = [
  "**=",
  "<=>",
  "===",
  "...",
  "<<=",
  ">>=",
  "&&=",
  "||=",
  "::",
  "**",
  "==",
  "!=",
  "=~",
  "!~",
  "<=",
  ">=",
  "&&",
  "||",
  "<<",
  ">>",
  "=>",
  "->",
  "..",
  "&.",
  "+=",
  "-=",
  "*=",
  "/=",
  "%=",
  "|=",
  "&=",
  "^=",
];
const PAIRS: Record<string, string> = { "(": ")", "[": "]", "{": "}", "<": ">" };

interface PendingHeredoc {
  token: Token;
  id: string;
  indented: boolean;
}

export function tokenize(src: string): LexResult {
  const n = src.length;
  const tokens: Token[] = [];
  const errors: LexError[] = [];
  const heredocs: PendingHeredoc[] = [];
  let pos = 0;
  let space = false;

  const push = (token: Omit<Token, "spaceBefore">) => {
    tokens.push({ ...token, spaceBefore: space });
    space = false;
  };
  const atLineStart = (at: number) => at === 0 || src[at - 1] === "\n";

  /** Index of the closing delimiter, or -1 when the text ends first. */
  function scanDelimited(from: number, open: string | null, close: string, interpolates: boolean): number {
    let depth = 0;
    let i = from;
    while (i < n) {
      const c = src[i]!;
      if (c === "\\") {
        i += 2;
        continue;
      }
      if (interpolates && c === "#" && src[i + 1] === "{") {
        i = skipInterpolation(i + 2);
        if (i < 0) return -1;
        continue;
      }
      if (open !== null && c === open) depth++;
      else if (c === close) {
        if (depth === 0) return i;
        depth--;
      }
      i++;
    }
    return -1;
  }

  /** From just after `#{` to just after its `}`, stepping over nested strings; -1 when unterminated. */
  function skipInterpolation(from: number): number {
    let depth = 0;
    let i = from;
    while (i < n) {
      const c = src[i]!;
      if (c === '"' || c === "'" || c === "`") {
        const close = scanDelimited(i + 1, null, c, c !== "'");
        if (close < 0) return -1;
        i = close + 1;
        continue;
      }
      if (c === "{") depth++;
      else if (c === "}") {
        if (depth === 0) return i + 1;
        depth--;
      }
      i++;
    }
    return -1;
  }

  /** Whether an operand (not an operator) is expected at `at`, judged from the previous token. */
  function operandExpected(at: number, operatorLength: number): boolean {
    const prev = tokens.at(-1);
    if (!prev || prev.kind === "newline" || prev.kind === "label") return true;
    if (prev.kind === "string" || prev.kind === "number" || prev.kind === "symbol") return false;
    if (prev.kind === "punct") return !CLOSERS.has(prev.text);
    const before = tokens.at(-2);
    const isMethodName = before?.kind === "punct" && (before.text === "." || before.text === "&.");
    if (!isMethodName && OPERAND_KEYWORDS.has(prev.text)) return true;
    if (VALUE_WORDS.has(prev.text) || /^[@$]/.test(prev.text)) return false;
    // `assert_match /x/` (a command's argument) versus `lib/"pkgconfig"` and `a / b` (division).
    const after = src[at + operatorLength];
    return space && after !== undefined && !isSpace(after) && after !== "\n";
  }

  function stringToken(start: number, contentStart: number, close: number, quote: Token["quote"], tail = 0) {
    if (close < 0) {
      errors.push({ offset: start, message: "unterminated string or literal" });
      push({ kind: "string", text: src.slice(start), start, end: n, quote, contentStart, contentEnd: n });
      pos = n;
      return;
    }
    let end = close + 1;
    while (tail > 0 && end < n && /[a-z]/.test(src[end]!)) end++; // regexp flags
    push({ kind: "string", text: src.slice(start, end), start, end, quote, contentStart, contentEnd: close });
    pos = end;
  }

  function readHeredocBodies() {
    while (heredocs.length > 0) {
      const doc = heredocs.shift()!;
      const bodyStart = pos;
      let found = false;
      while (pos < n) {
        let lineEnd = src.indexOf("\n", pos);
        if (lineEnd < 0) lineEnd = n;
        let line = src.slice(pos, lineEnd).replace(/\r$/, "");
        if (doc.indented) line = line.replace(/^[ \t]+/, "");
        if (line === doc.id) {
          doc.token.contentStart = bodyStart;
          doc.token.contentEnd = pos;
          // The terminator line's newline is left for the main loop unless another body follows.
          pos = heredocs.length > 0 ? Math.min(lineEnd + 1, n) : lineEnd;
          found = true;
          break;
        }
        pos = lineEnd + 1;
      }
      if (!found) {
        errors.push({
          offset: doc.token.start,
          message: `heredoc ${doc.token.text} has no terminating ${doc.id} line`,
        });
        doc.token.contentStart = bodyStart;
        doc.token.contentEnd = n;
        pos = n;
        heredocs.length = 0;
      }
    }
  }

  while (pos < n) {
    const c = src[pos]!;
    if (c === "\n") {
      push({ kind: "newline", text: "\n", start: pos, end: pos + 1 });
      pos++;
      if (heredocs.length > 0) readHeredocBodies();
      continue;
    }
    if (isSpace(c)) {
      pos++;
      space = true;
      continue;
    }
    if (c === "\\" && (src[pos + 1] === "\n" || (src[pos + 1] === "\r" && src[pos + 2] === "\n"))) {
      pos += src[pos + 1] === "\n" ? 2 : 3;
      space = true;
      continue;
    }
    if (c === "#") {
      const eol = src.indexOf("\n", pos);
      pos = eol < 0 ? n : eol;
      continue;
    }
    if (c === "=" && atLineStart(pos) && /^=begin(?=\s|$)/.test(src.slice(pos, pos + 7))) {
      const close = /\n=end(?=\s|$)/.exec(src.slice(pos));
      if (!close) {
        errors.push({ offset: pos, message: "=begin comment has no =end" });
        pos = n;
        continue;
      }
      const eol = src.indexOf("\n", pos + close.index + 1);
      pos = eol < 0 ? n : eol;
      continue;
    }
    if (c === "_" && atLineStart(pos) && /^__END__\r?(\n|$)/.test(src.slice(pos, pos + 9))) break;

    const start = pos;
    const next = src[pos + 1];
    if (
      isIdentStart(c) ||
      (c === "@" && (isIdentStart(next) || (next === "@" && isIdentStart(src[pos + 2])))) ||
      (c === "$" && isIdentStart(next))
    ) {
      pos++;
      if (c === "@" && src[pos] === "@") pos++;
      while (isIdentChar(src[pos])) pos++;
      if ((src[pos] === "?" || src[pos] === "!") && src[pos + 1] !== "=" && c !== "@" && c !== "$") pos++;
      if (src[pos] === ":" && src[pos + 1] !== ":" && c !== "@" && c !== "$") {
        pos++;
        push({ kind: "label", text: src.slice(start, pos), start, end: pos });
      } else push({ kind: "word", text: src.slice(start, pos), start, end: pos });
      continue;
    }
    if (c === "$" && src[pos + 1] !== undefined && /[!@&`'+~=/\\,;.<>_*$?:"0-9-]/.test(src[pos + 1]!)) {
      pos += src[pos + 1] === "-" ? 3 : 2;
      push({ kind: "word", text: src.slice(start, pos), start, end: pos });
      continue;
    }
    if (/[0-9]/.test(c)) {
      const match = /^[0-9][0-9A-Za-z_]*(?:\.[0-9][0-9A-Za-z_]*)?/.exec(src.slice(pos, pos + 64))!;
      pos += match[0].length;
      push({ kind: "number", text: match[0], start, end: pos });
      continue;
    }
    if (c === '"' || c === "`") {
      stringToken(start, pos + 1, scanDelimited(pos + 1, null, c, true), c === '"' ? '"' : "other");
      continue;
    }
    if (c === "'") {
      stringToken(start, pos + 1, scanDelimited(pos + 1, null, "'", false), "'");
      continue;
    }
    if (c === ":" && src[pos + 1] !== ":" && isIdentStart(src[pos + 1])) {
      pos++;
      while (isIdentChar(src[pos])) pos++;
      if (src[pos] === "?" || src[pos] === "!" || src[pos] === "=") pos++;
      push({ kind: "symbol", text: src.slice(start, pos), start, end: pos });
      continue;
    }
    if (c === "%" && operandExpected(pos, 1)) {
      const match = /^%([qQwWiIrsx]?)([^A-Za-z0-9\s])/.exec(src.slice(pos, pos + 3));
      if (match && !(match[1] === "" && match[2] === "=")) {
        const [, type, open] = match as unknown as [string, string, string];
        const close = PAIRS[open] ?? open;
        const contentStart = pos + match[0].length;
        const interpolates = type === "" || /[QWIrx]/.test(type);
        const end = scanDelimited(contentStart, PAIRS[open] ? open : null, close, interpolates);
        stringToken(start, contentStart, end, "other", type === "r" ? 1 : 0);
        continue;
      }
    }
    if (c === "/" && operandExpected(pos, 1)) {
      stringToken(start, pos + 1, scanRegexp(pos + 1), "other", 1);
      continue;
    }
    if (c === "?" && operandExpected(pos, 1)) {
      const match = /^\?(\\(?:u\{[0-9A-Fa-f ]+\}|u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{1,2}|.)|[^\s\\])/.exec(
        src.slice(pos, pos + 16),
      );
      if (match && !isIdentChar(src[pos + match[0].length])) {
        pos += match[0].length;
        push({
          kind: "string",
          text: match[0],
          start,
          end: pos,
          quote: "other",
          contentStart: start + 1,
          contentEnd: pos,
        });
        continue;
      }
    }
    if (c === "<" && src[pos + 1] === "<" && operandExpected(pos, 2)) {
      const match = /^<<([~-]?)(["'`]?)([A-Za-z_][A-Za-z0-9_]*)\2/.exec(src.slice(pos, pos + 256));
      if (match && (match[1] !== "" || match[2] !== "" || /^[A-Z]/.test(match[3]!))) {
        pos += match[0].length;
        push({ kind: "string", text: match[0], start, end: pos, quote: "other" });
        heredocs.push({ token: tokens.at(-1)!, id: match[3]!, indented: match[1] !== "" });
        continue;
      }
    }
    const op = OPERATORS.find((candidate) => src.startsWith(candidate, pos)) ?? c;
    pos += op.length;
    push({ kind: "punct", text: op, start, end: pos });
  }
  if (heredocs.length > 0) readHeredocBodies();
  return { tokens, errors };

  /** Index of the regexp's closing `/`: a `/` inside a character class or escaped does not close it. */
  function scanRegexp(from: number): number {
    let i = from;
    let inClass = false;
    while (i < n) {
      const c = src[i]!;
      if (c === "\\") i += 2;
      else if (c === "#" && src[i + 1] === "{") {
        i = skipInterpolation(i + 2);
        if (i < 0) return -1;
      } else {
        if (c === "[") inClass = true;
        else if (c === "]") inClass = false;
        else if (c === "/" && !inClass) return i;
        i++;
      }
    }
    return -1;
  }
}
