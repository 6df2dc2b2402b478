// `npm run bench`: every benchmark in turn, figures to stdout.
import { benchValidate } from "./validate.js";

await benchValidate();
