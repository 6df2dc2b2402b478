import { PcplanError } from "../../errors.js";
import { checkOutputPath, writeOutputFile } from "../../util/write-output-file.js";
import type { Io } from "../io.js";

/** A rendered result goes to stdout, or into the file `--out` names (said on stderr). */
export async function deliver(io: Io, text: string, out: string | undefined, what: string): Promise<void> {
  if (out === undefined) return io.out(text);
  await writeOutputFile(out, text, { option: "--out" });
  io.err(`Wrote ${what} to ${out}\n`);
}

/**
 * Before any reading: a page needs `--out`, and a path that cannot take the output is refused
 * now rather than after minutes of reading.
 */
export async function checkOut(view: { page: boolean }, out: string | undefined): Promise<void> {
  if (view.page && out === undefined) throw new PcplanError("NEEDS_OUT", "--format html writes a file: give it with --out FILE");
  if (out !== undefined) await checkOutputPath(out, { option: "--out" });
}
