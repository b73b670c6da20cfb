// Secret redaction applied to every string before it reaches a log, the ledger, a blocker or a report:
// registered secrets (secret-named env vars, a gate's `env:` values) and well-known token shapes.

export const REDACTED = "[REDACTED]";
/** Values shorter than this are too likely to collide with ordinary words ("1", "true") to redact safely. */
export const MIN_SECRET_LENGTH = 6;
// Below this length a secret's base64 core is too short to be told apart from random base64.
const MIN_BASE64_SECRET_LENGTH = 8;
/** A stream holds at most this much of an unfinished line before it redacts and emits a prefix. */
export const MAX_PENDING = 64 * 1024;
/**
 * What a stream keeps unemitted at the end of an overlong line: longer than any shape needs to be
 * recognised (and than any registered secret, see `overlap`), so nothing is judged on half a token.
 */
export const STREAM_OVERLAP = 16 * 1024;
// Once a long line has been cut, it is scanned again only after this much more arrived: tiny writes
// to a long line would otherwise rescan the whole held tail each time.
const RESCAN_GROWTH = 16 * 1024;
// Matches up to this long are scanned again from their second character, so a secret that starts
// inside one match and runs past its end is found too; longer ones (key blocks, header lines) are not,
// which keeps a pathological line linear.
const RESCAN_INSIDE = 1024;

/** Characters token bodies are made of (`A-Za-z0-9_-.+/=%`): a stream does not cut inside a run of them. */
function isTokenChar(code: number): boolean {
  return (
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x61 && code <= 0x7a) || // a-z
    (code >= 0x2b && code <= 0x39) || // + , - . / 0-9 (the comma is harmless)
    code === 0x5f || // _
    code === 0x3d || // =
    code === 0x25 // %
  );
}

function isBase64UrlChar(code: number): boolean {
  return (
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x5f ||
    code === 0x2d
  );
}

/** End of the base64url run starting at `from`. */
function base64UrlRun(text: string, from: number): number {
  let at = from;
  while (at < text.length && isBase64UrlChar(text.charCodeAt(at))) at++;
  return at;
}

// A JWT segment shorter than this is not taken for one (`eyJhbGciOi.x.y` is too little to be a token).
const JWT_MIN_SEGMENT = 10;

/**
 * JWTs: `eyJ` + header, `.`, payload, `.`, signature (possibly empty). Linear however many `eyJ` a run
 * holds: every candidate inside a run that failed fails the same way, so the run is skipped whole.
 */
function findJwts(text: string): SecretMatch[] {
  const found: SecretMatch[] = [];
  let at = text.indexOf("eyJ");
  while (at >= 0) {
    const headerEnd = base64UrlRun(text, at + 3);
    if (headerEnd - at - 3 < JWT_MIN_SEGMENT || text.charCodeAt(headerEnd) !== 0x2e) {
      at = text.indexOf("eyJ", headerEnd);
      continue;
    }
    const payloadEnd = base64UrlRun(text, headerEnd + 1);
    if (payloadEnd - headerEnd - 1 < JWT_MIN_SEGMENT || text.charCodeAt(payloadEnd) !== 0x2e) {
      // Later starts in this header run fail the same way; the payload may hold a JWT of its own.
      at = text.indexOf("eyJ", headerEnd + 1);
      continue;
    }
    const end = base64UrlRun(text, payloadEnd + 1);
    found.push({ start: at, from: at, end, shape: JWT, openKey: false });
    at = text.indexOf("eyJ", end);
  }
  return found;
}

/** Case-insensitive regex source for a word, without the `i` flag (the token shapes are case-sensitive). */
function ci(word: string): string {
  return word.replace(/[a-z]/gi, (c) => `[${c.toUpperCase()}${c.toLowerCase()}]`);
}

/**
 * A shape: `keep` is context left visible (a header name, `_authToken=`), `body` is replaced by
 * REDACTED, `rest` is the character class a body continues with (how much of an overlong body arriving
 * later must still be dropped). Sources use no capturing groups: the combined regex numbers its own.
 */
interface Shape {
  name: string;
  keep: string;
  body: string;
  rest: string;
}

// `Authorization`, `aws_secret_access_key` and friends, then `:`/`=`, in every quoting: plain header,
// JSON (`"k": "v"`), Python dicts (`'k': 'v'`), escaped JSON (`\"k\":\"v\"`), URL-encoded (`%3A`, `%22`).
// URL-encoded only as a whole: a raw space before `%3D` is not an assignment.
const SEP = String.raw`(?:(?:\\{0,3}["'])?[ \t]{0,8}[:=]|(?:%2[27])?%3[AaDd])(?:[ \t]|%20){0,8}(?:\\{0,3}["']|%2[27])?(?:[ \t]|%20){0,8}`;
const SCHEMES = ["bearer", "basic", "token", "digest", "negotiate", "ntlm", "bot", "oauth", "jwt", "apikey"]
  .map(ci)
  .join("|");
const KEY_BLOCK_BEGIN = "-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----";
const KEY_BLOCK_END = "-----END[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----";
const KEY_END = new RegExp(KEY_BLOCK_END, "g");
const KEY_CLOSED = new RegExp(`${KEY_BLOCK_END}$`);
// How much of a private-key body is kept while waiting for its END line: an END marker split across writes.
const KEY_END_KEEP = 80;
const SLASH = String.raw`(?:\\?\/|%2[Ff])`;
// A backslash only as part of a JSON-escaped slash: eating the one before a closing `\"` breaks the JSON.
const WEBHOOK_BODY = String.raw`(?:[A-Za-z0-9_\-%]|\\?\/){8,}`;

// Shapes need no word boundary on their left: a token glued to a letter, a digit or `%3D` is still a token.
const SHAPES: Shape[] = [
  {
    name: "private key block",
    keep: "",
    body: `${KEY_BLOCK_BEGIN}[\\s\\S]*?(?:${KEY_BLOCK_END}|$)`,
    rest: "",
  },
  {
    name: "Authorization header",
    keep: `${ci("authorization")}${SEP}(?:(?:${SCHEMES})(?:[ \\t]|%20)+)?`,
    // The value runs to its closing quote or the end of the line: schemes like Digest carry several parts.
    body: String.raw`[^"'\\\r\n]+`,
    rest: String.raw`[^"'\\\r\n]`,
  },
  {
    name: "AWS secret key",
    keep: `(?:(?:${ci("aws")}_?)?${ci("secret")}_?(?:${ci("access")}_?)?${ci("key")}|${ci("aws")}_?${ci("session")}_?${ci("token")})${SEP}`,
    body: String.raw`(?:[A-Za-z0-9\/+=]|\\\/|%2[BbFf]|%3[Dd]){16,}`,
    rest: String.raw`[A-Za-z0-9\/+=%]`,
  },
  {
    name: "npm auth setting",
    keep: `(?:${ci("_authToken")}|${ci("_auth")}(?![A-Za-z])|${ci("_password")})[ \\t]*=[ \\t]*(?:\\\\{0,3}["'])?`,
    body: String.raw`[^\s"'\\]+`,
    rest: String.raw`[^\s"'\\]`,
  },
  {
    name: "URL credentials",
    keep: String.raw`\\?\/\\?\/[^\/\s:@"'<>\\]{0,256}:`,
    body: String.raw`[^@\s\/"'<>]{1,1024}(?=@)`,
    rest: String.raw`[^@\s\/"'<>]`,
  },
  { name: "GitHub token", keep: "", body: "gh[pousr]_[A-Za-z0-9]{20,}", rest: "[A-Za-z0-9]" },
  { name: "GitHub fine-grained token", keep: "", body: "github_pat_[A-Za-z0-9_]{20,}", rest: "[A-Za-z0-9_]" },
  { name: "npm token", keep: "", body: "npm_[A-Za-z0-9]{30,}", rest: "[A-Za-z0-9]" },
  { name: "PyPI token", keep: "", body: "pypi-[A-Za-z0-9_-]{20,}", rest: "[A-Za-z0-9_-]" },
  // 32 characters, or more when something is glued on the right: a token may sit in front of any text, and
  // hiding a 35-character identifier that happens to start with `cio` costs nothing (fail closed).
  { name: "crates.io token", keep: "", body: "cio[A-Za-z0-9]{32,}", rest: "[A-Za-z0-9]" },
  { name: "AWS access key id", keep: "", body: "(?:AKIA|ASIA)[A-Z0-9]{16}", rest: "[A-Z0-9]" },
  {
    name: "Slack token",
    keep: "",
    body: "(?:xox[abeoprs]|xapp-[0-9])-[A-Za-z0-9-]{10,}",
    rest: "[A-Za-z0-9-]",
  },
  {
    name: "Slack webhook",
    keep: String.raw`hooks\.slack\.com${SLASH}(?:services|workflows|triggers)${SLASH}`,
    body: WEBHOOK_BODY,
    rest: String.raw`[A-Za-z0-9_\-\/%]`,
  },
  {
    name: "Discord webhook",
    keep: String.raw`discord(?:app)?\.com${SLASH}api${SLASH}webhooks${SLASH}`,
    body: WEBHOOK_BODY,
    rest: String.raw`[A-Za-z0-9_\-\/%]`,
  },
  {
    name: "GitLab token",
    keep: "",
    body: "gl(?:pat|dt|rt|ptt|ft|soat|cbt)-[A-Za-z0-9_-]{20,}",
    rest: "[A-Za-z0-9_-]",
  },
  {
    name: "Stripe key",
    keep: "",
    body: "(?:[sr]k_(?:live|test)|whsec)_[A-Za-z0-9]{16,}",
    rest: "[A-Za-z0-9]",
  },
  { name: "Google API key", keep: "", body: "AIza[0-9A-Za-z_-]{35}", rest: "[0-9A-Za-z_-]" },
  {
    name: "Anthropic key",
    keep: "",
    body: "sk-ant-[a-z]{2,8}[0-9]{2}-[A-Za-z0-9_-]{20,}",
    rest: "[A-Za-z0-9_-]",
  },
  { name: "Hugging Face token", keep: "", body: "hf_[A-Za-z0-9]{34,}", rest: "[A-Za-z0-9]" },
  { name: "Docker Hub token", keep: "", body: "dckr_pat_[A-Za-z0-9_-]{20,}", rest: "[A-Za-z0-9_-]" },
];
// JWTs (three base64url segments, the first starting `eyJ`) are found by findJwts, not by a regex: a line
// that is one long run with `eyJ` every few characters made any regex for them quadratic.
const JWT: Shape = { name: "JWT", keep: "", body: "", rest: "[A-Za-z0-9_.-]" };
/** The shape names, for documentation and tests. */
export const SHAPE_NAMES: readonly string[] = [...SHAPES, JWT].map((s) => s.name);

// --- Secret-looking environment variable names --------------------------------------------------------
// A name is split into words (`_`, `-`, `.`, camelCase). A strong word makes the name secret wherever it
// stands (GITHUB_TOKEN, TOKEN_FILE, DBPASSWORD). A weak word counts only as the last word or before a word
// naming the value itself (SSH_KEY, AWS_ACCESS_KEY_ID, BASIC_AUTH, SESSION_ID): KEY_PATH, AUTH_URL,
// COOKIE_DOMAIN, PRIVATE_REGISTRY_URL hold paths and URLs, which would otherwise be blanked wherever
// they appear. Whole words only: KEYBOARD, AUTHOR(S), TOKENIZERS, ASKPASS, PATH are not secret. A few
// well-known non-secrets are named outright (PWD is the working directory, DESKTOP_SESSION a desktop
// name, XDG_* session bookkeeping).
const STRONG_WORD = /^(?:[A-Z0-9]*(?:TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|APIKEY)S?|PASS|PWD|PAT|DSN)$/;
const WEAK_WORD =
  /^(?:[A-Z0-9]*(?:KEY|AUTH|CREDENTIAL|COOKIE)S?|CREDS?|AUTHORIZATION|AUTHZ|AUTHN|SESSION|SESSIONID|PRIVATE)$/;
const VALUE_WORDS = new Set([
  "ID",
  "VALUE",
  "DATA",
  "STRING",
  "HEADER",
  "B64",
  "BASE64",
  "JSON",
  "PEM",
  "RAW",
]);
const NOT_SECRET_NAME = /^(?:PWD|OLDPWD|DESKTOP_SESSION|SSH_AUTH_SOCK|XDG_.*)$/i;

/** Whether an environment variable's value is treated as a secret, judged by its name. */
export function isSecretName(name: string): boolean {
  if (NOT_SECRET_NAME.test(name)) return false;
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((w) => w !== "");
  return words.some((word, i) => {
    if (STRONG_WORD.test(word)) return true;
    if (!WEAK_WORD.test(word)) return false;
    const next = words[i + 1];
    return next === undefined || VALUE_WORDS.has(next);
  });
}

// --- Registered secrets -------------------------------------------------------------------------------

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

/**
 * An alternation of literals factored by common prefixes (a trie): V8 tries alternatives one by one at
 * every position, so sharing first characters roughly halves the cost with dozens of secrets. A literal
 * that is a prefix of another comes after it, so the longer one wins.
 */
function literalTrie(literals: string[]): string {
  const groups = new Map<string, string[]>();
  let withEmpty = false;
  for (const literal of literals) {
    if (literal === "") withEmpty = true;
    else {
      const first = literal.charAt(0);
      const group = groups.get(first);
      if (group) group.push(literal);
      else groups.set(first, [literal]);
    }
  }
  const alternatives = [...groups.values()].map((group) => {
    if (group.length === 1) return escapeRegex(group[0] as string);
    let common = group[0] as string;
    for (const literal of group) while (!literal.startsWith(common)) common = common.slice(0, -1);
    return `${escapeRegex(common)}(?:${literalTrie(group.map((l) => l.slice(common.length)))})`;
  });
  if (withEmpty) alternatives.push("");
  return alternatives.join("|");
}

/** The base64 characters fixed by `secret` alone at each of the three byte alignments, both alphabets. */
function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  const cores: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64");
    // Character j carries bits [6j, 6j+6); keep those lying wholly inside the secret's bytes.
    const core = encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6));
    cores.push(core, core.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return cores;
}

/**
 * Every spelling of a secret that is matched literally: as is, each of its lines (a multi-line value is
 * never seen whole by a line-by-line stream), URL-encoded (upper and lower hex, `+` for spaces, `/` kept),
 * JSON-escaped (once and twice), and base64-encoded at any alignment from MIN_BASE64_SECRET_LENGTH
 * characters on (what `Authorization: Basic`, docker's config.json and Kubernetes secrets carry).
 */
export function secretSpellings(secret: string): string[] {
  const out = new Set<string>();
  const add = (v: string) => {
    if (v.length >= MIN_SECRET_LENGTH) out.add(v);
  };
  add(secret);
  for (const line of secret.split(/\r?\n/)) {
    add(line);
    add(line.trim());
  }
  const component = encodeURIComponent(secret);
  const strict = component.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  for (const encoded of [component, strict, strict.replace(/%2F/g, "/")]) {
    for (const v of [encoded, encoded.replace(/%20/g, "+")]) {
      add(v);
      add(v.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()));
    }
  }
  const json = JSON.stringify(secret).slice(1, -1);
  add(json);
  // JSON inside JSON (a logged request body) escapes the escapes once more.
  add(JSON.stringify(json).slice(1, -1));
  if (secret.length >= MIN_BASE64_SECRET_LENGTH) for (const core of base64Cores(secret)) add(core);
  return [...out];
}

// --- Matching -----------------------------------------------------------------------------------------

/** One match: `[start, end)` in the text, of which `[from, end)` is replaced. */
export interface SecretMatch {
  start: number;
  /** Where the redacted part begins (after the kept context). */
  from: number;
  end: number;
  shape: Shape;
  /** A private-key block whose END line has not been seen. */
  openKey: boolean;
}

interface Compiled {
  /** The registered secrets' spellings, or undefined when there are none. */
  literals: RegExp | undefined;
  /** Spellings too long for a regex (a whole key file in a variable): found with indexOf. */
  longLiterals: string[];
  /** All shapes in one regex, one capturing group per shape around its kept context. */
  shapes: RegExp;
  overlap: number;
  /** Strings `redactDeep` has found free of secrets under these rules (see there). */
  clean: Set<string>;
}

// The clean-string memo's bounds: short strings only (they are the many), and a fresh set when full.
const CLEAN_MAX_LENGTH = 4096;
const CLEAN_MAX_ENTRIES = 20_000;

// Every shape in one regex: V8 scans once for all of them. Registered secrets get a regex of their own:
// inside the shapes' alternation they slowed every position down several times more than on their own.
const SHAPES_REGEX = new RegExp(SHAPES.map((s) => `(${s.keep})(?:${s.body})`).join("|"), "g");
// Longer spellings are searched with indexOf: V8 refuses a regex of a few hundred kilobytes.
const LONG_LITERAL = 256;
const LITERAL_SHAPE: Shape = { name: "registered secret", keep: "", body: "", rest: "" };

export class Redactor {
  private readonly values: string[];
  private compiled: Compiled | undefined;

  constructor(env: NodeJS.ProcessEnv = process.env, extra: string[] = []) {
    const fromEnv = Object.entries(env)
      .filter(([name, value]) => isSecretName(name) && typeof value === "string")
      .map(([, value]) => value as string);
    // Longest first so that a secret containing another is replaced whole.
    this.values = [...new Set([...fromEnv, ...extra])]
      .filter((v) => v.length >= MIN_SECRET_LENGTH)
      .sort((a, b) => b.length - a.length);
  }

  /** Adds a secret learned at run time (e.g. a token read from `gh auth token`). */
  add(secret: string): void {
    this.registerSecrets([secret]);
  }

  /**
   * Registers values to redact wherever they appear, whatever their shape (a gate's `env:` values).
   * Values shorter than MIN_SECRET_LENGTH are ignored: redacting "true" or "1" would mangle every log.
   */
  registerSecrets(values: readonly string[]): void {
    let changed = false;
    for (const value of values) {
      if (typeof value !== "string" || value.length < MIN_SECRET_LENGTH || this.values.includes(value))
        continue;
      this.values.push(value);
      changed = true;
    }
    if (!changed) return;
    this.values.sort((a, b) => b.length - a.length);
    this.compiled = undefined;
  }

  /**
   * Changes whenever the rules do (a secret is registered): text redacted under an earlier value may
   * hold the new secret and needs redacting again.
   */
  get rulesVersion(): object {
    return this.compile();
  }

  /** How many registered secrets there are (not their values). */
  get secretCount(): number {
    return this.values.length;
  }

  private compile(): Compiled {
    if (this.compiled) return this.compiled;
    const spellings = [...new Set(this.values.flatMap(secretSpellings))].sort((a, b) => b.length - a.length);
    const longest = spellings[0]?.length ?? 0;
    const short = spellings.filter((v) => v.length <= LONG_LITERAL);
    let literals: RegExp | undefined;
    let longLiterals = spellings.filter((v) => v.length > LONG_LITERAL);
    try {
      if (short.length > 0) literals = new RegExp(literalTrie(short), "g");
    } catch {
      // A SyntaxError would quote every secret in its message: never let it out; search them one by one.
      longLiterals = spellings;
    }
    this.compiled = {
      literals,
      longLiterals,
      shapes: SHAPES_REGEX,
      overlap: Math.max(STREAM_OVERLAP, 2 * longest + 64),
      clean: new Set(),
    };
    return this.compiled;
  }

  /** How much of an overlong line a stream keeps back: more than the longest shape or secret spelling. */
  overlap(): number {
    return this.compile().overlap;
  }

  /** Every match in `text`, ordered by start; matches may overlap (see RESCAN_INSIDE). */
  scan(text: string): SecretMatch[] {
    const { literals, longLiterals, shapes } = this.compile();
    const lists = [collect(shapes, text, false), findJwts(text)];
    if (literals) lists.push(collect(literals, text, true));
    for (const literal of longLiterals) {
      const found: SecretMatch[] = [];
      for (let at = text.indexOf(literal); at >= 0; at = text.indexOf(literal, at + 1))
        found.push({ start: at, from: at, end: at + literal.length, shape: LITERAL_SHAPE, openKey: false });
      lists.push(found);
    }
    const nonEmpty = lists.filter((l) => l.length > 0);
    if (nonEmpty.length <= 1) return nonEmpty[0] ?? [];
    return nonEmpty.flat().sort((x, y) => x.start - y.start);
  }

  redact(text: string): string {
    if (text === "") return text;
    const matches = this.scan(text);
    return matches.length === 0 ? text : render(text, matches, text.length);
  }

  /** Redacts every string inside a JSON-like value, object keys included. */
  redactDeep<T>(value: T): T {
    if (typeof value === "string") return this.redactRemembering(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.redactDeep(v)) as T;
    if (value !== null && typeof value === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[this.redactRemembering(k)] = this.redactDeep(v);
      return out as T;
    }
    return value;
  }

  /**
   * `redact`, remembering the strings it left unchanged. Every ledger write redacts the whole ledger,
   * and all but the newest of its strings were found clean by the write before: scanning them again
   * was most of a write's cost. The memo belongs to the compiled rules, so a newly registered secret
   * starts it afresh and every string is scanned for it.
   */
  private redactRemembering(text: string): string {
    const { clean } = this.compile();
    if (clean.has(text)) return text;
    const out = this.redact(text);
    if (out === text && text.length <= CLEAN_MAX_LENGTH) {
      if (clean.size >= CLEAN_MAX_ENTRIES) clean.clear();
      clean.add(text);
    }
    return out;
  }

  /** A stateful redactor for output arriving in pieces (see RedactStream). */
  stream(): RedactStream {
    return new RedactStream(this);
  }
}

/** Every match of `regex` in `text`; for the shapes regex, the capturing group that took part names the shape. */
function collect(regex: RegExp, text: string, literal: boolean): SecretMatch[] {
  const matches: SecretMatch[] = [];
  regex.lastIndex = 0;
  for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (literal) matches.push({ start, from: start, end, shape: LITERAL_SHAPE, openKey: false });
    else {
      let group = 1;
      while (m[group] === undefined) group++;
      const shape = SHAPES[group - 1] as Shape;
      const openKey = shape === SHAPES[0] && !KEY_CLOSED.test(m[0]);
      matches.push({ start, from: start + (m[group] as string).length, end, shape, openKey });
    }
    regex.lastIndex = end - start <= RESCAN_INSIDE ? start + 1 : end;
  }
  return matches;
}

/** `text[0, limit)` with every match starting before `limit` replaced; overlapping matches merge. */
function render(text: string, matches: SecretMatch[], limit: number): string {
  const ranges = matches
    .filter((m) => m.start < limit)
    .map((m) => [m.from, Math.min(m.end, limit)] as const)
    .sort((a, b) => a[0] - b[0]);
  let out = "";
  let pos = 0;
  let cutFrom = -1;
  let cutTo = -1;
  for (const [from, to] of ranges) {
    if (from <= cutTo) {
      cutTo = Math.max(cutTo, to);
      continue;
    }
    if (cutTo >= 0) {
      out += text.slice(pos, cutFrom) + REDACTED;
      pos = cutTo;
    }
    cutFrom = from;
    cutTo = to;
  }
  if (cutTo >= 0) {
    out += text.slice(pos, cutFrom) + REDACTED;
    pos = cutTo;
  }
  return out + text.slice(pos, limit);
}

/**
 * Redacts output that arrives in arbitrary pieces (a child's stdout): whole lines are redacted and
 * emitted as they complete; a line longer than MAX_PENDING is emitted in prefixes, always holding back
 * `overlap()` characters, any match that reaches into them and any token-character run crossing the cut,
 * so a token is never judged or emitted by halves. A private-key block hides every line up to its END
 * line (an unterminated block hides the rest of the stream). A match reaching back further than a stream
 * holds (overlap + MAX_PENDING) is replaced at once and its continuation dropped as it arrives; a
 * token-character run that long is cut anyway (a JWT or unknown token over 64 KB is not protected).
 */
export class RedactStream {
  private pending = "";
  /** Index of the last newline in `pending`, or -1. */
  private lastNewline = -1;
  private inKey = false;
  private swallow: RegExp | undefined;
  private scanAt = MAX_PENDING;

  constructor(private readonly owner: Redactor) {}

  /** Feeds raw text; returns the redacted text that is safe to emit now. */
  write(chunk: string): string {
    if (chunk === "") return "";
    // Joining the held partial line to the whole chunk would copy the chunk (a costly large string when it
    // holds non-ASCII text); join it to the chunk's first line only, and scan the rest where it lies.
    const first = this.pending === "" ? -1 : chunk.indexOf("\n");
    if (first >= 0 && first < chunk.length - 1)
      return this.feed(chunk.slice(0, first + 1)) + this.feed(chunk.slice(first + 1));
    return this.feed(chunk);
  }

  private feed(chunk: string): string {
    const newline = chunk.lastIndexOf("\n");
    if (newline >= 0) this.lastNewline = this.pending.length + newline;
    this.pending += chunk;
    return this.drain(false);
  }

  /** Emits everything held, redacted; a private-key block or overlong token still open stays open. */
  flush(): string {
    return this.drain(true);
  }

  /** Emits everything held, redacted, and forgets all state (the stream is finished). */
  end(): string {
    const out = this.drain(true);
    this.inKey = false;
    this.swallow = undefined;
    return out;
  }

  private consume(count: number): string {
    const taken = this.pending.slice(0, count);
    this.pending = this.pending.slice(count);
    this.lastNewline = this.lastNewline >= count ? this.lastNewline - count : -1;
    return taken;
  }

  private drain(final: boolean): string {
    let out = "";
    for (;;) {
      if (this.swallow) {
        this.swallow.lastIndex = 0;
        this.consume(this.swallow.exec(this.pending)?.[0].length ?? 0);
        // All of it was the token's continuation: the next write may carry more of it.
        if (this.pending === "") return out;
        this.swallow = undefined;
      }
      if (this.inKey) {
        KEY_END.lastIndex = 0;
        const end = KEY_END.exec(this.pending);
        if (!end) {
          // Still inside the key: drop its body, keeping what could be the start of a split END line.
          this.consume(final ? this.pending.length : Math.max(0, this.pending.length - KEY_END_KEEP));
          return out;
        }
        this.consume(end.index + end[0].length);
        this.inKey = false;
      }
      const lineEnd = final ? this.pending.length : this.lastNewline + 1;
      if (lineEnd > 0) {
        const region = this.consume(lineEnd);
        const matches = this.owner.scan(region);
        out += matches.length === 0 ? region : render(region, matches, region.length);
        this.scanAt = MAX_PENDING;
        if (matches.some((m) => m.openKey)) {
          this.inKey = true;
          continue;
        }
      }
      if (!final && this.pending.length >= this.scanAt) out += this.longLine();
      return out;
    }
  }

  /** Emits the safe prefix of an overlong unfinished line (see the class comment). */
  private longLine(): string {
    const text = this.pending;
    const overlap = this.owner.overlap();
    let cut = text.length - overlap;
    if (cut <= 0) {
      this.scanAt = text.length + RESCAN_GROWTH;
      return "";
    }
    // The most a stream holds: the overlap and one run or match reaching back across the cut.
    const holdLimit = text.length - overlap - MAX_PENDING;
    const matches = this.owner.scan(text);
    // Not inside a run of token characters, unless the run is too long to hold.
    if (isTokenChar(text.charCodeAt(cut))) {
      let run = cut;
      while (run > 0 && run >= holdLimit && isTokenChar(text.charCodeAt(run - 1))) run--;
      if (run >= holdLimit) cut = run;
    }
    // Not between two halves of a surrogate pair.
    const code = text.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut--;
    // Not inside or at the edge of a match: it might still grow, or be judged differently whole.
    for (let i = matches.length - 1; i >= 0; i--) {
      const m = matches[i] as SecretMatch;
      if (m.start < cut && m.end >= cut) cut = m.start;
    }
    if (cut < holdLimit) return this.overlong(text, matches, cut);
    if (cut <= 0) {
      this.scanAt = text.length + RESCAN_GROWTH;
      return "";
    }
    const out = render(text, matches, cut);
    this.consume(cut);
    this.scanAt = Math.max(MAX_PENDING, this.pending.length + RESCAN_GROWTH);
    return out;
  }

  /** A match starting at `cut` reaches back further than a stream holds. */
  private overlong(text: string, matches: SecretMatch[], cut: number): string {
    // The cluster of overlapping matches from `cut`: if it ends before the text does, it is complete.
    let clusterEnd = cut;
    let last: SecretMatch | undefined;
    for (const m of matches) {
      if (m.start < cut || m.start > clusterEnd) continue;
      if (m.end >= clusterEnd) {
        clusterEnd = m.end;
        last = m;
      }
    }
    if (clusterEnd < text.length) {
      const out = render(text, matches, clusterEnd);
      this.consume(clusterEnd);
      this.scanAt = Math.max(MAX_PENDING, this.pending.length + RESCAN_GROWTH);
      return out;
    }
    // Still growing: replace it now and drop its continuation as it arrives.
    const out = render(text, matches, text.length);
    this.consume(text.length);
    this.scanAt = MAX_PENDING;
    if (last?.openKey) {
      this.inKey = true;
      this.pending = text.slice(-KEY_END_KEEP);
      this.lastNewline = this.pending.lastIndexOf("\n");
    } else if (last?.shape.rest) this.swallow = new RegExp(`${last.shape.rest}*`, "y");
    return out;
  }
}

let shared: Redactor | undefined;
/** The process-wide redactor built from the environment at first use. */
export function redactor(): Redactor {
  shared ??= new Redactor();
  return shared;
}

/** Forgets the process-wide redactor, so the next use rebuilds it from the (changed) environment. */
export function resetRedactor(): void {
  shared = undefined;
}
export function redact(text: string): string {
  return redactor().redact(text);
}
/** Registers values (e.g. every value of a gate's `env:`) with the process-wide redactor. */
export function registerSecrets(values: readonly string[]): void {
  redactor().registerSecrets(values);
}
