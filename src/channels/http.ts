// The one HTTP client of the registry channels: GET with a per-request timeout that the propagation
// window can cut short, a User-Agent naming shipgate (crates.io refuses requests without one), and every
// JSON answer parsed with a schema. Anything but a parsed answer or a "not there" status throws.
import type { z } from "zod";
import { IncompleteError } from "../errors.js";
import { redact } from "../evidence/redact.js";
import type { ChannelHttp, JsonAnswer } from "./types.js";

export const USER_AGENT = "shipgate (fail-closed release manager; delivery verification)";
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
// A registry document larger than this is not what was asked for.
const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** A request that got no usable answer: the channel could not be asked (incomplete). */
export class ChannelRequestError extends IncompleteError {
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(`GET ${redact(url)}: ${redact(reason)}`);
    this.name = "ChannelRequestError";
  }
}

function shown(body: string): string {
  const oneLine = body.replace(/\s+/g, " ").trim();
  return oneLine.length > 120 ? `${oneLine.slice(0, 117)}...` : oneLine;
}

async function readBody(res: Response, url: string): Promise<string> {
  const length = Number(res.headers.get("content-length") ?? "0");
  if (length > MAX_BODY_BYTES) throw new ChannelRequestError(url, `answer of ${length} bytes is too large`);
  const text = await res.text();
  if (text.length > MAX_BODY_BYTES) throw new ChannelRequestError(url, "answer is too large");
  return text;
}

export interface HttpSettings {
  /** The propagation window (or an interrupt): aborting it cuts every request short. */
  signal: AbortSignal;
  timeoutMs: number;
}

export function channelHttp(settings: HttpSettings): ChannelHttp {
  return {
    async json<T>(
      url: string,
      schema: z.ZodType<T>,
      options: { absent?: number[]; headers?: Record<string, string> } = {},
    ): Promise<JsonAnswer<T>> {
      const absent = options.absent ?? [404];
      const timeout = AbortSignal.timeout(settings.timeoutMs);
      const signal = AbortSignal.any([settings.signal, timeout]);
      let res: Response;
      let text: string;
      try {
        res = await fetch(url, {
          headers: { accept: "application/json", "user-agent": USER_AGENT, ...options.headers },
          redirect: "follow",
          signal,
        });
        if (absent.includes(res.status)) {
          await res.body?.cancel().catch(() => {});
          return { found: false, status: res.status, url };
        }
        text = await readBody(res, url);
      } catch (err) {
        if (err instanceof ChannelRequestError) throw err;
        if (settings.signal.aborted)
          throw new ChannelRequestError(url, "no answer before the propagation window ended");
        if (timeout.aborted)
          throw new ChannelRequestError(url, `no answer within ${settings.timeoutMs / 1000}s`);
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        throw new ChannelRequestError(
          url,
          `not reached: ${cause?.code ?? cause?.message ?? (err as Error).message}`,
        );
      }
      if (res.status < 200 || res.status >= 300)
        throw new ChannelRequestError(url, `answered ${res.status}${text ? `: ${shown(text)}` : ""}`);
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch {
        const type = res.headers.get("content-type") ?? "no content type";
        throw new ChannelRequestError(url, `answered with a body that is not JSON (${type}): ${shown(text)}`);
      }
      const parsed = schema.safeParse(data);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const at = issue?.path.length ? issue.path.join(".") : "(top level)";
        throw new ChannelRequestError(url, `answered with an unexpected shape: ${at}: ${issue?.message}`);
      }
      return { found: true, status: res.status, url, data: parsed.data };
    },
  };
}

/** `base` without trailing slashes, joined with a path that starts with one. */
export function joinUrl(base: string, pathPart: string): string {
  return `${base.replace(/\/+$/, "")}${pathPart}`;
}
