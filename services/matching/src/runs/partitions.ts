/**
 * A run's partitions: one per district, split by the leading bytes of the
 * seeker id when a district holds more than the target size, so any number
 * of workers can share a city evenly. Keys look like `320508.1.4`.
 */
export function planPartitions(counts: { district: string; n: number }[], targetSize: number): string[] {
  const keys: string[] = [];
  for (const { district, n } of counts) {
    let parts = 1;
    while (parts < 256 && n / parts > targetSize) parts *= 2;
    for (let b = 0; b < parts; b++) keys.push(`${district}.${b}.${parts}`);
  }
  return keys;
}

export interface PartitionBounds {
  /** The community-code prefix: the longer of the district and the run's region. */
  prefix: string;
  /** Seeker ids from (inclusive) and below (exclusive; null: no bound). */
  from: string;
  below: string | null;
}

const idAt = (byte: number) => `${byte.toString(16).padStart(2, '0')}000000-0000-0000-0000-000000000000`;

export function partitionBounds(key: string, regionCode: string | null): PartitionBounds {
  const [district, b, parts] = key.split('.') as [string, string, string];
  const i = Number(b);
  const n = Number(parts);
  const prefix = regionCode && regionCode.length > district.length ? regionCode : district;
  return { prefix, from: idAt((i * 256) / n), below: i + 1 < n ? idAt(((i + 1) * 256) / n) : null };
}
