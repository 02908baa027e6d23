/** Unique, valid character names for tests (names are letters only). */
let counter = 0;

/** A fresh name such as "Tlinebc": `prefix` plus a counter spelled in letters. */
export function uniqueName(prefix: string): string {
  let n = ++counter + process.pid * 1000;
  let suffix = "";
  while (n > 0) {
    suffix = String.fromCharCode(97 + (n % 26)) + suffix;
    n = Math.floor(n / 26);
  }
  const name = (prefix + suffix).slice(0, 16);
  return name[0]!.toUpperCase() + name.slice(1).toLowerCase();
}
