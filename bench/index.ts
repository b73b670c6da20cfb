// `npm run bench`: runs every benchmark module in turn; each prints its own figures.
import * as delivery from "./delivery.js";
import * as gateEngine from "./gate-engine.js";
import * as guardE2e from "./guard-e2e.js";
import * as kill from "./kill.js";
import * as redaction from "./redaction.js";
import * as startup from "./startup.js";
import * as statProcedure from "./stat-procedure.js";

const benchmarks: { name: string; run: () => Promise<void> }[] = [
  { name: "start-up", run: startup.run },
  { name: "gate engine", run: gateEngine.run },
  { name: "performance guard statistics", run: statProcedure.run },
  { name: "performance guard end to end, on a loaded machine", run: guardE2e.run },
  { name: "delivery verification", run: delivery.run },
  { name: "redaction throughput", run: redaction.run },
  { name: "SIGKILL at random instants", run: kill.run },
];

for (const bench of benchmarks) {
  console.log(`\n# ${bench.name}`);
  await bench.run();
}
