/** Reading Prometheus text in tests. */

/** The values of a metric's samples whose labels include these. */
export function samples(text: string, name: string, labels: Record<string, string> = {}): number[] {
  const values: number[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const found = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) values.push(Number(m[3]));
  }
  return values;
}

/** The value of the first sample whose labels include these, or undefined. */
export const sample = (text: string, name: string, labels: Record<string, string> = {}): number | undefined => samples(text, name, labels)[0];
