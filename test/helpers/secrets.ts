// Test helper: secrets of every shape the redactor knows, generated at test time (nothing realistic is
// committed), each with the exact string that must never appear in any output.
import { randomBytes } from "node:crypto";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function str(length: number, alphabet = ALNUM): string {
  const bytes = randomBytes(length);
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[(bytes[i] as number) % alphabet.length];
  return out;
}

export interface PlantedSecret {
  shape: string;
  /** How it is written into output. */
  text: string;
  /** The part that must never be seen. */
  secret: string;
}

export function plantedSecrets(): PlantedSecret[] {
  const plain = (shape: string, text: string): PlantedSecret => ({ shape, text, secret: text });
  const inContext = (shape: string, before: string, secret: string): PlantedSecret => ({
    shape,
    text: `${before}${secret}`,
    secret,
  });
  const jwt = [`eyJ${str(20)}`, `eyJ${str(40)}`, str(43, `${ALNUM}-_`)].join(".");
  return [
    plain("GitHub classic", `ghp_${str(36)}`),
    plain("GitHub fine-grained", `github_${"pat"}_${str(22)}_${str(59)}`),
    plain("npm", `npm_${str(36)}`),
    plain("PyPI", `pypi-${str(120, `${ALNUM}-_`)}`),
    plain("crates.io", `cio${str(32)}`),
    plain("AWS access key id", `AKIA${str(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")}`),
    inContext("AWS secret key", "AWS_SECRET_ACCESS_KEY=", str(40, `${ALNUM}+/`)),
    inContext("Authorization header", "Authorization: Bearer ", str(40)),
    inContext(
      "URL credentials",
      "https://deploy:",
      `${str(24)}@registry.example.invalid/path`.split("@")[0] as string,
    ),
    inContext(".npmrc auth", "//registry.example.invalid/:_authToken=", str(36)),
    plain("Slack", `xoxb-${str(12, "0123456789")}-${str(12, "0123456789")}-${str(24)}`),
    plain("JWT", jwt),
    plain("GitLab", `glpat-${str(20, `${ALNUM}-_`)}`),
    plain("Stripe", `sk_${"live"}_${str(24)}`),
    plain("Google API key", `AIza${str(35, `${ALNUM}-_`)}`),
  ].map((p) => (p.shape === "URL credentials" ? { ...p, text: `${p.text}@registry.example.invalid/x` } : p));
}

/** A PEM private-key block: its body lines must never show, whether written at once or line by line. */
export function plantedKeyBlock(): { text: string; body: string[] } {
  const body = Array.from({ length: 5 }, () => str(64, `${ALNUM}+/`));
  return {
    text: `-----BEGIN ${"PRIVATE"} KEY-----\n${body.join("\n")}\n-----END ${"PRIVATE"} KEY-----`,
    body,
  };
}
