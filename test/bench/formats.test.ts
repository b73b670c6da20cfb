import { describe, expect, it } from "vitest";
import { genericFormat } from "../../src/bench/formats/generic.js";
import { hyperfineFormat } from "../../src/bench/formats/hyperfine.js";
import { plasmiteFormat } from "../../src/bench/formats/plasmite.js";

const plasmite = JSON.stringify({
  results: [
    {
      bench: "append",
      durability: "fast",
      writers: 1,
      payload_bytes: 64,
      pool_size: 1048576,
      messages: 1000,
      ms_per_msg: 0.012,
    },
    {
      bench: "append",
      durability: "fast",
      writers: 1,
      payload_bytes: 64,
      pool_size: 1048576,
      messages: 1000,
      ms_per_msg: 0.02,
      notes: "fsync",
    },
    {
      bench: "multi_writer",
      durability: "durable",
      writers: 4,
      payload_bytes: 256,
      pool_size: 1048576,
      messages: 500,
      ms_per_msg: 0.05,
    },
  ],
});

describe("bench result formats", () => {
  it("keys Plasmite scenarios by bench, durability, writers, payload, pool size and notes", () => {
    const samples = plasmiteFormat.parse(plasmite, "ms_per_msg");
    expect(samples.map((s) => s.scenario)).toEqual([
      "append durability=fast writers=1 payload_bytes=64 pool_size=1048576",
      "append durability=fast writers=1 payload_bytes=64 pool_size=1048576 notes=fsync",
      "multi_writer durability=durable writers=4 payload_bytes=256 pool_size=1048576",
    ]);
    expect(samples.map((s) => s.value)).toEqual([0.012, 0.02, 0.05]);
    expect(samples[2]?.bench).toBe("multi_writer");
  });

  it("reads hyperfine's export (median by default) and the generic format", () => {
    const hf = JSON.stringify({
      results: [{ command: "pls get", mean: 0.5, stddev: 0.01, median: 0.49, times: [0.5, 0.49] }],
    });
    expect(hyperfineFormat.parse(hf, hyperfineFormat.defaultMetric)).toEqual([
      { scenario: "pls get", bench: "pls get", value: 0.49 },
    ]);
    expect(hyperfineFormat.parse(hf, "mean")[0]?.value).toBe(0.5);
    expect(genericFormat.parse(JSON.stringify({ results: [{ scenario: "x", value: 3 }] }), "value")).toEqual([
      { scenario: "x", bench: "x", value: 3 },
    ]);
  });

  it.each([
    ["plasmite", plasmiteFormat, ""],
    ["plasmite", plasmiteFormat, "{ not json"],
    ["plasmite", plasmiteFormat, '{"results": []}'],
    ["plasmite", plasmiteFormat, '{"results": [{"bench": "append"}]}'],
    ["plasmite", plasmiteFormat, '{"results": [{"ms_per_msg": 1}]}'],
    ["plasmite", plasmiteFormat, '{"results": [{"bench": "a", "ms_per_msg": "fast"}]}'],
    ["hyperfine", hyperfineFormat, '{"results": [{"command": "x"}]}'],
    ["generic", genericFormat, '{"results": [{"scenario": "x", "value": null}]}'],
    ["generic", genericFormat, '{"other": 1}'],
  ])("rejects malformed or empty %s output: %j", (_name, format, text) => {
    expect(() => format.parse(text, format.defaultMetric)).toThrow(/plasmite|hyperfine|generic/);
  });
});

describe("bench run placeholders", () => {
  it("fills built-ins and params, shell-quoted", async () => {
    const { renderRun } = await import("../../src/bench/runner.js");
    expect(
      renderRun("bench --out {out} -n {messages} --side {side}", {
        out: "/tmp/a b.json",
        messages: "10",
        side: "base",
      }),
    ).toBe("bench --out '/tmp/a b.json' -n '10' --side 'base'");
    expect(renderRun("echo {x}", { x: "it's" })).toBe("echo 'it'\\''s'");
  });

  it("rejects an unknown placeholder in the config", async () => {
    const { parseConfig } = await import("../../src/config/load.js");
    expect(() =>
      parseConfig(
        "shipgate.yaml",
        "bench:\n  format: plasmite\n  run: bench -n {mesages}\n  params: { messages: 10 }\n",
      ),
    ).toThrow(/bench\.run: placeholder \{mesages\} is neither built in/);
  });
});
