// Source entry for tests and development (`node --import tsx src/cli/run.ts`); bin/pcplan.js runs the built copy.
import { main } from "./main.js";

process.exitCode = await main(process.argv);
