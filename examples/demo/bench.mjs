// The demo's benchmark: writes fixed figures in shipgate's generic format, so the performance guard has
// something to compare on every machine without timing anything.
import { writeFileSync } from "node:fs";

writeFileSync(process.argv[2], JSON.stringify({ results: [{ scenario: "append", value: 0.0125 }] }));
