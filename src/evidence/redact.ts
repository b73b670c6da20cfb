// Secret redaction applied to every string before it reaches a log, the ledger, a blocker or a report.
const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|KEY|AUTH|CREDENTIAL/i;
// Values shorter than this are too likely to collide with ordinary words ("1", "true") to redact safely.
const MIN_SECRET_LENGTH = 6;

// Well-known token shapes, redacted wherever they appear even if no env var holds them.
const TOKEN_PATTERNS: RegExp[] = [
  /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g, // GitHub classic tokens (ghp_, gho_, ghu_, ghs_, ghr_)
  /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g, // GitHub fine-grained tokens
  /\bnpm_[A-Za-z0-9]{30,}\b/g, // npm automation/publish tokens
  /\bpypi-[A-Za-z0-9_-]{20,}/g, // PyPI API tokens (macaroons)
  /\bcio[A-Za-z0-9]{28,}\b/g, // crates.io API tokens
  /(Authorization:\s*)(?:Bearer|token|Basic)?\s*[^\s"']+/gi, // HTTP Authorization headers
  /(\/\/[^/\s:@]+:)[^@\s/]+(?=@)/g, // credentials embedded in URLs: //user:secret@host
  /(_authToken=)\S+/g, // .npmrc auth lines
];

export const REDACTED = "[REDACTED]";

export class Redactor {
  private readonly values: string[];

  constructor(env: NodeJS.ProcessEnv = process.env, extra: string[] = []) {
    const fromEnv = Object.entries(env)
      .filter(([name, value]) => SECRET_NAME.test(name) && typeof value === "string")
      .map(([, value]) => value as string);
    // Longest first so that a secret containing another is replaced whole.
    this.values = [...new Set([...fromEnv, ...extra])]
      .filter((v) => v.length >= MIN_SECRET_LENGTH)
      .sort((a, b) => b.length - a.length);
  }

  /** Adds a secret learned at run time (e.g. a token read from `gh auth token`). */
  add(secret: string): void {
    if (secret.length >= MIN_SECRET_LENGTH && !this.values.includes(secret)) {
      this.values.push(secret);
      this.values.sort((a, b) => b.length - a.length);
    }
  }

  redact(text: string): string {
    let out = text;
    for (const value of this.values) out = out.split(value).join(REDACTED);
    for (const pattern of TOKEN_PATTERNS) {
      out = out.replace(pattern, (_match, prefix?: unknown) =>
        typeof prefix === "string" ? `${prefix}${REDACTED}` : REDACTED,
      );
    }
    return out;
  }

  /** Redacts every string inside a JSON-like value. */
  redactDeep<T>(value: T): T {
    if (typeof value === "string") return this.redact(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.redactDeep(v)) as T;
    if (value !== null && typeof value === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.redactDeep(v);
      return out as T;
    }
    return value;
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
