// The one list of delivery channels. Adding a channel = one file that calls defineChannel + one line
// here: the config's `channels:` union and the channel lookup are derived from this list.
import * as z from "zod";
import { cratesChannel } from "./crates.js";
import { githubReleaseChannel } from "./github-release.js";
import { goChannel } from "./go.js";
import { homebrewChannel } from "./homebrew.js";
import { npmChannel } from "./npm.js";
import { pypiChannel } from "./pypi.js";
import type { ChannelKind } from "./types.js";

export const channelKinds = [
  githubReleaseChannel,
  npmChannel,
  cratesChannel,
  pypiChannel,
  homebrewChannel,
  goChannel,
] as const;

type SchemaOf<T> = T extends ChannelKind<infer S> ? S : never;
// Generic so that TypeScript maps the tuple element by element (the union keeps every kind's type).
type SchemasOf<T extends readonly unknown[]> = { -readonly [I in keyof T]: SchemaOf<T[I]> };

export const channelSchema = z.discriminatedUnion(
  "kind",
  channelKinds.map((c) => c.schema) as unknown as SchemasOf<typeof channelKinds>,
);
export type ChannelConfig = z.output<typeof channelSchema>;

export const channelKindNames: string[] = channelKinds.map((c) => c.kind);

export function findChannel(kind: string): ChannelKind | undefined {
  return (channelKinds as readonly ChannelKind[]).find((c) => c.kind === kind);
}
