/**
 * A run's partitions: consecutive streets of one district, packed up to about the target
 * size, so any number of workers can share a city and each partition's seekers are
 * neighbours (they read the same index lists, which then stay in the CPU's cache). Keys
 * look like `320508.320508017.320508024`: the district, then the range of community codes
 * from (inclusive) and below (exclusive), either side left empty when unbounded, so the
 * partitions of a district cover every code that starts with it exactly once.
 */
export function planPartitions(counts: { street: string; n: number }[], targetSize: number): string[] {
  const keys: string[] = [];
  const sorted = [...counts].sort((a, b) => (a.street < b.street ? -1 : a.street > b.street ? 1 : 0));
  for (let i = 0; i < sorted.length; ) {
    const district = sorted[i]!.street.slice(0, 6);
    let from = '';
    let size = 0;
    for (; i < sorted.length && sorted[i]!.street.slice(0, 6) === district; i++) {
      const { street, n } = sorted[i]!;
      if (size > 0 && size + n > targetSize) {
        keys.push(`${district}.${from}.${street}`);
        from = street;
        size = 0;
      }
      size += n;
    }
    keys.push(`${district}.${from}.`);
  }
  return keys;
}

export interface PartitionBounds {
  /** The community-code prefix: the longer of the district and the run's region. */
  prefix: string;
  /** Community codes from (inclusive) and below (exclusive); null: no bound. */
  from: string | null;
  below: string | null;
}

export function partitionBounds(key: string, regionCode: string | null): PartitionBounds {
  const [district, from, below] = key.split('.') as [string, string, string];
  const prefix = regionCode && regionCode.length > district.length ? regionCode : district;
  return { prefix, from: from || null, below: below || null };
}

/** The first digit string after every string that starts with `prefix` ('320509' → '32051'); null when there is none. */
function pastPrefix(prefix: string): string | null {
  const stem = prefix.replace(/9+$/, '');
  if (!stem) return null;
  return stem.slice(0, -1) + String(Number(stem.at(-1)) + 1);
}

/**
 * The codes of a partition as one range of digit strings, [lo, hi) (hi null: unbounded):
 * exactly those that start with the prefix and lie in [from, below). Given both ends, the
 * database reads the partition's part of the community index; a `like` alone, or one end
 * alone, had it scan every seeker of the city.
 */
export function codeRange(b: PartitionBounds): { lo: string; hi: string | null } {
  const lo = b.from !== null && b.from > b.prefix ? b.from : b.prefix;
  const end = pastPrefix(b.prefix);
  const hi = b.below === null ? end : end === null || b.below < end ? b.below : end;
  return { lo, hi };
}
