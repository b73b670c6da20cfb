// Secret redaction: the leak matrix (every token shape × every channel reachable at this level: whole
// strings, line-by-line and arbitrarily split streams, long lines, neighbours glued on, JSON, nested
// values), registered secrets and their encodings, secret-looking names, overlong tokens, linear time.
// Every planted secret is generated at test time from a seeded generator: nothing realistic is committed.
import { describe, expect, it } from "vitest";
import {
  isSecretName,
  MAX_PENDING,
  REDACTED,
  Redactor,
  redact,
  registerSecrets,
  SHAPE_NAMES,
  secretSpellings,
} from "../../src/evidence/redact.js";

// --- Generation -----------------------------------------------------------------------------------------

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS = "0123456789";
const ALNUM = `${UPPER}${UPPER.toLowerCase()}${DIGITS}`;
const B64 = `${ALNUM}+/`;
const B64URL = `${ALNUM}-_`;
const HEX = "0123456789abcdef";

/** A small seeded generator (mulberry32): a failing case reproduces. */
class Gen {
  constructor(private seed: number) {}
  next(): number {
    this.seed = (this.seed + 0x6d2b79f5) | 0;
    let t = this.seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)] as T;
  }
  str(length: number, alphabet: string): string {
    let out = "";
    for (let i = 0; i < length; i++) out += alphabet[this.int(0, alphabet.length - 1)];
    return out;
  }
}

// Ordinary text around the secrets, with the words a careless redactor would eat.
const WORDS = [
  "token",
  "key:",
  "password:",
  "secret",
  "Bearer",
  "Basic",
  // Not "authorization" bare: a neighbour glued on (`=`, `:`) would make it a real assignment.
  "authorization.",
  "required",
  "KEYBOARD",
  "AUTHOR",
  "aws",
  "cio",
  "eyJ",
  "ghp",
  "npm",
  "pypi",
  "xoxb",
  "AKIA",
  "AIza",
  "sk_live",
  "glpat",
  "build",
  "ok",
  "warning:",
  "error",
  "src/index.ts:12:7",
  "v1.2.3",
  "dev@example.invalid",
  "@scope/pkg@1.2.3",
  "https://example.invalid:8443/a/b?q=1",
  '{"a":1,"b":[2,3]}',
  "a=b",
  "(x)",
  "100%",
];

/** Exactly `length` characters of whole words (dots pad the end, never a cut word), ending in a space. */
function filler(g: Gen, length: number): string {
  let out = "";
  for (;;) {
    const word = g.pick(WORDS);
    if (out.length + word.length + 1 > length) break;
    out += `${word} `;
  }
  return out + (out.length < length ? `${".".repeat(length - out.length - 1)} ` : "");
}

/** A secret planted in output: how it appears, what it must become, and the parts that must never show. */
interface Plant {
  shape: string;
  text: string;
  expected: string;
  secrets: string[];
  /** Redacted to the end of its line (unquoted header values): nothing may follow it on the line. */
  eol?: boolean;
  /** A neighbour glued on the right would be taken as part of the value (redacted too, never leaked). */
  greedyRight?: boolean;
}

function keyBlock(g: Gen, label: string): { text: string; body: string[] } {
  const body = Array.from({ length: 6 }, () => g.str(64, B64));
  body.push(`${g.str(20, B64)}==`);
  const kind = `${label}PRIVATE KEY`;
  return { text: `-----BEGIN ${kind}-----\n${body.join("\n")}\n-----END ${kind}-----`, body };
}

/** Registered secrets the plants below use: one from a secret-named env var, one registered by the caller. */
interface Registered {
  envSecret: string;
  gateValue: string;
}

function registered(g: Gen): Registered {
  // Symbols included so the URL-encoded and JSON-escaped spellings differ from the value itself.
  return {
    envSecret: `${g.str(10, ALNUM)}"/:\\ ${g.str(10, ALNUM)}&=?`,
    gateValue: `deploy-${g.str(16, ALNUM)}`,
  };
}

function makeRedactor(reg: Registered): Redactor {
  const r = new Redactor({
    DEPLOY_SECRET: reg.envSecret,
    HOME: "/home/someone",
    GIT_AUTHOR_NAME: "A Person",
  });
  // A gate's `env:` value is a secret whatever its variable's name.
  r.registerSecrets([reg.gateValue]);
  return r;
}

function plants(g: Gen, reg: Registered): Plant[] {
  const token = (shape: string, text: string, secret = text): Plant => ({
    shape,
    text,
    expected: REDACTED,
    secrets: [secret],
  });
  const list: Plant[] = [];
  for (const p of ["p", "o", "u", "s", "r"]) list.push(token(`GitHub gh${p}_`, `gh${p}_${g.str(36, ALNUM)}`));
  list.push(token("GitHub fine-grained", `github_${"pat"}_${g.str(22, ALNUM)}_${g.str(59, ALNUM)}`));
  list.push(token("npm", `npm_${g.str(36, ALNUM)}`));
  list.push(token("PyPI", `pypi-${g.str(150, B64URL)}`));
  list.push(token("crates.io", `cio${g.str(32, ALNUM)}`));
  list.push(token("AWS access key id", `${g.pick(["AKIA", "ASIA"])}${g.str(16, UPPER + DIGITS)}`));
  for (const [shape, before, after] of [
    ["AWS secret (ini)", "aws_secret_access_key = ", ""],
    ["AWS secret (env)", "AWS_SECRET_ACCESS_KEY=", ""],
    ["AWS secret (JSON)", '"SecretAccessKey": "', '"'],
  ] as const) {
    const secret = g.str(40, B64);
    list.push({
      shape,
      text: `${before}${secret}${after}`,
      expected: `${before}${REDACTED}${after}`,
      secrets: [secret],
    });
  }
  {
    const cred = g.str(40, B64URL);
    list.push({
      shape: "Authorization header",
      text: `Authorization: Bearer ${cred}`,
      expected: `Authorization: Bearer ${REDACTED}`,
      secrets: [cred],
      eol: true,
    });
  }
  {
    const cred = g.str(40, HEX);
    list.push({
      shape: "Authorization JSON",
      text: `"Authorization": "token ${cred}"`,
      expected: `"Authorization": "token ${REDACTED}"`,
      secrets: [cred],
    });
  }
  {
    const cred = `${g.str(30, B64URL)}.${g.str(30, B64URL)}`;
    list.push({
      shape: "Authorization Python dict",
      text: `{'Authorization': 'Bearer ${cred}'}`,
      expected: `{'Authorization': 'Bearer ${REDACTED}'}`,
      secrets: [cred],
    });
  }
  {
    const cred = Buffer.from(`user:${g.str(20, ALNUM)}`).toString("base64");
    list.push({
      shape: "Authorization form field",
      text: `authorization=Basic ${cred}`,
      expected: `authorization=Basic ${REDACTED}`,
      secrets: [cred],
      eol: true,
    });
  }
  {
    const pass = g.str(18, `${ALNUM}-._~!$*+,;=`);
    list.push({
      shape: "URL credentials",
      text: `https://deployer:${pass}@git.example.invalid/org/repo.git`,
      expected: `https://deployer:${REDACTED}@git.example.invalid/org/repo.git`,
      secrets: [pass],
    });
  }
  {
    const value = `${g.str(8, HEX)}-${g.str(4, HEX)}-${g.str(4, HEX)}-${g.str(12, HEX)}`;
    list.push({
      shape: ".npmrc _authToken",
      text: `//registry.example.invalid/:_authToken=${value}`,
      expected: `//registry.example.invalid/:_authToken=${REDACTED}`,
      secrets: [value],
      greedyRight: true,
    });
  }
  for (const label of ["RSA ", "OPENSSH ", "EC ", "ENCRYPTED ", ""]) {
    const block = keyBlock(g, label);
    list.push({
      shape: `private key (${label.trim() || "PKCS8"})`,
      ...block,
      expected: REDACTED,
      secrets: block.body,
    });
  }
  for (const p of ["xoxb", "xoxp", "xoxa", "xoxr"])
    list.push(token(`Slack ${p}`, `${p}-${g.str(11, DIGITS)}-${g.str(12, DIGITS)}-${g.str(24, ALNUM)}`));
  list.push(
    token("Slack app token", `xapp-1-A${g.str(10, UPPER + DIGITS)}-${g.str(13, DIGITS)}-${g.str(64, HEX)}`),
  );
  {
    const path = `T${g.str(8, UPPER + DIGITS)}/B${g.str(10, UPPER + DIGITS)}/${g.str(24, ALNUM)}`;
    list.push({
      shape: "Slack webhook",
      text: `https://hooks.slack.com/services/${path}`,
      expected: `https://hooks.slack.com/services/${REDACTED}`,
      secrets: [path],
    });
  }
  list.push(
    token("JWT", `eyJ${g.str(33, B64URL)}.eyJ${g.str(90, B64URL)}.${g.str(43, B64URL)}`),
    token("GitLab PAT", `glpat-${g.str(20, B64URL)}`),
    token("Stripe live key", `sk_live_${g.str(24, ALNUM)}`),
    token("Stripe restricted key", `rk_live_${g.str(24, ALNUM)}`),
    token("Google API key", `AIza${g.str(35, B64URL)}`),
    token("Anthropic key", `sk-ant-api03-${g.str(93, B64URL)}AA`),
    token("Hugging Face token", `hf_${g.str(34, ALNUM)}`),
    token("Docker Hub token", `dckr_pat_${g.str(27, B64URL)}`),
  );
  {
    const path = `${g.str(18, DIGITS)}/${g.str(68, B64URL)}`;
    list.push({
      shape: "Discord webhook",
      text: `https://discord.com/api/webhooks/${path}`,
      expected: `https://discord.com/api/webhooks/${REDACTED}`,
      secrets: [path],
    });
  }
  // Registered secrets, as they are and in the spellings they take in URLs, JSON and Basic credentials.
  list.push(token("env secret", reg.envSecret));
  list.push(token("env secret URL-encoded", encodeURIComponent(reg.envSecret)));
  list.push(token("gate env value", reg.gateValue));
  {
    const encoded = Buffer.from(`someone:${reg.gateValue}`).toString("base64");
    // `someone:` is 8 bytes: the value's characters start at base64 position 11 and are fixed up to 4
    // before the end; the edges carry a few bits of the neighbours and are left.
    list.push({
      shape: "gate env value base64",
      text: `"auth": "${encoded}"`,
      expected: `"auth": "${encoded.slice(0, 11)}${REDACTED}${encoded.slice(-3)}"`,
      secrets: [encoded.slice(11, -3)],
    });
  }
  return list;
}

// --- Checks -------------------------------------------------------------------------------------------

/** Pieces of every secret that must not appear: 8 characters every 4, so any 11 leaked in a row show. */
function leaksIn(output: string, plant: Pick<Plant, "secrets">): string[] {
  const found: string[] = [];
  for (const secret of plant.secrets) {
    for (let i = 0; i + 8 <= secret.length; i += 4) {
      const piece = secret.slice(i, i + 8);
      if (output.includes(piece)) found.push(piece);
    }
    if (secret.length >= 8 && output.includes(secret.slice(-8))) found.push(secret.slice(-8));
  }
  return found;
}

function streamed(r: Redactor, text: string, size: () => number): string {
  const stream = r.stream();
  let out = "";
  for (let i = 0; i < text.length; ) {
    const n = Math.max(1, size());
    out += stream.write(text.slice(i, i + n));
    i += n;
  }
  return out + stream.end();
}

function byLines(r: Redactor, text: string): string {
  const stream = r.stream();
  let out = "";
  for (const line of text.split(/(?<=\n)/)) out += stream.write(line);
  return out + stream.end();
}

/** A plant as it sits inside one line (key blocks escaped as in JSON), for long-line channels. */
function inline(plant: Plant): string {
  return plant.text.replace(/\n/g, "\\n");
}

// --- The matrix ---------------------------------------------------------------------------------------

const SEED = 20240917;

describe("redaction matrix: every shape × every channel, 0 leaks, the text around intact", () => {
  const g = new Gen(SEED);
  const reg = registered(g);
  const all = plants(g, reg);
  const r = makeRedactor(reg);

  it("plants every shape the redactor knows, and at least 12", () => {
    const r2 = makeRedactor(reg);
    const covered = new Set(all.flatMap((p) => r2.scan(p.text).map((m) => m.shape.name)));
    expect([...SHAPE_NAMES, "registered secret"].filter((name) => !covered.has(name))).toEqual([]);
    expect(SHAPE_NAMES.length).toBeGreaterThanOrEqual(12);
  });

  describe.each(all.map((p) => [p.shape, p] as const))("%s", (_shape, plant) => {
    const before = `start ${filler(g, 60)}\nline two: ${filler(g, 40)}`;
    const after = `${plant.eol ? "\n" : " "}${filler(g, 50)}\nlast line ${filler(g, 30)} end`;
    const text = `${before}${plant.text}${after}`;
    const expected = `${before}${plant.expected}${after}`;

    it("whole string", () => {
      const out = r.redact(text);
      expect(leaksIn(out, plant)).toEqual([]);
      expect(out).toBe(expected);
    });

    it("stream fed line by line", () => {
      expect(byLines(r, text)).toBe(expected);
    });

    it("stream split in two at every position", () => {
      for (let cut = 1; cut < text.length; cut++) {
        const stream = r.stream();
        const out = stream.write(text.slice(0, cut)) + stream.write(text.slice(cut)) + stream.end();
        if (out !== expected) expect({ cut, out }).toEqual({ cut, out: expected });
      }
    });

    it("stream split in random 1..N-character chunks", () => {
      for (const max of [1, 2, 3, 7, 64, 500]) {
        const local = new Gen(max);
        const out = streamed(r, text, () => local.int(1, max));
        expect(leaksIn(out, plant)).toEqual([]);
        expect(out).toBe(expected);
      }
    });

    it("glued to neighbours on either side", () => {
      const lefts = ["a", "Z", "7", "%3D", "=", '"', "'", ":", "/", "_", "-", "(", "[", "{", "\\n"];
      const rights = plant.eol ? ["\n"] : ['"', "'", ",", ")", ";", " ", "]", "}", "<", "\n"];
      for (const left of lefts) {
        for (const right of rights) {
          const glued = `${before}${left}${plant.text}${right}${after}`;
          const out = r.redact(glued);
          expect(leaksIn(out, plant), `${left}…${right}`).toEqual([]);
          const want = `${before}${left}${plant.expected}${right}${after}`;
          if (plant.greedyRight) expect(out.startsWith(`${before}${left}${plant.expected}`)).toBe(true);
          else expect(out, `${left}…${right}`).toBe(want);
          expect(streamed(r, glued, () => 5)).toBe(out);
        }
      }
    });

    it("JSON-encoded, once and twice, stays valid JSON and decodes to the redacted text", () => {
      const once = r.redact(JSON.stringify({ log: text }));
      expect(leaksIn(once, plant)).toEqual([]);
      expect((JSON.parse(once) as { log: string }).log).toBe(expected);
      const twice = r.redact(JSON.stringify(JSON.stringify({ log: text })));
      expect(leaksIn(twice, plant)).toEqual([]);
      expect(JSON.parse(JSON.parse(twice) as string)).toEqual({ log: expected });
    });

    it("redactDeep on a nested value", () => {
      const value = { a: [{ b: text }, 1, null, true], c: { d: { e: [text] } } };
      expect(r.redactDeep(value)).toEqual({
        a: [{ b: expected }, 1, null, true],
        c: { d: { e: [expected] } },
      });
    });
  });
});

describe("redaction matrix: lines of four times what a stream holds back", () => {
  const g = new Gen(SEED + 1);
  const reg = registered(g);
  const all = plants(g, reg);
  const r = makeRedactor(reg);
  // Four times the stream's hold-back: every cut a long line forces happens several times over.
  const LINE = 4 * MAX_PENDING;
  const overlap = r.overlap();

  /** A long line with the plant at several places around the first cuts; eol plants only at its end. */
  function longLine(plant: Plant): { text: string; expected: string } {
    const piece = inline(plant);
    const positions = plant.eol
      ? [LINE - piece.length]
      : [
          0,
          5000,
          MAX_PENDING - overlap - 10,
          MAX_PENDING - Math.floor(piece.length / 2),
          MAX_PENDING + 7,
          2 * MAX_PENDING - overlap + 3,
          3 * MAX_PENDING + 11,
          LINE - piece.length - 20,
        ];
    let text = "";
    let expected = "";
    for (const at of positions) {
      const gap = ` ${filler(g, Math.max(1, at - text.length))}`;
      text += gap + piece;
      expected += gap + plant.expected;
    }
    const tail = plant.eol ? "" : ` ${filler(g, Math.max(1, LINE - text.length))}`;
    return { text: `${text}${tail}\nnext line`, expected: `${expected}${tail}\nnext line` };
  }

  it.each(all.map((p) => [p.shape, p] as const))("%s", (_shape, plant) => {
    const { text, expected } = longLine(plant);
    const local = new Gen(text.length);
    const channels: Record<string, string> = {
      whole: r.redact(text),
      "64 KB pipe chunks": streamed(r, text, () => 65536),
      "random 1..100000": streamed(r, text, () => local.int(1, 100_000)),
      "random 1..4096": streamed(r, text, () => local.int(1, 4096)),
    };
    for (const [channel, out] of Object.entries(channels)) {
      expect(leaksIn(out, plant), channel).toEqual([]);
      if (out !== expected) expect.fail(`${channel}: output differs from the expected redaction`);
    }
  });

  it.each(all.filter((p) => !p.eol).map((p) => [p.shape, p] as const))(
    "%s: the first cut of a long line lands on every part of the token",
    (_shape, plant) => {
      const piece = inline(plant);
      const first = MAX_PENDING + 100;
      // Without care the stream would cut here: the plant is slid across this point.
      const naive = first - overlap;
      const step = Math.max(1, Math.floor(piece.length / 16));
      for (let at = naive - piece.length - 1; at <= naive + 1; at += step) {
        const head = filler(g, at);
        const tail = ` ${filler(g, 20_000)}`;
        const text = `${head}${piece}${tail}\n`;
        const stream = r.stream();
        const out = stream.write(text.slice(0, first)) + stream.write(text.slice(first)) + stream.end();
        expect(leaksIn(out, plant), `at ${at}`).toEqual([]);
        expect(out === `${head}${plant.expected}${tail}\n`, `at ${at}`).toBe(true);
      }
    },
  );

  it("byte-sized writes of a long line with tokens everywhere", () => {
    const tokens = all.filter((p) => !p.eol);
    let text = "";
    let expected = "";
    while (text.length < LINE) {
      const plant = g.pick(tokens);
      const gap = ` ${filler(g, g.int(200, 30_000))}`;
      text += gap + inline(plant);
      expected += gap + plant.expected;
    }
    const local = new Gen(7);
    const out = streamed(r, text, () => local.int(1, 16));
    for (const plant of tokens) expect(leaksIn(out, plant), plant.shape).toEqual([]);
    expect(out === expected).toBe(true);
  });
});

// --- Overlong secrets -----------------------------------------------------------------------------------

describe("secrets longer than a stream can hold", () => {
  const g = new Gen(SEED + 2);
  const r = new Redactor({});
  const huge = 300 * 1024;
  const chunkings: Record<string, (local: Gen) => number> = {
    "64 KB": () => 65536,
    "1..70000": (local) => local.int(1, 70_000),
    "1..4096": (local) => local.int(1, 4096),
  };

  function check(text: string, expected: string, secret: string): void {
    expect(r.redact(text) === expected).toBe(true);
    for (const [name, size] of Object.entries(chunkings)) {
      const local = new Gen(name.length);
      const out = streamed(r, text, () => size(local));
      expect(leaksIn(out, { secrets: [secret.slice(0, 4096), secret.slice(-4096)] }), name).toEqual([]);
      expect(out === expected, name).toBe(true);
    }
  }

  it("an .npmrc value of 300 KB", () => {
    const value = g.str(huge, ALNUM);
    check(`a\n//r/:_authToken=${value} tail\nb`, `a\n//r/:_authToken=${REDACTED} tail\nb`, value);
  });

  it("an Authorization value of 300 KB", () => {
    const value = `x${g.str(huge, `${ALNUM} `)}`;
    check(`Authorization: Bearer ${value}\nnext`, `Authorization: Bearer ${REDACTED}\nnext`, value);
  });

  it("a token-shaped run of 300 KB", () => {
    const value = g.str(huge, ALNUM);
    check(`x ghp_${value}, y\n`, `x ${REDACTED}, y\n`, value);
  });

  it("a private key of 300 KB on one line, and across lines", () => {
    const body = g.str(huge, B64);
    const one = `x -----BEGIN RSA PRIVATE KEY-----\\n${body}\\n-----END RSA PRIVATE KEY----- y\n`;
    check(one, `x ${REDACTED} y\n`, body);
    const lines = body.match(/.{1,64}/g)?.join("\n") ?? "";
    const multi = `x -----BEGIN PRIVATE KEY-----\n${lines}\n-----END PRIVATE KEY-----\ny\n`;
    check(multi, `x ${REDACTED}\ny\n`, body);
  });

  it("an unterminated private key hides the rest of the output (fail closed)", () => {
    const body = Array.from({ length: 50 }, () => g.str(64, B64)).join("\n");
    const text = `before\n-----BEGIN EC PRIVATE KEY-----\n${body}\nno end line ever\n`;
    expect(r.redact(text)).toBe(`before\n${REDACTED}`);
    expect(byLines(r, text)).toBe(`before\n${REDACTED}`);
  });

  it("a registered secret longer than the default overlap, inside a 1 MB line", () => {
    const secret = g.str(40 * 1024, ALNUM);
    const own = new Redactor({ BIG_SECRET: secret });
    expect(own.overlap()).toBeGreaterThan(2 * secret.length);
    const head = filler(g, MAX_PENDING - 100);
    const text = `${head}${secret} ${filler(g, 1024 * 1024)}`;
    const expected = `${head}${REDACTED} ${text.slice(head.length + secret.length + 1)}`;
    for (const max of [65536, 4096]) {
      const local = new Gen(max);
      const out = streamed(own, text, () => local.int(1, max));
      expect(
        leaksIn(out, { secrets: [secret.slice(0, 64), secret.slice(20_000, 20_064), secret.slice(-64)] }),
      ).toEqual([]);
      expect(out === expected).toBe(true);
    }
  });
});

// --- Registered secrets and names -----------------------------------------------------------------------

describe("registered secrets", () => {
  it("redacts values of secret-named environment variables, longest first", () => {
    const r = new Redactor({
      NPM_TOKEN: "abcdef123456",
      MY_SECRET: "abcdef123456-extended",
      HOME: "/root",
      API_KEY: "short",
    });
    expect(r.redact("a abcdef123456-extended b abcdef123456 c /root")).toBe(
      `a ${REDACTED} b ${REDACTED} c /root`,
    );
    // Too short to redact safely without mangling ordinary text.
    expect(r.redact("short")).toBe("short");
  });

  it("registers a gate's env values whatever their names, ignoring values under 6 characters", () => {
    const r = new Redactor({});
    r.registerSecrets(["prod-deploy-4242", "true", "12345"]);
    expect(r.secretCount).toBe(1);
    expect(r.redact("prod-deploy-4242 true 12345")).toBe(`${REDACTED} true 12345`);
  });

  it("finds a registered secret URL-encoded, JSON-escaped, base64-encoded at any alignment, and line by line", () => {
    const secret = 'p@ss w/rd"x\\y:z';
    const r = new Redactor({}, [secret]);
    expect(r.redact(`u=${encodeURIComponent(secret)}&v`)).toBe(`u=${REDACTED}&v`);
    expect(r.redact(`u=${encodeURIComponent(secret).replace(/%20/g, "+")}&v`)).toBe(`u=${REDACTED}&v`);
    expect(r.redact(`u=${encodeURIComponent(secret).toLowerCase()}&v`)).not.toContain("ss%20w");
    expect(JSON.parse(r.redact(JSON.stringify({ s: secret })))).toEqual({ s: REDACTED });
    for (const prefix of ["", "u", "us", "use:", "someone:"]) {
      const encoded = Buffer.from(`${prefix}${secret}`).toString("base64");
      const out = r.redact(`Basic-ish ${encoded} ${encoded.replace(/\+/g, "-").replace(/\//g, "_")}`);
      expect(out).not.toContain(encoded.slice(Math.ceil((prefix.length * 8) / 6) + 1, -4));
      expect(out).toContain(REDACTED);
    }
    const multi = new Redactor({ SSH_KEY: "first-line-of-it\nsecond-line-of-it" });
    expect(byLines(multi, "a first-line-of-it\nsecond-line-of-it b\n")).toBe(
      `a ${REDACTED}\n${REDACTED} b\n`,
    );
  });

  it("lists every spelling it matches", () => {
    expect(secretSpellings("abc/def:ghi")).toEqual(
      expect.arrayContaining(["abc/def:ghi", "abc%2Fdef%3Aghi", "abc%2fdef%3aghi", "abc/def%3Aghi"]),
    );
    // Base64 only from 8 characters on: a shorter value's core would collide with random base64.
    expect(secretSpellings("abcdef")).toEqual(["abcdef"]);
  });

  it("learns secrets at run time, process-wide through registerSecrets", () => {
    const r = new Redactor({});
    r.add("runtime-secret-999");
    expect(r.redactDeep({ a: ["x runtime-secret-999"], b: { c: 1, d: "runtime-secret-999" } })).toEqual({
      a: [`x ${REDACTED}`],
      b: { c: 1, d: REDACTED },
    });
    const value = `gate-env-${new Gen(5).str(12, ALNUM)}`;
    expect(redact(`v=${value}`)).toBe(`v=${value}`);
    registerSecrets([value]);
    expect(redact(`v=${value}`)).toBe(`v=${REDACTED}`);
  });

  it("redacts secrets in object keys too", () => {
    const r = new Redactor({}, ["key-secret-1"]);
    expect(r.redactDeep({ "key-secret-1": 1 })).toEqual({ [REDACTED]: 1 });
  });

  it("rescans a value it found clean once a secret inside it is registered (the memo starts afresh)", () => {
    const r = new Redactor({});
    const secret = `late-secret-${new Gen(7).str(12, ALNUM)}`;
    const ledgerLike = { summary: `printed ${secret}`, [`key ${secret}`]: [secret] };
    expect(r.redactDeep(ledgerLike)).toEqual(ledgerLike);
    expect(r.redactDeep(ledgerLike)).toEqual(ledgerLike);
    r.add(secret);
    expect(r.redactDeep(ledgerLike)).toEqual({
      summary: `printed ${REDACTED}`,
      [`key ${REDACTED}`]: [REDACTED],
    });
  });

  it.each([
    ["GITHUB_TOKEN", true],
    ["NODE_AUTH_TOKEN", true],
    ["npm_config__authToken", true],
    ["DEPLOY_SECRET", true],
    ["DB_PASSWORD", true],
    ["DBPASSWORD", true],
    ["SMTP_PASS", true],
    ["DB_PWD", true],
    ["SIGNING_PASSPHRASE", true],
    ["API_KEY", true],
    ["APIKey", true],
    ["SSH_KEY", true],
    ["AWS_ACCESS_KEY_ID", true],
    ["AWS_SECRET_ACCESS_KEY", true],
    ["BASIC_AUTH", true],
    ["GOOGLE_APPLICATION_CREDENTIALS", true],
    ["GH_SESSION", true],
    ["SESSION_ID", true],
    ["AUTH_COOKIE", true],
    ["SSH_PRIVATE", true],
    ["GITHUB_PAT", true],
    ["SENTRY_DSN", true],
    // Whole words only, and weak words only where they name the value.
    ["KEYBOARD", false],
    ["KEYBOARD_LAYOUT", false],
    ["GIT_AUTHOR_NAME", false],
    ["GIT_AUTHOR_EMAIL", false],
    ["AUTHORS_FILE", false],
    ["TOKENIZERS_PARALLELISM", false],
    ["GIT_ASKPASS", false],
    ["PATH", false],
    ["PWD", false],
    ["OLDPWD", false],
    ["KEY_PATH", false],
    ["AUTH_URL", false],
    ["COOKIE_DOMAIN", false],
    ["SESSION_MANAGER", false],
    ["DESKTOP_SESSION", false],
    ["XDG_SESSION_ID", false],
    ["SSH_AUTH_SOCK", false],
    ["PRIVATE_REGISTRY_URL", false],
    ["HOME", false],
  ])("%s secret-looking: %s", (name, secret) => {
    expect(isSecretName(name)).toBe(secret);
  });
});

// --- Shapes: the exact forms, and what is left alone ----------------------------------------------------

describe("shapes", () => {
  const r = new Redactor({});
  const g = new Gen(SEED + 3);

  it("keeps the context and redacts only the value", () => {
    expect(r.redact("Authorization: Bearer abc.def")).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(r.redact("authorization: token xyz123")).toBe(`authorization: token ${REDACTED}`);
    expect(r.redact("Authorization: xyz123")).toBe(`Authorization: ${REDACTED}`);
    expect(r.redact(`{\\"Authorization\\":\\"Bearer ${"q".repeat(20)}\\"}`)).toBe(
      `{\\"Authorization\\":\\"Bearer ${REDACTED}\\"}`,
    );
    expect(r.redact("Authorization%3A%20Bearer%20abcdef123")).toBe(`Authorization%3A%20Bearer%20${REDACTED}`);
    expect(r.redact("https://user:hunter22@example.invalid/x")).toBe(
      `https://user:${REDACTED}@example.invalid/x`,
    );
    expect(r.redact('"https:\\/\\/user:hunter22@example.invalid"')).toBe(
      `"https:\\/\\/user:${REDACTED}@example.invalid"`,
    );
    expect(r.redact("//registry.example.invalid/:_authToken=s3cret")).toBe(
      `//registry.example.invalid/:_authToken=${REDACTED}`,
    );
    expect(r.redact("_auth = dXNlcjpwYXNz\n_password=cGFzcw==")).toBe(
      `_auth = ${REDACTED}\n_password=${REDACTED}`,
    );
    const hook = `T${g.str(8, UPPER)}/B${g.str(8, UPPER)}/${g.str(24, ALNUM)}`;
    expect(r.redact(`"https:\\/\\/hooks.slack.com\\/services\\/${hook.replace(/\//g, "\\/")}"`)).toBe(
      `"https:\\/\\/hooks.slack.com\\/services\\/${REDACTED}"`,
    );
  });

  it("finds a token glued right after another token", () => {
    const a = `ghp_${g.str(36, ALNUM)}`;
    const b = `xoxb-${g.str(12, DIGITS)}-${g.str(24, ALNUM)}`;
    const out = r.redact(`${a}${b} end`);
    expect(leaksIn(out, { secrets: [a.slice(4), b.slice(5)] })).toEqual([]);
    expect(out).toBe(`${REDACTED} end`);
  });

  it("leaves ordinary text alone", () => {
    const text = [
      "token: the word token is not a token; key: value; password: (see vault); secret santa",
      "Bearer of bad news. Basic usage. authorization required. AUTHOR: KEYBOARD monkey",
      "AKIAshort AIza sk_live_ glpat- xoxb- eyJhbGciOi.x.y npm_config_cache pypi-simple cio-tools",
      // (A 32+-character run after `cio` is redacted even inside an identifier: crates.io tokens can be
      // glued to the text after them, and failing closed costs a word like SpeciousAbstract… at worst.)
      "AbstractSingletonProxyFactoryBeanCacheInvocationManagerDelegate",
      "commit 3f786850e387550fdab836ed7e6dc881de23001b sha256 " +
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
      "uuid 123e4567-e89b-12d3-a456-426614174000, mail dev@example.invalid, pkg @scope/pkg@1.2.3",
      "https://example.invalid:8443/a@b http://[::1]:8080/x@y //host:port/path @ nowhere",
      "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
      "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----",
      "aws_secret_access_key = <your key here>",
      `${"base64 ".repeat(3)}${Buffer.from("just some ordinary data, nothing to hide").toString("base64")}`,
    ].join("\n");
    expect(r.redact(text)).toBe(text);
    expect(byLines(r, text)).toBe(text);
  });

  it("keeps to linear time on pathological lines", () => {
    const M = 1 << 20;
    const lines = [
      "eyJ".repeat(M / 3),
      `eyJ${"a".repeat(12)}.`.repeat(M / 16),
      "'Authorization': 'x' ".repeat(M / 21),
      "Authorization: x ".repeat(M / 17),
      "//a:".repeat(M / 4),
      `//a:${"b".repeat(100)}`.repeat(M / 104),
      "-----BEGIN PRIVATE KEY-----".repeat(M / 27),
      "aws_secret_access_key=".repeat(M / 22),
      "ghp_".repeat(M / 4),
      "_authToken=".repeat(M / 11),
      "/".repeat(M),
    ];
    const started = Date.now();
    for (const line of lines) {
      r.redact(line);
      streamed(r, line, () => 4096);
    }
    // About 0.5 s on a laptop; a quadratic shape takes minutes.
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

// Throughput is a figure, not a test: bench/redaction.ts prints it (npm run bench).
describe("mixed output", () => {
  it("redacts 1 MB of mixed output the same whole and streamed, leaving no planted token", () => {
    const g = new Gen(SEED + 4);
    const reg = registered(g);
    const r = makeRedactor(reg);
    const tokens = plants(g, reg).filter((p) => !p.eol);
    const lines: string[] = [];
    let size = 0;
    while (size < 1024 * 1024) {
      let line = filler(g, g.int(20, 160));
      if (g.next() < 0.01) line += inline(g.pick(tokens));
      lines.push(line);
      size += line.length + 1;
    }
    const text = `${lines.join("\n")}\n`;
    const whole = r.redact(text);
    expect(streamed(r, text, () => 65536) === whole).toBe(true);
    for (const plant of tokens) expect(leaksIn(whole, plant)).toEqual([]);
  });
});
