// Test helper: a stand-in `ergo` executable implementing ergo's documented JSON contract, with its
// state in a JSON file, and failure modes chosen by FAKE_ERGO_MODE (garbage, two-values, fail, empty, null, exit2, slow,
// wrong-shape, no-id, bad-state).
//
// Written in Python, not Node: the suite calls ergo about 140 times, and a Python process starts in a
// tenth of a Node one's time here (about 15 ms against 110–130 ms). Debian's python3 is on every machine
// this runs on (node-gyp needs it); .ci/run installs it if missing.
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

// -S skips site-packages discovery, a third of the start-up; the script needs only the standard library.
const INTERPRETER = existsSync("/usr/bin/python3") ? "/usr/bin/python3 -S" : "/usr/bin/env python3";

const SCRIPT = `#!${INTERPRETER}
import json, os, sys, time

state_file = os.environ.get("FAKE_ERGO_STATE")
mode = os.environ.get("FAKE_ERGO_MODE", "")
args = sys.argv[1:]

def emit(text):
    sys.stdout.write(text)
    sys.stdout.flush()

def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)

def present(**fields):
    # Like JSON.stringify: a field without a value is left out, not written as null.
    return {k: v for k, v in fields.items() if v is not None}

if not args or args[0] != "--json":
    sys.stderr.write("ergo: expected --json first\\n"); sys.exit(2)
if mode == "fail":
    sys.stderr.write("ergo: database is locked (token=" + os.environ.get("LEAKY", "") + ")\\n"); sys.exit(1)
if mode == "garbage":
    emit("Created epic!\\n"); sys.exit(0)
if mode == "empty":
    sys.exit(0)
if mode == "null":
    emit("null\\n"); sys.exit(0)
if mode == "exit2":
    sys.exit(2)
if mode == "slow":
    time.sleep(5); sys.exit(0)
if mode == "wrong-shape":
    emit(compact({"ok": True}) + "\\n"); sys.exit(0)
if mode == "no-id":
    emit(compact([{"title": "Release blockers: v0.3.0"}] if args[1:2] == ["list"] else {"title": "x"}) + "\\n"); sys.exit(0)
if mode == "bad-state":
    emit(compact([{"id": "T1", "title": "t", "state": "finished"}]) + "\\n"); sys.exit(0)

if os.path.exists(state_file):
    with open(state_file, encoding="utf-8") as f:
        state = json.load(f)
else:
    state = {"next": 1, "items": [], "calls": []}
data = sys.stdin.read()
state["calls"].append({"args": args[1:], "input": data})

def out(value):
    with open(state_file, "w", encoding="utf-8") as f:
        json.dump(state, f, indent=2, ensure_ascii=False)
    line = compact(value)
    emit(line + (line if mode == "two-values" else "") + "\\n")

cmd, a, b = (args[1:] + [None, None, None])[:3]
if cmd == "list" and a == "--epics":
    out([present(id=i["id"], title=i.get("title")) for i in state["items"] if i["kind"] == "epic"])
elif cmd == "list" and a == "--epic":
    out([present(id=i["id"], title=i.get("title"), state=i.get("state")) for i in state["items"] if i["kind"] == "task" and i.get("epic") == b])
elif cmd == "new" and a in ("epic", "task"):
    body = json.loads(data)
    item = present(id="ER" + str(state["next"]), kind=a, title=body.get("title"), body=body.get("body"), epic=body.get("epic"), state="todo")
    state["next"] += 1
    state["items"].append(item)
    out(present(id=item["id"], title=item.get("title")))
elif cmd == "set":
    item = next((i for i in state["items"] if i["id"] == a), None)
    if item is None:
        sys.stderr.write("ergo: no such item " + str(a) + "\\n"); sys.exit(1)
    item.update(json.loads(data))
    out(present(id=item["id"], state=item.get("state")))
else:
    sys.stderr.write("ergo: unknown command\\n"); sys.exit(2)
`;

/** Writes the stand-in as `<dir>/bin/ergo`; returns the bin dir (for PATH) and the state file. */
export function installFakeErgo(dir: string): { bin: string; stateFile: string } {
  const bin = path.join(dir, "bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(path.join(bin, "ergo"), SCRIPT);
  chmodSync(path.join(bin, "ergo"), 0o755);
  return { bin, stateFile: path.join(dir, "ergo-state.json") };
}
